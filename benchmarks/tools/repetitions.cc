// Joining repetitions across rounds; see repetitions.h.
#include "benchmarks/tools/repetitions.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>
#include <tuple>

namespace memstrat {
namespace {

using nlohmann::json;

// Fields that number or describe an entry rather than measure it.
const std::set<std::string>& bookkeeping() {
  static const std::set<std::string> keys{
      "family_index", "per_family_instance_index",
      "repetitions",  "repetition_index",
      "threads",      "iterations"};
  return keys;
}

struct Stats {
  double mean, median, stddev;
};

Stats stats_of(std::vector<double> v) {
  const auto n = static_cast<double>(v.size());
  double sum = 0;
  for (double x : v) sum += x;
  const double mean = sum / n;
  double squares = 0;
  for (double x : v) squares += (x - mean) * (x - mean);
  std::sort(v.begin(), v.end());
  const std::size_t mid = v.size() / 2;
  const double median = v.size() % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  return {mean, median, std::sqrt(squares / (n - 1))};
}

json finite_or_null(double x) { return std::isfinite(x) ? json(x) : json(); }

// What one process of a warming-up runtime (a JVM) reports the same in each
// of its repetitions: its first iteration and its warm-up, and whether the
// warm-up ended by the steady rule (1) or by its cap (0).
const char* const kProcessCounters[] = {"first_iteration_ns",
                                        "warmup_iterations", "warmup_ns"};
constexpr const char* kSteady = "steady";

// The process view of one round's runs, or null when they carry no
// `steady` counter (a program without a warm-up rule: the C++ binary).
json process_of(const json& runs, std::size_t round) {
  if (runs.empty() || !runs.front().value(kSteady, json()).is_number()) {
    return nullptr;
  }
  const json& first = runs.front();
  json p = {{"round", round},
            {"repetitions", runs.size()},
            {"steady", first.at(kSteady).get<double>() != 0}};
  for (const char* key : kProcessCounters) {
    const json& v = first.value(key, json());
    p[key] = v.is_number() ? v : json();
  }
  return p;
}

}  // namespace

json join_repetitions(const std::vector<json>& rounds, const std::string& name,
                      const std::vector<std::string>& where) {
  json runs = json::array();
  json processes = json::array();
  for (std::size_t r = 0; r < rounds.size(); ++r) {
    json found = json::array();
    for (const json& b : rounds[r].at("benchmarks")) {
      if (b.value("run_name", b.value("name", "")) != name ||
          b.value("run_type", "iteration") == "aggregate") {
        continue;
      }
      runs.push_back(b);
      found.push_back(b);
    }
    if (found.empty()) {
      throw std::runtime_error(where.at(r) + " holds no run of " + name);
    }
    if (json p = process_of(found, r); !p.is_null()) processes.push_back(p);
  }
  json joined = {{"runs", json()}, {"aggregates", json()}};
  if (!processes.empty()) {
    std::size_t steady = 0;
    for (const json& p : processes) steady += p.at("steady").get<bool>();
    joined["processes"] = processes;
    joined["steady_state"] = steady == processes.size() ? "steady"
                             : steady == 0              ? "no_steady_state"
                                                        : "mixed";
  }
  const std::size_t n = runs.size();
  for (std::size_t i = 0; i < n; ++i) {
    runs[i]["repetition_index"] = i;
    runs[i]["repetitions"] = n;
  }
  json aggregates = json::object();
  joined["runs"] = runs;
  if (n < 2) {
    joined["aggregates"] = aggregates;
    return joined;
  }

  json mean = runs[0], median = runs[0], stddev = runs[0], cv = runs[0];
  for (const auto& [key, first] : runs[0].items()) {
    if (!first.is_number() || bookkeeping().contains(key)) continue;
    std::vector<double> values;
    for (const json& run : runs) {
      const json& v = run.value(key, json());
      if (v.is_number()) values.push_back(v.get<double>());
    }
    if (values.size() != n) continue;  // not in every run: not comparable
    const Stats s = stats_of(values);
    mean[key] = s.mean;
    median[key] = s.median;
    stddev[key] = s.stddev;
    cv[key] = finite_or_null(s.stddev / s.mean);
  }
  for (auto [label, entry, unit] : {std::tuple{"mean", &mean, "time"},
                                    std::tuple{"median", &median, "time"},
                                    std::tuple{"stddev", &stddev, "time"},
                                    std::tuple{"cv", &cv, "percentage"}}) {
    json& e = *entry;
    e.erase("repetition_index");
    e["name"] = name + "_" + label;
    e["run_type"] = "aggregate";
    e["aggregate_name"] = label;
    e["aggregate_unit"] = unit;
    e["iterations"] = n;
    aggregates[label] = std::move(e);
  }
  joined["aggregates"] = aggregates;
  return joined;
}

}  // namespace memstrat
