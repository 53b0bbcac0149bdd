//! The measurement run (`--probe=NAME`), the port of
//! benchmarks/harness/probe.{h,cc}: one warm-up run, then N measured runs of
//! one benchmark with every reclaim event timed (the Observer's
//! pause_begin/pause_end), the gaps between units (stalls), request
//! latencies (request-shaped workloads only), baseline/peak/final RSS and
//! PSS, and an RSS timeline from a sampler; written as the C++ probe's JSON
//! object, key for key (docs/measurements.md says what each figure means).
//!
//! Clock: std::time::Instant (CLOCK_MONOTONIC), in nanoseconds since the
//! observer was made; the C++ reads the time-stamp counter for units and
//! requests, the port has no portable cycle counter in std.

pub mod histogram;
pub mod latency;
pub mod memory;
pub mod out;
pub mod pauses;
pub mod stalls;

use std::time::Instant;

use crate::{Observer, PauseKind};
use histogram::LogLinearHistogram;
use latency::LatencyRecorder;
use memory::MemorySampler;
use out::{obj, Out};
use pauses::PauseRecorder;
use stalls::StallRecorder;

use crate::counts::{self, Counts};

/// The one call the probe makes for counts: this thread's (a workload that
/// starts threads folds theirs in).
fn counts_now() -> Counts {
    counts::snapshot()
}

fn since(epoch: Instant) -> i64 {
    let d = Instant::now().saturating_duration_since(epoch);
    d.as_secs() as i64 * 1_000_000_000 + i64::from(d.subsec_nanos())
}

/// The observer of the measurement run: reclaim events to the pause
/// recorder (depth-counted: a nested event is part of the outer one),
/// units to the stall recorder, requests to the latency recorder. Every
/// buffer is reserved before the measured runs; no call allocates.
pub struct ProbeObserver {
    epoch: Instant,
    pub pauses: PauseRecorder,
    pub stalls: StallRecorder,
    pub latency: LatencyRecorder,
    worker: Option<Box<WorkerPauses>>,
    depth: u32,
    pause_start: i64,
}

/// The pause recorder a workload's second thread times its releases into
/// (Observer::take_worker_pauses): the probe's clock, its own recorder,
/// made with the observer so that nothing is allocated during a run.
pub struct WorkerPauses {
    epoch: Instant,
    pub pauses: PauseRecorder,
}

impl WorkerPauses {
    /// Drops `owner` as one timed release.
    #[inline]
    pub fn release<T>(&mut self, owner: T) {
        let start = since(self.epoch);
        drop(owner);
        let end = since(self.epoch);
        self.pauses.record(PauseKind::Release, start, end - start);
    }
}

impl ProbeObserver {
    pub fn new(epoch: Instant) -> ProbeObserver {
        ProbeObserver {
            epoch,
            worker: Some(Box::new(WorkerPauses {
                epoch,
                pauses: PauseRecorder::new(),
            })),
            pauses: PauseRecorder::new(),
            stalls: StallRecorder::new(),
            latency: LatencyRecorder::new(),
            depth: 0,
            pause_start: 0,
        }
    }

    /// Nanoseconds since the epoch.
    #[inline]
    pub fn now(&self) -> i64 {
        since(self.epoch)
    }
}

impl Observer for ProbeObserver {
    #[inline]
    fn request_begin(&mut self) {
        let t = self.now();
        self.latency.request_begin_at(t);
    }
    #[inline]
    fn request_end(&mut self) {
        let t = self.now();
        self.latency.request_end_at(t);
    }
    #[inline]
    fn unit_done(&mut self) {
        let t = self.now();
        self.stalls.unit_at(t);
    }
    #[inline]
    fn pause_begin(&mut self) {
        if self.depth == 0 {
            self.pause_start = self.now();
        }
        self.depth += 1;
    }
    #[inline]
    fn pause_end(&mut self, kind: PauseKind) {
        match self.depth {
            0 => {} // unbalanced: nothing to end
            1 => {
                self.depth = 0;
                let end = self.now();
                self.pauses
                    .record(kind, self.pause_start, end - self.pause_start);
            }
            _ => self.depth -= 1,
        }
    }
    fn take_worker_pauses(&mut self) -> Option<Box<WorkerPauses>> {
        self.worker.take()
    }
    fn give_worker_pauses(&mut self, pauses: Option<Box<WorkerPauses>>) {
        if let Some(mut w) = pauses {
            self.pauses.merge(&w.pauses);
            w.pauses.reset();
            self.worker = Some(w);
        }
    }
}

pub struct ProbeOptions {
    pub iterations: u32,
    pub sample_period_ms: u64,
}

/// One benchmark as the probe sees it.
pub struct Target<'a> {
    pub name: &'a str,
    pub workload: &'a str,
    pub strategy: &'a str,
    /// In the workload's declared order.
    pub params: Vec<(&'a str, i64)>,
    /// The workload's unit of work (stalls.unit).
    pub unit: &'a str,
    /// One run of the benchmark; Err is a one-line reason.
    pub run: &'a dyn Fn(&mut dyn Observer) -> Result<u64, String>,
}

/// What the measured runs gave, before it becomes JSON.
struct Readings {
    iterations: u32,
    wall_ns: i64,
    checksum: u64,
    counts: Counts,
    probe_start_ns: i64,
    requests: bool,
    rss_before: memory::RssReading,
    rss_after: memory::RssReading,
    pss_before: Option<u64>,
    pss_after: Option<u64>,
    peak_reset: bool,
    period_ms: u64,
    reclaim: PauseKind,
}

/// Runs the probe of `t` and returns the probe object (the value of the
/// document's "probe" key).
pub fn probe(t: &Target, opt: &ProbeOptions) -> Result<Out, String> {
    let reclaim = crate::strategy::reclaim_kind(t.strategy);
    let iterations = opt.iterations.max(1);
    let epoch = Instant::now();
    let mut obs = ProbeObserver::new(epoch);
    // Made before the warm-up, so that warm-up and measured runs run in the
    // same process (with the sampler's thread), and its buffer is in the
    // baseline.
    let mut sampler = MemorySampler::new(opt.sample_period_ms, epoch);

    // Warm-up: steady state, and the request count of one run (the latency
    // buffer is empty, so every request is counted as dropped).
    (t.run)(&mut obs)?;
    // Reserved either way: begin_run() records each run's start, and a
    // first push into an empty list would be an allocation the counting
    // allocator charges to the measured runs.
    let requests = obs.latency.requests() > 0;
    let n = obs.latency.requests() as usize * iterations as usize;
    obs.latency.reserve(n, iterations as usize);
    obs.stalls.reset();
    obs.pauses.reset();

    let rss_before = memory::read_rss();
    let pss_before = memory::read_pss();
    let peak_reset = memory::reset_peak_rss();
    // Read last before the runs and first after them: the readings above
    // and below allocate, and the counting allocator would count them.
    let counts_before = counts_now();
    let probe_start_ns = obs.now();
    sampler.start(probe_start_ns);
    let mut checksum = 0;
    for _ in 0..iterations {
        obs.latency.begin_run();
        obs.stalls.begin_run();
        checksum = (t.run)(&mut obs)?;
        let end = obs.now();
        obs.stalls.end_run_at(end);
    }
    let counts_after = counts_now();
    let wall_ns = obs.now() - probe_start_ns;
    sampler.stop();
    let rss_after = memory::read_rss();
    let pss_after = memory::read_pss();
    if requests {
        obs.latency.analyse();
    }
    let counts = Counts {
        allocations: counts_after.allocations - counts_before.allocations,
        bytes: counts_after.bytes - counts_before.bytes,
        frees: counts_after.frees - counts_before.frees,
        objects: counts_after.objects - counts_before.objects,
        object_bytes: counts_after.object_bytes - counts_before.object_bytes,
        overhead_bytes: counts_after.overhead_bytes - counts_before.overhead_bytes,
    };
    let r = Readings {
        iterations,
        wall_ns,
        checksum,
        counts,
        probe_start_ns,
        requests,
        rss_before,
        rss_after,
        pss_before,
        pss_after,
        peak_reset,
        period_ms: opt.sample_period_ms,
        reclaim,
    };
    Ok(to_json(t, &r, &obs, &sampler))
}

fn summary(h: &LogLinearHistogram) -> Out {
    obj(vec![
        ("count", h.count().into()),
        ("total_ns", h.total().into()),
        ("p50_ns", h.quantile(0.50).into()),
        ("p90_ns", h.quantile(0.90).into()),
        ("p99_ns", h.quantile(0.99).into()),
        ("p999_ns", h.quantile(0.999).into()),
        ("max_ns", h.max().into()),
    ])
}

fn to_json(t: &Target, r: &Readings, obs: &ProbeObserver, sampler: &MemorySampler) -> Out {
    let n = f64::from(r.iterations);
    let per = |v: u64| Out::Float(v as f64 / n);
    let c = &r.counts;
    let buffers = counts::buffers(c, t.strategy) as f64 / n;
    let buffer_bytes = counts::buffer_bytes(c, t.strategy) as f64 / n;
    let counts = obj(vec![
        ("allocations_per_iteration", per(c.allocations)),
        ("bytes_requested_per_iteration", per(c.bytes)),
        ("frees_per_iteration", per(c.frees)),
        ("overhead_bytes_per_iteration", per(c.overhead_bytes)),
        ("objects_per_iteration", per(c.objects)),
        ("buffers_per_iteration", Out::Float(buffers)),
        ("buffer_bytes_per_iteration", Out::Float(buffer_bytes)),
    ]);

    // Both kinds always, as the C++ lists both timed kinds for every
    // strategy (an unused one with count 0).
    let kinds = Out::Obj(
        pauses::KINDS
            .iter()
            .map(|&k| (k.name().to_string(), summary(obs.pauses.histogram(k))))
            .collect(),
    );
    let events = obs
        .pauses
        .raw()
        .iter()
        .map(|e| {
            obj(vec![
                ("kind", e.kind.name().into()),
                ("start_ns", (e.start_ns - r.probe_start_ns).into()),
                ("duration_ns", e.duration_ns.into()),
            ])
        })
        .collect();
    let pauses = obj(vec![
        ("kinds", kinds),
        ("events", Out::Arr(events)),
        ("events_threshold_ns", pauses::RAW_THRESHOLD_NS.into()),
        ("events_overflow", obs.pauses.overflow().into()),
    ]);

    let latency = if r.requests {
        let l = &obs.latency;
        obj(vec![
            ("requests", l.requests().into()),
            ("requests_dropped", l.dropped().into()),
            ("simple", summary(l.simple())),
            ("metered_100ms", summary(l.metered_window())),
            ("metered_full", summary(l.metered_full())),
            ("smoothing_window_ns", latency::WINDOW_NS.into()),
        ])
    } else {
        Out::Null
    };

    let stall_events = obs
        .stalls
        .stalls()
        .iter()
        .map(|s| {
            obj(vec![
                ("start_ns", (s.start - r.probe_start_ns).into()),
                ("duration_ns", s.duration_ns.into()),
            ])
        })
        .collect();
    let stalls = obj(vec![
        ("unit", t.unit.into()),
        ("gaps", summary(obs.stalls.gaps())),
        ("threshold_ns", obs.stalls.threshold_ns().into()),
        ("threshold_floor_ns", stalls::FLOOR_NS.into()),
        ("threshold_median_factor", stalls::MEDIAN_FACTOR.into()),
        ("events", Out::Arr(stall_events)),
        ("events_overflow", obs.stalls.overflow().into()),
    ]);

    let samples = sampler.samples();
    let timeline = obj(vec![
        ("period_ms", r.period_ms.into()),
        (
            "t_ms",
            Out::Arr(
                samples
                    .iter()
                    .map(|s| Out::Float(s.t_ns as f64 / 1e6))
                    .collect(),
            ),
        ),
        (
            "rss_bytes",
            Out::Arr(samples.iter().map(|s| s.rss_bytes.into()).collect()),
        ),
        ("strategy_bytes_label", Out::Null),
        ("strategy_bytes", Out::Null),
        ("overflow", sampler.overflow().into()),
    ]);
    let memory = obj(vec![
        ("baseline_rss_bytes", r.rss_before.rss_bytes.into()),
        (
            "peak_rss_bytes",
            (if r.peak_reset {
                r.rss_after.peak_bytes
            } else {
                0
            })
            .into(),
        ),
        ("peak_rss_isolated", r.peak_reset.into()),
        ("final_rss_bytes", r.rss_after.rss_bytes.into()),
        ("baseline_pss_bytes", r.pss_before.into()),
        ("final_pss_bytes", r.pss_after.into()),
        ("timeline", timeline),
    ]);

    obj(vec![
        ("iterations", u64::from(r.iterations).into()),
        ("reclaim_kind", r.reclaim.name().into()),
        ("wall_ns", r.wall_ns.into()),
        ("checksum", Out::Str(format!("0x{:016x}", r.checksum))),
        ("counts", counts),
        ("pauses", pauses),
        ("latency", latency),
        ("stalls", stalls),
        ("memory", memory),
        ("gc", Out::Null),
        ("strategy_stats", obj(vec![])),
    ])
}

/// The document `--probe_out` holds: the probe with the benchmark's
/// identity beside it, as the C++ writes it (less "allocator": the port
/// runs on Rust's System allocator only).
pub fn document(t: &Target, probe: Out) -> Out {
    obj(vec![
        ("name", t.name.into()),
        ("workload", t.workload.into()),
        ("strategy", t.strategy.into()),
        (
            "params",
            Out::Obj(
                t.params
                    .iter()
                    .map(|&(k, v)| (k.to_string(), v.into()))
                    .collect(),
            ),
        ),
        ("probe", probe),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nested_event_is_part_of_the_outer_one() {
        let mut o = ProbeObserver::new(Instant::now());
        crate::bulk(&mut o, |o| {
            crate::release(o, vec![1u8; 10]);
            crate::release(o, Box::new(2u64));
        });
        crate::release(&mut o, Box::new(3u64)); // outside: its own pause
        crate::epoch_end(&mut o, || ());
        assert_eq!(o.pauses.histogram(PauseKind::Release).count(), 2);
        assert_eq!(o.pauses.histogram(PauseKind::EpochEnd).count(), 1);
        o.pause_end(PauseKind::Release); // unbalanced: ignored
        assert_eq!(o.pauses.histogram(PauseKind::Release).count(), 2);
    }

    #[test]
    fn probes_a_synthetic_request_workload() {
        let run = |o: &mut dyn Observer| -> Result<u64, String> {
            for i in 0..50u64 {
                o.request_begin();
                let v: Vec<u64> = (0..i).collect();
                o.request_end();
                crate::release(o, v);
                o.unit_done();
            }
            Ok(42)
        };
        let t = Target {
            name: "synthetic/rust-box/n:50",
            workload: "synthetic",
            strategy: "rust-box",
            params: vec![("n", 50)],
            unit: "request",
            run: &run,
        };
        let p = probe(
            &t,
            &ProbeOptions {
                iterations: 2,
                sample_period_ms: 1,
            },
        )
        .unwrap();
        let doc = crate::json::Json::parse(&document(&t, p).dump()).unwrap();
        let p = doc.get("probe");
        assert_eq!(p.get("checksum").str(), "0x000000000000002a");
        assert_eq!(p.get("latency").get("requests").int(), 100);
        assert_eq!(p.get("latency").get("simple").get("count").int(), 100);
        assert_eq!(p.get("latency").get("requests_dropped").int(), 0);
        // 49 gaps within each run plus the one after its last unit.
        assert_eq!(p.get("stalls").get("gaps").get("count").int(), 100);
        let kinds = p.get("pauses").get("kinds");
        assert_eq!(kinds.get("release").get("count").int(), 100);
        assert_eq!(kinds.get("epoch_end").get("count").int(), 0);
        assert!(!p.get("memory").get("timeline").get("t_ms").arr().is_empty());
        assert_eq!(doc.get("params").get("n").int(), 50);
    }
}
