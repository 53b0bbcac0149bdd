// The one rule, tested: every workload does the same work under every
// strategy of the build (the parity suite of tests/parity.h, instantiated
// for all of them), and binary_trees' counts at several depths.
#include "tests/parity.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "allocators/all.h"
#include "benchmarks/catalogue.h"
#include "tests/test_support.h"

namespace memstrat::testing {
namespace {

using EveryCase = ParityCases<AllWorkloads, TestedStrategies>;
INSTANTIATE_TYPED_TEST_SUITE_P(Every, StrategyParity, EveryCase,
                               ParityCaseNames);

// binary_trees at several depths, odd ones included (their last short-lived
// depth is below the long-lived tree's).
TEST(BinaryTreesParity, SeveralDepths) {
  for (const std::int64_t depth : {4, 5, 8, 11}) {
    SCOPED_TRACE("depth " + std::to_string(depth));
    const std::int64_t args[] = {depth};
    const auto params = BinaryTrees::params(args);
    const WorkloadRun reference = run_counted<BinaryTrees, Baseline>(params);
    for_each_type<TestedStrategies>([&]<class S>() {
      SCOPED_TRACE(std::string(S::kName));
      const WorkloadRun run = run_counted<BinaryTrees, S>(params);
      EXPECT_EQ(run.checksum, reference.checksum);
      EXPECT_EQ(run.counters.allocations, reference.counters.allocations);
      // Net of the layout: the baseline's work with S's owner width.
      using SW = StrategyFor<S, BinaryTrees>;
      EXPECT_EQ(
          run.counters.bytes,
          (run_counted<BinaryTrees, LayoutTwinOf<SW>>(params).counters.bytes));
    });
  }
}

TEST(BinaryTreesParity, AllocatesTheGcbenchNodeCount) {
  // Depth 6: stretch tree of depth 7, long-lived tree of depth 6, then for
  // d = 4, 6: 2 * size(6) / size(d) trees of size(d).
  const std::int64_t args[] = {6};
  const WorkloadRun run =
      run_counted<BinaryTrees, Baseline>(BinaryTrees::params(args));
  const std::uint64_t size6 = 127, size4 = 31, size7 = 255;
  const std::uint64_t expected =
      size7 + size6 + (2 * size6 / size4) * size4 + 2 * size6;
  EXPECT_EQ(run.counters.allocations, expected);
  EXPECT_EQ(run.counters.bytes, expected * sizeof(BinaryTrees::Node<Baseline>));
  // Every allocation is a node: all objects, no buffers.
  const auto [objects, counters] =
      objects_made<BinaryTrees, Baseline>(BinaryTrees::params(args));
  EXPECT_EQ(objects.objects, expected);
  EXPECT_EQ(objects.bytes, counters.bytes);
}

// string_dict's words and map entries are container storage: it makes no
// object under any strategy, so a port's count for it must be 0 as well.
TEST(ObjectCounts, StringDictMakesNone) {
  const auto params = StringDict::params(StringDict::kSmall);
  for_each_type<TestedStrategies>([&]<class S>() {
    SCOPED_TRACE(std::string(S::kName));
    const auto [objects, counters] = objects_made<StringDict, S>(params);
    EXPECT_EQ(objects.objects, 0u);
    EXPECT_EQ(objects.bytes, 0u);
    EXPECT_GT(counters.allocations, 0u) << "its buffers are still counted";
  });
}

TEST(BinaryTreesParity, RejectsDepthsOutOfRange) {
  for (const std::int64_t depth : {-1, 0, 3, 25}) {
    const std::int64_t args[] = {depth};
    EXPECT_THROW(BinaryTrees::params(args), std::invalid_argument);
  }
}

}  // namespace
}  // namespace memstrat::testing
