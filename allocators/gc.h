// The gc strategy: Boehm-Demers-Weiser conservative garbage collection
// (bdwgc). Objects and container buffers come from the collected heap;
// pointer-free data (numbers, characters) from the atomic heap, which is never
// scanned. release() only drops the reference: the collector finds the object
// unreachable later, as in Java or Go. No destructors run.
//
// BasicGc<N> with N > 0 forces a full collection every N allocations on the
// thread: the stress mode tests use to prove that no GC pointer hides in
// memory the collector does not scan (a hidden one gets its object reclaimed
// and the checksum goes wrong). N == 0 is the strategy benchmarks use.
#pragma once

#include <gc/gc.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <new>
#include <string_view>
#include <type_traits>
#include <utility>

#include "allocators/allocator_base.h"
#include "allocators/counters.h"
#include "allocators/gc_instruments.h"
#include "allocators/strategy.h"

namespace memstrat {

// Pointer-free types go to the atomic heap. A class opts in with
// `static constexpr bool kPointerFree = true;`.
template <class T>
concept PointerFree = std::is_arithmetic_v<T> || std::is_enum_v<T> || requires {
  requires T::kPointerFree;
};

namespace detail {
inline thread_local unsigned gc_stress_countdown = 0;

template <unsigned kCollectEvery>
inline void* gc_allocate(std::size_t bytes, bool pointer_free) {
  if constexpr (kCollectEvery > 0) {
    if (gc_stress_countdown-- == 0) {
      gc_stress_countdown = kCollectEvery - 1;
      GC_gcollect();
    }
  }
  void* p = pointer_free ? GC_MALLOC_ATOMIC(bytes) : GC_MALLOC(bytes);
  if (p == nullptr) throw std::bad_alloc();  // heap cap reached
  return p;
}
}  // namespace detail

// Container allocator over the collected heap. It has no deallocate_bytes:
// a buffer a vector outgrows becomes garbage, as it would in a GC'd language.
template <class T, unsigned kCollectEvery = 0>
struct GcAllocator : AllocatorBase<GcAllocator<T, kCollectEvery>, T> {
  using AllocatorBase<GcAllocator<T, kCollectEvery>, T>::AllocatorBase;
  template <class U>
  struct rebind {
    using other = GcAllocator<U, kCollectEvery>;
  };

  static void* allocate_bytes(std::size_t bytes, std::size_t) {
    return detail::gc_allocate<kCollectEvery>(bytes, PointerFree<T>);
  }
};

static_assert(std::is_empty_v<GcAllocator<int>>);

// Registers the current thread with bdwgc for its lifetime, so the collector
// stops it and scans its stack (std::thread does not go through bdwgc's
// pthread_create redirect). The main thread is already registered.
class GcThreadRegistration {
 public:
  GcThreadRegistration() {
    GC_stack_base base{};
    GC_get_stack_base(&base);
    registered_ = GC_register_my_thread(&base) == GC_SUCCESS;
  }
  ~GcThreadRegistration() {
    if (registered_) GC_unregister_my_thread();
  }
  GcThreadRegistration(const GcThreadRegistration&) = delete;
  GcThreadRegistration& operator=(const GcThreadRegistration&) = delete;

 private:
  bool registered_ = false;
};

// Starts bdwgc on first use, from the thread that makes the first gc
// strategy (the main thread), with the settings of the command line (see
// gc_start). Not at program start: bdwgc's parallel marker thread would make
// every process multi-threaded, and glibc's malloc leaves its
// single-threaded fast path for good once a second thread exists, which
// would slow manual and raii in processes that never collect.
inline void ensure_gc_started() { gc_start(); }

namespace detail {
// The gc strategy's space-time knobs (its kCurve). bdwgc grows its heap in
// steps of at least MINHINCR heap blocks of HBLKSIZE bytes: GC_expand_hp_inner
// raises any smaller request to MINHINCR blocks (alloc.c l.1555 in 8.2.2),
// and MINHINCR is 16, HBLKSIZE 4096 when not LARGE_CONFIG, which Debian's
// build is not (include/private/gc_priv.h l.401 and l.933). GC_collect_or_
// expand asks for heap/(HBLKSIZE*divisor) + needed blocks, so a heap is a sum
// of such steps: caps closer than 64 KiB mostly allow the same heaps.
inline constexpr std::int64_t kGcHeapGranularityBytes = 16 * 4096;
inline constexpr std::int64_t kGcDivisorSweep[] = {1, 2, 5, 10, 30};
inline constexpr SweepDeclaration kGcSweeps[] = {
    {.name = "free_space_divisor",
     .flag = "--gc_free_space_divisor",
     .label = "free-space divisor",
     .default_value = 3,
     .min = 1,
     .max = 1000,
     .values = kGcDivisorSweep}};
inline constexpr std::string_view kGcOneMarkerFlags[] = {"--gc_markers=1"};
inline constexpr std::string_view kGcIncrementalFlags[] = {
    "--gc_incremental=1"};
inline constexpr VariantDeclaration kGcVariants[] = {
    {.name = "markers_1",
     .label = "1 marker",
     .flags = kGcOneMarkerFlags,
     .summary = "one marker thread (bdwgc's default: one per core)"},
    {.name = "incremental",
     .label = "incremental",
     .flags = kGcIncrementalFlags,
     .summary = "bdwgc's incremental/generational mode (page protection)"}};
}  // namespace detail

template <unsigned kCollectEvery>
class BasicGc {
 public:
  BasicGc() { ensure_gc_started(); }

  static constexpr std::string_view kName = "gc";
  static constexpr StrategyTraits kTraits{
      .summary = "a collector (bdwgc) finds it unreachable",
      .reclaim = ReclaimKind::kGcStopWorld,
      .frees = Frees::kNone,
      .collects = true,
      .release_order = "none: release() drops the reference",
      .sanitizer_safe = false,
      .threads_process = true,
      .colour = "#D55E00"};

  static constexpr std::array<StrategySetting, 6> kSettings{
      {{.flag = "--gc_max_heap_mb",
        .help = "cap the Boehm GC heap at N MiB; a benchmark that reaches it "
                "fails with \"heap cap reached\"",
        .apply = &gc_set_max_heap_mb,
        .caps_memory = true,
        .check = &gc_check_one_cap},
       {.flag = "--gc_max_heap_kib",
        .help = "cap the Boehm GC heap at N KiB (GC_set_max_heap_size); a "
                "benchmark that reaches it fails with \"heap cap reached\"",
        .max = std::int64_t{1} << 40,
        .apply = &gc_set_max_heap_kib,
        .caps_memory = true,
        .check = &gc_check_one_cap},
       {.flag = "--gc_initial_heap_kib",
        .help = "pre-size the Boehm GC heap to N KiB at start-up "
                "(GC_expand_hp, as Java's -Xms); at most the cap",
        .max = std::int64_t{1} << 40,
        .apply = &gc_set_initial_heap_kib,
        .check = &gc_check_initial_below_cap},
       {.flag = "--gc_free_space_divisor",
        .help = "GC_set_free_space_divisor (bdwgc's default 3): collect "
                "after about (2 x traced + untraced bytes + roots) / N bytes "
                "allocated, else grow the heap; a higher N means a smaller "
                "heap and more collections",
        .max = 1000,
        .apply = &gc_set_free_space_divisor},
       {.flag = "--gc_markers",
        .help = "marker threads, the collecting one included "
                "(GC_set_markers_count before start-up; bdwgc's default: one "
                "per core)",
        .max = 64,
        .apply = &gc_set_markers},
       {.flag = "--gc_incremental",
        .help = "1: bdwgc's incremental/generational mode "
                "(GC_enable_incremental; dirty pages by page protection "
                "here); 0: stop-the-world full collections (the default)",
        .min = 0,
        .max = 1,
        .apply = &gc_set_incremental}}};
  static constexpr CurveDeclaration kCurve{
      .heap = {.cap_flag = "--gc_max_heap_kib",
               .presize_flag = "--gc_initial_heap_kib",
               .flag_unit_bytes = 1024,
               .granularity_bytes = detail::kGcHeapGranularityBytes},
      .sweeps = detail::kGcSweeps,
      .variants = detail::kGcVariants};
  static LibraryVersion library_version() { return gc_library_version(); }

  template <class T>
  using Owner = T*;
  template <class T>
  using Allocator = GcAllocator<T, kCollectEvery>;
  struct Epoch {};
  using ThreadGuard = GcThreadRegistration;

  template <class T, class... Args>
  T* make(Args&&... args) {
    static_assert(alignof(T) <= 2 * sizeof(void*),
                  "bdwgc aligns objects to its granule (16 bytes) only");
    count_allocation(sizeof(T));
    void* m = detail::gc_allocate<kCollectEvery>(sizeof(T), PointerFree<T>);
    return ::new (m) T(std::forward<Args>(args)...);
  }

  template <class T>
  void release(T*& p) noexcept {
    p = nullptr;
  }

  Epoch begin_epoch() noexcept { return {}; }
  void end_epoch(Epoch) noexcept {}

  template <class T>
  Allocator<T> allocator() noexcept {
    return {};
  }

  /// For the memory timeline: the collected heap's size. It runs in a signal
  /// handler, so it reads bdwgc's statistics without taking its lock (a
  /// sample may be a collection stale).
  static constexpr std::string_view kSampleBytesLabel = "gc_heap_bytes";
  std::size_t sample_bytes() const noexcept {
    GC_prof_stats_s stats{};
    GC_get_prof_stats_unsafe(&stats, sizeof stats);
    return stats.heapsize_full - stats.unmapped_bytes;
  }

  template <class F>
  void visit_stats(F&& f) const {
    f("gc_collections", static_cast<double>(GC_get_gc_no()),
      StatKind::kCumulative);
    f("gc_heap_bytes", static_cast<double>(GC_get_heap_size()),
      StatKind::kLevel);
    // The time the world stood still for the collector, and the CPU time
    // the process spent meanwhile: what time minus it leaves is the
    // mutator's share plus the collector's concurrent work (Cai et al.'s
    // "distilled" time).
    const GcStopWorldTotals stopped = gc_stop_world_totals();
    f("gc_stop_world_time", stopped.wall_seconds, StatKind::kCumulative);
    f("gc_stop_world_cpu_time", stopped.cpu_seconds, StatKind::kCumulative);
  }

  /// The probe's gc.settings: what bdwgc reports it runs with.
  template <class F>
  void visit_probe_settings(F&& f) const {
    const GcSettingsReadBack s = gc_settings_read_back();
    f("markers", s.markers);
    f("incremental", s.incremental);
    f("free_space_divisor", s.free_space_divisor);
    f("max_heap_bytes", s.max_heap_bytes);
    f("initial_heap_bytes", s.initial_heap_bytes);
    f("max_retries", s.max_retries);
  }

  /// The probe's pause source: bdwgc's stop-the-world intervals.
  void start_pause_source(ReclaimSink& sink) noexcept {
    gc_start_pause_source(sink);
  }
  void stop_pause_source() noexcept { gc_stop_pause_source(); }

  /// The probe's "gc" object: full collections, the heap's size, and
  /// bdwgc's own full-GC time (whole milliseconds, full collections only).
  template <class F>
  void visit_probe_figures(F&& f) const {
    f("collections", static_cast<std::int64_t>(GC_get_gc_no()),
      StatKind::kCumulative);
    f("heap_bytes", static_cast<std::int64_t>(GC_get_heap_size()),
      StatKind::kLevel);
    f("bdwgc_full_gc_total_ms",
      static_cast<std::int64_t>(GC_get_full_gc_total_time()),
      StatKind::kCumulative);
  }
};

using Gc = BasicGc<0>;

}  // namespace memstrat
