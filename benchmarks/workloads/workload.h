// The Workload concept: what the harness and the tests may know of a
// workload. A workload is a struct with a name, named integer parameters, two
// standard sizes and a run() templated on the memory strategy; it knows
// nothing of Google Benchmark, timing or results.
//
//   struct MyWorkload {
//     static constexpr std::string_view kName = "my_workload";
//     static constexpr std::array<std::string_view, 1> kParamNames{"n"};
//     static constexpr std::array<std::int64_t, 1> kSmall{1000};    // tests,
//     CI static constexpr std::array<std::int64_t, 1> kDefault{100000}; //
//     measured struct Params { ... }; static Params params(std::span<const
//     std::int64_t, 1> args);  // validates template <MemoryStrategy S> static
//     std::uint64_t run(S& s, const Params& p);  // returns a checksum
//   };
//
// run() performs one complete, self-contained execution: it releases
// everything it made and ends every epoch it began, so the strategy is empty
// again when it returns.
//
// Request-shaped workloads (a service loop) also provide
//     template <MemoryStrategy S, RequestObserver O>
//     static std::uint64_t run(S& s, const Params& p, O& observer);
// calling observer.request_begin() and observer.request_end() around each
// request, and run(s, p) calls it with a NullObserver. The harness passes an
// observer that records latencies; the workload never sees a clock.
#pragma once

#include <array>
#include <concepts>
#include <cstdint>
#include <span>
#include <string_view>

#include "allocators/manual.h"

namespace memstrat {

template <class O>
concept RequestObserver = requires(O& o) {
  o.request_begin();
  o.request_end();
};

struct NullObserver {
  void request_begin() noexcept {}
  void request_end() noexcept {}
};

template <class W>
concept Workload =
    requires(std::span<const std::int64_t, W::kParamNames.size()> args,
             Manual& s, const typename W::Params& p) {
  { W::kName } -> std::convertible_to<std::string_view>;
  {
    W::kSmall
    } -> std::convertible_to<std::array<std::int64_t, W::kParamNames.size()>>;
  {
    W::kDefault
    } -> std::convertible_to<std::array<std::int64_t, W::kParamNames.size()>>;
  { W::params(args) } -> std::same_as<typename W::Params>;
  { W::run(s, p) } -> std::same_as<std::uint64_t>;
};

}  // namespace memstrat
