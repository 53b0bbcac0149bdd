// LatencyRecorder: the WorkObserver the harness gives every workload in the
// measurement run; it records only requests (units are ignored here).
//
//   simple latency   end - begin of each request (its service time)
//   metered latency  requests arrive on a fixed schedule at kLoad of the
//                    throughput measured in the warm-up run; each waits for
//                    the one before it (a single-server queue driven by the
//                    measured service times: start = max(arrival, previous
//                    finish)), and its latency is finish - arrival. A pause
//                    inside one request delays the ones queued behind it,
//                    as DaCapo's metered latency does.
//
// Both go into LogLinearHistograms; nothing is allocated per request, and
// requests are timed with CycleClock (the time-stamp counter), whose two
// reads cost about 1% of a 500 ns request where clock_gettime cost 3%.
#pragma once

#include <algorithm>
#include <cstdint>

#include "benchmarks/harness/clock.h"
#include "benchmarks/harness/histogram.h"

namespace memstrat {

class LatencyRecorder {
 public:
  /// Offered load of the metered schedule, as a fraction of the measured
  /// throughput. Raising it towards 1 lets queues grow without bound.
  static constexpr double kLoad = 0.8;

  LatencyRecorder() : ns_per_tick_(CycleClock::ns_per_tick()) {}

  void request_begin() noexcept { begin_ticks_ = CycleClock::ticks(); }

  void request_end() noexcept {
    const auto service = static_cast<std::int64_t>(
        static_cast<double>(CycleClock::ticks() - begin_ticks_) * ns_per_tick_);
    simple_.record_single_writer(service);
    ++requests_;
    service_total_ns_ += service;
    if (interval_ns_ > 0) {
      const std::int64_t arrival = next_arrival_ns_;
      const std::int64_t start = std::max(arrival, finish_ns_);
      finish_ns_ = start + service;
      metered_.record_single_writer(finish_ns_ - arrival);
      next_arrival_ns_ += interval_ns_;
    }
  }

  void unit_done() noexcept {}

  /// Starts the metered schedule from the mean service time seen so far and
  /// clears the histograms (the warm-up run calibrates, later runs count).
  void start_schedule() noexcept {
    const std::int64_t mean =
        requests_ == 0 ? 0 : service_total_ns_ / requests_;
    interval_ns_ = static_cast<std::int64_t>(static_cast<double>(mean) / kLoad);
    next_arrival_ns_ = 0;
    finish_ns_ = 0;
    requests_ = 0;
    service_total_ns_ = 0;
    simple_.reset();
    metered_.reset();
  }

  std::uint64_t requests() const noexcept { return requests_; }
  std::int64_t interval_ns() const noexcept { return interval_ns_; }
  const LogLinearHistogram& simple() const noexcept { return simple_; }
  const LogLinearHistogram& metered() const noexcept { return metered_; }

 private:
  double ns_per_tick_;
  std::int64_t begin_ticks_ = 0;
  std::uint64_t requests_ = 0;
  std::int64_t service_total_ns_ = 0;
  std::int64_t interval_ns_ = 0;  // 0: no schedule yet
  std::int64_t next_arrival_ns_ = 0;
  std::int64_t finish_ns_ = 0;
  LogLinearHistogram simple_;
  LogLinearHistogram metered_;
};

}  // namespace memstrat
