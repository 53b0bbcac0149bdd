// memstrat's own command-line flags, parsed before Google Benchmark sees the
// rest. Kept apart from main() so the parser can be tested. Strategies add
// their own flags (StrategySetting, strategy.h); which strategies run is
// chosen by name (--strategies) or by declaration (--strategies_that).
#pragma once

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "allocators/strategy.h"

namespace memstrat {

enum class SizeSet { kSmall, kDefault, kAll };

struct Options {
  SizeSet sizes = SizeSet::kDefault;
  std::int64_t iterations = 0;  // 0: let Google Benchmark decide
  // The strategies' settings given on the command line, with their values,
  // in the order given (a flag given twice: the last value, once).
  std::vector<std::pair<StrategySetting, std::int64_t>> settings;
  std::vector<std::string> strategies;       // --strategies: empty = all
  std::vector<std::string> strategies_that;  // --strategies_that: all hold
  bool help = false;
  bool list = false;             // --list_benchmarks: print them as JSON
  bool list_strategies = false;  // --list_strategies: their declarations
  std::string probe;             // --probe=NAME: the measurement run of NAME
  std::string probe_out;         // where the probe's JSON goes ("" = stdout)
  int probe_iterations = 3;
  int sample_period_ms = 10;
};

// A bad memstrat flag; what() is one line saying what is wrong.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Reads and removes memstrat's flags and the strategies' `settings` from
// argv, leaving the rest (argv[0], Google Benchmark's flags, anything
// unknown) in order. Throws UsageError, also when a setting's check rejects
// the combination given (StrategySetting::check).
Options parse_options(int& argc, char** argv,
                      std::span<const StrategySetting> settings = {});

// Calls apply(N) of every setting given (see StrategySetting).
void apply_settings(const Options& opt);

// The help text for memstrat's flags and the strategies' settings.
std::string options_help(std::span<const StrategySetting> settings = {});

// Whether the strategy called `name`, declaring `traits`, is selected by
// --strategies and --strategies_that.
bool strategy_selected(const Options& opt, std::string_view name,
                       const StrategyTraits& traits);

// Throws UsageError, naming the valid ones, if --strategies names a strategy
// not in `valid`.
void check_strategy_names(const Options& opt,
                          std::span<const std::string_view> valid);

const char* size_set_name(SizeSet s);

}  // namespace memstrat
