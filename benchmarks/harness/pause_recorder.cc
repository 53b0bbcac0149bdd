// PauseRecorder and its bdwgc collection-event hook (see pause_recorder.h).
#include "benchmarks/harness/pause_recorder.h"

#include <gc/gc.h>

#include <algorithm>

#include "benchmarks/harness/clock.h"

namespace memstrat {

namespace {
std::atomic<PauseRecorder*> hooked{nullptr};
std::atomic<std::int64_t> stop_world_start{0};
GC_on_collection_event_proc previous_callback = nullptr;

// Runs in the collecting thread with the GC lock held, sometimes with the
// world stopped: only a clock read and atomic stores.
void on_gc_event(GC_EventType event) {
  if (event == GC_EVENT_PRE_STOP_WORLD) {
    stop_world_start.store(now_ns(), std::memory_order_relaxed);
  } else if (event == GC_EVENT_POST_START_WORLD) {
    const std::int64_t start = stop_world_start.load(std::memory_order_relaxed);
    if (PauseRecorder* r = hooked.load(std::memory_order_relaxed);
        r != nullptr && start != 0) {
      r->record(PauseKind::kGcStopWorld, start, now_ns() - start);
    }
  }
}
}  // namespace

std::string_view pause_kind_name(PauseKind k) {
  switch (k) {
    case PauseKind::kGcStopWorld:
      return "gc_stop_world";
    case PauseKind::kRelease:
      return "release";
    case PauseKind::kEpochEnd:
      return "epoch_end";
  }
  return "unknown";
}

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

void PauseRecorder::hook_gc() noexcept {
  hooked.store(this, std::memory_order_relaxed);
  stop_world_start.store(0, std::memory_order_relaxed);
  previous_callback = GC_get_on_collection_event();
  GC_set_on_collection_event(on_gc_event);
}

void PauseRecorder::unhook_gc() noexcept {
  GC_set_on_collection_event(previous_callback);
  hooked.store(nullptr, std::memory_order_relaxed);
}

}  // namespace memstrat
