// Tests of joining repetitions across rounds: order, renumbering, and
// aggregates computed by Google Benchmark's formulas (checked here against
// hand-worked values; scripts/tests/test_run.py checks them against the
// aggregates Google Benchmark itself wrote).
#include "benchmarks/tools/repetitions.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

namespace memstrat {
namespace {

using nlohmann::json;

json run(const char* name, double real_time, double frees) {
  return {
      {"name", name},      {"run_name", name},       {"run_type", "iteration"},
      {"repetitions", 2},  {"repetition_index", 0},  {"threads", 1},
      {"iterations", 7},   {"real_time", real_time}, {"cpu_time", real_time},
      {"time_unit", "ms"}, {"frees", frees}};
}

json document(std::initializer_list<json> entries) {
  return {{"context", json::object()}, {"benchmarks", entries}};
}

TEST(JoinRepetitions, JoinsRoundsInOrderAndRenumbers) {
  const json joined = join_repetitions(
      {document({run("a/x", 4, 0), run("b/x", 99, 0), run("a/x", 2, 0)}),
       document({run("a/x", 10, 0)})},
      "a/x", {"r1", "r2"});
  const json& runs = joined["runs"];
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_EQ(runs[0]["real_time"], 4);
  EXPECT_EQ(runs[1]["real_time"], 2);
  EXPECT_EQ(runs[2]["real_time"], 10);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(runs[i]["repetition_index"], i);
    EXPECT_EQ(runs[i]["repetitions"], 3);
    EXPECT_EQ(runs[i]["iterations"], 7);  // a run's own iteration count
  }
}

TEST(JoinRepetitions, AggregatesAsGoogleBenchmarkComputesThem) {
  const json joined =
      join_repetitions({document({run("a/x", 1, 0), run("a/x", 2, 0)}),
                        document({run("a/x", 4, 0), run("a/x", 9, 0)})},
                       "a/x", {"r1", "r2"});
  const json& agg = joined["aggregates"];
  EXPECT_DOUBLE_EQ(agg["mean"]["real_time"].get<double>(), 4.0);
  EXPECT_DOUBLE_EQ(agg["median"]["real_time"].get<double>(), 3.0);  // (2+4)/2
  // Sample variance: (9 + 4 + 0 + 25) / 3.
  const double stddev = std::sqrt(38.0 / 3.0);
  EXPECT_DOUBLE_EQ(agg["stddev"]["cpu_time"].get<double>(), stddev);
  EXPECT_DOUBLE_EQ(agg["cv"]["real_time"].get<double>(), stddev / 4.0);
  EXPECT_EQ(agg["cv"]["aggregate_unit"], "percentage");
  EXPECT_EQ(agg["median"]["name"], "a/x_median");
  EXPECT_EQ(agg["median"]["run_type"], "aggregate");
  EXPECT_EQ(agg["median"]["iterations"], 4);  // Google Benchmark's convention
  EXPECT_FALSE(agg["median"].contains("repetition_index"));
  // A counter that is 0 everywhere has no cv: null, never NaN.
  EXPECT_TRUE(agg["cv"]["frees"].is_null());
  EXPECT_EQ(agg["mean"]["frees"], 0.0);
}

TEST(JoinRepetitions, OneRepetitionHasNoAggregates) {
  const json joined =
      join_repetitions({document({run("a/x", 1, 0)})}, "a/x", {"r1"});
  EXPECT_EQ(joined["runs"].size(), 1u);
  EXPECT_TRUE(joined["aggregates"].empty());
}

TEST(JoinRepetitions, ARoundWithoutTheBenchmarkIsAnError) {
  try {
    join_repetitions(
        {document({run("a/x", 1, 0)}), document({run("b/x", 1, 0)})}, "a/x",
        {"r1", "round-2.json"});
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "round-2.json holds no run of a/x");
  }
}

}  // namespace
}  // namespace memstrat
