// bdwgc's start-up, settings, collection-event hook and version (see
// gc_instruments.h).
#include "allocators/gc_instruments.h"

#include <gc/gc.h>
#include <time.h>

#include <atomic>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>

namespace memstrat {

namespace {

// What the command line asked for; nullopt = bdwgc's default.
struct PendingSettings {
  std::optional<std::int64_t> max_heap_bytes;  // from either cap flag
  std::optional<std::int64_t> initial_heap_bytes;
  std::optional<std::int64_t> free_space_divisor;
  std::optional<std::int64_t> markers;
  std::optional<std::int64_t> incremental;
};
PendingSettings pending;

std::once_flag start_once;
std::atomic<bool> started{false};
std::int64_t applied_max_heap_bytes = 0;
std::int64_t heap_bytes_at_start = 0;

// --- The collection-event callback ----------------------------------------
//
// Installed by gc_start() for the rest of the process. It runs in the
// collecting thread with the GC lock held, sometimes with the world stopped:
// only clock reads and relaxed atomic stores, no GC call, allocation, lock
// or output (ReclaimSink's rules). Collections are serialised by the GC
// lock, so one start slot suffices.

std::atomic<ReclaimSink*> hooked{nullptr};
std::atomic<std::int64_t> sink_start_ns{0};  // on the sink's clock; 0: none
std::atomic<std::int64_t> wall_start_ns{0};  // CLOCK_MONOTONIC; 0: none
std::atomic<std::int64_t> cpu_start_ns{0};
std::atomic<std::int64_t> stop_world_wall_ns{0};
std::atomic<std::int64_t> stop_world_cpu_ns{0};
GC_on_collection_event_proc chained = nullptr;  // installed before ours

std::int64_t clock_ns(clockid_t clock) noexcept {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

void on_gc_event(GC_EventType event) {
  ReclaimSink* sink = hooked.load(std::memory_order_relaxed);
  if (event == GC_EVENT_PRE_STOP_WORLD) {
    // CPU first, wall second, so the wall interval encloses the CPU one.
    cpu_start_ns.store(clock_ns(CLOCK_PROCESS_CPUTIME_ID),
                       std::memory_order_relaxed);
    wall_start_ns.store(clock_ns(CLOCK_MONOTONIC), std::memory_order_relaxed);
    sink_start_ns.store(sink != nullptr ? sink->now_ns() : 0,
                        std::memory_order_relaxed);
  } else if (event == GC_EVENT_POST_START_WORLD) {
    const std::int64_t wall_end = clock_ns(CLOCK_MONOTONIC);
    const std::int64_t cpu_end = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
    const std::int64_t wall_start =
        wall_start_ns.exchange(0, std::memory_order_relaxed);
    if (wall_start != 0) {
      stop_world_wall_ns.fetch_add(wall_end - wall_start,
                                   std::memory_order_relaxed);
      stop_world_cpu_ns.fetch_add(
          cpu_end - cpu_start_ns.load(std::memory_order_relaxed),
          std::memory_order_relaxed);
    }
    const std::int64_t start =
        sink_start_ns.exchange(0, std::memory_order_relaxed);
    if (sink != nullptr && start != 0) {
      sink->record(ReclaimKind::kGcStopWorld, start, sink->now_ns() - start);
    }
  }
  if (chained != nullptr) chained(event);
}

void install_callback() {
  if (GC_get_on_collection_event() == on_gc_event) return;
  chained = GC_get_on_collection_event();
  GC_set_on_collection_event(on_gc_event);
}

void start() {
  // Before GC_INIT: bdwgc reads the marker count once, when it starts its
  // threads' support (GC_thr_init); set later, it is ignored.
  if (!GC_is_init_called()) {
    if (pending.markers) {
      GC_set_markers_count(static_cast<unsigned>(*pending.markers));
    }
    GC_INIT();
  }
  // As early as possible after start-up, before any allocation (bdwgc's
  // advice; it collects once if anything was allocated).
  if (pending.incremental.value_or(0) != 0) GC_enable_incremental();
  // bdwgc's setter is unsynchronised: set it while this is the only thread.
  if (pending.free_space_divisor) {
    GC_set_free_space_divisor(
        static_cast<GC_word>(*pending.free_space_divisor));
  }
  // The cap after GC_INIT: GC_init's own first expansion (64 KiB) exits the
  // process ("Can't start up") when a cap below it is already set.
  if (pending.max_heap_bytes) {
    applied_max_heap_bytes = *pending.max_heap_bytes;
    GC_set_max_heap_size(static_cast<GC_word>(applied_max_heap_bytes));
    // A cap means what Java's -Xmx means: collect before giving up. bdwgc's
    // default (GC_max_retries 0) fails an allocation that finds the heap
    // full at the cap when no collection happens to be due (alloc.c,
    // GC_collect_or_expand), so whether a run fits would depend on where
    // the collections fall and the minimum heap would not be monotone. One
    // retry collects once first; a run that still does not fit fails.
    GC_set_max_retries(1);
  }
  // GC_expand_hp grows the heap BY its argument; -Xms means grow it TO the
  // size. Within the cap it succeeds; beyond it returns 0 and leaves the heap
  // as it is (GC_expand_hp_inner refuses when heap + growth > cap), which
  // the read-back's initial_heap_bytes shows.
  if (pending.initial_heap_bytes) {
    const auto heap = static_cast<std::int64_t>(GC_get_heap_size());
    if (*pending.initial_heap_bytes > heap) {
      GC_expand_hp(
          static_cast<std::size_t>(*pending.initial_heap_bytes - heap));
    }
  }
  // Starts the parallel marker threads.
  GC_allow_register_threads();
  GC_start_performance_measurement();
  install_callback();
  heap_bytes_at_start = static_cast<std::int64_t>(GC_get_heap_size());
  started.store(true, std::memory_order_release);
}

// The value of `flag` among the settings given, if it is there.
std::optional<std::int64_t> given_value(std::span<const GivenSetting> given,
                                        std::string_view flag) {
  for (const GivenSetting& g : given) {
    if (g.flag == flag) return g.value;
  }
  return std::nullopt;
}

}  // namespace

void gc_start() {
  if (started.load(std::memory_order_acquire)) return;
  std::call_once(start_once, start);
}

void gc_set_max_heap_mb(std::int64_t n) { pending.max_heap_bytes = n << 20; }
void gc_set_max_heap_kib(std::int64_t n) { pending.max_heap_bytes = n << 10; }
void gc_set_initial_heap_kib(std::int64_t n) {
  pending.initial_heap_bytes = n << 10;
}
void gc_set_free_space_divisor(std::int64_t n) {
  pending.free_space_divisor = n;
}
void gc_set_markers(std::int64_t n) { pending.markers = n; }
void gc_set_incremental(std::int64_t n) { pending.incremental = n; }

std::string gc_check_one_cap(std::span<const GivenSetting> given) {
  if (given_value(given, "--gc_max_heap_mb") &&
      given_value(given, "--gc_max_heap_kib")) {
    return "--gc_max_heap_kib and --gc_max_heap_mb both cap the heap; give "
           "one of them";
  }
  return {};
}

std::string gc_check_initial_below_cap(std::span<const GivenSetting> given) {
  const auto initial_kib = given_value(given, "--gc_initial_heap_kib");
  if (!initial_kib) return {};
  std::optional<std::int64_t> cap_kib = given_value(given, "--gc_max_heap_kib");
  if (const auto mb = given_value(given, "--gc_max_heap_mb")) {
    cap_kib = *mb << 10;
  }
  if (cap_kib && *initial_kib > *cap_kib) {
    return "--gc_initial_heap_kib=" + std::to_string(*initial_kib) +
           " is above the heap cap (" + std::to_string(*cap_kib) +
           " KiB); pre-size the heap to the cap at most";
  }
  return {};
}

GcSettingsReadBack gc_settings_read_back() {
  GC_prof_stats_s stats{};
  GC_get_prof_stats(&stats, sizeof stats);
  return {.markers = static_cast<std::int64_t>(stats.markers_m1) + 1,
          .incremental = GC_is_incremental_mode() != 0,
          .free_space_divisor =
              static_cast<std::int64_t>(GC_get_free_space_divisor()),
          .max_heap_bytes = applied_max_heap_bytes,
          .initial_heap_bytes = heap_bytes_at_start,
          .max_retries = static_cast<std::int64_t>(GC_get_max_retries())};
}

GcStopWorldTotals gc_stop_world_totals() noexcept {
  return {1e-9 * static_cast<double>(
                     stop_world_wall_ns.load(std::memory_order_relaxed)),
          1e-9 * static_cast<double>(
                     stop_world_cpu_ns.load(std::memory_order_relaxed))};
}

void gc_start_pause_source(ReclaimSink& sink) noexcept {
  gc_start();
  sink_start_ns.store(0, std::memory_order_relaxed);
  hooked.store(&sink, std::memory_order_relaxed);
}

void gc_stop_pause_source() noexcept {
  hooked.store(nullptr, std::memory_order_relaxed);
}

LibraryVersion gc_library_version() {
  const unsigned v = GC_get_version();
  return {"bdwgc", std::to_string(v >> 16) + "." +
                       std::to_string((v >> 8) & 0xff) + "." +
                       std::to_string(v & 0xff)};
}

}  // namespace memstrat
