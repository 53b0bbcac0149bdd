// The Workload concept: what the harness and the tests may know of a
// workload. A workload is a struct with a name, named integer parameters, two
// standard sizes and a run() templated on the memory strategy; it knows
// nothing of Google Benchmark, timing or results.
//
//   struct MyWorkload {
//     static constexpr std::string_view kName = "my_workload";
//     // How its objects die: kByEpoch or kOneByOne (ObjectDeath, strategy.h).
//     static constexpr ObjectDeath kObjectsDie = ObjectDeath::kOneByOne;
//     static constexpr std::string_view kUnit = "item";
//     static constexpr std::array<std::string_view, 1> kParamNames{"n"};
//     static constexpr std::array<std::int64_t, 1> kSmall{1000};  // tests
//     static constexpr std::array<std::int64_t, 1> kDefault{100000};
//     struct Params { ... };
//     static Params params(std::span<const std::int64_t, 1> args);
//     template <MemoryStrategy S, WorkObserver O>
//     static std::uint64_t run(S& s, const Params& p, O& observer);
//     template <MemoryStrategy S>
//     static std::uint64_t run(S& s, const Params& p);  // NullObserver
//   };
//
// run() performs one complete, self-contained execution: it releases
// everything it made and ends every epoch it began, so the strategy is empty
// again when it returns.
//
// run() returns a checksum; the observer overload calls
// observer.unit_done() once after each unit of work (or every k-th
// one, where a unit is far below a microsecond), only from the thread that
// called run(); kUnit names the unit. The count of units is
// part of the work: equal under every strategy. A unit lasts about 1 to 100
// microseconds where the workload allows, so that a reclaim pause of a
// millisecond shows as one long gap between two units.
//
// kObjectsDie is a promise strategies may build on (pmr picks a monotonic
// region per epoch for kByEpoch, a pool for kOneByOne): kByEpoch means no
// object outlives the innermost epoch it was made in, and a workload that
// frees objects one by one in an order epochs do not follow says kOneByOne.
//
// Request-shaped workloads (a service loop) also call
// observer.request_begin() and observer.request_end() around each request,
// then unit_done(). The harness passes an observer that records latencies;
// the workload never sees a clock.
#pragma once

#include <array>
#include <concepts>
#include <cstdint>
#include <span>
#include <string_view>

#include "allocators/manual.h"

namespace memstrat {

template <class O>
concept WorkObserver = requires(O& o) {
  o.request_begin();
  o.request_end();
  o.unit_done();
};

struct NullObserver {
  void request_begin() noexcept {}
  void request_end() noexcept {}
  void unit_done() noexcept {}
};

template <class W>
concept Workload =
    requires(std::span<const std::int64_t, W::kParamNames.size()> args,
             Manual& s, const typename W::Params& p, NullObserver& o) {
  { W::kName } -> std::convertible_to<std::string_view>;
  { W::kObjectsDie } -> std::convertible_to<ObjectDeath>;
  {
    W::kSmall
    } -> std::convertible_to<std::array<std::int64_t, W::kParamNames.size()>>;
  {
    W::kDefault
    } -> std::convertible_to<std::array<std::int64_t, W::kParamNames.size()>>;
  { W::params(args) } -> std::same_as<typename W::Params>;
  { W::kUnit } -> std::convertible_to<std::string_view>;
  { W::run(s, p) } -> std::same_as<std::uint64_t>;
  { W::run(s, p, o) } -> std::same_as<std::uint64_t>;
};

}  // namespace memstrat
