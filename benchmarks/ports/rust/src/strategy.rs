//! The port's three strategies, as the C++ MemoryStrategy concept: how an
//! object is made (one `make` per C++ `make<T>`, counted), what owns it, how
//! its buffers are held, and what an epoch's end does.
//!
//! - `BoxS` (`rust-box`): `Box<T>`, `Vec`, `String`; dropped by its owner.
//! - `RcS` (`rust-rc`): `Rc<T>` (`Rc<RefCell<T>>` where the workload
//!   mutates an object after making it); buffers as under box. Each object
//!   is one Rc allocation, its two counts beside it (overhead_bytes).
//! - `ArenaS` (`rust-arena`): `&'a T` / `&'a mut T` into a bump arena,
//!   buffers are arena slices and strs; nothing is dropped one by one; an
//!   epoch's end rewinds the arena.
//!
//! Workloads are written once over these traits; without GATs (rustc 1.63)
//! the owner of a T is the associated type of `Make<T>`, one impl per T.

use std::cell::RefCell;
use std::ops::{Deref, DerefMut};
use std::rc::Rc;

use crate::arena::{Arena, ArenaVec, Mark};
use crate::counts::count_object;
use crate::{Observer, PauseKind};

pub trait Strategy {
    const NAME: &'static str;
    type Mark: Copy;
    /// A string an object holds.
    type Str: Deref<Target = str>;
    fn begin_epoch(&self) -> Self::Mark;
    /// Ends the epoch begun at `mark`, as one epoch_end pause (box and rc
    /// do nothing there, but the C++ times every strategy's end_epoch, so
    /// their probes show the same events).
    ///
    /// # Safety
    /// Under the arena nothing made since `mark` may be used afterwards.
    unsafe fn end_epoch<O: Observer + ?Sized>(&self, obs: &mut O, mark: Self::Mark);
    fn string(&self, s: &str) -> Self::Str;
}

/// A read-only owner of a T.
pub trait Make<T>: Strategy {
    type Own: Deref<Target = T>;
    fn make(&self, value: T) -> Self::Own;
}

/// An owner through which a T is changed after it is made.
pub trait Owner<T> {
    fn with<R>(&self, f: impl FnOnce(&T) -> R) -> R;
    fn with_mut<R>(&mut self, f: impl FnOnce(&mut T) -> R) -> R;
}

pub trait MakeMut<T>: Strategy {
    type Own: Owner<T>;
    fn make_mut(&self, value: T) -> Self::Own;
}

/// A fixed-size buffer of T the object holds (a C++ vector made once).
pub trait Buffer<T: Copy>: Strategy {
    type Buf: DerefMut<Target = [T]>;
    fn buffer(&self, n: usize, f: impl FnMut(usize) -> T) -> Self::Buf;
    /// `n` copies of `v` (vec![v; n]: calloc for zeros under box and rc).
    fn filled(&self, n: usize, v: T) -> Self::Buf;
}

/// A buffer the object grows (a C++ vector pushed to).
pub trait Growable<T: Copy>: Strategy {
    type Vec: Deref<Target = [T]> + Default;
    fn push(&self, v: &mut Self::Vec, value: T);
}

// ---- rust-box -------------------------------------------------------------

#[derive(Clone, Copy, Default)]
pub struct BoxS;

impl Strategy for BoxS {
    const NAME: &'static str = "rust-box";
    type Mark = ();
    type Str = String;
    #[inline]
    fn begin_epoch(&self) {}
    #[inline]
    unsafe fn end_epoch<O: Observer + ?Sized>(&self, obs: &mut O, _: ()) {
        crate::epoch_end(obs, || {});
    }
    #[inline]
    fn string(&self, s: &str) -> String {
        s.to_string()
    }
}

impl<T> Make<T> for BoxS {
    type Own = Box<T>;
    #[inline]
    fn make(&self, value: T) -> Box<T> {
        count_object(std::mem::size_of::<T>(), 0);
        Box::new(value)
    }
}

impl<T> Owner<T> for Box<T> {
    #[inline]
    fn with<R>(&self, f: impl FnOnce(&T) -> R) -> R {
        f(self)
    }
    #[inline]
    fn with_mut<R>(&mut self, f: impl FnOnce(&mut T) -> R) -> R {
        f(self)
    }
}

impl<T> MakeMut<T> for BoxS {
    type Own = Box<T>;
    #[inline]
    fn make_mut(&self, value: T) -> Box<T> {
        self.make(value)
    }
}

impl<T: Copy> Buffer<T> for BoxS {
    type Buf = Vec<T>;
    #[inline]
    fn buffer(&self, n: usize, f: impl FnMut(usize) -> T) -> Vec<T> {
        (0..n).map(f).collect()
    }
    #[inline]
    fn filled(&self, n: usize, v: T) -> Vec<T> {
        vec![v; n]
    }
}

impl<T: Copy> Growable<T> for BoxS {
    type Vec = Vec<T>;
    #[inline]
    fn push(&self, v: &mut Vec<T>, value: T) {
        v.push(value)
    }
}

// ---- rust-rc --------------------------------------------------------------

#[derive(Clone, Copy, Default)]
pub struct RcS;

/// What an Rc adds around its value: the strong and weak counts.
pub const RC_COUNTS_BYTES: usize = 2 * std::mem::size_of::<usize>();

impl Strategy for RcS {
    const NAME: &'static str = "rust-rc";
    type Mark = ();
    type Str = String;
    #[inline]
    fn begin_epoch(&self) {}
    #[inline]
    unsafe fn end_epoch<O: Observer + ?Sized>(&self, obs: &mut O, _: ()) {
        crate::epoch_end(obs, || {});
    }
    #[inline]
    fn string(&self, s: &str) -> String {
        s.to_string()
    }
}

impl<T> Make<T> for RcS {
    type Own = Rc<T>;
    #[inline]
    fn make(&self, value: T) -> Rc<T> {
        count_object(std::mem::size_of::<T>(), RC_COUNTS_BYTES);
        Rc::new(value)
    }
}

impl<T> Owner<T> for Rc<RefCell<T>> {
    #[inline]
    fn with<R>(&self, f: impl FnOnce(&T) -> R) -> R {
        f(&self.borrow())
    }
    #[inline]
    fn with_mut<R>(&mut self, f: impl FnOnce(&mut T) -> R) -> R {
        f(&mut self.borrow_mut())
    }
}

impl<T> MakeMut<T> for RcS {
    type Own = Rc<RefCell<T>>;
    #[inline]
    fn make_mut(&self, value: T) -> Rc<RefCell<T>> {
        // The RefCell's borrow flag is the owner's too: overhead, not object.
        count_object(
            std::mem::size_of::<T>(),
            RC_COUNTS_BYTES + std::mem::size_of::<RefCell<T>>() - std::mem::size_of::<T>(),
        );
        Rc::new(RefCell::new(value))
    }
}

impl<T: Copy> Buffer<T> for RcS {
    type Buf = Vec<T>;
    #[inline]
    fn buffer(&self, n: usize, f: impl FnMut(usize) -> T) -> Vec<T> {
        (0..n).map(f).collect()
    }
    #[inline]
    fn filled(&self, n: usize, v: T) -> Vec<T> {
        vec![v; n]
    }
}

impl<T: Copy> Growable<T> for RcS {
    type Vec = Vec<T>;
    #[inline]
    fn push(&self, v: &mut Vec<T>, value: T) {
        v.push(value)
    }
}

// ---- rust-arena -----------------------------------------------------------

#[derive(Clone, Copy)]
pub struct ArenaS<'a>(pub &'a Arena);

impl<'a> Strategy for ArenaS<'a> {
    const NAME: &'static str = "rust-arena";
    type Mark = Mark;
    type Str = &'a str;
    #[inline]
    fn begin_epoch(&self) -> Mark {
        self.0.mark()
    }
    #[inline]
    unsafe fn end_epoch<O: Observer + ?Sized>(&self, obs: &mut O, mark: Mark) {
        crate::epoch_end(obs, || self.0.rewind(mark));
    }
    #[inline]
    fn string(&self, s: &str) -> &'a str {
        self.0.str_copy(s)
    }
}

impl<'a, T: 'a> Make<T> for ArenaS<'a> {
    type Own = &'a T;
    #[inline]
    fn make(&self, value: T) -> &'a T {
        count_object(std::mem::size_of::<T>(), 0);
        self.0.alloc(value)
    }
}

impl<'a, T> Owner<T> for &'a mut T {
    #[inline]
    fn with<R>(&self, f: impl FnOnce(&T) -> R) -> R {
        f(self)
    }
    #[inline]
    fn with_mut<R>(&mut self, f: impl FnOnce(&mut T) -> R) -> R {
        f(self)
    }
}

impl<'a, T: 'a> MakeMut<T> for ArenaS<'a> {
    type Own = &'a mut T;
    #[inline]
    fn make_mut(&self, value: T) -> &'a mut T {
        count_object(std::mem::size_of::<T>(), 0);
        self.0.alloc(value)
    }
}

impl<'a, T: Copy + 'a> Buffer<T> for ArenaS<'a> {
    type Buf = &'a mut [T];
    #[inline]
    fn buffer(&self, n: usize, f: impl FnMut(usize) -> T) -> &'a mut [T] {
        self.0.slice_from_fn(n, f)
    }
    #[inline]
    fn filled(&self, n: usize, v: T) -> &'a mut [T] {
        self.0.slice_from_fn(n, |_| v)
    }
}

impl<'a, T: Copy + 'a> Growable<T> for ArenaS<'a> {
    type Vec = ArenaVec<'a, T>;
    #[inline]
    fn push(&self, v: &mut ArenaVec<'a, T>, value: T) {
        v.push(self.0, value)
    }
}

/// The reclaim kind each strategy declares (the C++ ReclaimKind).
pub fn reclaim_kind(strategy: &str) -> PauseKind {
    if strategy == <ArenaS<'static> as Strategy>::NAME {
        PauseKind::EpochEnd
    } else {
        PauseKind::Release
    }
}
