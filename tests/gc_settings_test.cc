// The gc strategy's settings: its flags parse and reject bad values and
// combinations with one line each; bdwgc runs with what they ask for, as
// read back from bdwgc itself; the stop-the-world totals grow with
// collections; and the harness passes them on as counters.
//
// bdwgc starts once per process, so every start-up with settings runs in a
// child (a death test in the "threadsafe" style: a fresh exec of this binary)
// that prints what bdwgc reports and exits 0 only if it is right. This
// binary's main() does not start bdwgc.
#include <benchmark/benchmark.h>
#include <gc/gc.h>
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "allocators/gc.h"
#include "benchmarks/catalogue.h"
#include "benchmarks/harness/keep.h"
#include "benchmarks/harness/options.h"
#include "benchmarks/harness/register.h"
#include "benchmarks/harness/strategy_list.h"
#include "tests/test_support.h"

namespace memstrat::testing {
namespace {

struct Argv {
  explicit Argv(std::vector<std::string> a) : args(std::move(a)) {
    args.insert(args.begin(), "bench");
    for (auto& s : args) ptrs.push_back(s.data());
    ptrs.push_back(nullptr);
    argc = static_cast<int>(args.size());
  }
  std::vector<std::string> args;
  std::vector<char*> ptrs;
  int argc;
};

Options parse(std::vector<std::string> args) {
  Argv a(std::move(args));
  return parse_options(a.argc, a.ptrs.data(), Gc::kSettings);
}

// The one-line message parse() throws for `args`, or "" if it accepts them.
std::string refusal(std::vector<std::string> args) {
  try {
    parse(std::move(args));
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

TEST(GcSettings, ParseAndAreStoredUntilTheCollectorStarts) {
  const Options o = parse(
      {"--gc_max_heap_kib=4096", "--gc_initial_heap_kib=4096",
       "--gc_free_space_divisor=10", "--gc_markers=1", "--gc_incremental=1"});
  ASSERT_EQ(o.settings.size(), 5u);
  EXPECT_EQ(o.settings[0].first.flag, "--gc_max_heap_kib");
  EXPECT_EQ(o.settings[0].second, 4096);
  EXPECT_TRUE(o.settings[0].first.caps_memory);
  EXPECT_EQ(o.settings[4].second, 1);
  // A process that only parses and applies never starts bdwgc.
  EXPECT_EXIT(
      {
        apply_settings(o);
        std::_Exit(GC_is_init_called() ? 1 : 0);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST(GcSettings, BadValuesAreRefusedWithOneLine) {
  for (const std::vector<std::string>& bad :
       std::vector<std::vector<std::string>>{{"--gc_free_space_divisor=0"},
                                             {"--gc_free_space_divisor=1001"},
                                             {"--gc_markers=0"},
                                             {"--gc_markers=65"},
                                             {"--gc_incremental=2"},
                                             {"--gc_incremental=-1"},
                                             {"--gc_max_heap_kib=0"},
                                             {"--gc_max_heap_kib=12k"},
                                             {"--gc_initial_heap_kib=0"},
                                             {"--gc_markers"}}) {
    const std::string why = refusal(bad);
    EXPECT_NE(why, "") << bad[0] << " was accepted";
    EXPECT_EQ(why.find('\n'), std::string::npos) << why;
    EXPECT_NE(why.find(bad[0].substr(0, bad[0].find('='))), std::string::npos)
        << why;
  }
}

TEST(GcSettings, ConflictingCombinationsAreRefusedWithOneLine) {
  EXPECT_EQ(refusal({"--gc_max_heap_kib=1024", "--gc_max_heap_mb=1"}),
            "--gc_max_heap_kib and --gc_max_heap_mb both cap the heap; give "
            "one of them");
  EXPECT_EQ(refusal({"--gc_max_heap_kib=1024", "--gc_initial_heap_kib=1025"}),
            "--gc_initial_heap_kib=1025 is above the heap cap (1024 KiB); "
            "pre-size the heap to the cap at most");
  // The MiB cap counts too, in KiB.
  EXPECT_NE(refusal({"--gc_max_heap_mb=1", "--gc_initial_heap_kib=1025"}), "");
  EXPECT_EQ(refusal({"--gc_max_heap_mb=1", "--gc_initial_heap_kib=1024"}), "");
  EXPECT_EQ(refusal({"--gc_initial_heap_kib=1024", "--gc_max_heap_kib=1024"}),
            "");
  EXPECT_EQ(refusal({"--gc_initial_heap_kib=65536"}), "");  // no cap: any size
}

// In the child: applies `args`, starts the collector by making the strategy,
// prints what bdwgc reports and exits 0 when `ok` holds of it.
template <class Ok>
[[noreturn]] void start_and_report(std::vector<std::string> args, Ok ok) {
  apply_settings(parse(std::move(args)));
  Gc gc;
  const GcSettingsReadBack r = gc_settings_read_back();
  const std::size_t heap = GC_get_heap_size();
  std::fprintf(stderr,
               "markers=%lld incremental=%d divisor=%lld max=%lld "
               "initial=%lld heap=%zu\n",
               static_cast<long long>(r.markers), r.incremental ? 1 : 0,
               static_cast<long long>(r.free_space_divisor),
               static_cast<long long>(r.max_heap_bytes),
               static_cast<long long>(r.initial_heap_bytes), heap);
  std::_Exit(ok(r, heap) ? 0 : 1);
}

using ::testing::ExitedWithCode;

TEST(GcSettingsReadBack, DefaultsAreBdwgcsOwn) {
  EXPECT_EXIT(start_and_report({},
                               [](const GcSettingsReadBack& r, std::size_t) {
                                 return !r.incremental &&
                                        r.free_space_divisor == 3 &&
                                        r.max_heap_bytes == 0 &&
                                        r.max_retries == 0 && r.markers >= 1;
                               }),
              ExitedWithCode(0), "incremental=0 divisor=3 max=0 ");
}

TEST(GcSettingsReadBack, OneMarker) {
  EXPECT_EXIT(start_and_report({"--gc_markers=1"},
                               [](const GcSettingsReadBack& r, std::size_t) {
                                 return r.markers == 1;
                               }),
              ExitedWithCode(0), "markers=1 ");
}

TEST(GcSettingsReadBack, FreeSpaceDivisor) {
  EXPECT_EXIT(start_and_report({"--gc_free_space_divisor=10"},
                               [](const GcSettingsReadBack& r, std::size_t) {
                                 return r.free_space_divisor == 10;
                               }),
              ExitedWithCode(0), "divisor=10 ");
}

// Here bdwgc tracks dirty pages by page protection (the kernel has no
// soft-dirty bits); either way it must report incremental mode on.
TEST(GcSettingsReadBack, Incremental) {
  EXPECT_EXIT(start_and_report({"--gc_incremental=1"},
                               [](const GcSettingsReadBack& r, std::size_t) {
                                 return r.incremental;
                               }),
              ExitedWithCode(0), "incremental=1 ");
}

TEST(GcSettingsReadBack, InitialHeapPreSizesTheHeap) {
  constexpr std::size_t kBytes = std::size_t{16} << 20;
  EXPECT_EXIT(
      start_and_report({"--gc_initial_heap_kib=16384"},
                       [](const GcSettingsReadBack& r, std::size_t heap) {
                         return heap >= kBytes &&
                                r.initial_heap_bytes >=
                                    static_cast<std::int64_t>(kBytes);
                       }),
      ExitedWithCode(0), "initial=[0-9]+ heap=[0-9]+");
}

// -Xms = -Xmx: pre-sized to the cap exactly, and the cap is what bdwgc got.
TEST(GcSettingsReadBack, PreSizedToTheCap) {
  constexpr std::int64_t kBytes = std::int64_t{8} << 20;
  EXPECT_EXIT(start_and_report(
                  {"--gc_max_heap_kib=8192", "--gc_initial_heap_kib=8192"},
                  [](const GcSettingsReadBack& r, std::size_t heap) {
                    // A cap collects once before it fails.
                    return r.max_heap_bytes == kBytes && r.max_retries == 1 &&
                           r.initial_heap_bytes == kBytes &&
                           static_cast<std::int64_t>(heap) == kBytes;
                  }),
              ExitedWithCode(0), "max=8388608 initial=8388608 ");
}

// Incremental mode finds dirty pages by page protection here: every workload
// keeps its checksum under it (a write the collector missed would free a
// live object).
TEST(GcSettingsReadBack, IncrementalModeKeepsEveryChecksum) {
  EXPECT_EXIT(
      {
        apply_settings(parse({"--gc_incremental=1"}));
        int wrong = 0;
        for_each_type<AllWorkloads>([&]<class W>() {
          const auto params = W::params(W::kSmall);
          const std::uint64_t gc = run_counted<W, Gc>(params).checksum;
          if (gc != run_counted<W, Baseline>(params).checksum) {
            std::fprintf(stderr, "%s: wrong checksum\n",
                         std::string(W::kName).c_str());
            ++wrong;
          }
        });
        std::fprintf(stderr, "incremental=%d wrong=%d\n",
                     GC_is_incremental_mode(), wrong);
        std::_Exit(wrong == 0 && GC_is_incremental_mode() ? 0 : 1);
      },
      ExitedWithCode(0), "incremental=1 wrong=0");
}

// At a cap too small the allocation fails cleanly (std::bad_alloc from the
// strategy, bdwgc's out-of-memory function returning NULL): no abort.
TEST(GcSettingsReadBack, AllocatingPastTheCapThrowsBadAlloc) {
  EXPECT_EXIT(
      {
        apply_settings(parse({"--gc_max_heap_kib=256"}));
        Gc gc;
        int code = 1;
        void** chain = nullptr;  // on the stack: every block stays reachable
        try {
          for (int i = 0; i < 1 << 20; ++i) {
            void** block = gc.allocator<void*>().allocate(512);
            block[0] = chain;
            chain = block;
          }
        } catch (const std::bad_alloc&) {
          code = 0;
        }
        keep(chain);
        std::_Exit(code);
      },
      ExitedWithCode(0), "");
}

// What the runner's curve profiles read: the heap flags, bdwgc's growth
// step, the divisor sweep and the two collector variants.
TEST(GcSettings, DeclaredForTheSpaceTimeCurve) {
  const nlohmann::json d =
      nlohmann::json::parse(list_strategies_json<std::tuple<Gc>>())[0];
  EXPECT_EQ(d["heap"], nlohmann::json::parse(R"({
      "cap_flag": "--gc_max_heap_kib", "presize_flag": "--gc_initial_heap_kib",
      "flag_unit_bytes": 1024, "granularity_bytes": 65536})"));
  ASSERT_EQ(d["sweeps"].size(), 1u);
  EXPECT_EQ(d["sweeps"][0]["flag"], "--gc_free_space_divisor");
  EXPECT_EQ(d["sweeps"][0]["default"], 3);
  EXPECT_EQ(d["sweeps"][0]["values"],
            nlohmann::json::parse("[1, 2, 5, 10, 30]"));
  ASSERT_EQ(d["variants"].size(), 2u);
  EXPECT_EQ(d["variants"][0]["flags"],
            nlohmann::json::parse(R"(["--gc_markers=1"])"));
  EXPECT_EQ(d["variants"][1]["flags"],
            nlohmann::json::parse(R"(["--gc_incremental=1"])"));
  // Every flag the declaration names is one of the strategy's settings, and
  // every value the sweep walks is one the flag accepts.
  auto setting = [](std::string_view flag) -> const StrategySetting* {
    for (const StrategySetting& s : Gc::kSettings) {
      if (s.flag == flag) return &s;
    }
    return nullptr;
  };
  EXPECT_NE(setting(Gc::kCurve.heap.cap_flag), nullptr);
  EXPECT_NE(setting(Gc::kCurve.heap.presize_flag), nullptr);
  for (const SweepDeclaration& sweep : Gc::kCurve.sweeps) {
    const StrategySetting* s = setting(sweep.flag);
    ASSERT_NE(s, nullptr) << sweep.flag;
    EXPECT_EQ(s->min, sweep.min);
    EXPECT_EQ(s->max, sweep.max);
    for (const std::int64_t v : sweep.values) {
      EXPECT_TRUE(v >= s->min && v <= s->max) << v;
    }
  }
  for (const VariantDeclaration& v : Gc::kCurve.variants) {
    std::vector<std::string> args(v.flags.begin(), v.flags.end());
    EXPECT_EQ(refusal(args), "") << v.name;
  }
}

double stat(const Gc& gc, std::string_view name) {
  return harness::strategy_stats(gc).at(std::string(name)).first;
}

TEST(GcStopWorld, TotalsGrowWithCollectionsWithinTheCoresBound) {
  Gc gc;
  const double wall_before = stat(gc, "gc_stop_world_time");
  const double cpu_before = stat(gc, "gc_stop_world_cpu_time");
  const auto collections_before = GC_get_gc_no();
  constexpr int kCollections = 5;
  for (int i = 0; i < kCollections; ++i) {
    for (int j = 0; j < 1000; ++j) {
      auto* garbage = gc.make<std::array<void*, 4>>();
      keep(garbage);
    }
    GC_gcollect();
  }
  const double wall = stat(gc, "gc_stop_world_time") - wall_before;
  const double cpu = stat(gc, "gc_stop_world_cpu_time") - cpu_before;
  const auto collections = GC_get_gc_no() - collections_before;
  ASSERT_GE(collections, GC_word{kCollections});
  EXPECT_GT(wall, 0);
  EXPECT_GT(cpu, 0);
  // Inside a stop-the-world interval at most every core runs. The CPU clock
  // is read just outside the wall clock at both ends: a few microseconds of
  // slack per collection.
  const double cores = std::max(1u, std::thread::hardware_concurrency());
  EXPECT_LE(cpu, wall * cores + 1e-3 + 1e-4 * static_cast<double>(collections))
      << "wall " << wall << " s, cpu " << cpu << " s, " << collections
      << " collections";
}

// Collects what Google Benchmark reports.
class Collector : public benchmark::BenchmarkReporter {
 public:
  bool ReportContext(const Context&) override { return true; }
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& r : runs) this->runs.push_back(r);
  }
  std::vector<Run> runs;
};

TEST(GcStopWorld, TimedRunsReportThemAsCountersPerIteration) {
  Options o;
  o.sizes = SizeSet::kSmall;
  o.iterations = 20;
  register_benchmarks<std::tuple<BinaryTrees>, std::tuple<Gc>>(o);
  Collector collector;
  ASSERT_EQ(benchmark::RunSpecifiedBenchmarks(&collector, "^binary_trees/gc/"),
            1u);
  ASSERT_EQ(collector.runs.size(), 1u);
  const auto& counters = collector.runs[0].counters;
  ASSERT_TRUE(counters.contains("gc_stop_world_time"));
  ASSERT_TRUE(counters.contains("gc_stop_world_cpu_time"));
  const auto& wall = counters.at("gc_stop_world_time");
  EXPECT_EQ(wall.flags, benchmark::Counter::kAvgIterations);
  EXPECT_GT(wall.value, 0);  // 20 runs of depth 10 collect
  EXPECT_GE(counters.at("gc_stop_world_cpu_time").value, 0);
  EXPECT_GT(counters.at("gc_collections").value, 0);
}

}  // namespace
}  // namespace memstrat::testing

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  // Each death test's child is a fresh exec of this binary, so bdwgc starts
  // there with that test's settings, whatever the parent started.
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  return RUN_ALL_TESTS();
}
