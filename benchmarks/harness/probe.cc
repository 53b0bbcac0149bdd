// Turns probe readings into the JSON "probe" object (see probe.h).
#include "benchmarks/harness/probe.h"

#include <cstdio>

namespace memstrat {

namespace {

nlohmann::json summary(const LogLinearHistogram& h) {
  return {{"count", h.count()},         {"total_ns", h.total()},
          {"p50_ns", h.quantile(0.50)}, {"p90_ns", h.quantile(0.90)},
          {"p99_ns", h.quantile(0.99)}, {"p999_ns", h.quantile(0.999)},
          {"max_ns", h.max()}};
}

std::string hex(std::uint64_t v) {
  char buf[19];
  std::snprintf(buf, sizeof buf, "0x%016llx",
                static_cast<unsigned long long>(v));
  return buf;
}

// Pss, or null where /proc/self/smaps_rollup could not be read.
nlohmann::json pss_json(const RssReading& r) {
  if (!r.pss_bytes) return nullptr;
  return *r.pss_bytes;
}

}  // namespace

nlohmann::json probe_to_json(const ProbeReadings& r) {
  using nlohmann::json;
  const double n = r.iterations;
  json out;
  out["iterations"] = r.iterations;
  out["reclaim_kind"] = reclaim_kind_name(r.reclaim);
  out["wall_ns"] = r.wall_ns;
  out["checksum"] = hex(r.checksum);
  out["counts"] = {
      {"allocations_per_iteration",
       static_cast<double>(r.counts.allocations) / n},
      {"bytes_requested_per_iteration",
       static_cast<double>(r.counts.bytes) / n},
      {"frees_per_iteration", static_cast<double>(r.counts.frees) / n},
      {"overhead_bytes_per_iteration",
       static_cast<double>(r.counts.overhead_bytes) / n},
      // Objects are the make<T> calls, buffers everything else counted
      // (container storage): a port is compared with C++ on objects alone.
      {"objects_per_iteration", static_cast<double>(r.objects.objects) / n},
      {"object_bytes_per_iteration", static_cast<double>(r.objects.bytes) / n},
      {"buffers_per_iteration",
       static_cast<double>(r.counts.allocations - r.objects.objects) / n},
      {"buffer_bytes_per_iteration",
       static_cast<double>(r.counts.bytes - r.objects.bytes) / n}};

  json pauses = json::object();
  for (std::size_t k = 0; k < kPauseKinds; ++k) {
    const auto kind = static_cast<PauseKind>(k);
    // Timed<S> records releases and epoch ends under every strategy; other
    // kinds are listed for the strategy that declares them, or when seen.
    const bool timed =
        kind == PauseKind::kRelease || kind == PauseKind::kEpochEnd;
    if (!timed && kind != r.reclaim && r.pauses->histogram(kind).count() == 0) {
      continue;
    }
    pauses[std::string(pause_kind_name(kind))] =
        summary(r.pauses->histogram(kind));
  }
  json events = json::array();
  for (std::size_t i = 0; i < r.pauses->raw_count(); ++i) {
    const PauseEvent& e = r.pauses->raw(i);
    events.push_back({{"kind", pause_kind_name(e.kind)},
                      {"start_ns", e.start_ns - r.probe_start_ns},
                      {"duration_ns", e.duration_ns}});
  }
  out["pauses"] = {{"kinds", pauses},
                   {"events", events},
                   {"events_threshold_ns", PauseRecorder::kRawThresholdNs},
                   {"events_overflow", r.pauses->overflow()}};

  if (r.latency != nullptr) {
    out["latency"] = {{"requests", r.latency->requests()},
                      {"requests_dropped", r.latency->dropped()},
                      {"simple", summary(r.latency->simple())},
                      {"metered_100ms", summary(r.latency->metered_window())},
                      {"metered_full", summary(r.latency->metered_full())},
                      {"smoothing_window_ns", LatencyRecorder::kWindowNs}};
  } else {
    out["latency"] = nullptr;
  }

  json stall_events = json::array();
  for (const Stall& st : r.stalls->stalls()) {
    stall_events.push_back(
        {{"start_ns", static_cast<std::int64_t>(
                          static_cast<double>(st.start - r.probe_start_ticks) *
                          r.stalls->ns_per_tick())},
         {"duration_ns", st.duration_ns}});
  }
  out["stalls"] = {{"unit", r.unit},
                   {"gaps", summary(r.stalls->gaps())},
                   {"threshold_ns", r.stalls->threshold_ns()},
                   {"threshold_floor_ns", StallRecorder::kFloorNs},
                   {"threshold_median_factor", StallRecorder::kMedianFactor},
                   {"events", stall_events},
                   {"events_overflow", r.stalls->overflow()}};

  json t_ms = json::array(), rss = json::array(), sb = json::array();
  for (std::size_t i = 0; i < r.timeline->size(); ++i) {
    const auto& s = (*r.timeline)[i];
    t_ms.push_back(static_cast<double>(s.t_ns) / 1e6);
    rss.push_back(s.rss_bytes);
    if (!r.strategy_bytes_label.empty()) sb.push_back(s.strategy_bytes);
  }
  out["memory"] = {
      {"baseline_rss_bytes", r.rss_before.rss_bytes},
      {"peak_rss_bytes", r.peak_reset ? r.rss_after.peak_bytes : 0},
      {"peak_rss_isolated", r.peak_reset},
      {"final_rss_bytes", r.rss_after.rss_bytes},
      {"baseline_pss_bytes", pss_json(r.rss_before)},
      {"final_pss_bytes", pss_json(r.rss_after)},
      {"timeline",
       {{"period_ms", r.sample_period_ms},
        {"t_ms", t_ms},
        {"rss_bytes", rss},
        {"strategy_bytes_label", r.strategy_bytes_label.empty()
                                     ? json(nullptr)
                                     : json(r.strategy_bytes_label)},
        {"strategy_bytes", r.strategy_bytes_label.empty() ? json(nullptr) : sb},
        {"overflow", r.timeline->overflow()}}}};

  if (r.figures) {
    json gc = json::object();
    for (const auto& [key, v] : *r.figures) gc[key] = v;
    gc["stop_world_total_ns"] =
        r.pauses->histogram(PauseKind::kGcStopWorld).total();
    if (r.settings) gc["settings"] = *r.settings;
    out["gc"] = gc;
  } else {
    out["gc"] = nullptr;
  }
  json stats = json::object();
  for (const auto& [name, v] : r.strategy_stats) stats[name] = v;
  out["strategy_stats"] = stats;
  return out;
}

std::vector<ProbeEntry>& probe_registry() {
  static std::vector<ProbeEntry> entries;
  return entries;
}

}  // namespace memstrat
