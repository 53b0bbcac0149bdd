//! The probe's observer allocates nothing per event once its buffers are
//! reserved: the crate's counting allocator (src/counts.rs) counts this
//! thread's allocations while the test drives the observer as a workload
//! would.

use std::time::Instant;

use memstrat_rust::counts;
use memstrat_rust::probe::ProbeObserver;
use memstrat_rust::{Observer, PauseKind};

fn allocations() -> u64 {
    counts::snapshot().allocations
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
