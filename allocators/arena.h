// The arena strategy: every object and container buffer is bumped out of a
// BumpArena; release() does nothing; end_epoch() rewinds to the mark taken by
// begin_epoch(), freeing the whole epoch at once. It is what a server does
// with a per-request region, a compiler with a per-function one. Destructors
// never run, so objects may own only memory from the same arena.
#pragma once

#include <cstddef>
#include <string_view>
#include <utility>

#include "allocators/bump_arena.h"
#include "allocators/counters.h"
#include "allocators/strategy.h"

namespace memstrat {

// Container allocator over a BumpArena. deallocate() does nothing: a buffer a
// vector outgrows stays in the arena until the epoch ends.
template <class T>
struct ArenaAllocator {
  using value_type = T;

  explicit ArenaAllocator(BumpArena* a) noexcept : arena(a) {}
  template <class U>
  ArenaAllocator(const ArenaAllocator<U>& o) noexcept  // NOLINT: rebind
      : arena(o.arena) {}

  T* allocate(std::size_t n) {
    count_allocation(n * sizeof(T));
    return static_cast<T*>(arena->allocate(n * sizeof(T), alignof(T)));
  }
  void deallocate(T*, std::size_t) noexcept {}

  template <class U>
  bool operator==(const ArenaAllocator<U>& o) const noexcept {
    return arena == o.arena;
  }

  BumpArena* arena;
};

class Arena {
 public:
  static constexpr std::string_view kName = "arena";
  static constexpr bool kCollects = false;

  template <class T>
  using Owner = T*;
  template <class T>
  using Allocator = ArenaAllocator<T>;
  using Epoch = BumpArena::Mark;

  template <class T, class... Args>
  T* make(Args&&... args) {
    count_allocation(sizeof(T));
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
    return Allocator<T>(&arena_);
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
};

}  // namespace memstrat
