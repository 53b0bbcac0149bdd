// What every strategy promises (strategy.h), tested on all of them: make
// constructs and counts, release ends the object's life as the strategy
// declares it, epochs, the declarations, and the container allocators.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "allocators/all.h"
#include "tests/test_support.h"

namespace memstrat::testing {
namespace {

// A node that logs its destruction, owning two children. Owners are declared
// in reverse of the order for_each_owned lists them (strategy.h).
template <class S>
struct Tracked {
  Owner<S, Tracked> right;
  Owner<S, Tracked> left;
  char name;
  std::string* log;

  Tracked(Owner<S, Tracked> l, Owner<S, Tracked> r, char n, std::string* lg)
      : right(std::move(r)), left(std::move(l)), name(n), log(lg) {}
  ~Tracked() { log->push_back(name); }
  void for_each_owned(auto&& f) {
    f(left);
    f(right);
  }
};

template <class S>
class StrategyTest : public ::testing::Test {};
TYPED_TEST_SUITE(StrategyTest, AsTypes<TestedStrategies>::type, KNameNames);

TYPED_TEST(StrategyTest, SatisfiesTheConcept) {
  static_assert(MemoryStrategy<TypeParam>);
  EXPECT_FALSE(TypeParam::kName.empty());
  EXPECT_EQ(TypeParam::kName.find('/'), std::string_view::npos);
}

TYPED_TEST(StrategyTest, DeclaresWhatTheHarnessAsks) {
  constexpr StrategyTraits t = TypeParam::kTraits;
  EXPECT_FALSE(t.summary.empty());
  EXPECT_FALSE(t.release_order.empty());
  EXPECT_EQ(t.colour.size(), 7u);
  EXPECT_EQ(sizeof(Owner<TypeParam, Tracked<TypeParam>>), t.owner_bytes);
  using A = typename TypeParam::template Allocator<int>;
  EXPECT_EQ(std::is_empty_v<A> ? 0 : sizeof(A), t.allocator_bytes);
  // A collector decides when objects die: it frees none one by one.
  if (t.collects) {
    EXPECT_NE(t.frees, Frees::kEveryObject);
  }
}

// A strategy's container allocator that holds no state (allocator_base.h)
// leaves containers inside nodes the size they have under the baseline.
TYPED_TEST(StrategyTest, StatelessAllocatorsKeepContainersTheBaselinesSize) {
  using S = TypeParam;
  if constexpr (std::is_empty_v<typename S::template Allocator<int>>) {
    EXPECT_EQ(sizeof(Vector<S, int>), sizeof(Vector<Baseline, int>));
    EXPECT_EQ(sizeof(String<S>), sizeof(String<Baseline>));
  } else {
    SUCCEED() << "a stateful allocator: containers carry it";
  }
}

TYPED_TEST(StrategyTest, MakeConstructsAndCountsOneAllocation) {
  TypeParam s;
  struct Point {
    Point(int a, double b) : x(a), y(b) {}
    int x;
    double y;
  };
  const AllocCounters before = thread_counters();
  auto p = s.template make<Point>(7, 2.5);
  const AllocCounters used = thread_counters() - before;
  EXPECT_EQ(raw(p)->x, 7);
  EXPECT_EQ(raw(p)->y, 2.5);
  EXPECT_EQ(used.allocations, 1u);
  EXPECT_EQ(used.bytes, sizeof(Point));
  s.release(p);
  EXPECT_EQ(raw(p), nullptr);
}

TYPED_TEST(StrategyTest, ReleaseEndsATreeAsTheStrategyDefines) {
  using S = TypeParam;
  using Node = Tracked<S>;
  S s;
  std::string log;
  {
    const auto epoch = s.begin_epoch();
    auto a = s.template make<Node>(nullptr, nullptr, 'a', &log);
    auto b = s.template make<Node>(nullptr, nullptr, 'b', &log);
    auto root = s.template make<Node>(std::move(a), std::move(b), 'r', &log);
    const AllocCounters before = thread_counters();
    s.release(root);
    const AllocCounters freed = thread_counters() - before;
    EXPECT_EQ(raw(root), nullptr);
    // What each strategy frees is what it declares; the order of
    // destructors, for those that run them, is each strategy's own (below).
    switch (S::kTraits.frees) {
      case Frees::kEveryObject:
        EXPECT_EQ(freed.frees, 3u);
        ASSERT_EQ(log.size(), 3u);
        // The children die in the same order under every such strategy.
        EXPECT_LT(log.find('a'), log.find('b'));
        break;
      case Frees::kNone:
        EXPECT_EQ(freed.frees, 0u);
        break;
      case Frees::kSome:
        EXPECT_LE(freed.frees, 3u);
        break;
    }
    s.end_epoch(epoch);
  }
}

TYPED_TEST(StrategyTest, ContainersAllocateThroughTheStrategy) {
  TypeParam s;
  const auto epoch = s.begin_epoch();
  const AllocCounters before = thread_counters();
  {
    Vector<TypeParam, std::int64_t> v(s.template allocator<std::int64_t>());
    v.reserve(100);
    for (int i = 0; i < 100; ++i) v.push_back(i);
    EXPECT_EQ(v[99], 99);
  }
  const AllocCounters used = thread_counters() - before;
  EXPECT_EQ(used.allocations, 1u);
  EXPECT_EQ(used.bytes, 100 * sizeof(std::int64_t));
  s.end_epoch(epoch);
}

TYPED_TEST(StrategyTest, EpochsNest) {
  TypeParam s;
  const auto outer = s.begin_epoch();
  auto kept = s.template make<std::int64_t>(41);
  {
    const auto inner = s.begin_epoch();
    auto temp = s.template make<std::int64_t>(1);
    *raw(kept) += *raw(temp);
    s.release(temp);
    s.end_epoch(inner);
  }
  auto after = s.template make<std::int64_t>(0);
  EXPECT_EQ(*raw(kept), 42);  // the inner epoch's end did not touch it
  s.release(after);
  s.release(kept);
  s.end_epoch(outer);
}

TEST(ArenaStrategy, EndEpochReusesTheEpochsMemory) {
  Arena s;
  const auto epoch = s.begin_epoch();
  std::int64_t* first = s.make<std::int64_t>(1);
  s.end_epoch(epoch);
  std::int64_t* again = s.make<std::int64_t>(2);
  EXPECT_EQ(first, again);
  EXPECT_EQ(s.arena().chunk_count(), 1u);
}

TEST(ArenaStrategy, ContainersUseTheInnermostLiveArena) {
  Arena outer;
  {
    Arena inner;
    Vector<Arena, int> v(inner.allocator<int>());
    v.resize(10);
    EXPECT_GE(inner.arena().bytes_used(), 10 * sizeof(int));
    EXPECT_EQ(outer.arena().bytes_used(), 0u);
  }
  Vector<Arena, int> w(outer.allocator<int>());
  w.resize(10);
  EXPECT_GE(outer.arena().bytes_used(), 10 * sizeof(int));
}

// Arenas count their nodes beside the bump pointer (counters.h,
// LocalCounters): the counts must read the same while the arenas live, nested
// or not, and after they are gone.
TEST(ArenaStrategy, CountsOfNestedArenasReadLiveAndSurviveThem) {
  const AllocCounters start = thread_counters();
  {
    Arena outer;
    outer.make<std::int64_t>(1);
    {
      Arena inner;
      inner.make<std::int64_t>(2);
      inner.make<std::int32_t>(3);
      const AllocCounters live = thread_counters() - start;
      EXPECT_EQ(live.allocations, 3u);
      EXPECT_EQ(live.bytes, 2 * sizeof(std::int64_t) + sizeof(std::int32_t));
    }
    const AllocCounters folded = thread_counters() - start;
    EXPECT_EQ(folded.allocations, 3u);
    outer.make<std::int64_t>(4);
    EXPECT_EQ((thread_counters() - start).allocations, 4u);
  }
  const AllocCounters after = thread_counters() - start;
  EXPECT_EQ(after.allocations, 4u);
  EXPECT_EQ(after.bytes, 3 * sizeof(std::int64_t) + sizeof(std::int32_t));
  EXPECT_EQ(after.frees, 0u);
}

// The exact destructor order of the two strategies that run destructors.
TEST(ManualStrategy, FreesATreeAsFreeTreeDoes) {
  Manual s;
  std::string log;
  auto a = s.make<Tracked<Manual>>(nullptr, nullptr, 'a', &log);
  auto b = s.make<Tracked<Manual>>(nullptr, nullptr, 'b', &log);
  auto root = s.make<Tracked<Manual>>(a, b, 'r', &log);
  s.release(root);
  EXPECT_EQ(log, "abr");  // children first, then the parent
}

TEST(RaiiStrategy, FreesATreeInCppDestructionOrder) {
  Raii s;
  std::string log;
  auto a = s.make<Tracked<Raii>>(nullptr, nullptr, 'a', &log);
  auto b = s.make<Tracked<Raii>>(nullptr, nullptr, 'b', &log);
  auto root = s.make<Tracked<Raii>>(std::move(a), std::move(b), 'r', &log);
  s.release(root);
  // The parent's destructor body, then its members in reverse declaration
  // order: the children go in the same order as under manual, and the
  // parent's memory is freed last.
  EXPECT_EQ(log, "rab");
}

// AllocatorBase: the three container allocators share one skeleton and
// stay empty, so every Vector and String has one size everywhere.
TEST(StrategyAllocators, RebindCompareAndStayEmpty) {
  static_assert(std::is_empty_v<HeapAllocator<int>>);
  static_assert(std::is_empty_v<ArenaAllocator<int>>);
  static_assert(std::is_empty_v<GcAllocator<int>>);
  static_assert(std::is_same_v<
                std::allocator_traits<GcAllocator<int, 7>>::rebind_alloc<char>,
                GcAllocator<char, 7>>);
  const HeapAllocator<int> heap;
  const HeapAllocator<double> rebound(heap);
  EXPECT_TRUE(rebound == HeapAllocator<double>(heap));
  EXPECT_TRUE(heap == rebound);
  EXPECT_FALSE(heap != rebound);
  static_assert(
      !std::is_convertible_v<HeapAllocator<int>, ArenaAllocator<int>>);
}

TEST(StrategyAllocators, HeapAllocatorCountsEachBufferAndItsFree) {
  HeapAllocator<std::int64_t> a;
  const AllocCounters before = thread_counters();
  std::int64_t* p = a.allocate(10);
  p[9] = 1;
  a.deallocate(p, 10);
  const AllocCounters used = thread_counters() - before;
  EXPECT_EQ(used.allocations, 1u);
  EXPECT_EQ(used.bytes, 10 * sizeof(std::int64_t));
  EXPECT_EQ(used.frees, 1u);
}

TEST(StrategyAllocators, RegionAllocatorsCountNoFree) {
  Arena s;
  ArenaAllocator<std::int64_t> a = s.allocator<std::int64_t>();
  const AllocCounters before = thread_counters();
  std::int64_t* p = a.allocate(4);
  a.deallocate(p, 4);
  const AllocCounters used = thread_counters() - before;
  EXPECT_EQ(used.allocations, 1u);
  EXPECT_EQ(used.bytes, 4 * sizeof(std::int64_t));
  EXPECT_EQ(used.frees, 0u);
}

TEST(ArenaStrategy, ContainerBuffersLiveInTheArena) {
  Arena s;
  Vector<Arena, int> v(s.allocator<int>());
  v.resize(10);
  EXPECT_GE(s.arena().bytes_used(), 10 * sizeof(int));
}

}  // namespace
}  // namespace memstrat::testing
