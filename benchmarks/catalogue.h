// The workloads memstrat runs, in the order they appear in results. Adding a
// workload: write its header in workloads/ (see workload.h and
// docs/workloads.md), add it here, and the benchmarks, parity tests and GC
// stress tests pick it up.
#pragma once

#include <tuple>

#include "benchmarks/workloads/binary_trees.h"
#include "benchmarks/workloads/deep_structure.h"
#include "benchmarks/workloads/doc_tree.h"
#include "benchmarks/workloads/graph_walk.h"
#include "benchmarks/workloads/lifetime_mix.h"
#include "benchmarks/workloads/list_churn.h"
#include "benchmarks/workloads/lru_cache.h"
#include "benchmarks/workloads/producer_consumer.h"
#include "benchmarks/workloads/request_server.h"
#include "benchmarks/workloads/string_dict.h"

namespace memstrat {

using AllWorkloads =
    std::tuple<BinaryTrees, ListChurn, LifetimeMix, StringDict, RequestServer,
               DeepStructure, ProducerConsumer, DocTree, GraphWalk, LruCache>;

}  // namespace memstrat
