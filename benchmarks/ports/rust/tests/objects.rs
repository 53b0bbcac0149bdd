//! The number of objects each workload makes at its small size: one per
//! C++ `make<T>` call, counted from the spec (docs/workloads.md, "Objects:").

use memstrat_rust::registry;
use memstrat_rust::{objects_made, UnitCounter};

fn made(name: &str) -> u64 {
    let w = registry::find(name).unwrap_or_else(|| panic!("{name} is registered"));
    let before = objects_made();
    (w.run)(w.small, &mut UnitCounter::default()).unwrap();
    objects_made() - before
}

#[test]
fn binary_trees_makes_one_object_per_node() {
    // depth 10: stretch tree of depth 11, long-lived of depth 10, and for
    // d = 4, 6, 8, 10: 4094 / (2^(d+1) - 1) trees of 2^(d+1) - 1 nodes.
    let nodes = |d: u64| (1u64 << (d + 1)) - 1;
    let mut want = nodes(11) + nodes(10);
    for d in [4, 6, 8, 10] {
        want += (2 * nodes(10) / nodes(d)) * nodes(d);
    }
    assert_eq!(made("binary_trees"), want);
}

#[test]
fn list_churn_makes_one_object_per_message() {
    assert_eq!(made("list_churn"), 10 * 2000);
}

#[test]
fn deep_structure_makes_one_object_per_node() {
    assert_eq!(made("deep_structure"), 20000);
}

#[test]
fn lifetime_mix_makes_one_blob_per_step() {
    // The blob's byte buffer is a container allocation, as in the C++.
    assert_eq!(made("lifetime_mix"), 10000);
}

#[test]
fn string_dict_makes_no_object() {
    // As the C++: its map entries and strings are buffers.
    assert_eq!(made("string_dict"), 0);
}

#[test]
fn request_server_makes_sessions_and_fields() {
    // 1000 sessions, then one Field per name=value pair: sid, op and 1 to
    // 10 fields per request, so 3 to 12 per request.
    let n = made("request_server");
    assert!((1000 + 3 * 1000..=1000 + 12 * 1000).contains(&n), "{n}");
    assert_eq!(n, 8539);
}

#[test]
fn producer_consumer_makes_one_object_per_message() {
    assert_eq!(made("producer_consumer"), 5000);
}

#[test]
fn doc_tree_makes_one_object_per_value() {
    // The generator writes exactly `nodes` values per document.
    assert_eq!(made("doc_tree"), 20 * 200);
}

#[test]
fn graph_walk_makes_one_object_per_vertex() {
    assert_eq!(made("graph_walk"), 4 * 1000);
}

#[test]
fn lru_cache_makes_one_object_per_miss() {
    // 3216 misses; the C++ manual run at this size counts 9649 allocations,
    // 3 per miss (entry, value buffer, map node) plus one bucket array.
    assert_eq!(made("lru_cache"), 3216);
}

#[test]
fn every_registered_workload_has_an_object_count_test() {
    assert_eq!(registry::workloads().len(), 10);
}

#[test]
fn a_long_list_is_dropped_without_recursion() {
    // A test thread's stack is 2 MiB: a recursive Drop of a million-node Box
    // chain would overflow it; the teardown loop does not.
    let w = registry::find("deep_structure").unwrap();
    let mut counter = UnitCounter::default();
    (w.run)(&[1_000_000], &mut counter).unwrap();
    assert_eq!(counter.units, 2 * (1_000_000 / 256));
}
