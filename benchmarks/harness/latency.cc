// LatencyRecorder's buffer and its after-the-run analysis (see latency.h).
#include "benchmarks/harness/latency.h"

#include <algorithm>
#include <cstring>

namespace memstrat {

void add_metered_latency(std::span<const RequestTimes> run,
                         std::int64_t window_ns, double ns_per_tick,
                         LogLinearHistogram& out) {
  // DaCapo's smoothedStartTime(): for request i, the window is
  // [begin_i - W/2, begin_i + W/2]; `lo` is the first request that begins
  // inside it and `hi` the first that begins at or past its end (or the
  // last); the requests from lo to hi get evenly spaced starts from
  // begin_lo to begin_hi, and request i takes its place in that spacing.
  // Both cursors only move forward because begins are sorted.
  const std::size_t n = run.size();
  if (n == 0) return;
  const double half = static_cast<double>(window_ns) / 2 / ns_per_tick;
  std::size_t lo = 0, hi = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double b = static_cast<double>(run[i].begin);
    while (static_cast<double>(run[lo].begin) < b - half && lo < n - 1) ++lo;
    while (static_cast<double>(run[hi].begin) < b + half && hi < n - 1) ++hi;
    // hi == lo only for the last request alone in its window; DaCapo's
    // float division gives NaN there and (int) NaN is 0, so its metered
    // latency is its simple latency, as here.
    const double interval =
        hi > lo ? static_cast<double>(run[hi].begin - run[lo].begin) /
                      static_cast<double>(hi - lo)
                : 0.0;
    const double synthetic = static_cast<double>(run[lo].begin) +
                             static_cast<double>(i - lo) * interval;
    const double simple = static_cast<double>(run[i].end - run[i].begin);
    const double metered =
        std::max(simple, static_cast<double>(run[i].end) - synthetic);
    out.record_single_writer(static_cast<std::int64_t>(metered * ns_per_tick));
  }
}

void LatencyRecorder::reserve(std::size_t n) {
  times_.reset(new RequestTimes[n]);
  // Touch every page now: the measured runs' peak RSS then holds the buffer
  // from the start (in baseline_rss_bytes) instead of growing with it.
  std::memset(static_cast<void*>(times_.get()), 0, n * sizeof(RequestTimes));
  capacity_ = n;
  run_starts_.reserve(64);
  clear();
}

void LatencyRecorder::begin_run() { run_starts_.push_back(size_); }

void LatencyRecorder::clear() noexcept {
  size_ = 0;
  dropped_ = 0;
  run_starts_.clear();
  simple_.reset();
  metered_window_.reset();
  metered_full_.reset();
}

void LatencyRecorder::analyse() {
  simple_.reset();
  metered_window_.reset();
  metered_full_.reset();
  if (size_ == 0) return;
  std::vector<std::size_t> starts = run_starts_;
  if (starts.empty() || starts.front() != 0) starts.insert(starts.begin(), 0);
  starts.push_back(size_);
  for (std::size_t r = 0; r + 1 < starts.size(); ++r) {
    std::span<RequestTimes> run(times_.get() + starts[r],
                                starts[r + 1] - starts[r]);
    if (run.empty()) continue;
    // One thread issues requests one after another, so they are already in
    // begin order; DaCapo sorts because its requests come from many threads.
    std::sort(run.begin(), run.end(),
              [](const RequestTimes& a, const RequestTimes& b) {
                return a.begin < b.begin;
              });
    for (const RequestTimes& t : run) {
      simple_.record_single_writer(static_cast<std::int64_t>(
          static_cast<double>(t.end - t.begin) * ns_per_tick_));
    }
    add_metered_latency(run, kWindowNs, ns_per_tick_, metered_window_);
    // DaCapo's "full" smoothing uses a window of ten times the run, so
    // every request's window holds the whole run.
    const std::int64_t span_ns = static_cast<std::int64_t>(
        static_cast<double>(run.back().end - run.front().begin) * ns_per_tick_);
    add_metered_latency(run, 10 * span_ns + 1, ns_per_tick_, metered_full_);
  }
}

}  // namespace memstrat
