// Registers every (workload, strategy) pair with Google Benchmark from one
// templated body, fleetbench style. The harness knows workloads only through
// the Workload concept and strategies only through MemoryStrategy and their
// declarations (StrategyTraits, the optional hooks of strategy.h). Each pair
// runs StrategyFor<S, W>: the strategy as configured for the workload.
//
//   registered:  pairs whose strategy --strategies names (all by default)
//                and whose declarations satisfy --strategies_that
//
//   for each iteration:  checksum = W::run(strategy, params)
//   counters per iteration: allocations, bytes_requested, frees,
//   process_cpu_time, page_faults, system_cpu_time, and the strategy's own
//   figures (visit_stats); checksum as read after the run.
//
// Read real_time (wall clock) for comparisons: Boehm's parallel markers run
// on other threads, so cpu_time (the benchmark thread's CPU time) hides part
// of the GC's cost. The process_cpu_time counter (seconds per iteration, all
// threads) shows it. Google Benchmark's UseRealTime()/MeasureProcessCPUTime()
// would do the same but append "/real_time/process_time" to every name.
#pragma once

#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <time.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <exception>
#include <map>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "allocators/counters.h"
#include "allocators/strategy.h"
#include "benchmarks/harness/keep.h"
#include "benchmarks/harness/options.h"
#include "benchmarks/harness/probe.h"
#include "benchmarks/workloads/workload.h"

namespace memstrat {

// Benchmarks that failed (bad parameters, heap cap, exception) in this
// process; main() turns a non-zero count into a non-zero exit.
inline std::atomic<int> failed_benchmarks{0};

namespace harness {

// Checksums are reported as a counter (a double): keep the low 53 bits,
// which a double holds exactly.
inline double checksum_counter(std::uint64_t c) {
  return static_cast<double>(c & ((std::uint64_t{1} << 53) - 1));
}

template <class S>
std::map<std::string, std::pair<double, StatKind>> strategy_stats(const S& s) {
  return detail::read_strategy_stats(s);
}

inline double process_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) +
         1e-9 * static_cast<double>(ts.tv_nsec);
}

// Page faults and kernel CPU time of the whole process. Memory that an
// allocator hands back to the kernel and touches again costs a fault per
// page, paid in the kernel: on a virtual machine that is one of the largest
// and least steady parts of a memory-bound benchmark's time.
struct KernelUse {
  double faults;
  double system_seconds;
};

inline KernelUse kernel_use() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return {static_cast<double>(u.ru_minflt + u.ru_majflt),
          static_cast<double>(u.ru_stime.tv_sec) +
              1e-6 * static_cast<double>(u.ru_stime.tv_usec)};
}

inline void fail(benchmark::State& state, const std::string& why) {
  ++failed_benchmarks;
  state.SkipWithError(why.c_str());
}

// What a benchmark that ran out of memory reports: the memory caps its
// strategy declares (StrategySetting::caps_memory) are the flags to raise.
template <class S>
std::string out_of_memory_message() {
  std::string flags;
  if constexpr (HasSettings<S>) {
    for (const StrategySetting& setting : S::kSettings) {
      if (!setting.caps_memory) continue;
      flags += (flags.empty() ? "" : " or ") + std::string(setting.flag);
    }
  }
  if (flags.empty()) return "out of memory";
  return "out of memory: heap cap reached (raise " + flags + ")";
}

template <Workload W, class Strategy>
void run_workload(benchmark::State& state) {
  using S = StrategyFor<Strategy, W>;
  static_assert(MemoryStrategy<S>);
  constexpr std::size_t kParams = W::kParamNames.size();
  std::array<std::int64_t, kParams> args{};
  for (std::size_t i = 0; i < kParams; ++i) args[i] = state.range(i);
  std::optional<typename W::Params> params;
  try {
    params.emplace(W::params(std::span<const std::int64_t, kParams>(args)));
  } catch (const std::exception& e) {
    fail(state, e.what());
    return;
  }

  S strategy;
  const auto stats_before = strategy_stats(strategy);
  const AllocCounters before = thread_counters();
  std::uint64_t checksum = 0;
  const double cpu_before = process_cpu_seconds();
  const KernelUse kernel_before = kernel_use();
  try {
    for (auto _ : state) {
      checksum = W::run(strategy, *params);
      keep(checksum);
    }
  } catch (const std::bad_alloc&) {
    fail(state, out_of_memory_message<Strategy>());
    return;
  } catch (const std::exception& e) {
    fail(state, e.what());
    return;
  }
  const double cpu_seconds = process_cpu_seconds() - cpu_before;
  const KernelUse kernel_after = kernel_use();
  const AllocCounters used = thread_counters() - before;

  using benchmark::Counter;
  auto per_iteration = [](double v) {
    return Counter(v, Counter::kAvgIterations);
  };
  state.counters["allocations"] =
      per_iteration(static_cast<double>(used.allocations));
  state.counters["bytes_requested"] =
      per_iteration(static_cast<double>(used.bytes));
  state.counters["frees"] = per_iteration(static_cast<double>(used.frees));
  state.counters["overhead_bytes"] =
      per_iteration(static_cast<double>(used.overhead_bytes));
  state.counters["checksum"] = checksum_counter(checksum);
  state.counters["process_cpu_time"] = per_iteration(cpu_seconds);
  state.counters["page_faults"] =
      per_iteration(kernel_after.faults - kernel_before.faults);
  state.counters["system_cpu_time"] =
      per_iteration(kernel_after.system_seconds - kernel_before.system_seconds);
  for (const auto& [name, value] : strategy_stats(strategy)) {
    const auto [v, kind] = value;
    state.counters[name] = kind == StatKind::kCumulative
                               ? per_iteration(v - stats_before.at(name).first)
                               : Counter(v);
  }
}

template <Workload W>
std::vector<std::array<std::int64_t, W::kParamNames.size()>> sizes_for(
    SizeSet set) {
  switch (set) {
    case SizeSet::kSmall:
      return {W::kSmall};
    case SizeSet::kDefault:
      return {W::kDefault};
    case SizeSet::kAll:
      return {W::kSmall, W::kDefault};
  }
  return {};
}

template <Workload W, class S>
void register_pair(const Options& opt) {
  if (!strategy_selected(opt, S::kName, StrategyFor<S, W>::kTraits)) return;
  const std::string name = std::string(W::kName) + "/" + std::string(S::kName);
  // The strategy as configured for this workload (pmr's For<W>).
  using SW = StrategyFor<S, W>;
  auto* b = benchmark::RegisterBenchmark(name.c_str(), &run_workload<W, SW>);
  b->ArgNames(
      std::vector<std::string>(W::kParamNames.begin(), W::kParamNames.end()));
  b->Unit(benchmark::kMillisecond);
  if (opt.iterations > 0) b->Iterations(opt.iterations);
  for (const auto& size : sizes_for<W>(opt.sizes)) {
    b->Args(std::vector<std::int64_t>(size.begin(), size.end()));

    ProbeEntry entry{name, std::string(W::kName),     std::string(S::kName), {},
                     {},   out_of_memory_message<S>()};
    for (std::size_t i = 0; i < size.size(); ++i) {
      entry.name +=
          "/" + std::string(W::kParamNames[i]) + ":" + std::to_string(size[i]);
      entry.params.emplace_back(std::string(W::kParamNames[i]), size[i]);
    }
    entry.run = [size](const ProbeOptions& probe) {
      const auto params =
          W::params(std::span<const std::int64_t, W::kParamNames.size()>(size));
      return probe_workload<W, SW>(params, probe);
    };
    probe_registry().push_back(std::move(entry));
  }
}

template <Workload W, class... S>
void register_workload(const Options& opt, std::tuple<S...>*) {
  (register_pair<W, S>(opt), ...);
}

}  // namespace harness

// The kName of every strategy of the tuple type Strategies, in order.
template <class Strategies>
std::vector<std::string_view> strategy_names() {
  return []<class... S>(std::tuple<S...>*) {
    return std::vector<std::string_view>{S::kName...};
  }(static_cast<Strategies*>(nullptr));
}

// Registers every workload of the tuple type Workloads under every strategy
// of the tuple type Strategies that opt selects. Throws UsageError when
// --strategies names a strategy not in Strategies.
template <class Workloads, class Strategies>
void register_benchmarks(const Options& opt) {
  check_strategy_names(opt, strategy_names<Strategies>());
  [&]<class... W>(std::tuple<W...>*) {
    (harness::register_workload<W>(opt, static_cast<Strategies*>(nullptr)),
     ...);
  }(static_cast<Workloads*>(nullptr));
}

}  // namespace memstrat
