// memstrat_overhead: what the measurement run's instruments cost, measured in
// one run with each instrument off and on, on the workloads they serve.
//
//   latency/off  request_server under manual, NullObserver
//   latency/on   the same with LatencyRecorder (two time-stamp counter
//                reads and a 16-byte store per request; the metered
//                figures are computed after the run, and that analysis is
//                timed too)
//   units/<workload>/off, /on
//                the workload with NullObserver, then with the probe's
//                StallRecorder timestamping every unit_done() (one counter
//                read and a histogram update per unit)
//   sampler/off  binary_trees under manual
//   sampler/on   the same with MemorySampler reading /proc/self/statm every
//                10 ms from a timer signal (no second thread: one would take
//                glibc's malloc off its single-threaded fast path)
//
// The overhead is time(on) / time(off) - 1; compare medians of interleaved
// repetitions (--benchmark_repetitions=20
// --benchmark_enable_random_interleaving=true), not single runs. On a noisy
// machine, count instructions instead: valgrind --tool=callgrind with
// --benchmark_min_time=0 runs one iteration of each.
#include <benchmark/benchmark.h>
#include <gc/gc.h>

#include <array>
#include <cstdint>
#include <memory>

#include "allocators/manual.h"
#include "benchmarks/harness/latency.h"
#include "benchmarks/harness/memory.h"
#include "benchmarks/harness/stalls.h"
#include "benchmarks/workloads/binary_trees.h"
#include "benchmarks/workloads/lifetime_mix.h"
#include "benchmarks/workloads/request_server.h"
#include "benchmarks/workloads/string_dict.h"

namespace {

using memstrat::BinaryTrees;
using memstrat::Manual;
using memstrat::RequestServer;

void BM_Latency(benchmark::State& state) {
  const bool record = state.range(0) != 0;
  const auto params = RequestServer::params(RequestServer::kDefault);
  Manual s;
  auto recorder = std::make_unique<memstrat::LatencyRecorder>();
  memstrat::NullObserver none;
  // A warm-up run either way; as in the probe, it counts the requests.
  if (record) {
    RequestServer::run(s, params, *recorder);
    recorder->reserve(recorder->requests());
  } else {
    RequestServer::run(s, params, none);
  }
  for (auto _ : state) {
    if (record) {
      recorder->clear();
      recorder->begin_run();
    }
    const std::uint64_t c = record ? RequestServer::run(s, params, *recorder)
                                   : RequestServer::run(s, params, none);
    if (record) recorder->analyse();
    benchmark::DoNotOptimize(c);
  }
  if (record) state.counters["requests_recorded"] = recorder->requests();
}
BENCHMARK(BM_Latency)
    ->Name("overhead/latency_recorder")
    ->ArgName("on")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond);

template <class W>
void BM_Units(benchmark::State& state) {
  const bool record = state.range(0) != 0;
  const auto params = W::params(W::kDefault);
  Manual s;
  auto latency = std::make_unique<memstrat::LatencyRecorder>();
  auto stalls = std::make_unique<memstrat::StallRecorder>();
  struct UnitsOnly {  // requests are the latency benchmark's
    memstrat::StallRecorder& stalls;
    void request_begin() noexcept {}
    void request_end() noexcept {}
    void unit_done() noexcept { stalls.unit_done(); }
  } observer{*stalls};
  memstrat::NullObserver none;
  benchmark::DoNotOptimize(record ? W::run(s, params, observer)
                                  : W::run(s, params, none));
  for (auto _ : state) {
    if (record) stalls->begin_run();
    const std::uint64_t c =
        record ? W::run(s, params, observer) : W::run(s, params, none);
    benchmark::DoNotOptimize(c);
  }
  if (record) {
    state.counters["gaps_per_run"] =
        static_cast<double>(stalls->gaps().count()) /
        static_cast<double>(state.iterations() + 1);
  }
}
BENCHMARK(BM_Units<memstrat::StringDict>)
    ->Name("overhead/units/string_dict")
    ->ArgName("on")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Units<memstrat::LifetimeMix>)
    ->Name("overhead/units/lifetime_mix")
    ->ArgName("on")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond);

void BM_Sampler(benchmark::State& state) {
  const bool sample = state.range(0) != 0;
  const auto params = BinaryTrees::params(BinaryTrees::kDefault);
  Manual s;
  memstrat::MemorySampler sampler;
  if (sample) sampler.start(10, nullptr);
  for (auto _ : state) benchmark::DoNotOptimize(BinaryTrees::run(s, params));
  sampler.stop();
  if (sample) state.counters["samples"] = static_cast<double>(sampler.size());
}
BENCHMARK(BM_Sampler)
    ->Name("overhead/memory_sampler")
    ->ArgName("on")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
