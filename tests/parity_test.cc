// The one rule, tested: every workload does the same work under every
// strategy (same checksum, same number of allocations, same bytes requested),
// and the compiler deleted none of the allocations the strategies counted.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "allocators/all.h"
#include "benchmarks/catalogue.h"
#include "tests/counting_new.h"
#include "tests/test_support.h"

namespace memstrat::testing {
namespace {

/// operator new calls a workload may make outside the strategy: the state
/// of each std::thread it starts.
constexpr std::uint64_t kThreadStartSlack = 4;

template <class W>
class WorkloadParity : public ::testing::Test {};
TYPED_TEST_SUITE(WorkloadParity, AsTypes<AllWorkloads>::type, KNameNames);

TYPED_TEST(WorkloadParity, SameWorkUnderEveryStrategy) {
  using W = TypeParam;
  const auto params = W::params(W::kSmall);
  const WorkloadRun reference = run_counted<W, Manual>(params);
  ASSERT_GT(reference.counters.allocations, 0u);
  for_each_type<TestedStrategies>([&]<class S>() {
    SCOPED_TRACE(std::string(S::kName));
    const WorkloadRun run = run_counted<W, S>(params);
    EXPECT_EQ(run.checksum, reference.checksum);
    EXPECT_EQ(run.counters.allocations, reference.counters.allocations);
    EXPECT_EQ(run.counters.bytes, reference.counters.bytes);
  });
}

// Counts the units of work a run reports.
struct UnitCounter {
  std::uint64_t units = 0;
  void request_begin() noexcept {}
  void request_end() noexcept {}
  void unit_done() noexcept { ++units; }
};

TYPED_TEST(WorkloadParity, SameUnitsOfWorkUnderEveryStrategy) {
  using W = TypeParam;
  const auto params = W::params(W::kSmall);
  auto units = [&]<class S>() {
    S s;
    UnitCounter counter;
    const std::uint64_t checksum = W::run(s, params, counter);
    EXPECT_EQ(checksum, (run_counted<W, S>(params).checksum))
        << "observing changed the work";
    return counter.units;
  };
  const std::uint64_t reference = units.template operator()<Manual>();
  EXPECT_GT(reference, 0u);
  for_each_type<TestedStrategies>([&]<class S>() {
    SCOPED_TRACE(std::string(S::kName));
    EXPECT_EQ(units.template operator()<S>(), reference);
  });
}

TYPED_TEST(WorkloadParity, ExplicitStrategiesFreeEverythingTheyAllocate) {
  using W = TypeParam;
  const auto params = W::params(W::kSmall);
  for_each_type<TestedStrategies>([&]<class S>() {
    SCOPED_TRACE(std::string(S::kName));
    const WorkloadRun run = run_counted<W, S>(params);
    if constexpr (std::is_same_v<S, Manual> || std::is_same_v<S, Raii>) {
      EXPECT_EQ(run.counters.frees, run.counters.allocations);
    } else {
      EXPECT_EQ(run.counters.frees, 0u) << "only manual and raii free objects";
    }
  });
}

TYPED_TEST(WorkloadParity, CompilerKeptEveryAllocation) {
  using W = TypeParam;
  const auto params = W::params(W::kSmall);
  auto check = [&]<class S>() {
    SCOPED_TRACE(std::string(S::kName));
    S s;
    const std::uint64_t calls_before = memstrat::testing::operator_new_calls();
    const AllocCounters before = thread_counters();
    W::run(s, params);
    const AllocCounters counted = thread_counters() - before;
    // Fewer calls than counted allocations means the compiler removed some.
    // A few more are allowed: starting a std::thread allocates its state.
    const std::uint64_t calls =
        memstrat::testing::operator_new_calls() - calls_before;
    EXPECT_GE(calls, counted.allocations);
    EXPECT_LE(calls, counted.allocations + kThreadStartSlack);
  };
  check.template operator()<Manual>();
  check.template operator()<Raii>();
}

// binary_trees at several depths, odd ones included (their last short-lived
// depth is below the long-lived tree's).
TEST(BinaryTreesParity, SeveralDepths) {
  for (const std::int64_t depth : {4, 5, 8, 11}) {
    SCOPED_TRACE("depth " + std::to_string(depth));
    const std::int64_t args[] = {depth};
    const auto params = BinaryTrees::params(args);
    const WorkloadRun reference = run_counted<BinaryTrees, Manual>(params);
    for_each_type<TestedStrategies>([&]<class S>() {
      SCOPED_TRACE(std::string(S::kName));
      const WorkloadRun run = run_counted<BinaryTrees, S>(params);
      EXPECT_EQ(run.checksum, reference.checksum);
      EXPECT_EQ(run.counters.allocations, reference.counters.allocations);
      EXPECT_EQ(run.counters.bytes, reference.counters.bytes);
    });
  }
}

TEST(BinaryTreesParity, AllocatesTheGcbenchNodeCount) {
  // Depth 6: stretch tree of depth 7, long-lived tree of depth 6, then for
  // d = 4, 6: 2 * size(6) / size(d) trees of size(d).
  const std::int64_t args[] = {6};
  const WorkloadRun run =
      run_counted<BinaryTrees, Manual>(BinaryTrees::params(args));
  const std::uint64_t size6 = 127, size4 = 31, size7 = 255;
  const std::uint64_t expected =
      size7 + size6 + (2 * size6 / size4) * size4 + 2 * size6;
  EXPECT_EQ(run.counters.allocations, expected);
  EXPECT_EQ(run.counters.bytes, expected * sizeof(BinaryTrees::Node<Manual>));
}

TEST(BinaryTreesParity, RejectsDepthsOutOfRange) {
  for (const std::int64_t depth : {-1, 0, 3, 25}) {
    const std::int64_t args[] = {depth};
    EXPECT_THROW(BinaryTrees::params(args), std::invalid_argument);
  }
}

}  // namespace
}  // namespace memstrat::testing
