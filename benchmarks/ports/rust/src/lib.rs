//! memstrat's ten workloads ported to Rust (issue 13), from the portable
//! specification in docs/workloads.md; test_vectors.json holds them to the
//! C++'s checksums and unit counts. One strategy so far: `rust-box`, where
//! every object has one owner (Box, Vec, String) and is dropped when that
//! owner goes out of scope or is taken apart.

pub mod checksum;
pub mod hash;
pub mod json;
pub mod probe;
pub mod random;
pub mod registry;
pub mod timing;
pub mod workloads;

use std::cell::Cell;

/// The kinds of pause a Rust strategy's reclaim events are, named as the C++
/// ReclaimKind (`release`, `epoch_end`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PauseKind {
    Release,
    EpochEnd,
}

impl PauseKind {
    pub fn name(self) -> &'static str {
        match self {
            PauseKind::Release => "release",
            PauseKind::EpochEnd => "epoch_end",
        }
    }
}

/// What a workload reports while it runs, as the C++ WorkObserver, plus the
/// reclaim events the C++ harness times in Timed<S>: a workload brackets
/// each top-level release (the drop of an owner the spec names), each bulk
/// release (a teardown loop: one pause in all) and each epoch's end with
/// pause_begin / pause_end, through release(), bulk() and epoch_end() below.
/// The probe's observer times them; every other observer ignores them, and
/// the calls inline away where the observer type is known.
pub trait Observer {
    fn request_begin(&mut self) {}
    fn request_end(&mut self) {}
    fn unit_done(&mut self);
    /// A reclaim event starts. Nested ones (a release inside a bulk
    /// release) are part of the outer one: the observer counts the depth.
    fn pause_begin(&mut self) {}
    fn pause_end(&mut self, _kind: PauseKind) {}
}

/// Drops `owner` as one timed release (a cascade is one pause).
#[inline]
pub fn release<O: Observer + ?Sized, T>(obs: &mut O, owner: T) {
    obs.pause_begin();
    drop(owner);
    obs.pause_end(PauseKind::Release);
}

/// Runs a teardown loop as one timed release.
#[inline]
pub fn bulk<O: Observer + ?Sized, R>(obs: &mut O, teardown: impl FnOnce(&mut O) -> R) -> R {
    obs.pause_begin();
    let r = teardown(obs);
    obs.pause_end(PauseKind::Release);
    r
}

/// Ends an epoch (an arena rewind) as one timed pause.
#[inline]
pub fn epoch_end<O: Observer + ?Sized, R>(obs: &mut O, rewind: impl FnOnce() -> R) -> R {
    obs.pause_begin();
    let r = rewind();
    obs.pause_end(PauseKind::EpochEnd);
    r
}

/// Counts units of work, as test_vectors.json does.
#[derive(Default, Debug)]
pub struct UnitCounter {
    pub units: u64,
}

impl Observer for UnitCounter {
    fn unit_done(&mut self) {
        self.units += 1;
    }
}

thread_local! {
    static OBJECTS_MADE: Cell<u64> = Cell::new(0);
}

/// One object made, the port's counterpart of the C++ `s.make<T>()`: the
/// spec fixes how many objects each workload makes, so the port counts
/// them. Per thread, so concurrent tests do not mix their counts; every
/// workload makes its objects on the thread that called run().
pub fn make<T>(value: T) -> Box<T> {
    count_object();
    Box::new(value)
}

/// One object made that a container owns in place (a map's entry), where
/// the C++ makes a node.
pub fn count_object() {
    OBJECTS_MADE.with(|c| c.set(c.get() + 1));
}

/// Objects made on this thread so far.
pub fn objects_made() -> u64 {
    OBJECTS_MADE.with(|c| c.get())
}
