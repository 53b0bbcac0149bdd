// Helpers shared by the typed tests: the strategies a build can test, their
// names as test-name suffixes, and one measured run of a workload.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include "allocators/all.h"
#include "allocators/counters.h"

namespace memstrat::testing {

// Sanitizer builds cannot run Boehm GC (it scans memory the sanitizers
// instrument), so they test the strategies without a collector.
template <class... S>
auto without_collectors(std::tuple<S...>*) -> decltype(std::tuple_cat(
    std::declval<std::conditional_t<!S::kTraits.sanitizer_safe, std::tuple<>,
                                    std::tuple<S>>>()...));
#ifdef MEMSTRAT_SANITIZED
using TestedStrategies =
    decltype(without_collectors(static_cast<AllStrategies*>(nullptr)));
#else
using TestedStrategies = AllStrategies;
#endif

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

// One complete run of workload W under a fresh strategy S, with the
// allocation counters it moved on this thread.
template <class W, class S>
WorkloadRun run_counted(const typename W::Params& p) {
  S s;
  const AllocCounters before = thread_counters();
  const std::uint64_t checksum = W::run(s, p);
  return {checksum, thread_counters() - before};
}

}  // namespace memstrat::testing
