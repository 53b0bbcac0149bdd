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

// Const-initialised Cells with no destructor: the allocator may run while a
// thread is torn down, when a thread-local with a destructor is gone.
thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
    static BYTES: Cell<u64> = const { Cell::new(0) };
    static FREES: Cell<u64> = const { Cell::new(0) };
    static OBJECTS: Cell<u64> = const { Cell::new(0) };
    static OBJECT_BYTES: Cell<u64> = const { Cell::new(0) };
    static OVERHEAD_BYTES: Cell<u64> = const { Cell::new(0) };
}

#[inline]
fn bump(c: &'static std::thread::LocalKey<Cell<u64>>, n: u64) {
    // try_with: after a thread's locals are gone nothing is counted, rather
    // than panicking inside the allocator.
    let _ = c.try_with(|c| c.set(c.get().wrapping_add(n)));
}

/// This thread's counts so far (plus what its workers folded in).
pub fn snapshot() -> Counts {
    let get = |c: &'static std::thread::LocalKey<Cell<u64>>| c.with(Cell::get);
    Counts {
        allocations: get(&ALLOCATIONS),
        bytes: get(&BYTES),
        frees: get(&FREES),
        objects: get(&OBJECTS),
        object_bytes: get(&OBJECT_BYTES),
        overhead_bytes: get(&OVERHEAD_BYTES),
    }
}

/// Folds a worker thread's counts (its snapshot difference) into this
/// thread's.
pub fn add_from_thread(c: Counts) {
    bump(&ALLOCATIONS, c.allocations);
    bump(&BYTES, c.bytes);
    bump(&FREES, c.frees);
    bump(&OBJECTS, c.objects);
    bump(&OBJECT_BYTES, c.object_bytes);
    bump(&OVERHEAD_BYTES, c.overhead_bytes);
}

/// One object made: `bytes` is the object's size, `overhead` what its owner
/// adds around it (an Rc's two counts).
#[inline]
pub fn count_object(bytes: usize, overhead: usize) {
    bump(&OBJECTS, 1);
    bump(&OBJECT_BYTES, bytes as u64);
    if overhead != 0 {
        bump(&OVERHEAD_BYTES, overhead as u64);
    }
}

pub struct CountingAllocator;

unsafe impl GlobalAlloc for CountingAllocator {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        bump(&ALLOCATIONS, 1);
        bump(&BYTES, layout.size() as u64);
        System.alloc(layout)
    }
    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        bump(&ALLOCATIONS, 1);
        bump(&BYTES, layout.size() as u64);
        System.alloc_zeroed(layout)
    }
    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        bump(&FREES, 1);
        System.dealloc(ptr, layout)
    }
    // A realloc is a free of the old block and an allocation of the new
    // one, as the C++ counts a vector's growth (allocate, copy, free).
    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        bump(&ALLOCATIONS, 1);
        bump(&BYTES, new_size as u64);
        bump(&FREES, 1);
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

// Off only for measuring what counting costs (see README.md).
#[cfg(not(feature = "no_counting"))]
#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;
