// Helpers shared by the typed tests: the strategies a build can test, the
// baseline they are compared with, their names as test-name suffixes, and
// one measured run of a workload.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <tuple>

#include "allocators/all.h"
#include "allocators/counters.h"

namespace memstrat::testing {

// The strategies this build tests: all.h's BuildStrategies (sanitizer builds
// keep the strategies that declare themselves sanitizer_safe).
using TestedStrategies = BuildStrategies;

// The reference of parity comparisons: the strategy declared baseline.
using Baseline = BaselineStrategy;

template <class Tuple>
struct AsTypes;
template <class... T>
struct AsTypes<std::tuple<T...>> {
  using type = ::testing::Types<T...>;
};

// Test names end in the strategy's or workload's kName: "Suite/arena.Test".
struct KNameNames {
  template <class T>
  static std::string GetName(int) {
    return std::string(T::kName);
  }
};

// Calls f.template operator()<T>() for each type T of the tuple type Tuple.
template <class Tuple, class F>
void for_each_type(F&& f) {
  [&]<class... T>(std::tuple<T...>*) {
    (f.template operator()<T>(), ...);
  }(static_cast<Tuple*>(nullptr));
}

struct WorkloadRun {
  std::uint64_t checksum;
  AllocCounters counters;
};

// One complete run of workload W under a fresh strategy S as configured for
// W (StrategyFor<S, W>), with the allocation counters it moved on this
// thread.
template <class W, class S>
WorkloadRun run_counted(const typename W::Params& p) {
  StrategyFor<S, W> s;
  const AllocCounters before = thread_counters();
  const std::uint64_t checksum = W::run(s, p);
  return {checksum, thread_counters() - before};
}

}  // namespace memstrat::testing
