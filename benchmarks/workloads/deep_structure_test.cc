// deep_structure: the teardown is a loop, not a recursion, under the
// strategies whose release would otherwise recurse once per node (those that
// free every object: a release walk or a destructor cascade).
#include "benchmarks/workloads/deep_structure.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>
#include <string>

#include "allocators/all.h"
#include "tests/test_support.h"

namespace memstrat::testing {
namespace {

// A recursive teardown of a million nodes needs tens of megabytes of stack
// and crashes on the usual 8 MB; kSmall (20k nodes) would not show it.
TEST(DeepStructure, MillionNodesTearDownWithoutRecursion) {
  const std::int64_t args[] = {1'000'000};
  const auto params = DeepStructure::params(args);
  const WorkloadRun reference = run_counted<DeepStructure, Baseline>(params);
  EXPECT_EQ(reference.counters.allocations, 1'000'000u);
  for_each_type<TestedStrategies>([&]<class S>() {
    if constexpr (StrategyFor<S, DeepStructure>::kTraits.frees ==
                  Frees::kEveryObject) {
      SCOPED_TRACE(std::string(S::kName));
      const WorkloadRun run = run_counted<DeepStructure, S>(params);
      EXPECT_EQ(run.checksum, reference.checksum);
      EXPECT_EQ(run.counters.frees, 1'000'000u);
    }
  });
}

TEST(DeepStructure, OneNode) {
  const std::int64_t args[] = {1};
  const auto params = DeepStructure::params(args);
  const WorkloadRun reference = run_counted<DeepStructure, Baseline>(params);
  EXPECT_EQ(reference.counters.allocations, 1u);
  for_each_type<TestedStrategies>([&]<class S>() {
    SCOPED_TRACE(std::string(S::kName));
    const WorkloadRun run = run_counted<DeepStructure, S>(params);
    EXPECT_EQ(run.checksum, reference.checksum);
  });
}

TEST(DeepStructure, RejectsLengthsOutOfRange) {
  for (const std::int64_t length : {-1, 0, 20'000'001}) {
    const std::int64_t args[] = {length};
    EXPECT_THROW(DeepStructure::params(args), std::invalid_argument);
  }
}

}  // namespace
}  // namespace memstrat::testing
