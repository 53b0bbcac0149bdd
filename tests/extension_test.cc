// The extension claim, tested: a strategy defined only in this file (no
// other file names it) satisfies the concept, passes the parity suite on
// every workload, registers with the benchmark harness, shows in
// --list_benchmarks and --list_strategies with its hooks (version, setting,
// space-time declaration),
// and runs, timed and probed. A second one, chooser, configures itself per
// workload (For<W>), as pmr does: the harness must run StrategyFor<S, W>.
#include <benchmark/benchmark.h>
#include <gtest/gtest.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <new>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "allocators/allocator_base.h"
#include "allocators/arena.h"
#include "allocators/counters.h"
#include "allocators/strategy.h"
#include "benchmarks/catalogue.h"
#include "benchmarks/harness/options.h"
#include "benchmarks/harness/probe_main.h"
#include "benchmarks/harness/register.h"
#include "benchmarks/harness/strategy_list.h"
#include "tests/parity.h"
#include "tests/test_support.h"

namespace memstrat::testing {
namespace {

// --- The strategy: std::malloc and std::free, written as manual is. -------

// Its container allocator: only the byte-level calls; AllocatorBase does
// the rest (value_type, rebinding, ==, counting).
template <class T>
struct MallocAllocator : AllocatorBase<MallocAllocator<T>, T> {
  using AllocatorBase<MallocAllocator<T>, T>::AllocatorBase;

  static void* allocate_bytes(std::size_t bytes, std::size_t align) {
    if (align > alignof(std::max_align_t)) throw std::bad_alloc();
    if (void* p = std::malloc(bytes == 0 ? 1 : bytes)) return p;
    throw std::bad_alloc();
  }
  static void deallocate_bytes(void* p, std::size_t, std::size_t) noexcept {
    std::free(p);
  }
};

std::int64_t malloc_free_setting = 0;

class MallocFree {
 public:
  static constexpr std::string_view kName = "malloc_free";
  static constexpr StrategyTraits kTraits{
      .summary = "std::malloc, and std::free at the point of last use",
      .reclaim = ReclaimKind::kRelease,
      .frees = Frees::kEveryObject,
      .release_order = "depth first, owners in reverse declaration order",
      .colour = "#999999"};
  // Optional hooks, so the test can see the harness find them.
  static LibraryVersion library_version() { return {"test_libc", "1.2.3"}; }
  static constexpr std::array<StrategySetting, 1> kSettings{
      {{.flag = "--malloc_free_test_mb",
        .help = "a setting only the extension test declares",
        .apply = [](std::int64_t n) { malloc_free_setting = n; }}}};
  // A space-time declaration: a heap the runner could cap, no pre-sizing,
  // one sweep, one variant.
  static constexpr std::int64_t kSweepValues[] = {1, 4};
  static constexpr SweepDeclaration kSweeps[] = {
      {.name = "test_knob",
       .flag = "--malloc_free_test_mb",
       .label = "test knob",
       .default_value = 2,
       .min = 1,
       .max = 8,
       .values = kSweepValues}};
  static constexpr std::string_view kVariantFlags[] = {
      "--malloc_free_test_mb=3"};
  static constexpr VariantDeclaration kVariants[] = {
      {.name = "three",
       .label = "three MiB",
       .flags = kVariantFlags,
       .summary = "a variant only the extension test declares"}};
  static constexpr CurveDeclaration kCurve{
      .heap = {.cap_flag = "--malloc_free_test_mb",
               .presize_flag = "",
               .flag_unit_bytes = 1 << 20,
               .granularity_bytes = 4096},
      .sweeps = kSweeps,
      .variants = kVariants};

  template <class T>
  using Owner = T*;
  template <class T>
  using Allocator = MallocAllocator<T>;
  struct Epoch {};

  template <class T, class... Args>
  T* make(Args&&... args) {
    count_allocation(sizeof(T));
    void* m = MallocAllocator<T>::allocate_bytes(sizeof(T), alignof(T));
    T* p = ::new (m) T(std::forward<Args>(args)...);
    escape(p);  // GCC deletes malloc/free pairs whose pointer never escapes
    return p;
  }

  template <class T>
  void release(T*& p) {
    if (p != nullptr) destroy(p);
    p = nullptr;
  }

  Epoch begin_epoch() noexcept { return {}; }
  void end_epoch(Epoch) noexcept {}

  template <class T>
  Allocator<T> allocator() noexcept {
    return {};
  }

 private:
  template <class T>
  static void destroy(T* p) {
    if constexpr (HasOwnedEdges<T>) {
      p->for_each_owned([](auto* child) {
        if (child != nullptr) destroy(child);
      });
    }
    count_free();
    p->~T();
    std::free(p);
  }
};

static_assert(MemoryStrategy<MallocFree>);

// --- A strategy that picks its configuration per workload. ----------------

// binary_trees' objects die by epoch: the arena; every other workload's one
// by one: malloc_free. Chooser itself only names and declares.
struct Chooser {
  static constexpr std::string_view kName = "chooser";
  static constexpr StrategyTraits kTraits = MallocFree::kTraits;
  template <class W>
  using For =
      std::conditional_t<std::is_same_v<W, BinaryTrees>, Arena, MallocFree>;
};

using Extensions = std::tuple<MallocFree, Chooser>;

// --- The parity suite, on every workload. --------------------------------

using ExtensionCases = ParityCases<AllWorkloads, Extensions>;
INSTANTIATE_TYPED_TEST_SUITE_P(Extension, StrategyParity, ExtensionCases,
                               ParityCaseNames);

// --- The harness. ----------------------------------------------------------

// Registers the extensions once for this process (the registries are global).
const Options& registered() {
  static const Options opt = [] {
    Options o;
    o.sizes = SizeSet::kSmall;
    o.iterations = 1;
    register_benchmarks<AllWorkloads, Extensions>(o);
    return o;
  }();
  return opt;
}

TEST(ExtensionStrategy, RegistersEveryWorkload) {
  registered();
  const nlohmann::json list = nlohmann::json::parse(list_benchmarks_json());
  for_each_type<AllWorkloads>([&]<class W>() {
    for (const std::string_view strategy : {"malloc_free", "chooser"}) {
      SCOPED_TRACE(std::string(W::kName) + "/" + std::string(strategy));
      int found = 0;
      for (const auto& b : list) {
        found += b["workload"] == W::kName && b["strategy"] == strategy;
      }
      EXPECT_EQ(found, 1);
    }
  });
}

TEST(ExtensionStrategy, ListsItsDeclarationsAndHooks) {
  const nlohmann::json all =
      nlohmann::json::parse(list_strategies_json<Extensions>());
  ASSERT_EQ(all.size(), 2u);
  const nlohmann::json& d = all[0];
  EXPECT_EQ(d["name"], "malloc_free");
  EXPECT_EQ(d["frees"], "every_object");
  EXPECT_EQ(d["reclaim_kind"], "release");
  EXPECT_EQ(d["library"], "test_libc");
  EXPECT_EQ(d["version"], "1.2.3");
  EXPECT_EQ(d["settings"], nlohmann::json::array({"--malloc_free_test_mb"}));
  EXPECT_FALSE(all[1].contains("version"));
  // Its curve declaration (kCurve); chooser has none, so none of the keys.
  EXPECT_EQ(d["heap"], nlohmann::json::parse(R"({
      "cap_flag": "--malloc_free_test_mb", "presize_flag": null,
      "flag_unit_bytes": 1048576, "granularity_bytes": 4096})"));
  EXPECT_EQ(d["sweeps"], nlohmann::json::parse(R"([{
      "name": "test_knob", "flag": "--malloc_free_test_mb",
      "label": "test knob", "default": 2, "min": 1, "max": 8,
      "values": [1, 4]}])"));
  EXPECT_EQ(d["variants"], nlohmann::json::parse(R"([{
      "name": "three", "label": "three MiB",
      "flags": ["--malloc_free_test_mb=3"],
      "summary": "a variant only the extension test declares"}])"));
  for (const char* key : {"heap", "sweeps", "variants"}) {
    EXPECT_FALSE(all[1].contains(key)) << key;
  }

  const auto versions = library_versions<Extensions>();
  ASSERT_EQ(versions.size(), 1u);
  EXPECT_EQ(versions[0].first, "test_libc");
}

TEST(ExtensionStrategy, ItsSettingIsParsedListedAndApplied) {
  const std::vector<StrategySetting> settings = strategy_settings<Extensions>();
  ASSERT_EQ(settings.size(), 1u);
  std::string args[] = {"bench", "--malloc_free_test_mb=7"};
  char* argv[] = {args[0].data(), args[1].data(), nullptr};
  int argc = 2;
  const Options opt = parse_options(argc, argv, settings);
  EXPECT_EQ(argc, 1);
  apply_settings(opt);
  EXPECT_EQ(malloc_free_setting, 7);
  EXPECT_NE(options_help(settings).find("--malloc_free_test_mb=N"),
            std::string::npos);
}

TEST(ExtensionStrategy, SelectedByItsDeclarationsPerWorkload) {
  Options opt;
  opt.strategies_that = {"reclaim_epoch_end"};
  // chooser runs the arena on binary_trees only.
  EXPECT_TRUE(strategy_selected(opt, Chooser::kName,
                                StrategyFor<Chooser, BinaryTrees>::kTraits));
  EXPECT_FALSE(strategy_selected(opt, Chooser::kName,
                                 StrategyFor<Chooser, ListChurn>::kTraits));
  EXPECT_FALSE(strategy_selected(opt, MallocFree::kName, MallocFree::kTraits));
}

// The probe runs StrategyFor<S, W>: its reclaim kind is the configured one.
TEST(ExtensionStrategy, ProbesWithTheBaselinesChecksum) {
  registered();
  const auto params = BinaryTrees::params(BinaryTrees::kSmall);
  const std::uint64_t reference =
      run_counted<BinaryTrees, Baseline>(params).checksum;
  char expected[19];
  std::snprintf(expected, sizeof expected, "0x%016llx",
                static_cast<unsigned long long>(reference));
  int probed = 0;
  for (const ProbeEntry& e : probe_registry()) {
    if (e.workload != "binary_trees") continue;
    SCOPED_TRACE(e.name);
    const nlohmann::json p = e.run({1, 10});
    EXPECT_EQ(p["checksum"], expected);
    EXPECT_EQ(p["reclaim_kind"],
              e.strategy == "chooser" ? "epoch_end" : "release");
    EXPECT_TRUE(p["gc"].is_null());  // no probe-figures hook
    ++probed;
  }
  EXPECT_EQ(probed, 2);
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

TEST(ExtensionStrategy, RunsAsABenchmark) {
  registered();
  Collector collector;
  const std::size_t matched = benchmark::RunSpecifiedBenchmarks(
      &collector, "^binary_trees/malloc_free/");
  EXPECT_EQ(matched, 1u);
  ASSERT_EQ(collector.runs.size(), 1u);
  const auto& run = collector.runs[0];
  EXPECT_FALSE(run.error_occurred) << run.error_message;
  const auto params = BinaryTrees::params(BinaryTrees::kSmall);
  const WorkloadRun reference = run_counted<BinaryTrees, Baseline>(params);
  EXPECT_EQ(run.counters.at("checksum").value,
            harness::checksum_counter(reference.checksum));
  EXPECT_EQ(run.counters.at("allocations").value,
            static_cast<double>(reference.counters.allocations));
}

}  // namespace
}  // namespace memstrat::testing
