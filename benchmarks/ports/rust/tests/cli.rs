//! The memstrat_rust binary: its list, a run, and its refusals.

use std::process::Command;

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_memstrat_rust"))
        .args(args)
        .output()
        .expect("the binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn lists_every_workload_as_json() {
    let (code, out, _) = run(&["--list_benchmarks", "--size=small"]);
    assert_eq!(code, 0);
    let list = memstrat_rust::json::Json::parse(&out).expect("the list is JSON");
    let records = list.arr();
    assert_eq!(records.len(), 10);
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
