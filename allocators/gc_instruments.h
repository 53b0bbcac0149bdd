// bdwgc's instruments behind the gc strategy's optional hooks (strategy.h):
// its start-up with the settings the command line gave, its stop-the-world
// pauses as a pause source and as running totals, its version, and what it
// reports it runs with. They live beside the strategy so that the harness
// knows no collector.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "allocators/strategy.h"

namespace memstrat {

/// Starts bdwgc once per process, from the thread that calls it first (the
/// main thread), with the settings stored by the gc_set_* functions below,
/// in the order bdwgc needs them: GC_set_markers_count before GC_INIT;
/// GC_enable_incremental, then the free-space divisor, the heap cap and
/// GC_expand_hp after it. Also installs the collection-event callback
/// behind gc_stop_world_totals() and the pause source. Later calls return
/// at once.
void gc_start();

/// The settings' apply functions (StrategySetting::apply): they only store
/// the value; gc_start() applies it. A process that never makes a gc
/// strategy never starts bdwgc, and a setting given after bdwgc started has
/// no effect.
void gc_set_max_heap_mb(std::int64_t n);         // --gc_max_heap_mb
void gc_set_max_heap_kib(std::int64_t n);        // --gc_max_heap_kib
void gc_set_initial_heap_kib(std::int64_t n);    // --gc_initial_heap_kib
void gc_set_free_space_divisor(std::int64_t n);  // --gc_free_space_divisor
void gc_set_markers(std::int64_t n);             // --gc_markers
void gc_set_incremental(std::int64_t n);         // --gc_incremental

/// The settings' checks (StrategySetting::check): one cap flag at most; a
/// pre-sized heap no larger than the cap.
std::string gc_check_one_cap(std::span<const GivenSetting> given);
std::string gc_check_initial_below_cap(std::span<const GivenSetting> given);

/// What bdwgc runs with, read back after gc_start() (the probe's
/// gc.settings). max_heap_bytes is the cap gc_start() handed to
/// GC_set_max_heap_size (0: none): bdwgc 8.2.2 has no getter for it.
struct GcSettingsReadBack {
  std::int64_t markers = 0;  // GC_get_prof_stats' markers_m1 + 1
  bool incremental = false;  // GC_is_incremental_mode()
  std::int64_t free_space_divisor = 0;
  std::int64_t max_heap_bytes = 0;
  std::int64_t initial_heap_bytes = 0;  // GC_get_heap_size() after start-up
  std::int64_t max_retries = 0;         // GC_get_max_retries()
};
GcSettingsReadBack gc_settings_read_back();

/// Every stop-the-world interval (PRE_STOP_WORLD .. POST_START_WORLD) since
/// gc_start(), summed: wall seconds, and the process CPU seconds
/// (CLOCK_PROCESS_CPUTIME_ID: collector and marker threads, the mutators
/// being stopped) spent inside them.
struct GcStopWorldTotals {
  double wall_seconds = 0;
  double cpu_seconds = 0;
};
GcStopWorldTotals gc_stop_world_totals() noexcept;

/// Delivers every stop-the-world interval of bdwgc to `sink` as a
/// kGcStopWorld event until gc_stop_pause_source(). One sink at a time. The
/// callback stays installed (the totals above need it); a callback another
/// part of the program installed before gc_start() is still called.
void gc_start_pause_source(ReclaimSink& sink) noexcept;
void gc_stop_pause_source() noexcept;

/// bdwgc's version as the library reports it ("8.2.2").
LibraryVersion gc_library_version();

}  // namespace memstrat
