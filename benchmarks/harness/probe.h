// The measurement run (--probe=NAME): one benchmark, outside Google
// Benchmark's timing loop, with everything the timing run must not carry:
// every release and epoch end timed (Timed<S>), the strategy's own reclaim
// events (its pause source: bdwgc's stop-the-world pauses), request latencies,
// peak RSS after a reset, and a memory timeline from a background sampler.
// Writes one JSON object (the "probe" part of a results record).
//
//   warm-up:  run once (reaches steady state, counts the requests of a
//             run so that the latency buffer can be sized)
//   measure:  size and touch the latency buffer; reset counters,
//             recorders, VmHWM; start sampler
//             repeat `iterations` times: run (requests and units timed)
//             stop sampler; read everything; compute the latencies
//
// The sampler runs from a timer signal, not a thread, so the process stays
// single-threaded where the workload is (see MemorySampler).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "allocators/counters.h"
#include "allocators/strategy.h"
#include "benchmarks/harness/clock.h"
#include "benchmarks/harness/latency.h"
#include "benchmarks/harness/memory.h"
#include "benchmarks/harness/object_counting.h"
#include "benchmarks/harness/pause_recorder.h"
#include "benchmarks/harness/stalls.h"
#include "benchmarks/harness/timed_strategy.h"
#include "benchmarks/workloads/workload.h"

namespace memstrat {

struct ProbeOptions {
  int iterations = 3;
  int sample_period_ms = 10;
};

/// What the probe measured, before it becomes JSON.
struct ProbeReadings {
  int iterations = 0;
  std::int64_t wall_ns = 0;
  std::uint64_t checksum = 0;
  AllocCounters counts;
  ObjectCounts objects;  // the make<T> calls among counts.allocations
  std::vector<std::pair<std::string, double>> strategy_stats;
  const PauseRecorder* pauses = nullptr;
  std::int64_t probe_start_ns = 0;
  const LatencyRecorder* latency = nullptr;  // null: not request-shaped
  const StallRecorder* stalls = nullptr;
  std::int64_t probe_start_ticks = 0;  // CycleClock, read with probe_start_ns
  std::string unit;                    // the workload's kUnit
  RssReading rss_before;
  RssReading rss_after;
  bool peak_reset = false;
  const MemorySampler* timeline = nullptr;
  std::string strategy_bytes_label;  // empty: strategy has none
  int sample_period_ms = 0;
  ReclaimKind reclaim = ReclaimKind::kRelease;  // the strategy's kTraits
  // The strategy's probe figures (the "gc" object); absent: it has none.
  std::optional<std::vector<std::pair<std::string, std::int64_t>>> figures;
  // What the strategy's library reports it runs with ("gc"."settings");
  // absent: no read-back hook (HasProbeSettings).
  std::optional<nlohmann::json> settings;
};

nlohmann::json probe_to_json(const ProbeReadings& r);

/// The observer of the measurement run: requests to the latency recorder,
/// units to the stall recorder.
struct ProbeObserver {
  LatencyRecorder& latency;
  StallRecorder& stalls;
  void request_begin() noexcept { latency.request_begin(); }
  void request_end() noexcept { latency.request_end(); }
  void unit_done() noexcept { stalls.unit_done(); }
};

namespace detail {
// The strategy's own figures (visit_stats) as read now, by name.
template <class S>
std::map<std::string, std::pair<double, StatKind>> read_strategy_stats(
    const S& s) {
  std::map<std::string, std::pair<double, StatKind>> out;
  if constexpr (requires { s.visit_stats([](auto, double, StatKind) {}); }) {
    s.visit_stats([&](std::string_view name, double v, StatKind k) {
      out[std::string(name)] = {v, k};
    });
  }
  return out;
}

// The strategy's probe figures as read now (see HasProbeFigures).
template <class S>
std::vector<std::tuple<std::string, std::int64_t, StatKind>> probe_figures(
    const S& s) {
  std::vector<std::tuple<std::string, std::int64_t, StatKind>> out;
  s.visit_probe_figures([&](std::string_view key, std::int64_t v, StatKind k) {
    out.emplace_back(std::string(key), v, k);
  });
  return out;
}
}  // namespace detail

/// The probe of workload W under strategy S, configured for W
/// (StrategyFor<S, W>).
template <Workload W, class Strategy>
nlohmann::json probe_workload(const typename W::Params& params,
                              const ProbeOptions& opt) {
  using S = StrategyFor<Strategy, W>;
  static_assert(MemoryStrategy<S>);
  PauseRecorder recorder;
  LatencyRecorder latency;
  StallRecorder stalls;
  ProbeObserver observer{latency, stalls};
  MemorySampler sampler;
  Timed<S> s(recorder);
  auto run_once = [&] { return W::run(s, params, observer); };

  ProbeReadings r;
  r.checksum = run_once();  // warm-up: no buffer yet, requests only counted
  // Request-shaped workloads are those that reported a request. Every run
  // makes the same requests, so the warm-up's count sizes the buffer.
  const bool requests = latency.requests() > 0;
  if (requests) {
    latency.reserve(static_cast<std::size_t>(latency.requests()) *
                    static_cast<std::size_t>(opt.iterations));
  }
  stalls.reset();
  recorder.reset();
  // Stopped on every way out: a run that throws (the heap cap) must not
  // leave the source delivering into the recorder it is about to destroy.
  struct PauseSourceScope {
    S& s;
    explicit PauseSourceScope(S& strategy, PauseRecorder& sink) : s(strategy) {
      if constexpr (HasPauseSource<S>) s.start_pause_source(sink);
    }
    void stop() noexcept {
      if constexpr (HasPauseSource<S>) {
        if (running) s.stop_pause_source();
      }
      running = false;
    }
    ~PauseSourceScope() { stop(); }
    bool running = true;
  };
  // Timed<S> is S with the release and epoch-end timing around it.
  PauseSourceScope pause_source(static_cast<S&>(s), recorder);
  std::vector<std::tuple<std::string, std::int64_t, StatKind>> figures_before;
  if constexpr (HasProbeFigures<S>) figures_before = detail::probe_figures(s);
  const auto stats_before = detail::read_strategy_stats(s);
  const AllocCounters counts_before = thread_counters();
  const ObjectCounts objects_before = s.object_counts();
  r.rss_before = read_rss();
  r.peak_reset = reset_peak_rss();
  std::function<double()> strategy_bytes;
  if constexpr (requires { s.sample_bytes(); }) {
    strategy_bytes = [&s] { return static_cast<double>(s.sample_bytes()); };
    r.strategy_bytes_label = std::string(S::kSampleBytesLabel);
  }
  r.probe_start_ns = now_ns();
  r.probe_start_ticks = CycleClock::ticks();
  sampler.start(opt.sample_period_ms, strategy_bytes);
  for (int i = 0; i < opt.iterations; ++i) {
    latency.begin_run();
    stalls.begin_run();
    r.checksum = run_once();
    stalls.end_run();
  }
  sampler.stop();
  r.wall_ns = now_ns() - r.probe_start_ns;
  r.rss_after = read_rss();
  if (requests) latency.analyse();
  pause_source.stop();
  if constexpr (HasProbeFigures<S>) {
    const auto after = detail::probe_figures(s);
    r.figures.emplace();
    for (std::size_t i = 0; i < after.size(); ++i) {
      const auto& [key, v, kind] = after[i];
      const std::int64_t before =
          i < figures_before.size() ? std::get<1>(figures_before[i]) : 0;
      r.figures->emplace_back(key,
                              kind == StatKind::kCumulative ? v - before : v);
    }
  }

  if constexpr (HasProbeSettings<S>) {
    r.settings = nlohmann::json::object();
    s.visit_probe_settings([&](std::string_view key, auto v) {
      (*r.settings)[std::string(key)] = v;
    });
  }

  r.iterations = opt.iterations;
  r.counts = thread_counters() - counts_before;
  r.objects = s.object_counts() - objects_before;
  // Levels as read after the runs, running totals as their change over them.
  for (const auto& [name, value] : detail::read_strategy_stats(s)) {
    const auto [v, kind] = value;
    r.strategy_stats.emplace_back(
        name, kind == StatKind::kLevel ? v : v - stats_before.at(name).first);
  }
  r.pauses = &recorder;
  r.latency = requests ? &latency : nullptr;
  r.stalls = &stalls;
  r.unit = std::string(W::kUnit);
  r.timeline = &sampler;
  r.sample_period_ms = opt.sample_period_ms;
  r.reclaim = S::kTraits.reclaim;
  return probe_to_json(r);
}

/// One registered benchmark as the probe mode and --list_benchmarks see it.
struct ProbeEntry {
  std::string name;  // as Google Benchmark names it
  std::string workload;
  std::string strategy;
  std::vector<std::pair<std::string, std::int64_t>> params;
  std::function<nlohmann::json(const ProbeOptions&)> run;
  std::string out_of_memory;  // what a std::bad_alloc from run() means
};

std::vector<ProbeEntry>& probe_registry();

}  // namespace memstrat
