//! memstrat_rust: the Rust port's binary, driven by the runner like the C++
//! memstrat_bench (docs/extending.md, the port protocol): lists its
//! benchmarks and strategies, checks their checksums and object counts,
//! runs one to show its checksum, times one (Google-Benchmark-shaped JSON;
//! src/timing.rs), or probes one (pauses, stalls, latency, memory:
//! src/probe/) as `memstrat_bench --probe` does.

use std::process::exit;
use std::time::Duration;

use memstrat_rust::probe::{self, ProbeOptions, Target};
use memstrat_rust::registry::{self, Benchmark, STRATEGIES};
use memstrat_rust::timing::{self, Settings};
use memstrat_rust::{counts, UnitCounter};

const USAGE: &str = "usage: memstrat_rust [--size=small|default|all] (--list_benchmarks | --list_strategies | --check | --run NAME [--strategy=S] | --benchmark_filter=^BENCHMARK$ [--benchmark_repetitions=N] [--benchmark_min_time=S] [--benchmark_min_warmup_time=S] [--benchmark_out=FILE] [--benchmark_out_format=json] | --probe=BENCHMARK [--probe_iterations=N] [--sample_period_ms=MS] [--probe_out=FILE])";

const TOOLCHAIN: &str = env!("MEMSTRAT_RUSTC_VERSION");

fn usage(what: &str) -> ! {
    eprintln!("memstrat_rust: error: {what}; {USAGE}");
    exit(2)
}

fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn params_json(b: &Benchmark, indent: &str) -> String {
    let mut names: Vec<(&str, i64)> = b
        .workload
        .param_names
        .iter()
        .copied()
        .zip(b.values.iter().copied())
        .collect();
    names.sort();
    let params: Vec<String> = names
        .iter()
        .map(|(k, v)| format!("{indent} {}: {v}", json_string(k)))
        .collect();
    format!("{{\n{}\n{indent}}}", params.join(",\n"))
}

/// The same shape as `memstrat_bench --list_benchmarks`: one record per
/// benchmark, keys sorted.
fn list(size: &str) {
    let records: Vec<String> = registry::benchmarks(size)
        .iter()
        .map(|b| {
            format!(
                " {{\n  \"name\": {},\n  \"params\": {},\n  \"strategy\": {},\n  \"workload\": {}\n }}",
                json_string(&b.name),
                params_json(b, "  "),
                json_string(b.strategy),
                json_string(b.workload.name)
            )
        })
        .collect();
    println!("[\n{}\n]", records.join(",\n"));
}

struct Declaration {
    name: &'static str,
    summary: &'static str,
    reclaim_kind: &'static str,
    frees: &'static str,
    release_order: &'static str,
    owner_bytes: usize,
    owner_overhead: &'static str,
    colour: &'static str,
    /// The C++ strategy this one is the real subject of, or the Rust
    /// counterpart of: the report evaluates the claims on that one again
    /// on this one, and the run's other builds measure it too.
    counterpart: &'static str,
}

fn declarations() -> [Declaration; 3] {
    [
        Declaration {
            name: STRATEGIES[0],
            summary: "its single owner (Box, Vec, String) goes out of scope or is dropped",
            reclaim_kind: "release",
            frees: "every_object",
            release_order: "drop glue: fields in declaration order",
            owner_bytes: std::mem::size_of::<Box<u64>>(),
            owner_overhead: "none",
            colour: "#332288",
            counterpart: "raii",
        },
        Declaration {
            name: STRATEGIES[1],
            summary: "its last Rc is dropped; counts updated with plain instructions (Arc in producer_consumer: an Rc cannot cross threads)",
            reclaim_kind: "release",
            frees: "every_object",
            release_order: "drop glue when the strong count reaches zero: fields in declaration order",
            owner_bytes: std::mem::size_of::<std::rc::Rc<u64>>(),
            owner_overhead: "16 bytes of strong and weak counts beside each object (plus a RefCell's 8-byte borrow flag where the object is changed after it is made), counted in overhead_bytes; owners are 8 bytes wide",
            colour: "#AA4499",
            counterpart: "shared_rc",
        },
        Declaration {
            name: STRATEGIES[2],
            summary: "the whole bump arena is rewound at the end of its epoch",
            reclaim_kind: "epoch_end",
            frees: "none",
            release_order: "none: the epoch's end frees every object at once",
            owner_bytes: std::mem::size_of::<&u64>(),
            owner_overhead: "none",
            colour: "#44AA99",
            counterpart: "arena",
        },
    ]
}

/// The same keys as `memstrat_bench --list_strategies`, plus language,
/// toolchain and counterpart.
fn list_strategies() {
    let records: Vec<String> = declarations()
        .iter()
        .map(|d| {
            let mut fields = vec![
                ("allocator_bytes", "0".to_string()),
                ("baseline", "false".into()),
                ("collects", "false".into()),
                ("colour", json_string(d.colour)),
                ("counterpart", json_string(d.counterpart)),
                ("family", json_string("Rust")),
                ("frees", json_string(d.frees)),
                ("language", json_string("Rust")),
                ("name", json_string(d.name)),
                ("object_per_new", "false".into()),
                ("owner_bytes", d.owner_bytes.to_string()),
                ("owner_overhead", json_string(d.owner_overhead)),
                ("reclaim_kind", json_string(d.reclaim_kind)),
                ("release_order", json_string(d.release_order)),
                ("sanitizer_safe", "false".into()),
                ("settings", "[]".into()),
                ("summary", json_string(d.summary)),
                ("threads_process", "false".into()),
                ("toolchain", json_string(TOOLCHAIN)),
            ];
            fields.sort();
            let body: Vec<String> = fields
                .iter()
                .map(|(k, v)| format!("  {}: {v}", json_string(k)))
                .collect();
            format!(" {{\n{}\n }}", body.join(",\n"))
        })
        .collect();
    println!("[\n{}\n]", records.join(",\n"));
}

/// One run of every benchmark: checksum (full 64 bits), units, objects.
fn check(size: &str) {
    let mut records = Vec::new();
    for b in registry::benchmarks(size) {
        let mut counter = UnitCounter::default();
        let before = counts::snapshot();
        let checksum = b
            .workload
            .run_counted(b.strategy, b.values, &mut counter)
            .unwrap_or_else(|e| {
                eprintln!("memstrat_rust: error: {}: {e}", b.name);
                exit(1)
            });
        let objects = (counts::snapshot() - before).objects;
        records.push(format!(
            " {{\n  \"checksum\": \"0x{checksum:016x}\",\n  \"name\": {},\n  \"objects\": {objects},\n  \"params\": {},\n  \"strategy\": {},\n  \"units\": {},\n  \"workload\": {}\n }}",
            json_string(&b.name),
            params_json(&b, "  "),
            json_string(b.strategy),
            counter.units,
            json_string(b.workload.name)
        ));
    }
    println!("[\n{}\n]", records.join(",\n"));
}

fn run(name: &str, strategy: &str, size: &str) {
    let w = registry::find(name)
        .unwrap_or_else(|| usage(&format!("no workload {name:?} (see --list_benchmarks)")));
    if !STRATEGIES.contains(&strategy) {
        usage(&format!("no strategy {strategy:?} (see --list_strategies)"));
    }
    let values = match size {
        "small" => w.small,
        "default" => w.default,
        _ => usage(&format!(
            "--run takes --size=small or --size=default, not {size:?}"
        )),
    };
    let mut counter = UnitCounter::default();
    let before = counts::snapshot();
    match w.run_counted(strategy, values, &mut counter) {
        Ok(checksum) => {
            let c = counts::snapshot() - before;
            println!(
                "{} checksum=0x{checksum:016x} units={} objects={} object_bytes={} overhead_bytes={} allocations={} bytes_requested={} frees={}",
                registry::bench_name(&w, strategy, values),
                counter.units,
                c.objects,
                c.object_bytes,
                c.overhead_bytes,
                c.allocations,
                c.bytes,
                c.frees
            )
        }
        Err(e) => usage(&e),
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
    let b = registry::find_benchmark(&name, size).unwrap_or_else(|| {
        usage(&format!(
            "no benchmark {name:?} at --size={size} (see --list_benchmarks)"
        ))
    });
    set_current(&b.name);
    let doc = timing::time(&b, size, settings).unwrap_or_else(|e| {
        eprintln!("memstrat_rust: error: {name}: {e}");
        exit(1)
    });
    match out {
        // Written only once the whole document exists, so a failed run
        // leaves no half file behind.
        Some(path) => {
            if let Err(e) = std::fs::write(path, doc + "\n") {
                eprintln!("memstrat_rust: error: cannot write {path}: {e}");
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
    let b = registry::find_benchmark(name, size).unwrap_or_else(|| {
        eprintln!(
            "memstrat_rust: error: no benchmark named '{name}' at --size={size}; list them with --list_benchmarks"
        );
        exit(2)
    });
    let run = |o: &mut dyn memstrat_rust::Observer| b.run(o);
    let target = Target {
        name,
        workload: b.workload.name,
        strategy: b.strategy,
        params: b
            .workload
            .param_names
            .iter()
            .copied()
            .zip(b.values.iter().copied())
            .collect(),
        unit: b.workload.unit,
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

thread_local! {
    static CURRENT: std::cell::RefCell<String> = std::cell::RefCell::new(String::new());
}

/// The benchmark the panic hook names.
fn set_current(name: &str) {
    CURRENT.with(|c| *c.borrow_mut() = name.to_string());
}

/// A panic becomes one line naming the benchmark and exit 1, never a
/// backtrace.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let message = match info.payload().downcast_ref::<&str>() {
            Some(s) => s.to_string(),
            None => match info.payload().downcast_ref::<String>() {
                Some(s) => s.clone(),
                None => "panic".to_string(),
            },
        };
        let name = CURRENT.try_with(|c| c.borrow().clone()).unwrap_or_default();
        let name = if name.is_empty() { "-".into() } else { name };
        eprintln!(
            "memstrat_rust: error: {name}: {}",
            message.replace('\n', " ")
        );
        exit(1)
    }));
}

fn main() {
    install_panic_hook();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut size = String::from("small");
    let mut list_benchmarks = false;
    let mut list_strats = false;
    let mut check_all = false;
    let mut run_name: Option<String> = None;
    let mut strategy = String::from(STRATEGIES[0]);
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
            ("--list_strategies", None) => list_strats = true,
            ("--check", None) => check_all = true,
            ("--strategy", Some(s)) => strategy = s.into(),
            // Only for tests/cli.rs: shows what the panic hook prints.
            ("--panic_for_test", None) => {
                set_current("panic_for_test");
                panic!("requested\nby --panic_for_test")
            }
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
        if list_benchmarks || list_strats || check_all || run_name.is_some() || filter.is_some() {
            usage("--probe excludes --list_benchmarks, --list_strategies, --check, --run and --benchmark_filter");
        }
        set_current(&name);
        return probe_one(&name, &size, &probe_opt, probe_out.as_deref());
    }
    if probe_out.is_some() {
        usage("--probe_out needs --probe=NAME");
    }
    let actions = [
        list_benchmarks,
        list_strats,
        check_all,
        run_name.is_some(),
        filter.is_some(),
    ]
    .iter()
    .filter(|&&a| a)
    .count();
    if actions > 1 {
        usage("--list_benchmarks, --list_strategies, --check, --run and --benchmark_filter exclude each other");
    }
    if list_benchmarks {
        list(&size)
    } else if list_strats {
        list_strategies()
    } else if check_all {
        check(&size)
    } else if let Some(name) = run_name {
        set_current(&name);
        run(&name, &strategy, &size)
    } else if let Some(f) = filter {
        time_one(&f, &size, &settings, out.as_deref())
    } else {
        usage("nothing to do")
    }
}
