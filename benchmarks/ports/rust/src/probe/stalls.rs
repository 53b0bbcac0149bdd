//! StallRecorder, the port of benchmarks/harness/stalls.{h,cc}: the gaps
//! between the units of work a workload reports (unit_done), within a run
//! and from its last unit to its end (its teardown), never before its first
//! unit (setup). A stall is a gap longer than max(1 ms, 10 x the median
//! gap), decided after the runs from the gaps of FLOOR_NS or more, kept raw
//! in a buffer reserved up front. Times are nanoseconds (Instant-based: the
//! port has no cycle counter, so no tick conversion).

use super::histogram::LogLinearHistogram;

/// Shortest stall, and the shortest gap kept raw.
pub const FLOOR_NS: i64 = 1_000_000;
/// A stall is also longer than this many median gaps.
pub const MEDIAN_FACTOR: i64 = 10;
/// Raw gaps kept: 16 bytes each, reserved up front.
pub const RAW_CAPACITY: usize = 1 << 16;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stall {
    /// When the unit before the gap was done.
    pub start: i64,
    pub duration_ns: i64,
}

pub struct StallRecorder {
    last: i64,
    gaps: LogLinearHistogram,
    raw: Vec<Stall>,
    overflow: u64,
}

impl Default for StallRecorder {
    fn default() -> Self {
        Self::new()
    }
}

impl StallRecorder {
    pub fn new() -> Self {
        StallRecorder {
            last: -1,
            gaps: LogLinearHistogram::new(),
            raw: Vec::with_capacity(RAW_CAPACITY),
            overflow: 0,
        }
    }

    #[inline]
    pub fn unit_at(&mut self, t: i64) {
        if self.last >= 0 {
            let gap = t - self.last;
            self.gaps.record(gap);
            if gap >= FLOOR_NS {
                if self.raw.len() < RAW_CAPACITY {
                    self.raw.push(Stall {
                        start: self.last,
                        duration_ns: gap,
                    });
                } else {
                    self.overflow += 1;
                }
            }
        }
        self.last = t;
    }

    /// A new run begins: its first unit has no gap before it.
    pub fn begin_run(&mut self) {
        self.last = -1;
    }
    /// The run has returned at `t`: the time since its last unit is a gap.
    pub fn end_run_at(&mut self, t: i64) {
        self.unit_at(t);
        self.last = -1;
    }

    pub fn reset(&mut self) {
        self.last = -1;
        self.gaps.reset();
        self.raw.clear();
        self.overflow = 0;
    }

    pub fn gaps(&self) -> &LogLinearHistogram {
        &self.gaps
    }
    pub fn threshold_ns(&self) -> i64 {
        FLOOR_NS.max(MEDIAN_FACTOR * self.gaps.quantile(0.5))
    }
    /// The raw gaps longer than threshold_ns(), in order.
    pub fn stalls(&self) -> Vec<Stall> {
        let threshold = self.threshold_ns();
        self.raw
            .iter()
            .filter(|s| s.duration_ns > threshold)
            .copied()
            .collect()
    }
    pub fn overflow(&self) -> u64 {
        self.overflow
    }
}

#[cfg(test)]
mod tests {
    // Cases of stalls_test.cc, on synthetic times in nanoseconds.
    use super::*;

    #[test]
    fn finds_the_long_gap_with_its_start() {
        let mut r = StallRecorder::new();
        r.begin_run();
        let mut t = 0;
        for _ in 0..1000 {
            t += 10_000;
            r.unit_at(t);
        }
        let before = t;
        t += 5_000_000; // a 5 ms stall
        r.unit_at(t);
        t += 900_000; // under the 1 ms floor
        r.unit_at(t);
        for _ in 0..1000 {
            t += 10_000;
            r.unit_at(t);
        }
        assert_eq!(r.gaps().count(), 2001);
        assert!((r.gaps().quantile(0.5) - 10_000).abs() <= 100);
        assert_eq!(r.threshold_ns(), FLOOR_NS);
        assert_eq!(
            r.stalls(),
            vec![Stall {
                start: before,
                duration_ns: 5_000_000
            }]
        );
        assert_eq!(r.gaps().max(), 5_000_000);
    }

    #[test]
    fn the_teardown_after_the_last_unit_is_a_gap_the_setup_is_not() {
        let mut r = StallRecorder::new();
        r.begin_run();
        let mut t = 50_000_000; // 50 ms of setup before the first unit
        for _ in 0..100 {
            t += 10_000;
            r.unit_at(t);
        }
        let last = t;
        t += 20_000_000;
        r.end_run_at(t); // a 20 ms teardown
        r.begin_run();
        r.unit_at(t + 30_000_000); // the next run's setup: not a gap
        assert_eq!(r.gaps().count(), 100);
        assert_eq!(
            r.stalls(),
            vec![Stall {
                start: last,
                duration_ns: 20_000_000
            }]
        );
    }

    #[test]
    fn the_threshold_follows_the_median_gap() {
        let mut r = StallRecorder::new();
        r.begin_run();
        let mut t = 0;
        for _ in 0..100 {
            t += 200_000;
            r.unit_at(t);
        }
        t += 1_500_000; // ordinary variation for 200 us units
        r.unit_at(t);
        t += 2_500_000; // a stall
        r.unit_at(t);
        assert!((r.threshold_ns() - 2_000_000).abs() <= 20_000);
        let stalls = r.stalls();
        assert_eq!(stalls.len(), 1);
        assert_eq!(stalls[0].duration_ns, 2_500_000);
    }

    #[test]
    fn counts_overflow_instead_of_storing() {
        let mut r = StallRecorder::new();
        r.begin_run();
        let mut t = 0;
        for _ in 0..=RAW_CAPACITY + 2 {
            t += 2_000_000;
            r.unit_at(t);
        }
        assert_eq!(r.overflow(), 2);
        assert_eq!(r.raw.capacity(), RAW_CAPACITY);
        r.reset();
        assert_eq!(r.overflow(), 0);
        assert_eq!(r.gaps().count(), 0);
    }
}
