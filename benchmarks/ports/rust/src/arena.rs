//! The bump arena under `rust-arena`, after allocators/bump_arena.h: chunks
//! from the global allocator (64 KiB first, doubling to 4 MiB, kept across
//! rewinds), a bump pointer, marks and rewinds; requests above 1 MiB get a
//! block of their own, freed at the rewind that passes them. Nothing in it
//! is dropped one by one: `alloc` refuses a type that needs Drop, so a node
//! cannot own a heap buffer that a rewind would leak.

use std::alloc::{alloc, dealloc, Layout};
use std::cell::{Cell, RefCell};

const FIRST_CHUNK: usize = 64 * 1024;
const MAX_CHUNK: usize = 4 * 1024 * 1024;
const LARGE: usize = MAX_CHUNK / 4;
const CHUNK_ALIGN: usize = 16;

struct Block {
    ptr: *mut u8,
    size: usize,
    align: usize,
}

impl Block {
    fn free(self) {
        // SAFETY: allocated by allocate_slow with this size and alignment.
        unsafe {
            dealloc(
                self.ptr,
                Layout::from_size_align_unchecked(self.size, self.align),
            )
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct Mark {
    chunks_in_use: usize,
    cur: usize,
    large: usize,
}

#[derive(Default)]
pub struct Arena {
    cur: Cell<usize>,
    end: Cell<usize>,
    chunks_in_use: Cell<usize>,
    chunks: RefCell<Vec<Block>>,
    large: RefCell<Vec<Block>>,
    rewinds: Cell<u64>,
}

impl Arena {
    pub fn new() -> Arena {
        Arena::default()
    }

    /// Bytes of `layout`, bumped; the fast path is an add and a compare.
    #[inline]
    pub fn allocate(&self, layout: Layout) -> *mut u8 {
        let start = (self.cur.get() + layout.align() - 1) & !(layout.align() - 1);
        let next = start.wrapping_add(layout.size());
        if next <= self.end.get() && start >= self.cur.get() && self.cur.get() != 0 {
            self.cur.set(next);
            return start as *mut u8;
        }
        self.allocate_slow(layout)
    }

    #[cold]
    fn allocate_slow(&self, layout: Layout) -> *mut u8 {
        let worst = layout.size().max(1) + layout.align() - 1;
        if worst > LARGE {
            let ptr = unsafe { alloc(layout) };
            assert!(!ptr.is_null(), "rust-arena: out of memory");
            self.large.borrow_mut().push(Block {
                ptr,
                size: layout.size(),
                align: layout.align(),
            });
            return ptr;
        }
        let mut chunks = self.chunks.borrow_mut();
        // Reuse the chunks kept from before the last rewind; one too small
        // for this request is skipped until the next rewind.
        while self.chunks_in_use.get() < chunks.len() {
            let c = &chunks[self.chunks_in_use.get()];
            self.chunks_in_use.set(self.chunks_in_use.get() + 1);
            if c.size >= worst {
                self.cur.set(c.ptr as usize);
                self.end.set(c.ptr as usize + c.size);
                drop(chunks);
                return self.allocate(layout);
            }
        }
        let mut size = match chunks.last() {
            None => FIRST_CHUNK,
            Some(c) if c.size < MAX_CHUNK => c.size * 2,
            Some(c) => c.size,
        };
        while size < worst {
            size *= 2;
        }
        let ptr = unsafe { alloc(Layout::from_size_align(size, CHUNK_ALIGN).unwrap()) };
        assert!(!ptr.is_null(), "rust-arena: out of memory");
        chunks.push(Block {
            ptr,
            size,
            align: CHUNK_ALIGN,
        });
        self.chunks_in_use.set(chunks.len());
        self.cur.set(ptr as usize);
        self.end.set(ptr as usize + size);
        drop(chunks);
        self.allocate(layout)
    }

    /// Moves `value` into the arena. Never dropped: hence no Drop types.
    #[inline]
    #[allow(clippy::mut_from_ref)]
    pub fn alloc<T>(&self, value: T) -> &mut T {
        assert!(
            !std::mem::needs_drop::<T>(),
            "rust-arena: an arena object may not own a heap buffer"
        );
        let p = self.allocate(Layout::new::<T>()) as *mut T;
        // SAFETY: p is fresh, aligned, sized for T, and handed out once.
        unsafe {
            p.write(value);
            &mut *p
        }
    }

    /// A slice of `n` values from `f`, in the arena.
    #[allow(clippy::mut_from_ref)]
    pub fn slice_from_fn<T: Copy>(&self, n: usize, mut f: impl FnMut(usize) -> T) -> &mut [T] {
        let p = self.allocate(Layout::array::<T>(n).expect("a sane length")) as *mut T;
        for i in 0..n {
            // SAFETY: p has room for n values; T: Copy has no Drop.
            unsafe { p.add(i).write(f(i)) };
        }
        // SAFETY: all n values were written above.
        unsafe { std::slice::from_raw_parts_mut(p, n) }
    }

    pub fn slice_copy<T: Copy>(&self, src: &[T]) -> &mut [T] {
        self.slice_from_fn(src.len(), |i| src[i])
    }

    pub fn str_copy(&self, s: &str) -> &str {
        let bytes = self.slice_copy(s.as_bytes());
        // SAFETY: a byte-for-byte copy of a str.
        unsafe { std::str::from_utf8_unchecked(bytes) }
    }

    pub fn mark(&self) -> Mark {
        Mark {
            chunks_in_use: self.chunks_in_use.get(),
            cur: self.cur.get(),
            large: self.large.borrow().len(),
        }
    }

    /// Rewinds to `mark`: every byte allocated since is free for reuse; the
    /// chunks stay, the large blocks made since go back to the heap.
    ///
    /// # Safety
    /// Nothing allocated since `mark` may be used afterwards (the borrow
    /// checker does not see epochs: the workloads keep them as the C++
    /// does, and each call site says why it is safe).
    pub unsafe fn rewind(&self, mark: Mark) {
        self.rewinds.set(self.rewinds.get() + 1);
        let chunks = self.chunks.borrow();
        self.chunks_in_use.set(mark.chunks_in_use);
        self.cur.set(mark.cur);
        self.end.set(if mark.chunks_in_use == 0 {
            0
        } else {
            let c = &chunks[mark.chunks_in_use - 1];
            c.ptr as usize + c.size
        });
        if mark.chunks_in_use == 0 {
            self.cur.set(0);
        }
        self.large
            .borrow_mut()
            .drain(mark.large..)
            .for_each(Block::free);
    }

    /// Bytes held from the heap (chunks and large blocks).
    pub fn bytes_reserved(&self) -> usize {
        self.chunks.borrow().iter().map(|c| c.size).sum::<usize>()
            + self.large.borrow().iter().map(|b| b.size).sum::<usize>()
    }

    pub fn rewinds(&self) -> u64 {
        self.rewinds.get()
    }
}

impl Drop for Arena {
    fn drop(&mut self) {
        self.chunks.get_mut().drain(..).for_each(Block::free);
        self.large.get_mut().drain(..).for_each(Block::free);
    }
}

/// A growable array in the arena, as a C++ vector with the arena's
/// allocator: an outgrown buffer stays in the arena until the rewind.
pub struct ArenaVec<'a, T: Copy> {
    buf: &'a mut [T],
    len: usize,
}

impl<'a, T: Copy> Default for ArenaVec<'a, T> {
    fn default() -> Self {
        ArenaVec {
            buf: &mut [],
            len: 0,
        }
    }
}

impl<'a, T: Copy> ArenaVec<'a, T> {
    pub fn push(&mut self, arena: &'a Arena, v: T) {
        if self.len == self.buf.len() {
            let cap = std::cmp::max(4, 2 * self.buf.len());
            let old = std::mem::take(&mut self.buf);
            self.buf = arena.slice_from_fn(cap, |i| if i < old.len() { old[i] } else { v });
        }
        self.buf[self.len] = v;
        self.len += 1;
    }
}

impl<'a, T: Copy> std::ops::Deref for ArenaVec<'a, T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        &self.buf[..self.len]
    }
}
