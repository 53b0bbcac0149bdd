// StallRecorder: the stalls the program itself sees, measured the same way
// under every strategy (and, later, in every language): the gaps between the
// units of work a workload reports through WorkObserver::unit_done(). A
// collection, a destructor cascade or an arena rewind, whoever accounts for
// it, shows as one gap far longer than the rest.
//
//   gap    time from one unit_done() to the next within one run, and from
//          a run's last unit to its end (end_run()): a workload drops its
//          structures after its last unit, and a free cascade there stalls
//          the program as a collection would. The gap before a run's first
//          unit is setup (building what the run works on) and not counted
//   stall  a gap longer than max(kFloorNs, kMedianFactor x the median gap):
//          1 ms is the report's noticeable pause, and ten median gaps lie
//          far outside the ordinary spread of one workload's units (which
//          vary with what each unit does), so a stall is something that
//          stopped the work, not a bigger unit
//
// Each gap goes into a LogLinearHistogram; gaps of kFloorNs or more (every
// possible stall, whatever the median turns out to be) are also kept raw in
// a buffer allocated up front, so stalls() can apply the threshold after the
// run. Per unit: one time-stamp counter read, a subtraction, a histogram
// update; nothing is allocated. Single-threaded: units come from the thread
// that called run().
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "benchmarks/harness/clock.h"
#include "benchmarks/harness/histogram.h"

namespace memstrat {

struct Stall {
  std::int64_t start;        // ticks (or ns in tests) of the unit before it
  std::int64_t duration_ns;  // the gap
};

class StallRecorder {
 public:
  /// Shortest stall, and the shortest gap kept raw.
  static constexpr std::int64_t kFloorNs = 1'000'000;
  /// A stall is also longer than this many median gaps.
  static constexpr std::int64_t kMedianFactor = 10;
  /// Raw gaps kept; 16 bytes each. Raising it costs memory up front.
  static constexpr std::size_t kRawCapacity = 1 << 16;

  StallRecorder() : StallRecorder(CycleClock::ns_per_tick()) {}
  /// For tests: times given to unit_at() are in ticks of this length.
  explicit StallRecorder(double ns_per_tick);

  void unit_done() noexcept { unit_at(CycleClock::ticks()); }

  void unit_at(std::int64_t t) noexcept {
    if (last_ >= 0) {
      const auto gap = static_cast<std::int64_t>(
          static_cast<double>(t - last_) * ns_per_tick_);
      gaps_.record_single_writer(gap);
      if (gap >= kFloorNs) {
        if (raw_size_ < kRawCapacity) {
          raw_[raw_size_++] = {last_, gap};
        } else {
          ++overflow_;
        }
      }
    }
    last_ = t;
  }

  /// A new run begins: its first unit has no gap before it.
  void begin_run() noexcept { last_ = -1; }
  /// The run has returned: the time since its last unit (its teardown) is
  /// one more gap.
  void end_run() noexcept { end_run_at(CycleClock::ticks()); }
  void end_run_at(std::int64_t t) noexcept {
    unit_at(t);
    last_ = -1;
  }
  void reset() noexcept;

  const LogLinearHistogram& gaps() const noexcept { return gaps_; }
  std::int64_t threshold_ns() const noexcept;
  /// The raw gaps longer than threshold_ns(), in order.
  std::vector<Stall> stalls() const;
  std::uint64_t overflow() const noexcept { return overflow_; }
  double ns_per_tick() const noexcept { return ns_per_tick_; }

 private:
  double ns_per_tick_;
  std::int64_t last_ = -1;
  LogLinearHistogram gaps_;
  std::unique_ptr<Stall[]> raw_;
  std::size_t raw_size_ = 0;
  std::uint64_t overflow_ = 0;
};

}  // namespace memstrat
