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
