//! A first cut of the port's timing protocol: the Google-Benchmark-shaped
//! JSON the runner reads from the C++ binary (name, repetitions, iterations,
//! real and CPU time, counters including the checksum), for the flags the
//! runner passes (`--benchmark_filter=^NAME$`, `--benchmark_repetitions`,
//! `--benchmark_min_time`, `--benchmark_min_warmup_time`, `--benchmark_out`,
//! `--benchmark_out_format=json`). No probe yet.

use std::time::{Duration, Instant};

use crate::counts::{self, Counts};
use crate::registry::Benchmark;
use crate::UnitCounter;

pub struct Settings {
    pub repetitions: u32,
    pub min_time: Duration,
    pub min_warmup_time: Duration,
}

/// This thread's CPU time from Linux's /proc/thread-self/schedstat (its
/// first field, in nanoseconds): std has no thread clock. None elsewhere.
fn thread_cpu_ns() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

/// One repetition: whole runs of the workload until `min_time` has passed
/// (at least one), as Google Benchmark's iterations.
struct Repetition {
    iterations: u64,
    real_ms: f64,
    cpu_ms: Option<f64>,
    checksum: u64,
    units: u64,
    /// Of the last iteration (every iteration does the same work).
    counts: Counts,
}

fn run_once(b: &Benchmark, counter: &mut UnitCounter) -> Result<u64, String> {
    b.workload.run_counted(b.strategy, b.values, counter)
}

fn repetition(b: &Benchmark, min_time: Duration) -> Result<Repetition, String> {
    let cpu_start = thread_cpu_ns();
    let start = Instant::now();
    let mut iterations = 0;
    let (checksum, units, counts) = loop {
        let mut counter = UnitCounter::default();
        let before = counts::snapshot();
        let checksum = run_once(b, &mut counter)?;
        let counted = counts::snapshot() - before;
        iterations += 1;
        if start.elapsed() >= min_time {
            break (checksum, counter.units, counted);
        }
    };
    let real = start.elapsed();
    let cpu_ms = match (cpu_start, thread_cpu_ns()) {
        (Some(a), Some(b)) => Some((b - a) as f64 / 1e6 / iterations as f64),
        _ => None,
    };
    Ok(Repetition {
        iterations,
        real_ms: real.as_secs_f64() * 1e3 / iterations as f64,
        cpu_ms,
        checksum,
        units,
        counts,
    })
}

/// Runs `b` and returns the whole JSON document.
pub fn time(b: &Benchmark, size: &str, s: &Settings) -> Result<String, String> {
    let name = b.name.as_str();
    let warm = Instant::now();
    while warm.elapsed() < s.min_warmup_time {
        run_once(b, &mut UnitCounter::default())?;
    }
    let mut records = Vec::new();
    for index in 0..s.repetitions {
        let r = repetition(b, s.min_time)?;
        records.push(format!(
            concat!(
                "    {{\n",
                "      \"name\": \"{name}\",\n",
                "      \"family_index\": 0,\n",
                "      \"per_family_instance_index\": 0,\n",
                "      \"run_name\": \"{name}\",\n",
                "      \"run_type\": \"iteration\",\n",
                "      \"repetitions\": {reps},\n",
                "      \"repetition_index\": {index},\n",
                "      \"threads\": 1,\n",
                "      \"iterations\": {iterations},\n",
                "      \"real_time\": {real:e},\n",
                "      \"cpu_time\": {cpu},\n",
                "      \"time_unit\": \"ms\",\n",
                // The C++ keeps the low 53 bits: a double holds them exactly.
                "      \"checksum\": {checksum:e},\n",
                "      \"units\": {units:e},\n",
                "      \"objects\": {objects:e},\n",
                "      \"allocations\": {allocations:e},\n",
                "      \"bytes_requested\": {bytes:e},\n",
                "      \"frees\": {frees:e},\n",
                "      \"buffers\": {buffers:e},\n",
                "      \"overhead_bytes\": {overhead:e}\n",
                "    }}"
            ),
            name = name,
            reps = s.repetitions,
            index = index,
            iterations = r.iterations,
            real = r.real_ms,
            cpu = r.cpu_ms.map_or("null".to_string(), |c| format!("{c:e}")),
            checksum = (r.checksum & ((1u64 << 53) - 1)) as f64,
            units = r.units as f64,
            objects = r.counts.objects as f64,
            allocations = r.counts.allocations as f64,
            bytes = r.counts.bytes as f64,
            frees = r.counts.frees as f64,
            buffers = counts::buffers(&r.counts, b.strategy) as f64,
            overhead = r.counts.overhead_bytes as f64,
        ));
    }
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    Ok(format!(
        concat!(
            "{{\n",
            "  \"context\": {{\n",
            "    \"executable\": \"{exe}\",\n",
            "    \"num_cpus\": {cpus},\n",
            "    \"memstrat_port\": \"rust\",\n",
            "    \"memstrat_sizes\": \"{size}\",\n",
            "    \"memstrat_time\": \"compare real_time (wall clock); cpu_time is the benchmark thread's only\"\n",
            "  }},\n",
            "  \"benchmarks\": [\n{records}\n  ]\n",
            "}}"
        ),
        exe = std::env::args()
            .next()
            .unwrap_or_default()
            .replace('\\', "\\\\")
            .replace('"', "\\\""),
        cpus = cpus,
        size = size,
        records = records.join(",\n"),
    ))
}
