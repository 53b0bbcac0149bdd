//! LatencyRecorder, the port of benchmarks/harness/latency.{h,cc}: each
//! request's begin and end into a buffer sized from the warm-up and touched
//! before the measured runs (nothing allocated per request; requests beyond
//! it are counted as dropped), and after the runs, per run: simple latency
//! (end - begin) and DaCapo Chopin's metered latency (LatencyReporter.java's
//! smoothedStartTime() and meteredLatency(): evenly spaced synthetic starts
//! over a window centred on each begin; max(simple, end - synthetic start)),
//! over 100 ms windows and over the full run. Times in nanoseconds.

use super::histogram::LogLinearHistogram;

/// DaCapo's short smoothing window (its "metered 100ms smoothing").
pub const WINDOW_NS: i64 = 100_000_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RequestTimes {
    pub begin: i64,
    pub end: i64,
}

/// Adds the metered latency of each request of one run, sorted by begin,
/// smoothed over `window_ns` (at least the run's span: full smoothing), to
/// `out`. The arithmetic is latency.cc's, in f64 as there.
pub fn add_metered_latency(run: &[RequestTimes], window_ns: i64, out: &mut LogLinearHistogram) {
    let n = run.len();
    if n == 0 {
        return;
    }
    let half = window_ns as f64 / 2.0;
    let (mut lo, mut hi) = (0usize, 0usize);
    for i in 0..n {
        let b = run[i].begin as f64;
        while (run[lo].begin as f64) < b - half && lo < n - 1 {
            lo += 1;
        }
        while (run[hi].begin as f64) < b + half && hi < n - 1 {
            hi += 1;
        }
        // hi == lo only for the last request alone in its window: DaCapo's
        // NaN there becomes 0, so its metered latency is its simple one.
        let interval = if hi > lo {
            (run[hi].begin - run[lo].begin) as f64 / (hi - lo) as f64
        } else {
            0.0
        };
        let synthetic = run[lo].begin as f64 + (i - lo) as f64 * interval;
        let simple = (run[i].end - run[i].begin) as f64;
        let metered = simple.max(run[i].end as f64 - synthetic);
        out.record(metered as i64);
    }
}

#[derive(Default)]
pub struct LatencyRecorder {
    begin: i64,
    times: Vec<RequestTimes>,
    size: usize,
    dropped: u64,
    run_starts: Vec<usize>,
    simple: LogLinearHistogram,
    metered_window: LogLinearHistogram,
    metered_full: LogLinearHistogram,
}

impl LatencyRecorder {
    pub fn new() -> Self {
        Self::default()
    }

    #[inline]
    pub fn request_begin_at(&mut self, t: i64) {
        self.begin = t;
    }
    #[inline]
    pub fn request_end_at(&mut self, t: i64) {
        self.record(self.begin, t);
    }

    #[inline]
    pub fn record(&mut self, begin: i64, end: i64) {
        if self.size < self.times.len() {
            self.times[self.size] = RequestTimes { begin, end };
            self.size += 1;
        } else {
            self.dropped += 1;
        }
    }

    /// Room for `n` requests in `runs` runs, written now (not zeroed pages
    /// the kernel maps lazily) so the measured runs neither allocate nor
    /// fault it in and baseline RSS holds it; clears what was recorded.
    pub fn reserve(&mut self, n: usize, runs: usize) {
        self.times = vec![RequestTimes { begin: -1, end: -1 }; n];
        self.run_starts = Vec::with_capacity(runs + 1);
        self.clear();
    }

    /// Starts a new run: its requests are analysed apart from the previous.
    pub fn begin_run(&mut self) {
        self.run_starts.push(self.size);
    }

    pub fn clear(&mut self) {
        self.size = 0;
        self.dropped = 0;
        self.run_starts.clear();
        self.simple.reset();
        self.metered_window.reset();
        self.metered_full.reset();
    }

    /// Computes the histograms from what was recorded (after the runs).
    pub fn analyse(&mut self) {
        self.simple.reset();
        self.metered_window.reset();
        self.metered_full.reset();
        if self.size == 0 {
            return;
        }
        let mut starts = self.run_starts.clone();
        if starts.first() != Some(&0) {
            starts.insert(0, 0);
        }
        starts.push(self.size);
        for r in 0..starts.len() - 1 {
            let run = &mut self.times[starts[r]..starts[r + 1]];
            if run.is_empty() {
                continue;
            }
            // One thread issues requests one after another, so they are in
            // begin order already; DaCapo sorts (many threads), so do we.
            run.sort_unstable_by_key(|t| t.begin);
            for t in run.iter() {
                self.simple.record(t.end - t.begin);
            }
            add_metered_latency(run, WINDOW_NS, &mut self.metered_window);
            // DaCapo's "full" smoothing: a window of ten times the run.
            let span_ns = run[run.len() - 1].end - run[0].begin;
            add_metered_latency(run, 10 * span_ns + 1, &mut self.metered_full);
        }
    }

    /// Requests seen (stored + dropped) since the last reserve()/clear().
    pub fn requests(&self) -> u64 {
        self.size as u64 + self.dropped
    }
    pub fn dropped(&self) -> u64 {
        self.dropped
    }
    pub fn simple(&self) -> &LogLinearHistogram {
        &self.simple
    }
    pub fn metered_window(&self) -> &LogLinearHistogram {
        &self.metered_window
    }
    pub fn metered_full(&self) -> &LogLinearHistogram {
        &self.metered_full
    }
}

#[cfg(test)]
mod tests {
    // Cases of latency_test.cc, on synthetic times in nanoseconds.
    use super::*;

    fn rt(begin: i64, end: i64) -> RequestTimes {
        RequestTimes { begin, end }
    }

    /// latency_test.cc's steady_run: 200,000 requests of 1.5 to 2.5 us with
    /// gaps of 0.5 to 1 us, the pattern repeating every 64 requests;
    /// `pause_at` takes 10 ms.
    fn steady_run(scale: f64, pause_at: i64) -> Vec<RequestTimes> {
        let mut out = Vec::new();
        let mut x: u64 = 0x9e3779b97f4a7c15;
        let mut t = 0.0f64;
        for i in 0..200_000i64 {
            if i % 64 == 0 {
                x = 0x9e3779b97f4a7c15;
            }
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let service = if i == pause_at {
                10e6
            } else {
                1500.0 + (x % 1000) as f64
            };
            let gap = 500.0 + ((x >> 20) % 500) as f64;
            out.push(rt((t * scale) as i64, ((t + service) * scale) as i64));
            t += service + gap;
        }
        out
    }

    fn analyse(run: &[RequestTimes]) -> LatencyRecorder {
        let mut r = LatencyRecorder::new();
        r.reserve(run.len(), 1);
        r.begin_run();
        for t in run {
            r.record(t.begin, t.end);
        }
        r.analyse();
        r
    }

    #[test]
    fn hand_worked_full_smoothing() {
        // Evenly spaced starts 0, 14, 28, 42 behind a 40 ns first request.
        let run = [rt(0, 40), rt(40, 41), rt(41, 42), rt(42, 43)];
        let mut h = LogLinearHistogram::new();
        add_metered_latency(&run, 1_000_000, &mut h);
        assert_eq!(h.count(), 4);
        assert_eq!(h.max(), 40);
        assert_eq!(h.min(), 1);
        assert_eq!(h.total(), 40 + 27 + 14 + 1);
    }

    #[test]
    fn hand_worked_sliding_window() {
        let run = [
            rt(0, 1),
            rt(10, 11),
            rt(20, 21),
            rt(30, 40),
            rt(40, 41),
            rt(60, 61),
        ];
        let mut h = LogLinearHistogram::new();
        add_metered_latency(&run, 20, &mut h);
        assert_eq!(h.count(), 6);
        assert_eq!(h.max(), 10);
    }

    #[test]
    fn uniform_slowdown_keeps_full_smoothing_relative_figures() {
        let base = analyse(&steady_run(1.0, -1));
        let slow = analyse(&steady_run(1.3, -1));
        let m0 = base.simple().quantile(0.5) as f64;
        let m1 = slow.simple().quantile(0.5) as f64;
        assert!((m1 / m0 - 1.3).abs() <= 0.02);
        for q in [0.5, 0.9, 0.99, 0.999, 1.0] {
            let change = (slow.metered_full().quantile(q) as f64 / m1)
                / (base.metered_full().quantile(q) as f64 / m0);
            assert!((change - 1.0).abs() <= 0.03, "quantile {q}: {change}");
        }
    }

    #[test]
    fn a_pause_delays_the_requests_behind_it() {
        let r = analyse(&steady_run(1.0, 100_000));
        let simple_p99 = r.simple().quantile(0.99);
        assert!(simple_p99 < 3000);
        assert!(r.simple().max() >= 10_000_000);
        for h in [r.metered_window(), r.metered_full()] {
            assert!(h.max() >= 9_000_000);
            assert!(h.quantile(0.99) > 100 * simple_p99);
        }
    }

    #[test]
    fn runs_are_analysed_apart_and_overflow_is_counted() {
        let mut r = LatencyRecorder::new();
        r.reserve(4, 2);
        r.begin_run();
        r.record(0, 10);
        r.record(20, 30);
        r.begin_run();
        r.record(1_000_000_000, 1_000_000_010);
        r.record(1_000_000_020, 1_000_000_030);
        r.record(1_000_000_040, 1_000_000_050); // beyond the buffer
        r.analyse();
        assert_eq!(r.requests(), 5);
        assert_eq!(r.dropped(), 1);
        assert_eq!(r.metered_full().count(), 4);
        assert_eq!(r.metered_full().max(), 10);
    }
}
