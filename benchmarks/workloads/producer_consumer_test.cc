// producer_consumer: the same work whatever the batch size, including the
// lock-step extreme (batch 1), one batch, and a last batch cut short.
#include "benchmarks/workloads/producer_consumer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>

#include "allocators/all.h"
#include "tests/test_support.h"

namespace memstrat::testing {
namespace {

TEST(ProducerConsumer, SameWorkForEveryBatchSize) {
  for (const auto& [messages, batch] :
       {std::pair<std::int64_t, std::int64_t>{1, 1},
        {300, 1},
        {1000, 1000},
        {1000, 300},
        {2000, 7}}) {
    SCOPED_TRACE(std::to_string(messages) + " messages, batch " +
                 std::to_string(batch));
    const std::int64_t args[] = {messages, batch};
    const auto params = ProducerConsumer::params(args);
    const WorkloadRun reference =
        run_counted<ProducerConsumer, Baseline>(params);
    // Each message is the message and its payload buffer; plus the ring.
    EXPECT_EQ(reference.counters.allocations,
              2 * static_cast<std::uint64_t>(messages) + 1);
    for_each_type<TestedStrategies>([&]<class S>() {
      SCOPED_TRACE(std::string(S::kName));
      const WorkloadRun run = run_counted<ProducerConsumer, S>(params);
      EXPECT_EQ(run.checksum, reference.checksum);
      EXPECT_EQ(run.counters.allocations, reference.counters.allocations);
      // The objects freed on the consumer's thread are counted too.
      if constexpr (StrategyFor<S, ProducerConsumer>::kTraits.frees ==
                    Frees::kEveryObject) {
        EXPECT_EQ(run.counters.frees, run.counters.allocations);
      }
    });
  }
}

// The consumer's checksum part depends on FIFO order only, not on how the
// threads interleave: repeated runs agree.
TEST(ProducerConsumer, ChecksumDoesNotDependOnScheduling) {
  const std::int64_t args[] = {3000, 500};
  const auto params = ProducerConsumer::params(args);
  StrategyFor<Baseline, ProducerConsumer> s;
  const std::uint64_t first = ProducerConsumer::run(s, params);
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(ProducerConsumer::run(s, params), first);
}

TEST(ProducerConsumer, RejectsParamsOutOfRange) {
  for (const auto& [messages, batch] :
       {std::pair<std::int64_t, std::int64_t>{0, 1},
        {10, 0},
        {10, 11},
        {-5, 1},
        {1'000'000'001, 1}}) {
    const std::int64_t args[] = {messages, batch};
    EXPECT_THROW(ProducerConsumer::params(args), std::invalid_argument);
  }
}

}  // namespace
}  // namespace memstrat::testing
