// bdwgc's collection-event hook, version and heap cap (see gc_instruments.h).
#include "allocators/gc_instruments.h"

#include <gc/gc.h>

#include <atomic>
#include <cstddef>
#include <string>

namespace memstrat {

namespace {
std::atomic<ReclaimSink*> hooked{nullptr};
std::atomic<std::int64_t> stop_world_start{0};
GC_on_collection_event_proc previous_callback = nullptr;

// Runs in the collecting thread with the GC lock held, sometimes with the
// world stopped: only a clock read and atomic stores (ReclaimSink's rules).
void on_gc_event(GC_EventType event) {
  ReclaimSink* sink = hooked.load(std::memory_order_relaxed);
  if (sink == nullptr) return;
  if (event == GC_EVENT_PRE_STOP_WORLD) {
    stop_world_start.store(sink->now_ns(), std::memory_order_relaxed);
  } else if (event == GC_EVENT_POST_START_WORLD) {
    const std::int64_t start = stop_world_start.load(std::memory_order_relaxed);
    if (start != 0) {
      sink->record(ReclaimKind::kGcStopWorld, start, sink->now_ns() - start);
    }
  }
}
}  // namespace

void gc_start_pause_source(ReclaimSink& sink) noexcept {
  hooked.store(&sink, std::memory_order_relaxed);
  stop_world_start.store(0, std::memory_order_relaxed);
  previous_callback = GC_get_on_collection_event();
  GC_set_on_collection_event(on_gc_event);
}

void gc_stop_pause_source() noexcept {
  GC_set_on_collection_event(previous_callback);
  hooked.store(nullptr, std::memory_order_relaxed);
}

LibraryVersion gc_library_version() {
  const unsigned v = GC_get_version();
  return {"bdwgc", std::to_string(v >> 16) + "." +
                       std::to_string((v >> 8) & 0xff) + "." +
                       std::to_string(v & 0xff)};
}

void gc_set_max_heap_mb(std::int64_t n) {
  GC_set_max_heap_size(static_cast<std::size_t>(n) << 20);
}

}  // namespace memstrat
