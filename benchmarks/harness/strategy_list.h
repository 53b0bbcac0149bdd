// --list_strategies: every strategy's declarations (StrategyTraits) as JSON,
// in the order of the strategy tuple. The runner copies them into the results
// document, so the scripts take the strategies, their order, colours and the
// baseline from there and keep no list of names of their own.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <tuple>

#include "allocators/strategy.h"

namespace memstrat {

template <MemoryStrategy S>
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
      {"owner_overhead", std::string(t.owner_overhead)},
      {"sanitizer_safe", t.sanitizer_safe},
      {"threads_process", t.threads_process},
      {"colour", std::string(t.colour)},
      {"baseline", t.baseline}};
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

}  // namespace memstrat
