// PauseRecorder: every reclaim event of every strategy, timed the same way,
// so a GC stop-the-world pause, a 30 ms delete of a big tree and an arena
// rewind can be set side by side.
//
//   kind            recorded when                           by
//   gc_stop_world   the collector stops the world (bdwgc:   the strategy's
//                   PRE_STOP_WORLD .. POST_START_WORLD)     pause source
//   release         each top-level s.release(owner)         Timed<S>
//   epoch_end       each s.end_epoch(mark)                  Timed<S>
//
// It is the ReclaimSink (allocators/strategy.h) a strategy's pause source
// delivers into, so allocators/ needs nothing from the harness.
//
// Every event goes into a per-kind LogLinearHistogram (count, total,
// percentiles, max). Events at least kRawThresholdNs long are also kept
// raw (kind, start, duration) in a buffer allocated up front; when it is
// full, further events are counted as overflow, never stored. Nothing here
// allocates or locks after construction: a pause source may call record()
// with the allocator lock held and the world stopped.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "allocators/strategy.h"
#include "benchmarks/harness/clock.h"
#include "benchmarks/harness/histogram.h"

namespace memstrat {

// The kinds of pause are the kinds of reclaim event strategies declare.
using PauseKind = ReclaimKind;
inline constexpr std::size_t kPauseKinds = kReclaimKinds;
inline std::string_view pause_kind_name(PauseKind k) {
  return reclaim_kind_name(k);
}

struct PauseEvent {
  std::int64_t start_ns;
  std::int64_t duration_ns;
  PauseKind kind;
};

class PauseRecorder final : public ReclaimSink {
 public:
  /// Events this long or longer are also stored raw. Lowering it keeps more
  /// of the small events (a release of one node takes ~50 ns) and fills the
  /// raw buffer sooner.
  static constexpr std::int64_t kRawThresholdNs = 10'000;
  /// Raw events kept; 24 bytes each. Raising it costs memory up front.
  static constexpr std::size_t kRawCapacity = 1 << 16;

  PauseRecorder();

  void record(PauseKind kind, std::int64_t start_ns,
              std::int64_t duration_ns) noexcept override;
  std::int64_t now_ns() const noexcept override { return memstrat::now_ns(); }

  const LogLinearHistogram& histogram(PauseKind k) const noexcept {
    return histograms_[static_cast<std::size_t>(k)];
  }
  /// Raw events recorded so far, in completion order.
  std::size_t raw_count() const noexcept;
  const PauseEvent& raw(std::size_t i) const noexcept { return raw_[i]; }
  std::uint64_t overflow() const noexcept {
    return overflow_.load(std::memory_order_relaxed);
  }
  void reset() noexcept;

 private:
  std::array<LogLinearHistogram, kPauseKinds> histograms_;
  std::unique_ptr<PauseEvent[]> raw_;
  std::atomic<std::size_t> raw_next_{0};
  std::atomic<std::uint64_t> overflow_{0};
};

}  // namespace memstrat
