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

// A JVM's run: the counters of its process's warm-up beside its own, no
// allocations or frees (Java has no per-allocation count).
json jvm_run(double real_time, double first_ns, double steady) {
  return {{"name", "a/j"},          {"run_name", "a/j"},
          {"run_type", "iteration"}, {"iterations", 3},
          {"real_time", real_time},  {"cpu_time", real_time * 1.5},
          {"time_unit", "ms"},       {"first_iteration_ns", first_ns},
          {"warmup_iterations", 40}, {"warmup_ns", 2e9},
          {"steady", steady},        {"gc_cpu_ns", 1e6}};
}

TEST(JoinRepetitions, EachProcessOfAWarmingUpRuntimeIsListed) {
  const json joined = join_repetitions(
      {document({jvm_run(4, 9e7, 1), jvm_run(5, 9e7, 1)}),
       document({jvm_run(6, 8e7, 0), jvm_run(7, 8e7, 0)})},
      "a/j", {"r1", "r2"});
  const json& processes = joined.at("processes");
  ASSERT_EQ(processes.size(), 2u);
  EXPECT_EQ(processes[0]["round"], 0);
  EXPECT_EQ(processes[0]["repetitions"], 2);
  EXPECT_EQ(processes[0]["steady"], true);
  EXPECT_EQ(processes[1]["steady"], false);
  EXPECT_EQ(processes[1]["first_iteration_ns"], 8e7);
  EXPECT_EQ(processes[1]["warmup_iterations"], 40);
  EXPECT_EQ(processes[1]["warmup_ns"], 2e9);
  EXPECT_EQ(joined["steady_state"], "mixed");
  // The counters are aggregated as every other; absent ones are no error.
  EXPECT_DOUBLE_EQ(joined["aggregates"]["median"]["gc_cpu_ns"].get<double>(),
                   1e6);
  EXPECT_FALSE(joined["aggregates"]["median"].contains("allocations"));

  const json steady = join_repetitions(
      {document({jvm_run(4, 9e7, 1)}), document({jvm_run(5, 9e7, 1)})}, "a/j",
      {"r1", "r2"});
  EXPECT_EQ(steady["steady_state"], "steady");
  const json none = join_repetitions({document({jvm_run(4, 9e7, 0)})}, "a/j",
                                     {"r1"});
  EXPECT_EQ(none["steady_state"], "no_steady_state");
  // A program without a warm-up rule has no process view.
  const json cpp =
      join_repetitions({document({run("a/x", 1, 0)})}, "a/x", {"r1"});
  EXPECT_FALSE(cpp.contains("processes"));
  EXPECT_FALSE(cpp.contains("steady_state"));
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
