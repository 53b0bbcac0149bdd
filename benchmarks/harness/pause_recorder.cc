// PauseRecorder (see pause_recorder.h).
#include "benchmarks/harness/pause_recorder.h"

#include <algorithm>

namespace memstrat {

PauseRecorder::PauseRecorder() : raw_(new PauseEvent[kRawCapacity]) {}

void PauseRecorder::record(PauseKind kind, std::int64_t start_ns,
                           std::int64_t duration_ns) noexcept {
  histograms_[static_cast<std::size_t>(kind)].record(duration_ns);
  if (duration_ns < kRawThresholdNs) return;
  const std::size_t i = raw_next_.fetch_add(1, std::memory_order_relaxed);
  if (i < kRawCapacity) {
    raw_[i] = {start_ns, duration_ns, kind};
  } else {
    overflow_.fetch_add(1, std::memory_order_relaxed);
  }
}

std::size_t PauseRecorder::raw_count() const noexcept {
  return std::min(raw_next_.load(std::memory_order_acquire), kRawCapacity);
}

void PauseRecorder::reset() noexcept {
  for (auto& h : histograms_) h.reset();
  raw_next_.store(0, std::memory_order_relaxed);
  overflow_.store(0, std::memory_order_relaxed);
}

}  // namespace memstrat
