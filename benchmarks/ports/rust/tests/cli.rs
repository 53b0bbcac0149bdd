//! The memstrat_rust binary: its list, a run, and its refusals.

mod common;
use common::run;


#[test]
fn lists_every_workload_as_json() {
    let (code, out, _) = run(&["--list_benchmarks", "--size=small"]);
    assert_eq!(code, 0);
    let list = memstrat_rust::json::Json::parse(&out).expect("the list is JSON");
    let records = list.arr();
    assert_eq!(records.len(), 30);
    for (i, s) in ["rust-box", "rust-rc", "rust-arena"].iter().enumerate() {
        assert_eq!(records[10 * i].get("strategy").str(), *s);
    }
    assert_eq!(
        records[0].get("name").str(),
        "binary_trees/rust-box/depth:10"
    );
    assert_eq!(records[0].get("strategy").str(), "rust-box");
    assert_eq!(records[0].get("params").get("depth").int(), 10);
}

#[test]
fn runs_one_workload_and_prints_its_checksum() {
    let (code, out, _) = run(&["--run", "list_churn", "--size=small"]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with(
            "list_churn/rust-box/messages:2000/queue:100 checksum=0xec68e1dc602586d2 units=312"
        ),
        "{out}"
    );
}

#[test]
fn refuses_bad_usage_with_one_line_and_exit_2() {
    for args in [
        &["--run", "nope"][..],
        &["--bogus"],
        &[],
        &["--size=huge", "--list_benchmarks"],
    ] {
        let (code, out, err) = run(args);
        assert_eq!(code, 2, "{args:?}");
        assert!(out.is_empty());
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}

#[test]
fn times_one_benchmark_as_google_benchmark_json() {
    let dir = std::env::temp_dir().join(format!("memstrat_rust_cli_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("timing.json");
    // The filter as the runner writes it: Python's re.escape of the name.
    let (code, _, err) = run(&[
        "--size=small",
        r"--benchmark_filter=^list_churn/rust\-box/messages:2000/queue:100$",
        "--benchmark_repetitions=2",
        "--benchmark_min_time=0",
        "--benchmark_min_warmup_time=0",
        "--benchmark_out_format=json",
        &format!("--benchmark_out={}", out.display()),
    ]);
    assert_eq!(code, 0, "{err}");
    let doc = memstrat_rust::json::Json::parse(&std::fs::read_to_string(&out).unwrap())
        .expect("the timing output is JSON");
    std::fs::remove_dir_all(&dir).unwrap();
    let records = doc.get("benchmarks").arr();
    assert_eq!(records.len(), 2);
    for (i, r) in records.iter().enumerate() {
        assert_eq!(
            r.get("name").str(),
            "list_churn/rust-box/messages:2000/queue:100"
        );
        assert_eq!(r.get("repetition_index").int(), i as i64);
        assert_eq!(r.get("iterations").int(), 1);
        assert!(r.get("real_time").num() > 0.0);
        assert_eq!(r.get("time_unit").str(), "ms");
        // 0xec68e1dc602586d2's low 53 bits, as the C++ reports them.
        assert_eq!(
            r.get("checksum").num(),
            (0xec68e1dc602586d2u64 & ((1 << 53) - 1)) as f64
        );
        assert_eq!(r.get("units").num(), 312.0);
        assert_eq!(r.get("objects").num(), 20000.0);
        assert!(r.get("allocations").num() >= 20000.0);
        assert_eq!(r.get("frees").num(), r.get("allocations").num());
        assert_eq!(
            r.get("buffers").num(),
            r.get("allocations").num() - r.get("objects").num()
        );
        assert_eq!(r.get("overhead_bytes").num(), 0.0);
    }
}

#[test]
fn refuses_filters_it_cannot_match() {
    for filter in ["--benchmark_filter=list_churn", "--benchmark_filter=^nope$"] {
        let (code, out, err) = run(&[filter, "--benchmark_min_time=0"]);
        assert_eq!(code, 2, "{filter}");
        assert!(out.is_empty());
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}

#[test]
fn lists_three_strategies_with_the_cpp_keys() {
    let (code, out, _) = run(&["--list_strategies"]);
    assert_eq!(code, 0);
    let list = memstrat_rust::json::Json::parse(&out).expect("JSON");
    let records = list.arr();
    let names: Vec<&str> = records.iter().map(|r| r.get("name").str()).collect();
    assert_eq!(names, ["rust-box", "rust-rc", "rust-arena"]);
    let kinds: Vec<&str> = records
        .iter()
        .map(|r| r.get("reclaim_kind").str())
        .collect();
    assert_eq!(kinds, ["release", "release", "epoch_end"]);
    let counterparts: Vec<&str> = records
        .iter()
        .map(|r| r.get("counterpart").str())
        .collect();
    assert_eq!(counterparts, ["raii", "shared_rc", "arena"]);
    for r in records {
        let mut keys: Vec<&str> = r.obj().iter().map(|(k, _)| k.as_str()).collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "allocator_bytes",
                "baseline",
                "collects",
                "colour",
                "counterpart",
                "family",
                "frees",
                "language",
                "name",
                "object_per_new",
                "owner_bytes",
                "owner_overhead",
                "reclaim_kind",
                "release_order",
                "sanitizer_safe",
                "settings",
                "summary",
                "threads_process",
                "toolchain"
            ]
        );
        assert_eq!(r.get("family").str(), "Rust");
        assert_eq!(r.get("language").str(), "Rust");
        assert!(r.get("toolchain").str().starts_with("rustc "), "{r:?}");
        assert!(!r.get("collects").bool());
    }
}

#[test]
fn checks_every_benchmark_against_the_vectors() {
    let (code, out, err) = run(&["--check", "--size=small"]);
    assert_eq!(code, 0, "{err}");
    let list = memstrat_rust::json::Json::parse(&out).expect("JSON");
    let v = memstrat_rust::json::Json::parse(include_str!("../../../workloads/test_vectors.json"))
        .unwrap();
    let records = list.arr();
    assert_eq!(records.len(), 30);
    for r in records {
        let e = v.get("workload_checksums").get(r.get("workload").str());
        assert_eq!(r.get("checksum").str(), e.get("checksum").str(), "{r:?}");
        assert_eq!(r.get("units").int(), e.get("units").int(), "{r:?}");
        assert!(r.get("params").obj().len() >= 1);
        assert!(r.get("name").str().starts_with(r.get("workload").str()));
    }
}

#[test]
fn a_panic_is_one_line_and_exit_1() {
    let (code, out, err) = run(&["--panic_for_test"]);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert_eq!(
        err,
        "memstrat_rust: error: panic_for_test: requested by --panic_for_test\n"
    );
}
