// Parser for memstrat's flags (see options.h).
#include "benchmarks/harness/options.h"

#include <unistd.h>

#include <algorithm>
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

// What --strategies_that may ask of a strategy's declarations.
struct Predicate {
  std::string_view name;
  bool (*holds)(const StrategyTraits&);
};
constexpr Predicate kPredicates[] = {
    {"frees_every_object",
     [](const StrategyTraits& t) { return t.frees == Frees::kEveryObject; }},
    {"frees_some",
     [](const StrategyTraits& t) { return t.frees == Frees::kSome; }},
    {"frees_none",
     [](const StrategyTraits& t) { return t.frees == Frees::kNone; }},
    {"collects", [](const StrategyTraits& t) { return t.collects; }},
    {"explicit", [](const StrategyTraits& t) { return !t.collects; }},
    {"sanitizer_safe",
     [](const StrategyTraits& t) { return t.sanitizer_safe; }},
    {"single_threaded",
     [](const StrategyTraits& t) { return !t.threads_process; }},
    {"object_per_new",
     [](const StrategyTraits& t) { return t.object_per_new; }},
    {"baseline", [](const StrategyTraits& t) { return t.baseline; }},
    {"reclaim_release",
     [](const StrategyTraits& t) {
       return t.reclaim == ReclaimKind::kRelease;
     }},
    {"reclaim_epoch_end",
     [](const StrategyTraits& t) {
       return t.reclaim == ReclaimKind::kEpochEnd;
     }},
    {"reclaim_gc_stop_world",
     [](const StrategyTraits& t) {
       return t.reclaim == ReclaimKind::kGcStopWorld;
     }},
};

const Predicate* find_predicate(std::string_view name) {
  for (const Predicate& p : kPredicates) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::string predicate_names() {
  std::string list;
  for (const Predicate& p : kPredicates) {
    list += (list.empty() ? "" : ", ") + std::string(p.name);
  }
  return list;
}

// "a,b,c" -> {"a", "b", "c"}; an empty item is a UsageError.
std::vector<std::string> split_list(std::string_view flag,
                                    std::string_view value) {
  std::vector<std::string> items;
  for (std::size_t start = 0;;) {
    const std::size_t comma = value.find(',', start);
    const std::string_view item = value.substr(
        start, comma == std::string_view::npos ? value.npos : comma - start);
    if (item.empty()) {
      throw UsageError(std::string(flag) +
                       " wants a comma-separated list, got '" +
                       std::string(value) + "'");
    }
    items.emplace_back(item);
    if (comma == std::string_view::npos) return items;
    start = comma + 1;
  }
}

// Breaks `text` into lines of at most `width` characters at spaces.
std::vector<std::string> wrap(std::string_view text, std::size_t width) {
  std::vector<std::string> lines(1);
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view word = text.substr(start, end - start);
    if (!lines.back().empty() &&
        lines.back().size() + 1 + word.size() > width) {
      lines.emplace_back();
    }
    lines.back() += (lines.back().empty() ? "" : " ") + std::string(word);
    start = end + 1;
  }
  return lines;
}

// One flag of the help text: the flag in a 27-column field, then its text.
std::string help_entry(std::string_view flag, std::string_view text) {
  constexpr std::size_t kColumn = 29, kWidth = 79;
  std::string out = "  " + std::string(flag);
  out += out.size() < kColumn ? std::string(kColumn - out.size(), ' ')
                              : "\n" + std::string(kColumn, ' ');
  const std::vector<std::string> lines = wrap(text, kWidth - kColumn);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) out += std::string(kColumn, ' ');
    out += lines[i] + "\n";
  }
  return out;
}

}  // namespace

Options parse_options(int& argc, char** argv,
                      std::span<const StrategySetting> settings) {
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
    } else if (key == "--strategies") {
      need_value();
      opt.strategies = split_list(key, value);
    } else if (key == "--strategies_that") {
      need_value();
      opt.strategies_that = split_list(key, value);
      for (const std::string& p : opt.strategies_that) {
        if (find_predicate(p) == nullptr) {
          throw UsageError("--strategies_that wants one of " +
                           predicate_names() + ", got '" + p + "'");
        }
      }
    } else if (const auto setting = std::find_if(
                   settings.begin(), settings.end(),
                   [&](const StrategySetting& st) { return st.flag == key; });
               setting != settings.end()) {
      need_value();
      const std::int64_t n = parse_int(key, value, setting->min, setting->max);
      std::erase_if(opt.settings,
                    [&](const auto& given) { return given.first.flag == key; });
      opt.settings.emplace_back(*setting, n);
    } else {
      if (key == "--help" || key == "-h") opt.help = true;
      if (has_value) check_benchmark_flag(key, value);
      argv[kept++] = argv[i];
      continue;
    }
  }
  // Settings that conflict (two caps, a heap pre-sized above its cap) only
  // show once every flag is read.
  std::vector<GivenSetting> given;
  for (const auto& [setting, n] : opt.settings)
    given.push_back({setting.flag, n});
  for (const auto& [setting, n] : opt.settings) {
    if (setting.check == nullptr) continue;
    if (std::string why = setting.check(given); !why.empty()) {
      throw UsageError(why);
    }
  }
  argc = kept;
  argv[argc] = nullptr;
  return opt;
}

void apply_settings(const Options& opt) {
  for (const auto& [setting, n] : opt.settings) setting.apply(n);
}

bool strategy_selected(const Options& opt, std::string_view name,
                       const StrategyTraits& traits) {
  if (!opt.strategies.empty() &&
      std::find(opt.strategies.begin(), opt.strategies.end(), name) ==
          opt.strategies.end()) {
    return false;
  }
  return std::all_of(
      opt.strategies_that.begin(), opt.strategies_that.end(),
      [&](const std::string& p) { return find_predicate(p)->holds(traits); });
}

void check_strategy_names(const Options& opt,
                          std::span<const std::string_view> valid) {
  for (const std::string& name : opt.strategies) {
    if (std::find(valid.begin(), valid.end(), name) != valid.end()) continue;
    std::string list;
    for (std::string_view v : valid) {
      list += (list.empty() ? "" : ", ") + std::string(v);
    }
    throw UsageError("--strategies: no strategy '" + name +
                     "' in this binary (valid: " + list + ")");
  }
}

std::string options_help(std::span<const StrategySetting> settings) {
  std::string out = R"(memstrat flags:
  --size=small|default|all   which workload sizes to register (default: default)
  --iterations=N             run every benchmark for exactly N iterations
)";
  for (const StrategySetting& s : settings) {
    out += help_entry(std::string(s.flag) + "=N", s.help);
  }
  out += help_entry("--strategies=A,B",
                    "register only the strategies named (default: all)");
  out += help_entry("--strategies_that=P,Q",
                    "register only the strategies whose declarations satisfy "
                    "every P (per workload, as configured for it): " +
                        predicate_names());
  out +=
      R"(  --list_benchmarks          print the registered benchmarks as JSON and exit
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
  return out;
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
