//! memstrat_rust: lists the port's benchmarks and runs one at a size, so the
//! port can be seen to work. The timing protocol of the C++ binary (Google
//! Benchmark JSON, probe) is not here yet.

use std::process::exit;

use memstrat_rust::registry::{self, Workload, STRATEGY};
use memstrat_rust::UnitCounter;

const USAGE: &str = "usage: memstrat_rust --list_benchmarks [--size=small|default|all] | --run NAME [--size=small|default]";

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

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut size = String::from("small");
    let mut action: Option<(String, Option<String>)> = None;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if let Some(s) = a.strip_prefix("--size=") {
            if !matches!(s, "small" | "default" | "all") {
                usage(&format!("unknown size {s:?}"));
            }
            size = s.to_string();
        } else if a == "--list_benchmarks" {
            action = Some(("list".into(), None));
        } else if a == "--run" {
            i += 1;
            let name = args
                .get(i)
                .unwrap_or_else(|| usage("--run needs a workload name"));
            action = Some(("run".into(), Some(name.clone())));
        } else if let Some(name) = a.strip_prefix("--run=") {
            action = Some(("run".into(), Some(name.to_string())));
        } else {
            usage(&format!("unknown argument {a:?}"));
        }
        i += 1;
    }
    match action {
        Some((a, None)) if a == "list" => list(&size),
        Some((_, Some(name))) => run(&name, &size),
        _ => usage("nothing to do"),
    }
}
