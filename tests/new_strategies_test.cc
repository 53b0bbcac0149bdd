// What the generic parity suite (tests/parity.h) does not say about the
// strategies whose owners or allocators are not one stateless pointer wide
// (shared_rc, shared_arc, pmr):
//   * what their layout costs over manual per workload (the bytes of a
//     manual twin laid out as the strategy is, tests/layout_twin.h), printed
//     for docs/strategies.md;
//   * shared's control blocks counted in overhead_bytes: 16 per object;
//   * pmr's resource follows each workload's declaration, keeps its buffers;
//   * shared_rc leaves the process single-threaded, shared_arc does not.
// Its own main (gtest_main): no collector is started, so the test can see
// which strategies make the process multi-threaded.
#include <gtest/gtest.h>
#include <sys/single_threaded.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <type_traits>
#include <utility>

#include "allocators/counters.h"
#include "allocators/heap_allocator.h"
#include "allocators/manual.h"
#include "allocators/pmr.h"
#include "allocators/shared.h"
#include "allocators/strategy.h"
#include "benchmarks/catalogue.h"
#include "benchmarks/workloads/binary_trees.h"
#include "tests/layout_twin.h"
#include "tests/test_support.h"

namespace memstrat::testing {
namespace {

// First in the file, so it runs before any test makes a shared_arc (gtest
// keeps declaration order unless shuffled).
TEST(SharedPolicy, RcLeavesTheProcessSingleThreadedArcDoesNot) {
  if (!__libc_single_threaded) {
    GTEST_SKIP() << "the process already has had a second thread";
  }
  { SharedRc rc; }
  EXPECT_TRUE(__libc_single_threaded);
  { SharedArc arc; }
  EXPECT_FALSE(__libc_single_threaded)
      << "shared_arc must make its counts atomic by starting a thread";
}

template <class W>
class NewStrategyLayout : public ::testing::Test {};
TYPED_TEST_SUITE(NewStrategyLayout, AsTypes<AllWorkloads>::type, KNameNames);

// The parity suite (tests/parity.h, run by parity_test for every strategy)
// holds shared and pmr to manual's work with their layout. Here: what that
// layout costs per workload, printed for docs/strategies.md, and shared's
// control blocks, exactly one 16-byte block per object.
TYPED_TEST(NewStrategyLayout, SharedPaysOneControlBlockPerObject) {
  using W = TypeParam;
  const auto params = W::params(W::kSmall);
  const WorkloadRun manual = run_counted<W, Manual>(params);
  LayoutTwinOf<SharedRc> twin;
  const AllocCounters before = thread_counters();
  ASSERT_EQ(W::run(twin, params), manual.checksum);
  const AllocCounters twin_counts = thread_counters() - before;
  for_each_type<std::tuple<SharedRc, SharedArc>>([&]<class S>() {
    SCOPED_TRACE(std::string(S::kName));
    const WorkloadRun run = run_counted<W, S>(params);
    EXPECT_EQ(run.counters.bytes, twin_counts.bytes);
    // Every object's control block: vtable pointer and two counts.
    EXPECT_EQ(run.counters.overhead_bytes, 16 * twin.objects);
  });
  std::printf(
      "[ layout   ] %s shared: bytes %llu vs manual %llu (+%llu in "
      "nodes), control blocks %llu bytes for %llu objects\n",
      std::string(W::kName).c_str(),
      static_cast<unsigned long long>(twin_counts.bytes),
      static_cast<unsigned long long>(manual.counters.bytes),
      static_cast<unsigned long long>(twin_counts.bytes -
                                      manual.counters.bytes),
      static_cast<unsigned long long>(16 * twin.objects),
      static_cast<unsigned long long>(twin.objects));
}

TYPED_TEST(NewStrategyLayout, PmrContainersCarryTheirResource) {
  using W = TypeParam;
  using S = StrategyFor<Pmr, W>;
  const auto params = W::params(W::kSmall);
  const WorkloadRun manual = run_counted<W, Manual>(params);
  const WorkloadRun twin = run_counted<W, LayoutTwinOf<S>>(params);
  const WorkloadRun run = run_counted<W, S>(params);
  EXPECT_EQ(run.counters.bytes, twin.counters.bytes);
  EXPECT_EQ(run.counters.overhead_bytes, 0u);
  std::printf(
      "[ layout   ] %s pmr (%s): bytes %llu vs manual %llu (+%llu "
      "in containers)\n",
      std::string(W::kName).c_str(),
      std::is_same_v<S, PmrPool> ? "pool" : "monotonic",
      static_cast<unsigned long long>(twin.counters.bytes),
      static_cast<unsigned long long>(manual.counters.bytes),
      static_cast<unsigned long long>(twin.counters.bytes -
                                      manual.counters.bytes));
}

// Pmr made directly (no For<W>) is the monotonic variant: valid for every
// workload, as the arena is.
TYPED_TEST(NewStrategyLayout, UnspecialisedPmrIsSafeEverywhere) {
  using W = TypeParam;
  const auto params = W::params(W::kSmall);
  const WorkloadRun manual = run_counted<W, Manual>(params);
  Pmr s;
  const AllocCounters before = thread_counters();
  EXPECT_EQ(W::run(s, params), manual.checksum);
  const AllocCounters counted = thread_counters() - before;
  EXPECT_EQ(counted.allocations, manual.counters.allocations);
  EXPECT_EQ(counted.frees, 0u);
}

TEST(PmrChoice, FollowsEachWorkloadsDeclaration) {
  for_each_type<AllWorkloads>([]<class W>() {
    SCOPED_TRACE(std::string(W::kName));
    using S = StrategyFor<Pmr, W>;
    constexpr bool kPool = std::is_same_v<S, PmrPool>;
    EXPECT_EQ(kPool, W::kObjectsDie == ObjectDeath::kOneByOne);
    EXPECT_EQ(S::kTraits.reclaim, W::kObjectsDie == ObjectDeath::kByEpoch
                                      ? ReclaimKind::kEpochEnd
                                      : ReclaimKind::kRelease);
  });
  // The one workload that frees on another thread must not get the
  // unsynchronized pool.
  EXPECT_TRUE(
      (std::is_same_v<StrategyFor<Pmr, ProducerConsumer>, PmrMonotonic>));
}

TEST(PmrMonotonic, KeepsItsBuffersAcrossRuns) {
  PmrMonotonic s;
  const std::int64_t args[] = {10};
  const auto params = BinaryTrees::params(args);
  auto retained = [&] {
    double bytes = 0;
    s.visit_stats([&](std::string_view, double v, StatKind) { bytes = v; });
    return bytes;
  };
  const std::uint64_t first = BinaryTrees::run(s, params);
  const double after_first = retained();
  EXPECT_GT(after_first, 0);
  EXPECT_EQ(BinaryTrees::run(s, params), first);
  EXPECT_EQ(retained(), after_first)
      << "an identical second run should fit in the buffers the first grew";
}

TEST(SharedBlock, CountsTheObjectAndItsControlBlockApart) {
  struct Pair {
    std::int64_t a, b;
  };
  SharedRc s;
  const AllocCounters before = thread_counters();
  auto p = s.make<Pair>(Pair{1, 2});
  const AllocCounters made = thread_counters() - before;
  EXPECT_EQ(made.allocations, 1u);
  EXPECT_EQ(made.bytes, sizeof(Pair));
  EXPECT_EQ(made.overhead_bytes, 16u);
  s.release(p);
  EXPECT_EQ((thread_counters() - before).frees, 1u);
  EXPECT_EQ(p, nullptr);
}

TEST(SharedPolicy, ArcOwnersAreStdSharedPtr) {
  EXPECT_TRUE((std::is_same_v<SharedArc::Owner<int>, std::shared_ptr<int>>));
  EXPECT_TRUE(SharedArc::kTraits.threads_process);
  EXPECT_FALSE(SharedRc::kTraits.threads_process);
}

}  // namespace
}  // namespace memstrat::testing
