// The parity suite: the one rule (every workload does the same work under
// every strategy), as a typed-test suite any test binary can instantiate for
// any list of workloads and strategies. Each case is one (workload, strategy)
// pair, run as StrategyFor<S, W> and compared with the baseline strategy
// (the one whose kTraits.baseline is set) on the workload's small size:
//
//   SameWorkAsTheBaseline        same checksum, allocations, bytes requested
//                                (bytes net of the owner overhead, which the
//                                counters keep apart in overhead_bytes; a
//                                strategy whose owners or allocators are
//                                wider than the baseline's requests what the
//                                baseline with that layout requests:
//                                LayoutTwin, tests/layout_twin.h)
//   SameObjectsAsTheBaseline     same make<T> calls (the objects a port is
//                                compared on), none beyond the allocations
//   SameUnitsOfWork              same number of observer.unit_done() calls,
//                                and observing does not change the checksum
//   FreesAsDeclared              kTraits.frees: every_object frees ==
//                                allocations, none 0, some <= allocations
//   OverheadOnlyWhereDeclared    owner_overhead "none": no overhead bytes
//   CompilerKeptEveryAllocation  kTraits.object_per_new: real operator new
//                                calls == counted allocations (+ thread
//                                starts); needs tests/counting_new.cc linked
//
// Instantiate it with (an alias: the macro splits on the comma)
//
//   using MyCases = ParityCases<AllWorkloads, std::tuple<Mine>>;
//   INSTANTIATE_TYPED_TEST_SUITE_P(Mine, StrategyParity, MyCases,
//                                  ParityCaseNames);
//
// (tests/parity_test.cc does so for every strategy, tests/extension_test.cc
// for a strategy defined in the test itself.)
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <tuple>
#include <utility>

#include "allocators/strategy.h"
#include "benchmarks/harness/object_counting.h"
#include "tests/counting_new.h"
#include "tests/layout_twin.h"
#include "tests/test_support.h"

namespace memstrat::testing {

/// operator new calls a workload may make outside the strategy: the state
/// of each std::thread it starts.
inline constexpr std::uint64_t kThreadStartSlack = 4;

/// One case of the suite: workload W under strategy S.
template <class W, class S>
struct ParityCase {
  using Workload = W;
  using Strategy = S;
};

namespace detail {
template <class W, class Strategies>
struct CasesOfWorkload;
template <class W, class... S>
struct CasesOfWorkload<W, std::tuple<S...>> {
  using type = std::tuple<ParityCase<W, S>...>;
};
template <class Workloads, class Strategies>
struct AllCases;
template <class... W, class Strategies>
struct AllCases<std::tuple<W...>, Strategies> {
  using type = decltype(std::tuple_cat(
      std::declval<typename CasesOfWorkload<W, Strategies>::type>()...));
};
}  // namespace detail

/// Every (workload, strategy) pair of the two tuple types, workload-major.
template <class Workloads, class Strategies>
using ParityCases = typename AsTypes<
    typename detail::AllCases<Workloads, Strategies>::type>::type;

/// Case names: "<workload>_<strategy>" ("binary_trees_gc").
struct ParityCaseNames {
  template <class C>
  static std::string GetName(int) {
    return std::string(C::Workload::kName) + "_" +
           std::string(C::Strategy::kName);
  }
};

// Counts the units of work a run reports.
struct UnitCounter {
  std::uint64_t units = 0;
  void request_begin() noexcept {}
  void request_end() noexcept {}
  void unit_done() noexcept { ++units; }
};

template <class C>
class StrategyParity : public ::testing::Test {};
TYPED_TEST_SUITE_P(StrategyParity);

TYPED_TEST_P(StrategyParity, SameWorkAsTheBaseline) {
  using W = typename TypeParam::Workload;
  using S = typename TypeParam::Strategy;
  const auto params = W::params(W::kSmall);
  const WorkloadRun reference = run_counted<W, Baseline>(params);
  ASSERT_GT(reference.counters.allocations, 0u);
  const WorkloadRun run = run_counted<W, S>(params);
  EXPECT_EQ(run.checksum, reference.checksum);
  EXPECT_EQ(run.counters.allocations, reference.counters.allocations);
  using SW = StrategyFor<S, W>;
  if constexpr (SW::kTraits.owner_bytes == Baseline::kTraits.owner_bytes &&
                SW::kTraits.allocator_bytes ==
                    Baseline::kTraits.allocator_bytes) {
    EXPECT_EQ(run.counters.bytes, reference.counters.bytes);
  } else {
    // Wider owners or stateful allocators make nodes and containers bigger:
    // the strategy must request exactly what the baseline's work with its
    // layout requests (LayoutTwin), and no more.
    const WorkloadRun twin = run_counted<W, LayoutTwinOf<SW>>(params);
    ASSERT_EQ(twin.checksum, reference.checksum);
    ASSERT_EQ(twin.counters.allocations, reference.counters.allocations);
    EXPECT_EQ(run.counters.bytes, twin.counters.bytes);
    EXPECT_GE(twin.counters.bytes, reference.counters.bytes);
    ::testing::Test::RecordProperty(
        "layout_bytes_over_baseline",
        std::to_string(twin.counters.bytes - reference.counters.bytes));
  }
}

// The objects (make<T> calls) one run of W under S as configured for W makes,
// and the allocation counters it moved.
template <class W, class S>
std::pair<ObjectCounts, AllocCounters> objects_made(
    const typename W::Params& p) {
  ObjectCounting<StrategyFor<S, W>> s;
  const AllocCounters before = thread_counters();
  W::run(s, p);
  return {s.object_counts(), thread_counters() - before};
}

TYPED_TEST_P(StrategyParity, SameObjectsAsTheBaseline) {
  using W = typename TypeParam::Workload;
  using S = typename TypeParam::Strategy;
  const auto params = W::params(W::kSmall);
  const auto [reference, reference_counters] =
      objects_made<W, Baseline>(params);
  const auto [objects, counters] = objects_made<W, S>(params);
  EXPECT_EQ(objects.objects, reference.objects);
  // Objects are among the counted allocations; the rest are buffers.
  EXPECT_LE(objects.objects, counters.allocations);
  EXPECT_LE(objects.bytes, counters.bytes);
  EXPECT_EQ(counters.allocations, reference_counters.allocations);
}

TYPED_TEST_P(StrategyParity, SameUnitsOfWork) {
  using W = typename TypeParam::Workload;
  using S = typename TypeParam::Strategy;
  const auto params = W::params(W::kSmall);
  auto units = [&]<class T>() {
    StrategyFor<T, W> s;
    UnitCounter counter;
    const std::uint64_t checksum = W::run(s, params, counter);
    EXPECT_EQ(checksum, (run_counted<W, T>(params).checksum))
        << "observing changed the work";
    return counter.units;
  };
  const std::uint64_t reference = units.template operator()<Baseline>();
  EXPECT_GT(reference, 0u);
  EXPECT_EQ(units.template operator()<S>(), reference);
}

TYPED_TEST_P(StrategyParity, FreesAsDeclared) {
  using W = typename TypeParam::Workload;
  using S = typename TypeParam::Strategy;
  const WorkloadRun run = run_counted<W, S>(W::params(W::kSmall));
  constexpr Frees frees = StrategyFor<S, W>::kTraits.frees;
  SCOPED_TRACE("declared frees: " + std::string(frees_name(frees)));
  switch (frees) {
    case Frees::kEveryObject:
      EXPECT_EQ(run.counters.frees, run.counters.allocations);
      break;
    case Frees::kNone:
      EXPECT_EQ(run.counters.frees, 0u);
      break;
    case Frees::kSome:
      EXPECT_LE(run.counters.frees, run.counters.allocations);
      break;
  }
}

TYPED_TEST_P(StrategyParity, OverheadOnlyWhereDeclared) {
  using W = typename TypeParam::Workload;
  using S = typename TypeParam::Strategy;
  const WorkloadRun run = run_counted<W, S>(W::params(W::kSmall));
  if (StrategyFor<S, W>::kTraits.owner_overhead == "none") {
    EXPECT_EQ(run.counters.overhead_bytes, 0u);
  }
}

TYPED_TEST_P(StrategyParity, CompilerKeptEveryAllocation) {
  using W = typename TypeParam::Workload;
  using S = typename TypeParam::Strategy;
  if constexpr (StrategyFor<S, W>::kTraits.object_per_new) {
    const auto params = W::params(W::kSmall);
    StrategyFor<S, W> s;
    const std::uint64_t calls_before = operator_new_calls();
    const AllocCounters before = thread_counters();
    W::run(s, params);
    const AllocCounters counted = thread_counters() - before;
    // Fewer calls than counted allocations means the compiler removed some.
    // A few more are allowed: starting a std::thread allocates its state.
    const std::uint64_t calls = operator_new_calls() - calls_before;
    EXPECT_GE(calls, counted.allocations);
    EXPECT_LE(calls, counted.allocations + kThreadStartSlack);
  } else {
    SUCCEED() << "not one operator new per allocation: nothing to compare";
  }
}

REGISTER_TYPED_TEST_SUITE_P(StrategyParity, SameWorkAsTheBaseline,
                            SameObjectsAsTheBaseline, SameUnitsOfWork,
                            FreesAsDeclared, OverheadOnlyWhereDeclared,
                            CompilerKeptEveryAllocation);

}  // namespace memstrat::testing
