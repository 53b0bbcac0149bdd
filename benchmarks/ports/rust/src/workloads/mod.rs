//! The workloads, one module each, as in benchmarks/workloads/*.h.

pub mod binary_trees;
pub mod deep_structure;
pub mod doc_tree;
pub mod graph_walk;
pub mod lifetime_mix;
pub mod list_churn;
pub mod lru_cache;
pub mod producer_consumer;
pub mod request_server;
pub mod string_dict;
