// The arena strategy: every object and container buffer is bumped out of a
// BumpArena; release() does nothing; end_epoch() rewinds to the mark taken by
// begin_epoch(), freeing the whole epoch at once. It is what a server does
// with a per-request region, a compiler with a per-function one. Destructors
// never run, so objects may own only memory from the same arena.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>
#include <utility>

#include "allocators/allocator_base.h"
#include "allocators/bump_arena.h"
#include "allocators/counters.h"
#include "allocators/strategy.h"

namespace memstrat {

namespace detail {
// The arena of the innermost live Arena strategy on this thread.
inline thread_local BumpArena* current_arena = nullptr;
}  // namespace detail

// Container allocator over the current Arena strategy's BumpArena. It has
// no deallocate_bytes: a buffer a vector outgrows stays in the arena until
// the epoch ends. It is empty, like std::allocator, and finds its arena
// through a thread-local set by the Arena strategy (see allocator_base.h for
// why allocators carry no state).
template <class T>
struct ArenaAllocator : AllocatorBase<ArenaAllocator<T>, T> {
  using AllocatorBase<ArenaAllocator<T>, T>::AllocatorBase;

  static void* allocate_bytes(std::size_t bytes, std::size_t align) {
    return detail::current_arena->allocate(bytes, align);
  }
};

static_assert(std::is_empty_v<ArenaAllocator<int>>);

// Containers allocate from the arena of the Arena strategy that is current
// on their thread: the most recently constructed one still alive. Only the
// thread that made the strategy may allocate from it (BumpArena is not
// thread-safe); other threads may read and drop its objects.
class Arena {
 public:
  Arena() noexcept : previous_(detail::current_arena) {
    detail::current_arena = &arena_;
    link_local_counters(counts_);
  }
  ~Arena() {
    unlink_local_counters(counts_);
    detail::current_arena = previous_;
  }
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  static constexpr std::string_view kName = "arena";
  static constexpr StrategyTraits kTraits{
      .summary = "the whole region is rewound at the end of its epoch",
      .reclaim = ReclaimKind::kEpochEnd,
      .frees = Frees::kNone,
      .release_order = "none: the epoch's end frees every object at once",
      .colour = "#E69F00"};

  static constexpr std::array<StrategySetting, 1> kSettings{
      {{.flag = "--arena_max_mb",
        .help = "cap what each arena may hold at N MiB; a benchmark that "
                "reaches it fails with \"heap cap reached\"",
        .apply =
            [](std::int64_t n) {
              BumpArena::set_limit(static_cast<std::size_t>(n) << 20);
            },
        .caps_memory = true}}};

  template <class T>
  using Owner = T*;
  template <class T>
  using Allocator = ArenaAllocator<T>;
  using Epoch = BumpArena::Mark;

  template <class T, class... Args>
  T* make(Args&&... args) {
    // Counted beside the bump pointer, not in the thread-local: see
    // LocalCounters in counters.h.
    ++counts_.allocations;
    counts_.bytes += sizeof(T);
    return ::new (arena_.allocate(sizeof(T), alignof(T)))
        T(std::forward<Args>(args)...);
  }

  template <class T>
  void release(T*& p) noexcept {
    p = nullptr;
  }

  Epoch begin_epoch() const noexcept { return arena_.mark(); }
  void end_epoch(const Epoch& mark) noexcept { arena_.rewind(mark); }

  template <class T>
  Allocator<T> allocator() noexcept {
    return {};
  }

  const BumpArena& arena() const noexcept { return arena_; }

  /// For the memory timeline: bytes in use, as of the last chunk change or
  /// rewind (see BumpArena::bytes_used_published), readable from any thread.
  static constexpr std::string_view kSampleBytesLabel = "arena_bytes_used";
  std::size_t sample_bytes() const noexcept {
    return arena_.bytes_used_published();
  }

  template <class F>
  void visit_stats(F&& f) const {
    f("arena_reserved_bytes", static_cast<double>(arena_.bytes_reserved()),
      StatKind::kLevel);
    f("arena_rewinds", static_cast<double>(arena_.rewinds()),
      StatKind::kCumulative);
  }

 private:
  BumpArena arena_;
  LocalCounters counts_;
  BumpArena* previous_;
};

}  // namespace memstrat
