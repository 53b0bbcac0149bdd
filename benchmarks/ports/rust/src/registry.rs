//! The registered benchmarks: every workload under each of the three
//! strategies. The binary, the tests and the probe walk this list and name
//! no workload themselves. A workload joins it only once its small-size
//! checksum and unit count equal test_vectors.json's under every strategy.

use crate::arena::Arena;
use crate::strategy::{ArenaS, BoxS, RcS, Strategy};
use crate::workloads::*;
use crate::{Observer, UnitCounter};

/// The strategies, in the order of Workload::runs.
pub const STRATEGIES: [&str; 3] = [BoxS::NAME, RcS::NAME, <ArenaS<'static> as Strategy>::NAME];

/// Kept for callers written before the other strategies: rust-box.
pub const STRATEGY: &str = BoxS::NAME;

/// Validates the parameters (Err is a one-line message), then runs.
pub type RunFn = fn(&[i64], &mut dyn Observer) -> Result<u64, String>;
/// The same, with the observer's type known, so its no-op hooks inline
/// away: the timing loop's path.
pub type CountedRunFn = fn(&[i64], &mut UnitCounter) -> Result<u64, String>;

pub struct Workload {
    pub name: &'static str,
    pub unit: &'static str,
    pub param_names: &'static [&'static str],
    pub small: &'static [i64],
    pub default: &'static [i64],
    /// rust-box's run (as before the other strategies).
    pub run: RunFn,
    /// One per strategy, in STRATEGIES order.
    pub runs: [RunFn; 3],
    pub counted_runs: [CountedRunFn; 3],
}

impl Workload {
    fn index(strategy: &str) -> Result<usize, String> {
        STRATEGIES
            .iter()
            .position(|s| *s == strategy)
            .ok_or_else(|| format!("no strategy {strategy:?} (see --list_strategies)"))
    }

    /// Runs this workload under `strategy` with any observer (the probe's).
    pub fn run_with(
        &self,
        strategy: &str,
        values: &[i64],
        obs: &mut dyn Observer,
    ) -> Result<u64, String> {
        (self.runs[Self::index(strategy)?])(values, obs)
    }

    /// Runs it with a UnitCounter, the hooks inlined (the timing path).
    pub fn run_counted(
        &self,
        strategy: &str,
        values: &[i64],
        obs: &mut UnitCounter,
    ) -> Result<u64, String> {
        (self.counted_runs[Self::index(strategy)?])(values, obs)
    }
}

macro_rules! workload {
    ($m:ident) => {
        Workload {
            name: $m::NAME,
            unit: $m::UNIT,
            param_names: $m::PARAM_NAMES,
            small: $m::SMALL,
            default: $m::DEFAULT,
            run: |v, o| Ok($m::run(&BoxS, &$m::params(v)?, o)),
            runs: [
                |v, o| Ok($m::run(&BoxS, &$m::params(v)?, o)),
                |v, o| Ok($m::run(&RcS, &$m::params(v)?, o)),
                |v, o| {
                    let p = $m::params(v)?;
                    let arena = Arena::new();
                    Ok($m::run(&ArenaS(&arena), &p, o))
                },
            ],
            counted_runs: [
                |v, o| Ok($m::run(&BoxS, &$m::params(v)?, o)),
                |v, o| Ok($m::run(&RcS, &$m::params(v)?, o)),
                |v, o| {
                    let p = $m::params(v)?;
                    let arena = Arena::new();
                    Ok($m::run(&ArenaS(&arena), &p, o))
                },
            ],
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

/// One benchmark: a workload, a strategy and its parameter values.
pub struct Benchmark {
    pub name: String,
    pub workload: Workload,
    pub strategy: &'static str,
    pub values: &'static [i64],
}

impl Benchmark {
    pub fn run(&self, obs: &mut dyn Observer) -> Result<u64, String> {
        self.workload.run_with(self.strategy, self.values, obs)
    }
}

/// `workload/strategy/param:value...`, parameters in declared order.
pub fn bench_name(w: &Workload, strategy: &str, values: &[i64]) -> String {
    let mut name = format!("{}/{}", w.name, strategy);
    for (k, v) in w.param_names.iter().zip(values) {
        name.push_str(&format!("/{k}:{v}"));
    }
    name
}

/// Every benchmark at `size` ("small", "default" or "all"), in listing
/// order: workload by workload, each under the three strategies.
pub fn benchmarks(size: &str) -> Vec<Benchmark> {
    let mut out = Vec::new();
    for strategy in STRATEGIES {
        for w in workloads() {
            let sizes: Vec<&'static [i64]> = match size {
                "small" => vec![w.small],
                "default" => vec![w.default],
                _ => vec![w.small, w.default],
            };
            for values in sizes {
                out.push(Benchmark {
                    name: bench_name(&w, strategy, values),
                    workload: find(w.name).expect("registered"),
                    strategy,
                    values,
                });
            }
        }
    }
    out
}

/// The benchmark of that exact name at `size`.
pub fn find_benchmark(name: &str, size: &str) -> Option<Benchmark> {
    benchmarks(size).into_iter().find(|b| b.name == name)
}
