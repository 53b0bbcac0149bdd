// Parity of the strategies whose owners or allocators are not one stateless
// pointer wide (shared_rc, shared_arc, pmr), against manual and against
// twins of manual with the same layout:
//   * the same checksum and the same number of allocations as manual;
//   * frees as each strategy (StrategyFor<S, W>) declares;
//   * bytes equal to those of a manual twin laid out as the strategy is (a
//     16-byte owner for shared, an 8-byte stateful allocator for pmr), so the
//     only difference from manual is the declared layout, which is printed
//     per workload (docs/strategies.md has the table);
//   * shared's control blocks counted in overhead_bytes: 16 per object.
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

// An owner as wide as a shared_ptr (object and control block pointers) that
// behaves as a raw pointer: manual's work with shared's node layout.
template <class T>
class WideOwner {
 public:
  WideOwner() noexcept = default;
  WideOwner(std::nullptr_t) noexcept {}  // NOLINT: as a pointer
  explicit WideOwner(T* p) noexcept : p_(p) {}
  WideOwner& operator=(std::nullptr_t) noexcept {
    p_ = nullptr;
    return *this;
  }
  T* get() const noexcept { return p_; }
  T& operator*() const noexcept { return *p_; }
  T* operator->() const noexcept { return p_; }
  explicit operator bool() const noexcept { return p_ != nullptr; }
  friend bool operator==(const WideOwner& a, std::nullptr_t) noexcept {
    return a.p_ == nullptr;
  }
  friend bool operator==(const WideOwner&, const WideOwner&) = default;

 private:
  T* p_ = nullptr;
  void* block_ = nullptr;  // where shared_ptr keeps its control block
};

// HeapAllocator with 8 bytes of state, as polymorphic_allocator has.
template <class T>
struct StatefulHeapAllocator : HeapAllocator<T> {
  using value_type = T;
  template <class U>
  struct rebind {
    using other = StatefulHeapAllocator<U>;
  };
  StatefulHeapAllocator() noexcept = default;
  template <class U>
  StatefulHeapAllocator(  // NOLINT: rebind
      const StatefulHeapAllocator<U>& o) noexcept
      : state(o.state) {}
  template <class U>
  bool operator==(const StatefulHeapAllocator<U>&) const noexcept {
    return true;
  }
  const void* state = nullptr;
};

// manual, with its owners or its container allocator swapped for the twins
// above. It counts objects made apart from container buffers.
template <template <class> class OwnerT, template <class> class AllocatorT>
class ManualTwin {
 public:
  static constexpr std::string_view kName = "manual_twin";
  static constexpr StrategyTraits kTraits = Manual::kTraits;
  template <class T>
  using Owner = OwnerT<T>;
  template <class T>
  using Allocator = AllocatorT<T>;
  struct Epoch {};

  template <class T, class... Args>
  Owner<T> make(Args&&... args) {
    count_allocation(sizeof(T));
    ++objects;
    T* p = new T(std::forward<Args>(args)...);
    escape(p);
    return Owner<T>(p);
  }
  template <class T>
  void release(Owner<T>& p) {
    if (p != nullptr) destroy(raw(p));
    p = nullptr;
  }
  Epoch begin_epoch() noexcept { return {}; }
  void end_epoch(Epoch) noexcept {}
  template <class T>
  Allocator<T> allocator() noexcept {
    return {};
  }

  std::uint64_t objects = 0;

 private:
  template <class T>
  static void destroy(T* p) {
    if constexpr (HasOwnedEdges<T>) {
      p->for_each_owned([](auto& child) {
        if (child != nullptr) destroy(raw(child));
      });
    }
    count_free();
    delete p;
  }
};

template <class T>
using RawOwner = T*;
using WideManual = ManualTwin<WideOwner, HeapAllocator>;
using StatefulManual = ManualTwin<RawOwner, StatefulHeapAllocator>;
static_assert(sizeof(WideOwner<int>) == SharedRc::kTraits.owner_bytes);
static_assert(sizeof(StatefulHeapAllocator<int>) ==
              sizeof(std::pmr::polymorphic_allocator<int>));

struct TwinRun {
  WorkloadRun run;
  std::uint64_t objects;
};
template <class W, class Twin>
TwinRun run_twin(const typename W::Params& p) {
  Twin s;
  const AllocCounters before = thread_counters();
  const std::uint64_t checksum = W::run(s, p);
  return {{checksum, thread_counters() - before}, s.objects};
}

template <class S>
void expect_frees_as_declared(const WorkloadRun& run) {
  switch (S::kTraits.frees) {
    case Frees::kEveryObject:
      EXPECT_EQ(run.counters.frees, run.counters.allocations);
      break;
    case Frees::kNone:
      EXPECT_EQ(run.counters.frees, 0u);
      break;
    case Frees::kSome:
      ADD_FAILURE() << "a workload's strategy declares frees exactly";
      break;
  }
}

template <class W>
class NewStrategyParity : public ::testing::Test {};
TYPED_TEST_SUITE(NewStrategyParity, AsTypes<AllWorkloads>::type, KNameNames);

TYPED_TEST(NewStrategyParity, SharedDoesManualsWorkWithWideOwners) {
  using W = TypeParam;
  const auto params = W::params(W::kSmall);
  const WorkloadRun manual = run_counted<W, Manual>(params);
  const TwinRun twin = run_twin<W, WideManual>(params);
  ASSERT_EQ(twin.run.checksum, manual.checksum);
  ASSERT_EQ(twin.run.counters.allocations, manual.counters.allocations);
  for_each_type<std::tuple<SharedRc, SharedArc>>([&]<class S0>() {
    using S = StrategyFor<S0, W>;
    SCOPED_TRACE(std::string(S::kName));
    const WorkloadRun run = run_counted<W, S>(params);
    EXPECT_EQ(run.checksum, manual.checksum);
    EXPECT_EQ(run.counters.allocations, manual.counters.allocations);
    expect_frees_as_declared<S>(run);
    EXPECT_EQ(run.counters.bytes, twin.run.counters.bytes);
    // Every object's control block: vtable pointer and two counts.
    EXPECT_EQ(run.counters.overhead_bytes, 16 * twin.objects);
  });
  std::printf(
      "[ layout   ] %s shared: bytes %llu vs manual %llu (+%llu in "
      "nodes), control blocks %llu bytes for %llu objects\n",
      std::string(W::kName).c_str(),
      static_cast<unsigned long long>(twin.run.counters.bytes),
      static_cast<unsigned long long>(manual.counters.bytes),
      static_cast<unsigned long long>(twin.run.counters.bytes -
                                      manual.counters.bytes),
      static_cast<unsigned long long>(16 * twin.objects),
      static_cast<unsigned long long>(twin.objects));
}

TYPED_TEST(NewStrategyParity, PmrDoesManualsWorkWithStatefulAllocators) {
  using W = TypeParam;
  using S = StrategyFor<Pmr, W>;
  const auto params = W::params(W::kSmall);
  const WorkloadRun manual = run_counted<W, Manual>(params);
  const TwinRun twin = run_twin<W, StatefulManual>(params);
  ASSERT_EQ(twin.run.checksum, manual.checksum);
  ASSERT_EQ(twin.run.counters.allocations, manual.counters.allocations);
  const WorkloadRun run = run_counted<W, S>(params);
  EXPECT_EQ(run.checksum, manual.checksum);
  EXPECT_EQ(run.counters.allocations, manual.counters.allocations)
      << "a container built without s.allocator<T>() uses the default "
         "resource and escapes the counts";
  expect_frees_as_declared<S>(run);
  EXPECT_EQ(run.counters.bytes, twin.run.counters.bytes);
  EXPECT_EQ(run.counters.overhead_bytes, 0u);
  std::printf(
      "[ layout   ] %s pmr (%s): bytes %llu vs manual %llu (+%llu "
      "in containers)\n",
      std::string(W::kName).c_str(),
      std::is_same_v<S, PmrPool> ? "pool" : "monotonic",
      static_cast<unsigned long long>(twin.run.counters.bytes),
      static_cast<unsigned long long>(manual.counters.bytes),
      static_cast<unsigned long long>(twin.run.counters.bytes -
                                      manual.counters.bytes));
}

// Pmr run directly (no For<W>) is the monotonic variant: valid for every
// workload, as the arena is.
TYPED_TEST(NewStrategyParity, UnspecialisedPmrIsSafeEverywhere) {
  using W = TypeParam;
  const auto params = W::params(W::kSmall);
  const WorkloadRun manual = run_counted<W, Manual>(params);
  const WorkloadRun run = run_counted<W, Pmr>(params);
  EXPECT_EQ(run.checksum, manual.checksum);
  EXPECT_EQ(run.counters.allocations, manual.counters.allocations);
  EXPECT_EQ(run.counters.frees, 0u);
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
