// memstrat's own command-line flags, parsed before Google Benchmark sees the
// rest. Kept apart from main() so the parser can be tested.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace memstrat {

enum class SizeSet { kSmall, kDefault, kAll };

struct Options {
  SizeSet sizes = SizeSet::kDefault;
  std::int64_t iterations = 0;        // 0: let Google Benchmark decide
  std::size_t gc_max_heap_bytes = 0;  // 0: unbounded
  std::size_t arena_max_bytes = 0;    // 0: unbounded
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

// Reads and removes memstrat's flags from argv, leaving the rest (argv[0],
// Google Benchmark's flags, anything unknown) in order. Throws UsageError.
Options parse_options(int& argc, char** argv);

// The help text for memstrat's flags.
std::string options_help();

const char* size_set_name(SizeSet s);

}  // namespace memstrat
