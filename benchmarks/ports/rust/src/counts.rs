//! Honest counting: a `#[global_allocator]` over `System` that counts every
//! heap allocation, its requested bytes and every free, and the objects the
//! strategies make (one per C++ `make<T>`), in this thread's counters. Plain
//! thread-local integers, as allocators/counters.h keeps them in C++: an
//! atomic add per malloc would tax the Rust port alone. A workload that
//! starts threads folds each one's counts into its caller's
//! (add_from_thread), so a run's counts are whole.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub struct Counts {
    pub allocations: u64,
    pub bytes: u64,
    pub frees: u64,
    pub objects: u64,
    pub object_bytes: u64,
    pub overhead_bytes: u64,
}

impl std::ops::Sub for Counts {
    type Output = Counts;
    fn sub(self, o: Counts) -> Counts {
        Counts {
            allocations: self.allocations.wrapping_sub(o.allocations),
            bytes: self.bytes.wrapping_sub(o.bytes),
            frees: self.frees.wrapping_sub(o.frees),
            objects: self.objects.wrapping_sub(o.objects),
            object_bytes: self.object_bytes.wrapping_sub(o.object_bytes),
            overhead_bytes: self.overhead_bytes.wrapping_sub(o.overhead_bytes),
        }
    }
}

/// This thread's counters, one thread-local (one lookup per malloc).
struct Local {
    allocations: Cell<u64>,
    bytes: Cell<u64>,
    frees: Cell<u64>,
    objects: Cell<u64>,
    object_bytes: Cell<u64>,
    overhead_bytes: Cell<u64>,
}

// Const-initialised Cells with no destructor: the allocator may run while a
// thread is torn down, when a thread-local with a destructor is gone.
thread_local! {
    static LOCAL: Local = const {
        Local {
            allocations: Cell::new(0),
            bytes: Cell::new(0),
            frees: Cell::new(0),
            objects: Cell::new(0),
            object_bytes: Cell::new(0),
            overhead_bytes: Cell::new(0),
        }
    };
}

#[inline]
fn add(c: &Cell<u64>, n: u64) {
    c.set(c.get().wrapping_add(n));
}

#[inline]
fn with_local(f: impl FnOnce(&Local)) {
    // try_with: should a thread's locals be gone, nothing is counted,
    // rather than panicking inside the allocator.
    let _ = LOCAL.try_with(f);
}

/// This thread's counts so far (plus what its workers folded in).
pub fn snapshot() -> Counts {
    LOCAL.with(|l| Counts {
        allocations: l.allocations.get(),
        bytes: l.bytes.get(),
        frees: l.frees.get(),
        objects: l.objects.get(),
        object_bytes: l.object_bytes.get(),
        overhead_bytes: l.overhead_bytes.get(),
    })
}

/// Folds a worker thread's counts (its snapshot difference) into this
/// thread's.
pub fn add_from_thread(c: Counts) {
    with_local(|l| {
        add(&l.allocations, c.allocations);
        add(&l.bytes, c.bytes);
        add(&l.frees, c.frees);
        add(&l.objects, c.objects);
        add(&l.object_bytes, c.object_bytes);
        add(&l.overhead_bytes, c.overhead_bytes);
    });
}

/// Runs `f` and takes what it counted on this thread out of the counts:
/// for the standard library's own bookkeeping around a thread (its spawn
/// and join allocate, and the thread frees some of that as it exits, where
/// nothing counts it), which the C++ counters never see either (they count
/// a strategy's allocations, not std::thread's).
pub fn uncounted<R>(f: impl FnOnce() -> R) -> R {
    let before = snapshot();
    let r = f();
    let extra = snapshot() - before;
    with_local(|l| {
        l.allocations.set(l.allocations.get().wrapping_sub(extra.allocations));
        l.bytes.set(l.bytes.get().wrapping_sub(extra.bytes));
        l.frees.set(l.frees.get().wrapping_sub(extra.frees));
    });
    r
}

/// One object made: `bytes` is the object's size, `overhead` what its owner
/// adds around it (an Rc's two counts).
#[inline]
pub fn count_object(bytes: usize, overhead: usize) {
    with_local(|l| {
        add(&l.objects, 1);
        add(&l.object_bytes, bytes as u64);
        add(&l.overhead_bytes, overhead as u64);
    });
}

#[inline]
fn count_alloc(bytes: usize) {
    with_local(|l| {
        add(&l.allocations, 1);
        add(&l.bytes, bytes as u64);
    });
}

#[inline]
fn count_free() {
    with_local(|l| add(&l.frees, 1));
}

pub struct CountingAllocator;

unsafe impl GlobalAlloc for CountingAllocator {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count_alloc(layout.size());
        System.alloc(layout)
    }
    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count_alloc(layout.size());
        System.alloc_zeroed(layout)
    }
    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        count_free();
        System.dealloc(ptr, layout)
    }
    // A realloc is a free of the old block and an allocation of the new
    // one, as the C++ counts a vector's growth (allocate, copy, free).
    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count_alloc(new_size);
        count_free();
        System.realloc(ptr, layout, new_size)
    }
}

/// Heap allocations that are not objects: container buffers. Under the
/// arena no object is a heap allocation (they are bumped out of chunks),
/// so every allocation is a buffer (chunks among them).
pub fn buffers(c: &Counts, strategy: &str) -> u64 {
    if strategy == "rust-arena" {
        c.allocations
    } else {
        c.allocations.saturating_sub(c.objects)
    }
}

/// The bytes of those buffers (see buffers).
pub fn buffer_bytes(c: &Counts, strategy: &str) -> u64 {
    if strategy == "rust-arena" {
        c.bytes
    } else {
        c.bytes.saturating_sub(c.object_bytes)
    }
}

// Off only for measuring what counting costs (see README.md).
#[cfg(not(feature = "no_counting"))]
#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;
