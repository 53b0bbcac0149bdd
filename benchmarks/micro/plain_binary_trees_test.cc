// The plain programs of plain_binary_trees.h do the work BinaryTrees::run
// does under each strategy: the same checksum and the same number of nodes,
// at small depths, odd ones included. Otherwise plain_bench.cc's ratios
// would compare different work.
//
//   for depth in 4, 5, 8, 11:
//     strategy run: checksum, allocations (the strategy's counters)
//     plain run (kCountNodes): checksum, nodes_made, real operator new calls
//     expect equal
#include "benchmarks/micro/plain_binary_trees.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <new>
#include <string>

#include "allocators/all.h"
#include "benchmarks/workloads/binary_trees.h"
#include "tests/counting_new.h"

namespace {

struct Result {
  std::uint64_t checksum;
  std::uint64_t nodes;
};

template <class S>
Result strategy_run(int depth) {
  memstrat::StrategyFor<S, memstrat::BinaryTrees> s;
  const memstrat::AllocCounters before = memstrat::thread_counters();
  const std::uint64_t checksum = memstrat::BinaryTrees::run(s, {depth});
  return {checksum, (memstrat::thread_counters() - before).allocations};
}

template <class F>
Result plain_run(F&& run) {
  const std::uint64_t before = plain::nodes_made;
  const std::uint64_t checksum = run();
  return {checksum, plain::nodes_made - before};
}

constexpr int kDepths[] = {4, 5, 8, 11};

TEST(PlainBinaryTrees, NewDeleteDoesManualsWork) {
  for (const int depth : kDepths) {
    SCOPED_TRACE("depth " + std::to_string(depth));
    const Result s = strategy_run<memstrat::Manual>(depth);
    const std::uint64_t calls_before = memstrat::testing::operator_new_calls();
    const Result p =
        plain_run([&] { return plain::run_new_delete<true>(depth); });
    EXPECT_EQ(p.checksum, s.checksum);
    EXPECT_EQ(p.nodes, s.nodes);
    EXPECT_EQ(memstrat::testing::operator_new_calls() - calls_before, p.nodes);
  }
}

TEST(PlainBinaryTrees, UniquePtrDoesRaiisWork) {
  for (const int depth : kDepths) {
    SCOPED_TRACE("depth " + std::to_string(depth));
    const Result s = strategy_run<memstrat::Raii>(depth);
    const std::uint64_t calls_before = memstrat::testing::operator_new_calls();
    const Result p =
        plain_run([&] { return plain::run_unique_ptr<true>(depth); });
    EXPECT_EQ(p.checksum, s.checksum);
    EXPECT_EQ(p.nodes, s.nodes);
    EXPECT_EQ(memstrat::testing::operator_new_calls() - calls_before, p.nodes);
  }
}

TEST(PlainBinaryTrees, GcMallocDoesGcsWork) {
  for (const int depth : kDepths) {
    SCOPED_TRACE("depth " + std::to_string(depth));
    const Result s = strategy_run<memstrat::Gc>(depth);
    const Result p =
        plain_run([&] { return plain::run_gc_malloc<true>(depth); });
    EXPECT_EQ(p.checksum, s.checksum);
    EXPECT_EQ(p.nodes, s.nodes);
  }
}

TEST(PlainBinaryTrees, BumpDoesArenasWork) {
  for (const int depth : kDepths) {
    SCOPED_TRACE("depth " + std::to_string(depth));
    const Result s = strategy_run<memstrat::Arena>(depth);
    plain::Bump bump;
    // Twice: the second run reuses the chunks the first one kept.
    for (int round = 0; round < 2; ++round) {
      const Result p =
          plain_run([&] { return plain::run_bump<true>(bump, depth); });
      EXPECT_EQ(p.checksum, s.checksum);
      EXPECT_EQ(p.nodes, s.nodes);
    }
  }
}

// Not a tautology of the driver: the node count is GCBench's.
TEST(PlainBinaryTrees, MakesTheGcbenchNodeCount) {
  const std::uint64_t size6 = 127, size4 = 31, size7 = 255;
  const Result p = plain_run([] { return plain::run_new_delete<true>(6); });
  EXPECT_EQ(p.nodes, size7 + size6 + (2 * size6 / size4) * size4 + 2 * size6);
}

}  // namespace
