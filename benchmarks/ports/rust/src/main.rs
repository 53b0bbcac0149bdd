//! memstrat_rust: lists the port's benchmarks, runs one to show its
//! checksum, or times one with the flags the runner gives the C++ binary
//! (Google-Benchmark-shaped JSON; src/timing.rs), or probes one (pauses,
//! stalls, latency, memory: src/probe/) as `memstrat_bench --probe` does.

use std::process::exit;
use std::time::Duration;

use memstrat_rust::probe::{self, ProbeOptions, Target};
use memstrat_rust::registry::{self, Workload, STRATEGY};
use memstrat_rust::timing::{self, Settings};
use memstrat_rust::UnitCounter;

const USAGE: &str = "usage: memstrat_rust [--size=small|default|all] (--list_benchmarks | --run NAME | --benchmark_filter=^BENCHMARK$ [--benchmark_repetitions=N] [--benchmark_min_time=S] [--benchmark_min_warmup_time=S] [--benchmark_out=FILE] [--benchmark_out_format=json] | --probe=BENCHMARK [--probe_iterations=N] [--sample_period_ms=MS] [--probe_out=FILE])";

fn usage(what: &str) -> ! {
    eprintln!("memstrat_rust: {what}; {USAGE}");
    exit(2)
}

fn json_string(s: &str) -> String {
    // Names and parameter names are ASCII identifiers; escape the two that
    // would break the JSON anyway.
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn sizes_of(w: &Workload, size: &str) -> Vec<&'static [i64]> {
    match size {
        "small" => vec![w.small],
        "default" => vec![w.default],
        _ => vec![w.small, w.default],
    }
}

fn bench_name(w: &Workload, values: &[i64]) -> String {
    let mut name = format!("{}/{}", w.name, STRATEGY);
    for (k, v) in w.param_names.iter().zip(values) {
        name.push_str(&format!("/{k}:{v}"));
    }
    name
}

/// The same shape as `memstrat_bench --list_benchmarks`: one record per
/// benchmark, keys sorted.
fn list(size: &str) {
    let mut records = Vec::new();
    for w in registry::workloads() {
        for values in sizes_of(&w, size) {
            let mut names: Vec<(&str, i64)> = w
                .param_names
                .iter()
                .copied()
                .zip(values.iter().copied())
                .collect();
            names.sort();
            let params: Vec<String> = names
                .iter()
                .map(|(k, v)| format!("   {}: {v}", json_string(k)))
                .collect();
            records.push(format!(
                " {{\n  \"name\": {},\n  \"params\": {{\n{}\n  }},\n  \"strategy\": {},\n  \"workload\": {}\n }}",
                json_string(&bench_name(&w, values)),
                params.join(",\n"),
                json_string(STRATEGY),
                json_string(w.name)
            ));
        }
    }
    println!("[\n{}\n]", records.join(",\n"));
}

fn run(name: &str, size: &str) {
    let w = registry::find(name)
        .unwrap_or_else(|| usage(&format!("no workload {name:?} (see --list_benchmarks)")));
    let values = match size {
        "small" => w.small,
        "default" => w.default,
        _ => usage(&format!(
            "--run takes --size=small or --size=default, not {size:?}"
        )),
    };
    let mut counter = UnitCounter::default();
    let before = memstrat_rust::objects_made();
    match (w.run)(values, &mut counter) {
        Ok(checksum) => println!(
            "{} checksum=0x{checksum:016x} units={} objects={}",
            bench_name(&w, values),
            counter.units,
            memstrat_rust::objects_made() - before
        ),
        Err(e) => {
            eprintln!("memstrat_rust: {e}");
            exit(2)
        }
    }
}

/// `^NAME$` as the runner writes it (Python's re.escape), back to NAME. Only
/// exact names: the port has no regex engine.
fn exact_name(filter: &str) -> String {
    let inner = filter
        .strip_prefix('^')
        .and_then(|f| f.strip_suffix('$'))
        .unwrap_or_else(|| {
            usage(&format!(
                "--benchmark_filter={filter}: only ^NAME$ filters are supported"
            ))
        });
    let mut name = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            name.extend(chars.next());
        } else {
            name.push(c);
        }
    }
    name
}

fn seconds(flag: &str, v: &str) -> Duration {
    match v.trim_end_matches('s').parse::<f64>() {
        Ok(s) if s >= 0.0 && s.is_finite() && s < 1e6 => Duration::from_secs_f64(s),
        _ => usage(&format!("{flag}={v} is not a number of seconds")),
    }
}

fn time_one(filter: &str, size: &str, settings: &Settings, out: Option<&str>) {
    let name = exact_name(filter);
    let found = registry::workloads().into_iter().find_map(|w| {
        sizes_of(&w, size)
            .into_iter()
            .find(|v| bench_name(&w, v) == name)
            .map(|v| (w, v))
    });
    let (w, values) = found.unwrap_or_else(|| {
        usage(&format!(
            "no benchmark {name:?} at --size={size} (see --list_benchmarks)"
        ))
    });
    let doc = timing::time(&w, &name, values, size, settings).unwrap_or_else(|e| {
        eprintln!("memstrat_rust: {e}");
        exit(2)
    });
    match out {
        // Written only once the whole document exists, so a failed run
        // leaves no half file behind.
        Some(path) => {
            if let Err(e) = std::fs::write(path, doc + "\n") {
                eprintln!("memstrat_rust: cannot write {path}: {e}");
                exit(1)
            }
            println!("{name}: written to {path}");
        }
        None => println!("{doc}"),
    }
}

/// Writes `text` to `path` through a temporary file beside it and a
/// rename, so `path` is either the whole document or what it was before.
fn write_atomically(path: &str, text: &str) -> std::io::Result<()> {
    let tmp = format!("{path}.tmp.{}", std::process::id());
    std::fs::write(&tmp, text)
        .and_then(|_| std::fs::rename(&tmp, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            e
        })
}

fn probe_one(name: &str, size: &str, opt: &ProbeOptions, out: Option<&str>) {
    let found = registry::workloads().into_iter().find_map(|w| {
        sizes_of(&w, size)
            .into_iter()
            .find(|v| bench_name(&w, v) == name)
            .map(|v| (w, v))
    });
    let (w, values) = found.unwrap_or_else(|| {
        eprintln!(
            "memstrat_rust: error: no benchmark named '{name}' at --size={size}; list them with --list_benchmarks"
        );
        exit(2)
    });
    let run = |o: &mut dyn memstrat_rust::Observer| (w.run)(values, o);
    let target = Target {
        name,
        workload: w.name,
        strategy: STRATEGY,
        params: w
            .param_names
            .iter()
            .copied()
            .zip(values.iter().copied())
            .collect(),
        unit: w.unit,
        run: &run,
    };
    let result = probe::probe(&target, opt).unwrap_or_else(|e| {
        eprintln!("memstrat_rust: error: {name}: {e}");
        exit(1)
    });
    let doc = probe::document(&target, result).dump() + "\n";
    match out {
        Some(path) => {
            if let Err(e) = write_atomically(path, &doc) {
                eprintln!("memstrat_rust: error: cannot write --probe_out={path}: {e}");
                exit(2)
            }
        }
        None => print!("{doc}"),
    }
}

/// A whole number in [lo, hi] for `flag`, or the one-line usage error.
fn bounded(flag: &str, v: &str, lo: u64, hi: u64) -> u64 {
    match v.parse::<u64>() {
        Ok(n) if (lo..=hi).contains(&n) => n,
        _ => usage(&format!(
            "{flag}={v} is not a whole number from {lo} to {hi}"
        )),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut size = String::from("small");
    let mut list_benchmarks = false;
    let mut run_name: Option<String> = None;
    let mut filter: Option<String> = None;
    let mut out: Option<String> = None;
    let mut probe_name: Option<String> = None;
    let mut probe_out: Option<String> = None;
    // The C++ binary's defaults and limits (benchmarks/harness/options.cc).
    let mut probe_opt = ProbeOptions {
        iterations: 3,
        sample_period_ms: 10,
    };
    let mut settings = Settings {
        repetitions: 1,
        min_time: Duration::from_millis(500),
        min_warmup_time: Duration::ZERO,
    };
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        let (flag, value) = match a.split_once('=') {
            Some((f, v)) => (f, Some(v)),
            None => (a.as_str(), None),
        };
        match (flag, value) {
            ("--size", Some(s)) if matches!(s, "small" | "default" | "all") => size = s.into(),
            ("--size", Some(s)) => usage(&format!("unknown size {s:?}")),
            ("--list_benchmarks", None) => list_benchmarks = true,
            ("--run", None) => {
                i += 1;
                let name = args
                    .get(i)
                    .unwrap_or_else(|| usage("--run needs a workload name"));
                run_name = Some(name.clone());
            }
            ("--run", Some(name)) => run_name = Some(name.into()),
            ("--benchmark_filter", Some(f)) => filter = Some(f.into()),
            ("--benchmark_repetitions", Some(n)) => {
                settings.repetitions = match n.parse() {
                    Ok(n) if n >= 1 => n,
                    _ => usage(&format!(
                        "--benchmark_repetitions={n} is not a positive count"
                    )),
                }
            }
            ("--benchmark_min_time", Some(v)) => settings.min_time = seconds(flag, v),
            ("--benchmark_min_warmup_time", Some(v)) => settings.min_warmup_time = seconds(flag, v),
            ("--benchmark_out", Some(p)) if !p.is_empty() => out = Some(p.into()),
            ("--benchmark_out_format" | "--benchmark_format", Some("json")) => {}
            ("--benchmark_out_format" | "--benchmark_format", Some(f)) => {
                usage(&format!("{flag}={f}: only json is written"))
            }
            ("--probe", Some(n)) if !n.is_empty() => probe_name = Some(n.into()),
            ("--probe", _) => usage("--probe needs a benchmark name (--probe=NAME)"),
            ("--probe_iterations", Some(n)) => {
                probe_opt.iterations = bounded(flag, n, 1, 100_000) as u32
            }
            ("--sample_period_ms", Some(n)) => {
                probe_opt.sample_period_ms = bounded(flag, n, 1, 60_000)
            }
            ("--probe_out", Some(p)) if !p.is_empty() => probe_out = Some(p.into()),
            ("--probe_out", _) => usage("--probe_out needs a file name (--probe_out=FILE)"),
            _ => usage(&format!("unknown argument {a:?}")),
        }
        i += 1;
    }
    if let Some(name) = probe_name {
        if list_benchmarks || run_name.is_some() || filter.is_some() {
            usage("--probe excludes --list_benchmarks, --run and --benchmark_filter");
        }
        return probe_one(&name, &size, &probe_opt, probe_out.as_deref());
    }
    if probe_out.is_some() {
        usage("--probe_out needs --probe=NAME");
    }
    match (list_benchmarks, run_name, filter) {
        (true, None, None) => list(&size),
        (false, Some(name), None) => run(&name, &size),
        (false, None, Some(f)) => time_one(&f, &size, &settings, out.as_deref()),
        (false, None, None) => usage("nothing to do"),
        _ => usage("--list_benchmarks, --run and --benchmark_filter exclude each other"),
    }
}
