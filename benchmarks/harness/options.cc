// Parser for memstrat's flags (see options.h).
#include "benchmarks/harness/options.h"

#include <unistd.h>

#include <charconv>
#include <filesystem>
#include <initializer_list>
#include <string_view>

namespace memstrat {

namespace {

// Parses a whole decimal integer in [lo, hi]; anything else is a UsageError.
std::int64_t parse_int(std::string_view flag, std::string_view text,
                       std::int64_t lo, std::int64_t hi) {
  std::int64_t v = 0;
  const auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() ||
      v < lo || v > hi) {
    throw UsageError(std::string(flag) + " wants an integer in [" +
                     std::to_string(lo) + ", " + std::to_string(hi) +
                     "], got '" + std::string(text) + "'");
  }
  return v;
}

void require_one_of(std::string_view flag, std::string_view value,
                    std::initializer_list<std::string_view> allowed) {
  std::string list;
  for (std::string_view a : allowed) {
    if (value == a) return;
    list += (list.empty() ? "" : ", ") + std::string(a);
  }
  throw UsageError(std::string(flag) + " wants one of " + list + ", got '" +
                   std::string(value) + "'");
}

void check_output_path(std::string_view flag, std::string_view value) {
  if (value.empty()) throw UsageError(std::string(flag) + " needs a file name");
  const std::filesystem::path dir =
      std::filesystem::absolute(std::string(value)).parent_path();
  if (access(dir.c_str(), W_OK) != 0) {
    throw UsageError(std::string(flag) + ": cannot write into '" +
                     dir.string() + "'");
  }
}

// Google Benchmark 1.7.1 prints its usage and exits 0 on a bad enumerated
// value, and silently runs nothing with zero repetitions: catch those here.
void check_benchmark_flag(std::string_view key, std::string_view value) {
  if (key == "--benchmark_format" || key == "--benchmark_out_format") {
    require_one_of(key, value, {"console", "json", "csv"});
  } else if (key == "--benchmark_time_unit") {
    require_one_of(key, value, {"ns", "us", "ms", "s"});
  } else if (key == "--benchmark_repetitions") {
    parse_int(key, value, 1, 1'000'000);
  } else if (key == "--benchmark_min_time" ||
             key == "--benchmark_min_warmup_time") {
    double v = 0;
    const auto [end, ec] =
        std::from_chars(value.data(), value.data() + value.size(), v);
    if (value.empty() || ec != std::errc() ||
        end != value.data() + value.size() || !(v >= 0)) {
      throw UsageError(std::string(key) +
                       " wants a number of seconds >= 0, got '" +
                       std::string(value) + "'");
    }
  } else if (key == "--benchmark_out") {
    check_output_path(key, value);
  }
}

}  // namespace

Options parse_options(int& argc, char** argv) {
  Options opt;
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const auto eq = arg.find('=');
    const std::string_view key = arg.substr(0, eq);
    const std::string_view value =
        eq == std::string_view::npos ? std::string_view() : arg.substr(eq + 1);
    const bool has_value = eq != std::string_view::npos;
    auto need_value = [&] {
      if (!has_value) {
        throw UsageError(std::string(key) +
                         " needs a value: " + std::string(key) + "=...");
      }
    };
    if (key == "--size") {
      need_value();
      if (value == "small") {
        opt.sizes = SizeSet::kSmall;
      } else if (value == "default") {
        opt.sizes = SizeSet::kDefault;
      } else if (value == "all") {
        opt.sizes = SizeSet::kAll;
      } else {
        throw UsageError("--size wants small, default or all, got '" +
                         std::string(value) + "'");
      }
    } else if (key == "--iterations") {
      need_value();
      opt.iterations = parse_int(key, value, 1, 1'000'000'000);
    } else if (key == "--list_benchmarks") {
      opt.list = !has_value || value == "true";
    } else if (key == "--list_strategies") {
      opt.list_strategies = !has_value || value == "true";
    } else if (key == "--probe") {
      need_value();
      if (value.empty()) throw UsageError("--probe needs a benchmark name");
      opt.probe = std::string(value);
    } else if (key == "--probe_out") {
      need_value();
      check_output_path(key, value);
      opt.probe_out = std::string(value);
    } else if (key == "--probe_iterations") {
      need_value();
      opt.probe_iterations = static_cast<int>(parse_int(key, value, 1, 100000));
    } else if (key == "--sample_period_ms") {
      need_value();
      opt.sample_period_ms = static_cast<int>(parse_int(key, value, 1, 60000));
    } else if (key == "--arena_max_mb") {
      need_value();
      opt.arena_max_bytes =
          static_cast<std::size_t>(parse_int(key, value, 1, 1 << 20)) << 20;
    } else if (key == "--gc_max_heap_mb") {
      need_value();
      opt.gc_max_heap_bytes =
          static_cast<std::size_t>(parse_int(key, value, 1, 1 << 20)) << 20;
    } else {
      if (key == "--help" || key == "-h") opt.help = true;
      if (has_value) check_benchmark_flag(key, value);
      argv[kept++] = argv[i];
      continue;
    }
  }
  argc = kept;
  argv[argc] = nullptr;
  return opt;
}

std::string options_help() {
  return R"(memstrat flags:
  --size=small|default|all   which workload sizes to register (default: default)
  --iterations=N             run every benchmark for exactly N iterations
  --gc_max_heap_mb=N         cap the Boehm GC heap at N MiB; a benchmark that
                             reaches it fails with "heap cap reached"
  --arena_max_mb=N           cap what each arena may hold at N MiB, likewise
  --list_benchmarks          print the registered benchmarks as JSON and exit
  --list_strategies          print the strategies' declarations (order, family,
                             reclaim kind, frees, owner cost, colour, baseline)
                             as JSON and exit
  --probe=NAME               instead of timing, run benchmark NAME once to warm
                             up, then --probe_iterations times measuring pauses,
                             latency and memory; write JSON to --probe_out
                             (default stdout)
  --probe_iterations=N       measured runs in --probe (default 3)
  --sample_period_ms=N       memory timeline period in --probe (default 10)
Names are <workload>/<strategy>/<param>:<value>; select with
--benchmark_filter, e.g. --benchmark_filter=/arena/ or =^binary_trees/.
)";
}

const char* size_set_name(SizeSet s) {
  switch (s) {
    case SizeSet::kSmall:
      return "small";
    case SizeSet::kDefault:
      return "default";
    case SizeSet::kAll:
      return "all";
  }
  return "?";
}

}  // namespace memstrat
