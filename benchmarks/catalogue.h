// The workloads memstrat runs, in the order they appear in results. Adding a
// workload: write its header in workloads/ (see workload.h and
// docs/workloads.md), add it here, and the benchmarks, parity tests and GC
// stress tests pick it up.
#pragma once

#include <tuple>

#include "benchmarks/workloads/binary_trees.h"

namespace memstrat {

using AllWorkloads = std::tuple<BinaryTrees>;

}  // namespace memstrat
