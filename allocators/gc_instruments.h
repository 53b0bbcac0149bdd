// bdwgc's instruments behind the gc strategy's optional hooks (strategy.h):
// its stop-the-world pauses as a pause source, its version, its heap cap.
// They live beside the strategy so that the harness knows no collector.
#pragma once

#include <cstdint>

#include "allocators/strategy.h"

namespace memstrat {

/// Delivers every stop-the-world interval of bdwgc (PRE_STOP_WORLD ..
/// POST_START_WORLD) to `sink` as a kGcStopWorld event until
/// gc_stop_pause_source(), which restores the collection-event callback
/// that was installed before. One sink at a time: bdwgc has a single global
/// callback.
void gc_start_pause_source(ReclaimSink& sink) noexcept;
void gc_stop_pause_source() noexcept;

/// bdwgc's version as the library reports it ("8.2.2").
LibraryVersion gc_library_version();

/// --gc_max_heap_mb=N: caps the collected heap at N MiB. bdwgc honours the
/// cap from then on, also when it starts later (see ensure_gc_started).
void gc_set_max_heap_mb(std::int64_t n);

}  // namespace memstrat
