// memstrat's flag parser: good flags are consumed, others left for Google
// Benchmark, bad values rejected with a one-line reason; strategies' declared
// settings are parsed like memstrat's own; strategies are selected by name
// and by declaration.
#include "benchmarks/harness/options.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace memstrat {
namespace {

std::int64_t applied_cap = 0;

// A setting as a strategy declares one (StrategySetting, strategy.h).
constexpr std::array<StrategySetting, 1> kTestSettings{
    {{.flag = "--test_cap_mb",
      .help = "cap the test heap at N MiB",
      .min = 1,
      .max = 64,
      .apply = [](std::int64_t n) { applied_cap = n; },
      .caps_memory = true}}};

struct Argv {
  explicit Argv(std::vector<std::string> a) : args(std::move(a)) {
    for (auto& s : args) ptrs.push_back(s.data());
    ptrs.push_back(nullptr);
    argc = static_cast<int>(args.size());
  }
  std::vector<std::string> args;
  std::vector<char*> ptrs;
  int argc;
};

TEST(Options, ConsumesItsFlagsAndKeepsTheRest) {
  Argv a({"bench", "--size=small", "--benchmark_filter=x", "--iterations=3",
          "--test_cap_mb=9", "--test_cap_mb=64"});
  const Options o = parse_options(a.argc, a.ptrs.data(), kTestSettings);
  EXPECT_EQ(o.sizes, SizeSet::kSmall);
  EXPECT_EQ(o.iterations, 3);
  ASSERT_EQ(o.settings.size(), 1u);  // given twice: the last value
  EXPECT_EQ(o.settings[0].first.flag, "--test_cap_mb");
  EXPECT_EQ(o.settings[0].second, 64);
  applied_cap = 0;
  apply_settings(o);
  EXPECT_EQ(applied_cap, 64);
  ASSERT_EQ(a.argc, 2);
  EXPECT_STREQ(a.ptrs[1], "--benchmark_filter=x");
  EXPECT_EQ(a.ptrs[2], nullptr);
}

TEST(Options, DefaultsToTheDefaultSize) {
  Argv a({"bench"});
  EXPECT_EQ(parse_options(a.argc, a.ptrs.data()).sizes, SizeSet::kDefault);
}

TEST(Options, RejectsBadValuesWithOneLine) {
  for (const char* bad :
       {"--size=huge", "--size", "--iterations=0", "--iterations=-4",
        "--iterations=3x", "--iterations=", "--test_cap_mb=abc",
        "--test_cap_mb=65", "--test_cap_mb",
        "--strategies=", "--strategies=a,,b", "--strategies_that=frees_all",
        "--strategies_that=collects,", "--benchmark_format=xml",
        "--benchmark_out_format=", "--benchmark_repetitions=0",
        "--benchmark_min_time=-1", "--benchmark_time_unit=days",
        "--benchmark_out=/nonexistent/dir/out.json"}) {
    Argv a({"bench", bad});
    try {
      parse_options(a.argc, a.ptrs.data(), kTestSettings);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const UsageError& e) {
      EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
    }
  }
}

TEST(Options, AStrategySettingIsUnknownWithoutItsStrategy) {
  Argv a({"bench", "--test_cap_mb=3"});
  const Options o = parse_options(a.argc, a.ptrs.data());
  EXPECT_TRUE(o.settings.empty());
  ASSERT_EQ(a.argc, 2);  // left for Google Benchmark, which rejects it
}

// Two settings whose combination a check refuses: a floor above the cap.
constexpr std::array<StrategySetting, 2> kCheckedSettings{
    {{.flag = "--test_cap_mb", .help = "cap", .apply = [](std::int64_t) {}},
     {.flag = "--test_floor_mb",
      .help = "floor",
      .apply = [](std::int64_t) {},
      .check = [](std::span<const GivenSetting> given) -> std::string {
        std::int64_t cap = 0, floor = 0;
        for (const GivenSetting& g : given) {
          if (g.flag == "--test_cap_mb") cap = g.value;
          if (g.flag == "--test_floor_mb") floor = g.value;
        }
        return cap != 0 && floor > cap
                   ? "--test_floor_mb is above --test_cap_mb"
                   : "";
      }}}};

TEST(Options, ASettingsCheckSeesEveryFlagGivenWhateverTheOrder) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"bench", "--test_floor_mb=5",
                                 "--test_cap_mb=4"},
        std::vector<std::string>{"bench", "--test_cap_mb=4",
                                 "--test_floor_mb=5"}}) {
    Argv a(args);
    try {
      parse_options(a.argc, a.ptrs.data(), kCheckedSettings);
      ADD_FAILURE() << "a floor above the cap was accepted";
    } catch (const UsageError& e) {
      EXPECT_STREQ(e.what(), "--test_floor_mb is above --test_cap_mb");
    }
  }
  Argv ok({"bench", "--test_floor_mb=4", "--test_cap_mb=4"});
  EXPECT_EQ(
      parse_options(ok.argc, ok.ptrs.data(), kCheckedSettings).settings.size(),
      2u);
  Argv alone({"bench", "--test_floor_mb=9"});
  EXPECT_NO_THROW(
      parse_options(alone.argc, alone.ptrs.data(), kCheckedSettings));
}

TEST(Options, HelpListsTheDeclaredSettings) {
  const std::string help = options_help(kTestSettings);
  EXPECT_NE(help.find("--test_cap_mb=N"), std::string::npos);
  EXPECT_NE(help.find("cap the test heap at N MiB"), std::string::npos);
  EXPECT_NE(help.find("--strategies_that"), std::string::npos);
  EXPECT_EQ(options_help().find("--test_cap_mb"), std::string::npos);
}

TEST(Options, SelectsStrategiesByNameAndByDeclaration) {
  constexpr StrategyTraits kFreeing{.summary = "freed",
                                    .frees = Frees::kEveryObject,
                                    .release_order = "any",
                                    .colour = "#000000"};
  constexpr StrategyTraits kCollecting{.summary = "collected",
                                       .frees = Frees::kNone,
                                       .collects = true,
                                       .release_order = "none",
                                       .threads_process = true,
                                       .colour = "#000000"};
  Argv all({"bench"});
  const Options none_given = parse_options(all.argc, all.ptrs.data());
  EXPECT_TRUE(strategy_selected(none_given, "x", kFreeing));
  EXPECT_TRUE(strategy_selected(none_given, "y", kCollecting));

  Argv by_name({"bench", "--strategies=x,z"});
  const Options named = parse_options(by_name.argc, by_name.ptrs.data());
  EXPECT_TRUE(strategy_selected(named, "x", kCollecting));
  EXPECT_FALSE(strategy_selected(named, "y", kFreeing));

  Argv by_traits({"bench", "--strategies_that=frees_every_object"});
  const Options freeing = parse_options(by_traits.argc, by_traits.ptrs.data());
  EXPECT_TRUE(strategy_selected(freeing, "y", kFreeing));
  EXPECT_FALSE(strategy_selected(freeing, "x", kCollecting));

  Argv both({"bench", "--strategies_that=collects,single_threaded"});
  const Options all_hold = parse_options(both.argc, both.ptrs.data());
  EXPECT_FALSE(strategy_selected(all_hold, "x", kCollecting));
}

TEST(Options, UnknownStrategyNameIsOneLineNamingTheValidOnes) {
  Argv a({"bench", "--strategies=manual,bogus"});
  const Options o = parse_options(a.argc, a.ptrs.data());
  const std::string_view valid[] = {"manual", "raii"};
  try {
    check_strategy_names(o, valid);
    ADD_FAILURE() << "bogus was accepted";
  } catch (const UsageError& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.find('\n'), std::string::npos);
    EXPECT_NE(what.find("'bogus'"), std::string::npos);
    EXPECT_NE(what.find("manual, raii"), std::string::npos);
  }
}

}  // namespace
}  // namespace memstrat
