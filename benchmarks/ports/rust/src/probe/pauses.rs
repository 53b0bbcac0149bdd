//! PauseRecorder, the port of benchmarks/harness/pause_recorder.{h,cc}: each
//! reclaim event (a top-level release, a bulk release, an epoch end) into a
//! per-kind histogram, and those of at least RAW_THRESHOLD_NS also kept raw
//! (kind, start, duration) in a buffer reserved up front; past its capacity
//! events are counted as overflow, never stored, so recording never
//! allocates.

use super::histogram::LogLinearHistogram;
use crate::PauseKind;

/// Events this long or longer are also stored raw (as the C++).
pub const RAW_THRESHOLD_NS: i64 = 10_000;
/// Raw events kept (as the C++): 24 bytes each, reserved up front.
pub const RAW_CAPACITY: usize = 1 << 16;

/// The kinds a Rust strategy has, in the C++ ReclaimKind order.
pub const KINDS: [PauseKind; 2] = [PauseKind::Release, PauseKind::EpochEnd];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PauseEvent {
    pub start_ns: i64,
    pub duration_ns: i64,
    pub kind: PauseKind,
}

pub struct PauseRecorder {
    histograms: [LogLinearHistogram; 2],
    raw: Vec<PauseEvent>,
    overflow: u64,
}

fn index(kind: PauseKind) -> usize {
    match kind {
        PauseKind::Release => 0,
        PauseKind::EpochEnd => 1,
    }
}

impl Default for PauseRecorder {
    fn default() -> Self {
        Self::new()
    }
}

impl PauseRecorder {
    pub fn new() -> Self {
        PauseRecorder {
            histograms: [LogLinearHistogram::new(), LogLinearHistogram::new()],
            raw: Vec::with_capacity(RAW_CAPACITY),
            overflow: 0,
        }
    }

    #[inline]
    pub fn record(&mut self, kind: PauseKind, start_ns: i64, duration_ns: i64) {
        self.histograms[index(kind)].record(duration_ns);
        if duration_ns < RAW_THRESHOLD_NS {
            return;
        }
        if self.raw.len() < RAW_CAPACITY {
            self.raw.push(PauseEvent {
                start_ns,
                duration_ns,
                kind,
            });
        } else {
            self.overflow += 1;
        }
    }

    pub fn histogram(&self, kind: PauseKind) -> &LogLinearHistogram {
        &self.histograms[index(kind)]
    }
    /// Raw events in completion order.
    pub fn raw(&self) -> &[PauseEvent] {
        &self.raw
    }
    pub fn overflow(&self) -> u64 {
        self.overflow
    }

    /// Adds another thread's events (its raw ones after this one's).
    pub fn merge(&mut self, other: &PauseRecorder) {
        for (a, b) in self.histograms.iter_mut().zip(other.histograms.iter()) {
            a.merge(b);
        }
        for e in &other.raw {
            if self.raw.len() < RAW_CAPACITY {
                self.raw.push(*e);
            } else {
                self.overflow += 1;
            }
        }
        self.overflow += other.overflow;
    }

    pub fn reset(&mut self) {
        self.histograms.iter_mut().for_each(|h| h.reset());
        self.raw.clear();
        self.overflow = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // pause_recorder_test.cc's CountsOverflowInsteadOfStoring.
    #[test]
    fn counts_overflow_instead_of_storing() {
        let mut r = PauseRecorder::new();
        let n = RAW_CAPACITY + 10;
        for _ in 0..n {
            r.record(PauseKind::Release, 0, RAW_THRESHOLD_NS);
        }
        r.record(PauseKind::Release, 0, 1); // below the threshold
        assert_eq!(r.raw().len(), RAW_CAPACITY);
        assert_eq!(r.raw.capacity(), RAW_CAPACITY);
        assert_eq!(r.overflow(), 10);
        assert_eq!(r.histogram(PauseKind::Release).count(), n as u64 + 1);
        assert_eq!(r.histogram(PauseKind::EpochEnd).count(), 0);
        r.reset();
        assert_eq!(r.raw().len(), 0);
        assert_eq!(r.overflow(), 0);
    }
}
