// list_churn: messages leave in the order they arrived, whatever the queue
// length, and each push is one allocation of one Message.
#include "benchmarks/workloads/list_churn.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>
#include <string>

#include "allocators/all.h"
#include "tests/test_support.h"

namespace memstrat::testing {
namespace {

// The checksum folds messages in pop order; a FIFO pops in id order at every
// queue length, so the checksum cannot depend on it.
TEST(ListChurn, FifoOrderAtEveryQueueLength) {
  const std::int64_t first[] = {300, 0};
  const std::uint64_t reference =
      run_counted<ListChurn, Baseline>(ListChurn::params(first)).checksum;
  for (const std::int64_t queue : {1, 7, 299, 300}) {
    SCOPED_TRACE("queue " + std::to_string(queue));
    const std::int64_t args[] = {300, queue};
    const auto params = ListChurn::params(args);
    for_each_type<TestedStrategies>([&]<class S>() {
      SCOPED_TRACE(std::string(S::kName));
      const WorkloadRun run = run_counted<ListChurn, S>(params);
      EXPECT_EQ(run.checksum, reference);
    });
  }
}

TEST(ListChurn, OneMessagePerPush) {
  const std::int64_t args[] = {123, 10};
  const WorkloadRun run =
      run_counted<ListChurn, Baseline>(ListChurn::params(args));
  const std::uint64_t pushes = 123 * ListChurn::kBatches;
  EXPECT_EQ(run.counters.allocations, pushes);
  EXPECT_EQ(run.counters.bytes, pushes * sizeof(ListChurn::Message<Baseline>));
}

TEST(ListChurn, RejectsBadParams) {
  const std::int64_t bad[][2] = {
      {0, 0}, {-1, 0}, {100'000'001, 1}, {10, -1}, {10, 11}};
  for (const auto& args : bad) {
    EXPECT_THROW(ListChurn::params(args), std::invalid_argument);
  }
}

}  // namespace
}  // namespace memstrat::testing
