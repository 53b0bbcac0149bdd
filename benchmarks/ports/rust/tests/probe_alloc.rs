//! The probe's observer allocates nothing per event once its buffers are
//! reserved: this test binary counts its thread's allocations with its own
//! global allocator and drives the observer as a workload would.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::time::Instant;

use memstrat_rust::probe::ProbeObserver;
use memstrat_rust::{Observer, PauseKind};

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

// SAFETY: every call is passed on to System unchanged; the count is a
// const-initialised thread-local Cell, which neither allocates nor locks.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|c| c.set(c.get() + 1));
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|c| c.set(c.get() + 1));
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations() -> u64 {
    ALLOCATIONS.with(|c| c.get())
}

#[test]
fn the_observer_allocates_nothing_per_event() {
    let mut obs = ProbeObserver::new(Instant::now());
    obs.latency.reserve(10_000, 1);
    let before = allocations();
    obs.latency.begin_run();
    obs.stalls.begin_run();
    for i in 0..20_000 {
        // Half the requests overflow the buffer: dropped, not stored.
        obs.request_begin();
        obs.request_end();
        obs.unit_done();
        obs.pause_begin();
        obs.pause_begin();
        obs.pause_end(PauseKind::Release);
        obs.pause_end(if i % 2 == 0 {
            PauseKind::Release
        } else {
            PauseKind::EpochEnd
        });
    }
    assert_eq!(allocations() - before, 0);
    assert_eq!(obs.latency.requests(), 20_000);
    assert_eq!(obs.latency.dropped(), 10_000);
    assert_eq!(obs.pauses.histogram(PauseKind::Release).count(), 10_000);
    assert_eq!(obs.pauses.histogram(PauseKind::EpochEnd).count(), 10_000);
    assert_eq!(obs.stalls.gaps().count(), 19_999);
}
