// Thread-local allocation counters shared by all strategies.
//
// Every strategy bumps them at the same points (each make<T>, each
// Allocator<T>::allocate), so equal counts across strategies mean equal work.
// They are plain thread-local integers (or per-object ones, below): one add
// in the allocation path, no atomics, no locks. Readers take a snapshot on the
// thread that allocated; multi-threaded workloads sum the snapshots of their
// threads.
#pragma once

#include <cstddef>
#include <cstdint>

namespace memstrat {

struct AllocCounters {
  std::uint64_t allocations = 0;  // objects and container buffers requested
  std::uint64_t bytes = 0;        // bytes requested (sizeof(T) * n)
  std::uint64_t frees = 0;        // objects and buffers explicitly freed
  // Bytes a strategy requests beyond the objects' own sizeof(T) * n: the
  // owner's cost (a shared_ptr control block), real memory, counted apart so
  // that `bytes` compares across strategies. See StrategyTraits.
  std::uint64_t overhead_bytes = 0;

  AllocCounters& operator+=(const AllocCounters& o) noexcept {
    allocations += o.allocations;
    bytes += o.bytes;
    frees += o.frees;
    overhead_bytes += o.overhead_bytes;
    return *this;
  }
  friend AllocCounters operator-(AllocCounters a,
                                 const AllocCounters& b) noexcept {
    a.allocations -= b.allocations;
    a.bytes -= b.bytes;
    a.frees -= b.frees;
    a.overhead_bytes -= b.overhead_bytes;
    return a;
  }
  friend bool operator==(const AllocCounters&, const AllocCounters&) = default;
};

// A strategy whose allocation path is a few instructions keeps its counts in
// its own object instead (see Arena::make): a thread-local counter is a
// load-add-store through %fs that the next allocation waits on, and on
// binary_trees it made the arena 25 to 45% slower than without it, while
// a counter beside the bump pointer, addressed from the same register, costs
// about nothing. Such counts are linked into a per-thread list while the
// object lives, read by thread_counters(), and folded into the thread's
// counters when it dies. allocations and bytes are not adjacent: GCC merges
// two adjacent increments into one 16-byte load-add-store, as slow as the
// thread-local one.
struct LocalCounters {
  std::uint64_t allocations = 0;
  LocalCounters* next = nullptr;
  std::uint64_t bytes = 0;
};

namespace detail {
inline thread_local AllocCounters tls_counters;
inline thread_local LocalCounters* tls_local_counters = nullptr;
}  // namespace detail

// Links `c` into this thread's list; unlink_local_counters() must be called
// on the same thread, in reverse order of linking.
inline void link_local_counters(LocalCounters& c) noexcept {
  c.next = detail::tls_local_counters;
  detail::tls_local_counters = &c;
}
inline void unlink_local_counters(LocalCounters& c) noexcept {
  detail::tls_counters.allocations += c.allocations;
  detail::tls_counters.bytes += c.bytes;
  detail::tls_local_counters = c.next;
}

inline void count_allocation(std::size_t bytes) noexcept {
  auto& c = detail::tls_counters;
  ++c.allocations;
  c.bytes += bytes;
}

inline void count_overhead(std::size_t bytes) noexcept {
  detail::tls_counters.overhead_bytes += bytes;
}

inline void count_free() noexcept { ++detail::tls_counters.frees; }

// This thread's counters since it started, live local counters included.
inline AllocCounters thread_counters() noexcept {
  AllocCounters c = detail::tls_counters;
  for (const LocalCounters* l = detail::tls_local_counters; l != nullptr;
       l = l->next) {
    c.allocations += l->allocations;
    c.bytes += l->bytes;
  }
  return c;
}

}  // namespace memstrat
