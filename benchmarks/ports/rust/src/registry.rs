//! The registered workloads: the binary and the tests walk this list and
//! name no workload themselves. A workload joins it only once its small-size
//! checksum and unit count equal test_vectors.json's.

use crate::workloads::*;
use crate::Observer;

/// The only strategy so far: one owner per object (Box, Vec, String),
/// dropped when the owner goes out of scope.
pub const STRATEGY: &str = "rust-box";

pub struct Workload {
    pub name: &'static str,
    pub unit: &'static str,
    pub param_names: &'static [&'static str],
    pub small: &'static [i64],
    pub default: &'static [i64],
    /// Validates the parameters (Err is a one-line message), then runs.
    pub run: fn(&[i64], &mut dyn Observer) -> Result<u64, String>,
}

macro_rules! workload {
    ($m:ident) => {
        Workload {
            name: $m::NAME,
            unit: $m::UNIT,
            param_names: $m::PARAM_NAMES,
            small: $m::SMALL,
            default: $m::DEFAULT,
            run: |v, o| Ok($m::run(&$m::params(v)?, o)),
        }
    };
}

pub fn workloads() -> Vec<Workload> {
    vec![
        workload!(binary_trees),
        workload!(list_churn),
        workload!(lifetime_mix),
        workload!(string_dict),
        workload!(request_server),
        workload!(deep_structure),
        workload!(producer_consumer),
        workload!(doc_tree),
        workload!(graph_walk),
        workload!(lru_cache),
    ]
}

pub fn find(name: &str) -> Option<Workload> {
    workloads().into_iter().find(|w| w.name == name)
}
