// lifetime_mix: every object is one node plus one buffer, every object dies,
// and the trace is the same under every strategy at the parameters' edges.
#include "benchmarks/workloads/lifetime_mix.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>

#include "allocators/all.h"
#include "tests/test_support.h"

namespace memstrat::testing {
namespace {

// Lifetimes of one step, lifetimes far beyond the run, and the largest wheel.
TEST(LifetimeMix, SameTraceAtTheEdges) {
  for (const auto& [steps, mean_life] :
       {std::pair<std::int64_t, std::int64_t>{1, 1},
        {3000, 1},
        {500, 5000},
        {2000, 100'000}}) {
    SCOPED_TRACE(std::to_string(steps) + " steps, mean life " +
                 std::to_string(mean_life));
    const std::int64_t args[] = {steps, mean_life};
    const auto params = LifetimeMix::params(args);
    const WorkloadRun reference = run_counted<LifetimeMix, Baseline>(params);
    // A node and a buffer per step, and the wheel.
    EXPECT_EQ(reference.counters.allocations,
              2 * static_cast<std::uint64_t>(steps) + 1);
    EXPECT_EQ(reference.counters.frees, reference.counters.allocations);
    for_each_type<TestedStrategies>([&]<class S>() {
      SCOPED_TRACE(std::string(S::kName));
      const WorkloadRun run = run_counted<LifetimeMix, S>(params);
      EXPECT_EQ(run.checksum, reference.checksum);
      EXPECT_EQ(run.counters.allocations, reference.counters.allocations);
    });
  }
}

TEST(LifetimeMix, RejectsBadParams) {
  const std::int64_t bad[][2] = {
      {0, 10}, {-5, 10}, {10'000'001, 10}, {10, 0}, {10, 100'001}};
  for (const auto& args : bad) {
    EXPECT_THROW(LifetimeMix::params(args), std::invalid_argument);
  }
}

}  // namespace
}  // namespace memstrat::testing
