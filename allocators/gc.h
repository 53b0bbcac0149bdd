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
// strategy (the main thread). Not at program start: bdwgc's parallel marker
// thread would make every process multi-threaded, and glibc's malloc leaves
// its single-threaded fast path for good once a second thread exists, which
// would slow manual and raii in processes that never collect.
inline void ensure_gc_started() {
  if (GC_is_init_called()) return;
  GC_INIT();
  GC_allow_register_threads();
  GC_start_performance_measurement();
}

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

  static constexpr std::array<StrategySetting, 1> kSettings{
      {{.flag = "--gc_max_heap_mb",
        .help = "cap the Boehm GC heap at N MiB; a benchmark that reaches it "
                "fails with \"heap cap reached\"",
        .apply = &gc_set_max_heap_mb,
        .caps_memory = true}}};
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
