//! memstrat's ten workloads ported to Rust (issue 13), from the portable
//! specification in docs/workloads.md; test_vectors.json holds them to the
//! C++'s checksums and unit counts, under three strategies (src/strategy.rs):
//! `rust-box`, `rust-rc` and `rust-arena`; src/counts.rs counts every heap
//! allocation and every object made.

pub mod arena;
pub mod checksum;
pub mod counts;
pub mod hash;
pub mod json;
pub mod probe;
pub mod random;
pub mod registry;
pub mod strategy;
pub mod timing;
pub mod workloads;

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
    /// For a workload that releases objects on a thread it starts (the
    /// C++ Timed<S> times those releases too, into one recorder): the
    /// recorder that thread times its releases into, moved to it and given
    /// back with give_worker_pauses once it is joined. None: not timed.
    fn take_worker_pauses(&mut self) -> Option<Box<probe::WorkerPauses>> {
        None
    }
    fn give_worker_pauses(&mut self, _pauses: Option<Box<probe::WorkerPauses>>) {}
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

/// Objects made on this thread so far (counts::snapshot().objects): one
/// per C++ `make<T>`, counted by the strategies' make.
pub fn objects_made() -> u64 {
    counts::snapshot().objects
}
