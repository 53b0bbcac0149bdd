// LatencyRecorder: what the measurement run's WorkObserver does with
// request_begin() and request_end(). It stores each request's begin and end
// (time-stamp counter ticks) and computes every figure after the run, from
// the measured run itself:
//
//   simple latency   end - begin of each request (its service time)
//   metered latency  DaCapo Chopin's definition (dacapobench/dacapobench,
//                    benchmarks/harness/src/org/dacapo/harness/
//                    LatencyReporter.java, smoothedStartTime() and
//                    meteredLatency()): each request gets a synthetic start,
//                    the starts of the requests in a window of W centred on
//                    its own start spread evenly over that window's span,
//                    and its metered latency is
//                    max(simple, end - synthetic start). A pause inside one
//                    request pushes the ends of those behind it past their
//                    evenly spaced starts, as a client of a paused server
//                    sees. W = 100 ms, and W = the whole run ("full"
//                    smoothing: one evenly spaced schedule per run).
//
// Why not a schedule set by the warm-up run: when a measured run is slower
// than the warm-up (30% minute to minute on a shared VM) a fixed arrival
// rate outruns the server, the queue never drains and the figures measure
// the backlog. Synthetic starts come from the run's own pace, so a uniform
// slowdown scales every figure with the service time.
//
// The request path reads the counter twice and stores 16 bytes into a
// buffer sized and touched before the measured runs (reserve()); nothing is
// allocated per request. A request beyond the buffer is counted as dropped,
// never stored. Each measured run is analysed on its own (begin_run()), so
// the teardown and setup between runs are not taken for a pause.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "benchmarks/harness/clock.h"
#include "benchmarks/harness/histogram.h"

namespace memstrat {

/// One request's begin and end, in ticks (or, in tests, nanoseconds).
struct RequestTimes {
  std::int64_t begin;
  std::int64_t end;
};

/// Adds the metered latency (ns) of each request of one run, sorted by
/// begin, smoothed over window_ns (>= the run's span: full smoothing), to
/// out. ns_per_tick converts the times; 1.0 for times in nanoseconds.
void add_metered_latency(std::span<const RequestTimes> run,
                         std::int64_t window_ns, double ns_per_tick,
                         LogLinearHistogram& out);

class LatencyRecorder {
 public:
  /// DaCapo's short smoothing window (its "metered 100ms smoothing").
  static constexpr std::int64_t kWindowNs = 100'000'000;

  LatencyRecorder() : ns_per_tick_(CycleClock::ns_per_tick()) {}
  /// For tests: times given to record() are in ticks of this length.
  explicit LatencyRecorder(double ns_per_tick) : ns_per_tick_(ns_per_tick) {}

  void request_begin() noexcept { begin_ticks_ = CycleClock::ticks(); }
  void request_end() noexcept { record(begin_ticks_, CycleClock::ticks()); }
  /// Units are the StallRecorder's; this lets the recorder alone be a
  /// WorkObserver (memstrat_overhead).
  void unit_done() noexcept {}

  void record(std::int64_t begin, std::int64_t end) noexcept {
    if (size_ < capacity_) {
      times_[size_++] = {begin, end};
    } else {
      ++dropped_;
    }
  }

  /// Room for n requests, allocated and touched now so that the measured
  /// runs neither allocate nor fault it in; clears what was recorded.
  void reserve(std::size_t n);
  /// Starts a new run: its requests are analysed apart from the previous.
  void begin_run();
  void clear() noexcept;

  /// Computes the histograms from what was recorded (after the runs).
  void analyse();

  /// Requests seen (stored + dropped) since the last reserve()/clear().
  std::uint64_t requests() const noexcept { return size_ + dropped_; }
  std::uint64_t dropped() const noexcept { return dropped_; }
  std::size_t capacity() const noexcept { return capacity_; }
  std::size_t runs() const noexcept { return run_starts_.size(); }
  const LogLinearHistogram& simple() const noexcept { return simple_; }
  const LogLinearHistogram& metered_window() const noexcept {
    return metered_window_;
  }
  const LogLinearHistogram& metered_full() const noexcept {
    return metered_full_;
  }

 private:
  double ns_per_tick_;
  std::int64_t begin_ticks_ = 0;
  std::unique_ptr<RequestTimes[]> times_;
  std::size_t capacity_ = 0;
  std::size_t size_ = 0;
  std::uint64_t dropped_ = 0;
  std::vector<std::size_t> run_starts_;
  LogLinearHistogram simple_;
  LogLinearHistogram metered_window_;
  LogLinearHistogram metered_full_;
};

}  // namespace memstrat
