// The gc strategy really collects, and no workload hides a GC pointer where
// the collector does not look.
#include <gc/gc.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "allocators/all.h"
#include "benchmarks/catalogue.h"
#include "tests/test_support.h"

namespace memstrat::testing {
namespace {

/// Full collections forced every this many allocations in stress runs.
/// Lowering it catches a hidden pointer sooner and makes the tests slower.
constexpr unsigned kStressEvery = 251;

template <class W>
class GcStress : public ::testing::Test {};
TYPED_TEST_SUITE(GcStress, AsTypes<AllWorkloads>::type, KNameNames);

// A GC pointer kept only in malloc'd memory would have its object reclaimed
// and reused under this stress, and the checksum would differ.
TYPED_TEST(GcStress, FrequentCollectionsKeepTheChecksum) {
  using W = TypeParam;
  const auto params = W::params(W::kSmall);
  const auto gc_before = GC_get_gc_no();
  const WorkloadRun stressed = run_counted<W, BasicGc<kStressEvery>>(params);
  const WorkloadRun reference = run_counted<W, Baseline>(params);
  EXPECT_EQ(stressed.checksum, reference.checksum);
  EXPECT_GE(GC_get_gc_no() - gc_before,
            stressed.counters.allocations / kStressEvery);
}

TEST(GcCollects, HeapStaysBoundedWhileShortLivedTreesDie) {
  const std::int64_t args[] = {12};
  const auto params = BinaryTrees::params(args);
  StrategyFor<Gc, BinaryTrees> gc;
  GC_gcollect();
  const auto collections_before = GC_get_gc_no();
  const AllocCounters before = thread_counters();
  constexpr int kRuns = 30;
  std::size_t heap_after_warmup = 0;
  for (int i = 0; i < kRuns; ++i) {
    BinaryTrees::run(gc, params);
    if (i == 4) heap_after_warmup = GC_get_heap_size();
  }
  const std::uint64_t requested = (thread_counters() - before).bytes;
  const std::size_t heap = GC_get_heap_size();
  EXPECT_GT(GC_get_gc_no(), collections_before);
  // Everything requested could not fit: it was reclaimed and reused.
  EXPECT_GT(requested, 8 * heap)
      << "requested " << requested << ", heap " << heap;
  // After warm-up the heap no longer grows with the number of runs.
  EXPECT_LE(heap, 2 * heap_after_warmup);
}

// The premise of the stress tests: memory from malloc is not scanned, so an
// object referenced only from there is reclaimed. Disappearing links report
// which objects the collector found unreachable.
[[gnu::noinline]] void fill_with_gc_objects(void** slots, int n) {
  for (int i = 0; i < n; ++i) {
    slots[i] = GC_MALLOC(64);
    GC_general_register_disappearing_link(&slots[i], slots[i]);
  }
}

TEST(GcCollects, ObjectsReferencedOnlyFromMallocMemoryAreReclaimed) {
  constexpr int kObjects = 256;
  auto** hidden = static_cast<void**>(std::malloc(kObjects * sizeof(void*)));
  auto** visible = static_cast<void**>(GC_MALLOC(kObjects * sizeof(void*)));
  ASSERT_NE(hidden, nullptr);
  ASSERT_NE(visible, nullptr);
  fill_with_gc_objects(hidden, kObjects);
  fill_with_gc_objects(visible, kObjects);
  GC_gcollect();
  GC_gcollect();
  int hidden_reclaimed = 0, visible_reclaimed = 0;
  for (int i = 0; i < kObjects; ++i) {
    hidden_reclaimed += hidden[i] == nullptr;
    visible_reclaimed += visible[i] == nullptr;
  }
  // Conservative scanning may find a stale copy of a few hidden pointers on
  // the stack; most must go.
  EXPECT_GE(hidden_reclaimed, kObjects * 9 / 10);
  EXPECT_EQ(visible_reclaimed, 0);
  GC_reachable_here(visible);
  std::free(hidden);
}

}  // namespace
}  // namespace memstrat::testing
