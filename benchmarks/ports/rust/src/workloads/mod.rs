//! The workloads, one module each, as in benchmarks/workloads/*.h.

pub mod binary_trees;
pub mod deep_structure;
pub mod list_churn;
