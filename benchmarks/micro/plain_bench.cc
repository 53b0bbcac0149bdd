// memstrat_micro: what each strategy costs over the plain program it
// replaces, on binary_trees at depth 16 (about 2.2 million nodes per run).
//
//   plain_vs/S/strategy:  S s;  repeat: checksum = BinaryTrees::run(s, {16})
//                         (harness::run_workload, memstrat_bench's own body)
//   plain_vs/S/plain:     repeat: checksum = plain::run_X(16)
//                         (plain_binary_trees.h: no memstrat at all)
//
//   S        X            the plain program allocates with
//   manual   new_delete   new, free_tree() left then right
//   raii     unique_ptr   std::make_unique, reset()
//   gc       gc_malloc    GC_MALLOC, pointers dropped
//   arena    bump         a bump pointer, chunks kept across iterations
//
// Both report the checksum; the two of a pair are equal (and so are the node
// counts: plain_binary_trees_test.cc). Ratio of medians strategy / plain is
// the strategy's cost. Run each pair in its own process, repetitions
// interleaved:
//
//   memstrat_micro --benchmark_filter='^plain_vs/arena/'
//                  --benchmark_repetitions=15
//                  --benchmark_enable_random_interleaving=true
//
// The gc pair starts bdwgc, whose marker thread takes glibc's malloc off its
// single-threaded fast path for the rest of the process: in a process that
// also runs the manual or raii pair, both their sides slow down by about 10%
// (and the ratio is still fair, but no longer the one memstrat_bench sees).
// It is registered last, so an unfiltered, uninterleaved run reaches it last.
#include <benchmark/benchmark.h>

#include <cstdint>

#include "allocators/all.h"
#include "benchmarks/harness/keep.h"
#include "benchmarks/harness/register.h"
#include "benchmarks/micro/plain_binary_trees.h"
#include "benchmarks/workloads/binary_trees.h"

namespace {

constexpr int kDepth = 16;

template <class S>
void BM_Strategy(benchmark::State& state) {
  memstrat::harness::run_workload<memstrat::BinaryTrees, S>(state);
}

// The harness's checksum counter (low 53 bits), so a pair's JSON entries can
// be compared as they are.
void report_checksum(benchmark::State& state, std::uint64_t checksum) {
  state.counters["checksum"] = memstrat::harness::checksum_counter(checksum);
}

void BM_PlainNewDelete(benchmark::State& state) {
  const int depth = static_cast<int>(state.range(0));
  std::uint64_t checksum = 0;
  for (auto _ : state) {
    checksum = plain::run_new_delete(depth);
    memstrat::keep(checksum);
  }
  report_checksum(state, checksum);
}

void BM_PlainUniquePtr(benchmark::State& state) {
  const int depth = static_cast<int>(state.range(0));
  std::uint64_t checksum = 0;
  for (auto _ : state) {
    checksum = plain::run_unique_ptr(depth);
    memstrat::keep(checksum);
  }
  report_checksum(state, checksum);
}

void BM_PlainGcMalloc(benchmark::State& state) {
  // Start bdwgc as the gc strategy does (performance measurement on), so the
  // collector behaves the same whichever of the pair runs first.
  memstrat::ensure_gc_started();
  const int depth = static_cast<int>(state.range(0));
  std::uint64_t checksum = 0;
  for (auto _ : state) {
    checksum = plain::run_gc_malloc(depth);
    memstrat::keep(checksum);
  }
  report_checksum(state, checksum);
}

void BM_PlainBump(benchmark::State& state) {
  // One allocator per benchmark run, as run_workload makes one Arena.
  plain::Bump bump;
  const int depth = static_cast<int>(state.range(0));
  std::uint64_t checksum = 0;
  for (auto _ : state) {
    checksum = plain::run_bump(bump, depth);
    memstrat::keep(checksum);
  }
  report_checksum(state, checksum);
}

void pair_args(benchmark::internal::Benchmark* b) {
  b->ArgName("depth")->Arg(kDepth)->Unit(benchmark::kMillisecond);
}

BENCHMARK_TEMPLATE(BM_Strategy, memstrat::Manual)
    ->Name("plain_vs/manual/strategy")
    ->Apply(pair_args);
BENCHMARK(BM_PlainNewDelete)->Name("plain_vs/manual/plain")->Apply(pair_args);
BENCHMARK_TEMPLATE(BM_Strategy, memstrat::Raii)
    ->Name("plain_vs/raii/strategy")
    ->Apply(pair_args);
BENCHMARK(BM_PlainUniquePtr)->Name("plain_vs/raii/plain")->Apply(pair_args);
BENCHMARK_TEMPLATE(BM_Strategy, memstrat::Arena)
    ->Name("plain_vs/arena/strategy")
    ->Apply(pair_args);
BENCHMARK(BM_PlainBump)->Name("plain_vs/arena/plain")->Apply(pair_args);
BENCHMARK_TEMPLATE(BM_Strategy, memstrat::Gc)
    ->Name("plain_vs/gc/strategy")
    ->Apply(pair_args);
BENCHMARK(BM_PlainGcMalloc)->Name("plain_vs/gc/plain")->Apply(pair_args);

}  // namespace
