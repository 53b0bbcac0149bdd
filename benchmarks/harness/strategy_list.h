// --list_strategies: every strategy's declarations (StrategyTraits) as JSON,
// in the order of the strategy tuple. The runner copies them into the results
// document, so the scripts take the strategies, their order, colours and the
// baseline from there and keep no list of names of their own.
//
// A strategy declaring its space-time knobs (kCurve) also gets "heap",
// "sweeps" and "variants": what the runner's curve profiles bisect and sweep.
//
// Also what main() gathers from the strategy tuple through the optional
// hooks (strategy.h): their settings (flags) and library versions.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "allocators/strategy.h"

namespace memstrat {

/// The "heap", "sweeps" and "variants" keys of a strategy that declares
/// its space-time knobs (S::kCurve); "heap" only with a cap flag.
inline void add_curve_declaration(nlohmann::json& d,
                                  const CurveDeclaration& c) {
  if (!c.heap.cap_flag.empty()) {
    d["heap"] = {{"cap_flag", std::string(c.heap.cap_flag)},
                 {"presize_flag", c.heap.presize_flag.empty()
                                      ? nlohmann::json(nullptr)
                                      : nlohmann::json(c.heap.presize_flag)},
                 {"flag_unit_bytes", c.heap.flag_unit_bytes},
                 {"granularity_bytes", c.heap.granularity_bytes}};
  }
  nlohmann::json sweeps = nlohmann::json::array();
  for (const SweepDeclaration& sweep : c.sweeps) {
    sweeps.push_back(
        {{"name", std::string(sweep.name)},
         {"flag", std::string(sweep.flag)},
         {"label", std::string(sweep.label)},
         {"default", sweep.default_value},
         {"min", sweep.min},
         {"max", sweep.max},
         {"values", std::vector<std::int64_t>(sweep.values.begin(),
                                              sweep.values.end())}});
  }
  d["sweeps"] = sweeps;
  nlohmann::json variants = nlohmann::json::array();
  for (const VariantDeclaration& v : c.variants) {
    nlohmann::json flags = nlohmann::json::array();
    for (std::string_view f : v.flags) flags.push_back(std::string(f));
    variants.push_back({{"name", std::string(v.name)},
                        {"label", std::string(v.label)},
                        {"flags", flags},
                        {"summary", std::string(v.summary)}});
  }
  d["variants"] = variants;
}

template <class S>
nlohmann::json strategy_declaration() {
  constexpr StrategyTraits t = S::kTraits;
  nlohmann::json d = {
      {"name", std::string(S::kName)},
      {"family", std::string(t.family)},
      {"summary", std::string(t.summary)},
      {"reclaim_kind", std::string(reclaim_kind_name(t.reclaim))},
      {"frees", std::string(frees_name(t.frees))},
      {"collects", t.collects},
      {"release_order", std::string(t.release_order)},
      {"owner_bytes", t.owner_bytes},
      {"allocator_bytes", t.allocator_bytes},
      {"owner_overhead", std::string(t.owner_overhead)},
      {"sanitizer_safe", t.sanitizer_safe},
      {"threads_process", t.threads_process},
      {"colour", std::string(t.colour)},
      {"baseline", t.baseline},
      {"object_per_new", t.object_per_new}};
  if constexpr (HasLibraryVersion<S>) {
    const LibraryVersion v = S::library_version();
    d["library"] = std::string(v.library);
    d["version"] = v.version;
  }
  nlohmann::json settings = nlohmann::json::array();
  if constexpr (HasSettings<S>) {
    for (const StrategySetting& setting : S::kSettings) {
      settings.push_back(std::string(setting.flag));
    }
  }
  d["settings"] = settings;
  if constexpr (HasCurve<S>) add_curve_declaration(d, S::kCurve);
  return d;
}

/// The declarations of every strategy of the tuple type Strategies, one JSON
/// array, in order.
template <class Strategies>
std::string list_strategies_json() {
  nlohmann::json all = nlohmann::json::array();
  [&]<class... S>(std::tuple<S...>*) {
    (all.push_back(strategy_declaration<S>()), ...);
  }(static_cast<Strategies*>(nullptr));
  return all.dump(1) + "\n";
}

/// Every setting the strategies of Strategies declare, each flag once, in
/// order of first declaration.
template <class Strategies>
std::vector<StrategySetting> strategy_settings() {
  std::vector<StrategySetting> all;
  auto add = [&]<class S>() {
    if constexpr (HasSettings<S>) {
      for (const StrategySetting& s : S::kSettings) {
        bool seen = false;
        for (const StrategySetting& a : all) seen |= a.flag == s.flag;
        if (!seen) all.push_back(s);
      }
    }
  };
  [&]<class... S>(std::tuple<S...>*) {
    (add.template operator()<S>(), ...);
  }(static_cast<Strategies*>(nullptr));
  return all;
}

/// (library, version) of every strategy of Strategies with a version hook,
/// each library once: the context's memstrat_<library>_version keys.
template <class Strategies>
std::vector<std::pair<std::string, std::string>> library_versions() {
  std::vector<std::pair<std::string, std::string>> all;
  std::set<std::string> seen;
  auto add = [&]<class S>() {
    if constexpr (HasLibraryVersion<S>) {
      const LibraryVersion v = S::library_version();
      if (seen.insert(std::string(v.library)).second) {
        all.emplace_back(std::string(v.library), v.version);
      }
    }
  };
  [&]<class... S>(std::tuple<S...>*) {
    (add.template operator()<S>(), ...);
  }(static_cast<Strategies*>(nullptr));
  return all;
}

}  // namespace memstrat
