// string_dict: the same counts under every strategy at the parameters' edges
// (one word, one key, the widest index digits).
#include "benchmarks/workloads/string_dict.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>

#include "allocators/all.h"
#include "tests/test_support.h"

namespace memstrat::testing {
namespace {

TEST(StringDict, SameCountsAtTheEdges) {
  for (const auto& [words, vocabulary] :
       {std::pair<std::int64_t, std::int64_t>{1, 1},
        {1000, 1},
        {1000, 26},
        {1000, 27},
        {3000, StringDict::kMaxVocabulary}}) {
    SCOPED_TRACE(std::to_string(words) + " words, vocabulary " +
                 std::to_string(vocabulary));
    const std::int64_t args[] = {words, vocabulary};
    const auto params = StringDict::params(args);
    const WorkloadRun reference = run_counted<StringDict, Baseline>(params);
    EXPECT_EQ(reference.counters.frees, reference.counters.allocations);
    for_each_type<TestedStrategies>([&]<class S>() {
      SCOPED_TRACE(std::string(S::kName));
      const WorkloadRun run = run_counted<StringDict, S>(params);
      EXPECT_EQ(run.checksum, reference.checksum);
      EXPECT_EQ(run.counters.allocations, reference.counters.allocations);
    });
  }
}

TEST(StringDict, RejectsBadParams) {
  const std::int64_t bad[][2] = {{0, 10},
                                 {1'000'000'001, 10},
                                 {10, 0},
                                 {10, StringDict::kMaxVocabulary + 1}};
  for (const auto& args : bad) {
    EXPECT_THROW(StringDict::params(args), std::invalid_argument);
  }
}

}  // namespace
}  // namespace memstrat::testing
