//! The binary's probe (`--probe=NAME --probe_out=FILE`): its document has
//! every key a C++ probe record of results/reference-quick has (recursively;
//! only the port's new keys beside them), the checksum test_vectors.json
//! holds, latency exactly for request-shaped workloads, and bad flags are
//! refused with one line, nothing written.

use std::collections::BTreeSet;
use std::path::PathBuf;
mod common;
use common::run;

use memstrat_rust::json::Json;

const VECTORS: &str = include_str!("../../../workloads/test_vectors.json");

/// The keys the port adds to the C++ probe (protocol.md item 4).
const NEW_KEYS: [&str; 5] = [
    "objects_per_iteration",
    "buffers_per_iteration",
    "buffer_bytes_per_iteration",
    "baseline_pss_bytes",
    "final_pss_bytes",
];

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("memstrat_probe_test_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Probes `name` at the small size (two measured runs) and returns the
/// document written to --probe_out.
fn probe(name: &str) -> Json {
    let out = scratch(&format!("{}.json", name.replace('/', "_")));
    let (code, stdout, err) = run(&[
        "--size=small",
        &format!("--probe={name}"),
        "--probe_iterations=2",
        "--sample_period_ms=5",
        &format!("--probe_out={}", out.display()),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(stdout.is_empty() && err.is_empty(), "{stdout}{err}");
    let doc = Json::parse(&std::fs::read_to_string(&out).unwrap()).expect("the probe is JSON");
    std::fs::remove_file(&out).unwrap();
    doc
}

/// A C++ probe of the same workload under raii from the committed quick
/// reference (read, never regenerated).
fn cpp_probe(workload: &str) -> Json {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../results/reference-quick/results.json"
    );
    let doc = Json::parse(&std::fs::read_to_string(path).unwrap()).unwrap();
    doc.get("records")
        .arr()
        .iter()
        .find(|r| r.get("workload").str() == workload && r.get("strategy").str() == "raii")
        .unwrap_or_else(|| panic!("no raii record of {workload}"))
        .get("probe")
        .clone()
}

/// Differences of key sets between the C++ value `c` and the port's `r`,
/// recursively (array elements: the first of each, where both have one; a
/// null on either side: nothing below it to compare).
fn key_diffs(path: &str, c: &Json, r: &Json, out: &mut Vec<String>) {
    match (c, r) {
        (Json::Obj(cm), Json::Obj(rm)) => {
            let ck: BTreeSet<&str> = cm.iter().map(|(k, _)| k.as_str()).collect();
            let rk: BTreeSet<&str> = rm.iter().map(|(k, _)| k.as_str()).collect();
            for k in ck.difference(&rk) {
                out.push(format!("{path}.{k}: missing"));
            }
            for k in rk.difference(&ck) {
                if !NEW_KEYS.contains(k) {
                    out.push(format!("{path}.{k}: not in the C++ probe"));
                }
            }
            for (k, cv) in cm {
                if let Some((_, rv)) = rm.iter().find(|(rk, _)| rk == k) {
                    key_diffs(&format!("{path}.{k}"), cv, rv, out);
                }
            }
        }
        (Json::Arr(ca), Json::Arr(ra)) => {
            if let (Some(cv), Some(rv)) = (ca.first(), ra.first()) {
                key_diffs(&format!("{path}[0]"), cv, rv, out);
            }
        }
        (Json::Null, _) | (_, Json::Null) => {}
        (Json::Obj(_), _) | (_, Json::Obj(_)) | (Json::Arr(_), _) | (_, Json::Arr(_)) => {
            out.push(format!("{path}: a different kind of value"))
        }
        _ => {}
    }
}

fn check_against_cpp(workload: &str, name: &str, request_shaped: bool) -> Json {
    let doc = probe(name);
    assert_eq!(doc.get("name").str(), name);
    assert_eq!(doc.get("workload").str(), workload);
    let p = doc.get("probe").clone();
    let mut diffs = Vec::new();
    key_diffs("probe", &cpp_probe(workload), &p, &mut diffs);
    assert!(diffs.is_empty(), "{diffs:#?}");

    let vectors = Json::parse(VECTORS).unwrap();
    let expected = vectors.get("workload_checksums").get(workload);
    assert_eq!(p.get("checksum").str(), expected.get("checksum").str());
    assert_eq!(p.get("iterations").int(), 2);
    assert_eq!(p.get("reclaim_kind").str(), "release");
    assert_eq!(
        p.get("stalls").get("unit").str(),
        expected.get("unit").str()
    );
    // Every unit of a run but its first has a gap before it, and the run's
    // end one after its last: units per run gaps.
    assert_eq!(
        p.get("stalls").get("gaps").get("count").int(),
        2 * expected.get("units").int()
    );
    assert_eq!(p.get("latency") != &Json::Null, request_shaped);
    let memory = p.get("memory");
    assert!(memory.get("peak_rss_bytes").int() >= memory.get("baseline_rss_bytes").int() / 2);
    assert!(!memory.get("timeline").get("t_ms").arr().is_empty());
    assert_eq!(memory.get("timeline").get("strategy_bytes"), &Json::Null);
    p
}

#[test]
fn list_churn_has_every_key_of_the_cpp_probe() {
    let p = check_against_cpp(
        "list_churn",
        "list_churn/rust-box/messages:2000/queue:100",
        false,
    );
    assert_eq!(p.get("counts").get("objects_per_iteration").num(), 20000.0);
}

#[test]
fn request_server_has_every_key_of_the_cpp_probe_and_its_latency() {
    let name = "request_server/rust-box/requests:1000/sessions:1000";
    let p = check_against_cpp("request_server", name, true);
    let latency = p.get("latency");
    assert_eq!(latency.get("requests").int(), 2000);
    assert_eq!(latency.get("requests_dropped").int(), 0);
    for h in ["simple", "metered_100ms", "metered_full"] {
        assert_eq!(latency.get(h).get("count").int(), 2000, "{h}");
    }
    // Metered latency is never below simple latency, request by request.
    assert!(
        latency.get("metered_full").get("total_ns").int()
            >= latency.get("simple").get("total_ns").int()
    );
}

#[test]
fn the_releases_of_a_workload_are_timed() {
    for name in [
        "list_churn/rust-box/messages:2000/queue:100",
        "request_server/rust-box/requests:1000/sessions:1000",
    ] {
        let p = probe(name).get("probe").clone();
        assert!(
            p.get("pauses")
                .get("kinds")
                .get("release")
                .get("count")
                .int()
                > 0,
            "{name}"
        );
    }
}

#[test]
fn the_probe_allocates_nothing_the_workload_is_charged_for() {
    // rust-box frees every allocation it makes: the probe's counts window
    // holds nothing of the probe's own (its lists are reserved before it).
    for name in [
        "binary_trees/rust-box/depth:10",
        "list_churn/rust-rc/messages:2000/queue:100",
    ] {
        let p = probe(name).get("probe").clone();
        let c = p.get("counts");
        assert_eq!(
            c.get("allocations_per_iteration").num(),
            c.get("frees_per_iteration").num(),
            "{name}"
        );
    }
}

#[test]
fn the_consumer_threads_releases_are_timed_too() {
    // One release per message, on the consumer thread, as the C++ times
    // them: 5000 messages a run, two measured runs.
    for strategy in ["rust-box", "rust-rc"] {
        let name = format!("producer_consumer/{strategy}/messages:5000/batch:100");
        let p = probe(&name).get("probe").clone();
        let release = p.get("pauses").get("kinds").get("release").clone();
        assert_eq!(release.get("count").int(), 2 * 5000, "{name}");
        assert!(release.get("total_ns").int() > 0, "{name}");
    }
}

#[test]
fn refuses_bad_probe_flags_with_one_line_and_writes_nothing() {
    let out = scratch("kept.json");
    std::fs::write(&out, "{\"good\": 1}\n").unwrap();
    let out_flag = format!("--probe_out={}", out.display());
    let good = "--probe=list_churn/rust-box/messages:2000/queue:100";
    for args in [
        &["--probe_iterations=0", good, &out_flag][..],
        &["--probe_iterations=x", good, &out_flag],
        &["--sample_period_ms=0", good, &out_flag],
        &["--probe=", &out_flag],
        &["--probe_out=", good],
        &[&out_flag],
        &[good, "--list_benchmarks", &out_flag],
    ] {
        let (code, stdout, err) = run(args);
        assert_eq!(code, 2, "{args:?}");
        assert!(stdout.is_empty(), "{args:?}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
    }
    let (code, _, err) = run(&[
        "--size=small",
        "--probe=list_churn/rust-box/nope",
        &out_flag,
    ]);
    assert_eq!(code, 2);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("--list_benchmarks"), "{err}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "{\"good\": 1}\n");

    let missing = scratch("no/such/dir/probe.json");
    let (code, _, err) = run(&[good, &format!("--probe_out={}", missing.display())]);
    assert_eq!(code, 2);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(!missing.exists());
}

#[test]
fn the_key_comparison_finds_missing_extra_and_nested_keys() {
    let c = Json::parse(r#"{"a": 1, "b": {"x": [{"k": 1}]}, "gc": null}"#).unwrap();
    let r = Json::parse(r#"{"b": {"x": [{"j": 1}]}, "final_pss_bytes": 2, "z": 3, "gc": null}"#)
        .unwrap();
    let mut diffs = Vec::new();
    key_diffs("p", &c, &r, &mut diffs);
    assert_eq!(
        diffs,
        [
            "p.a: missing",
            "p.z: not in the C++ probe",
            "p.b.x[0].k: missing",
            "p.b.x[0].j: not in the C++ probe"
        ]
    );
}

/// The text of a committed reference document: plain `results.json`, or
/// the large references' `results.json.gz` read through Debian's `gzip`
/// (an essential package; the standard library has no inflater).
fn reference_text(reference: &str) -> String {
    let dir = format!(
        "{}/../../../results/{reference}",
        env!("CARGO_MANIFEST_DIR")
    );
    let plain = format!("{dir}/results.json");
    if std::path::Path::new(&plain).exists() {
        return std::fs::read_to_string(plain).unwrap();
    }
    let out = std::process::Command::new("gzip")
        .args(["-dc", &format!("{dir}/results.json.gz")])
        .output()
        .expect("gzip runs");
    assert!(
        out.status.success(),
        "gzip -dc results/{reference}/results.json.gz failed"
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The keys of the first element of `section`.events in any probe record of
/// a committed reference document.
fn cpp_event_keys(reference: &str, section: &str) -> BTreeSet<String> {
    let doc = Json::parse(&reference_text(reference)).unwrap();
    doc.get("records")
        .arr()
        .iter()
        .filter(|r| r.get("probe") != &Json::Null)
        .find_map(|r| {
            r.get("probe")
                .get(section)
                .get("events")
                .arr()
                .first()
                .cloned()
        })
        .unwrap_or_else(|| panic!("no {section} event in results/{reference}"))
        .obj()
        .iter()
        .map(|(k, _)| k.clone())
        .collect()
}

fn keys(v: &Json) -> BTreeSet<String> {
    v.obj().iter().map(|(k, _)| k.clone()).collect()
}

#[test]
fn pause_and_stall_events_have_the_cpp_events_keys() {
    use memstrat_rust::probe::{self, ProbeOptions, Target};
    use memstrat_rust::Observer;
    use std::time::Duration;
    // A bulk release that sleeps 1 ms (a raw event: >= 10 us), a 3 ms gap
    // between units (a stall: over the 1 ms floor and ten median gaps).
    let run = |o: &mut dyn Observer| -> Result<u64, String> {
        for i in 0..20 {
            if i == 10 {
                std::thread::sleep(Duration::from_millis(3));
            }
            o.unit_done();
        }
        memstrat_rust::bulk(o, |_| std::thread::sleep(Duration::from_millis(1)));
        Ok(1)
    };
    let t = Target {
        name: "synthetic/rust-box",
        workload: "synthetic",
        strategy: "rust-box",
        params: vec![],
        unit: "unit",
        run: &run,
    };
    let opt = ProbeOptions {
        iterations: 1,
        sample_period_ms: 10,
    };
    let p = Json::parse(&probe::probe(&t, &opt).unwrap().dump()).unwrap();
    let wall = p.get("wall_ns").int();
    let pause = &p.get("pauses").get("events").arr()[0];
    assert_eq!(keys(pause), cpp_event_keys("reference-quick", "pauses"));
    assert_eq!(pause.get("kind").str(), "release");
    assert!(pause.get("duration_ns").int() >= 1_000_000);
    assert!((0..wall).contains(&pause.get("start_ns").int()));
    let stalls = p.get("stalls").get("events").arr();
    assert!(!stalls.is_empty());
    assert_eq!(keys(&stalls[0]), cpp_event_keys("reference", "stalls"));
    assert!(stalls
        .iter()
        .any(|s| s.get("duration_ns").int() >= 3_000_000));
    assert!(stalls
        .iter()
        .all(|s| (0..wall).contains(&s.get("start_ns").int())));
}
