// Thread-local allocation counters shared by all strategies.
//
// Every strategy bumps them at the same points (each make<T>, each
// Allocator<T>::allocate), so equal counts across strategies mean equal work.
// They are plain thread-local integers: one add in the allocation path, no
// atomics, no locks. Readers take a snapshot on the thread that allocated;
// multi-threaded workloads sum the snapshots of their threads.
#pragma once

#include <cstddef>
#include <cstdint>

namespace memstrat {

struct AllocCounters {
  std::uint64_t allocations = 0;  // objects and container buffers requested
  std::uint64_t bytes = 0;        // bytes requested (sizeof(T) * n)
  std::uint64_t frees = 0;        // objects and buffers explicitly freed

  AllocCounters& operator+=(const AllocCounters& o) noexcept {
    allocations += o.allocations;
    bytes += o.bytes;
    frees += o.frees;
    return *this;
  }
  friend AllocCounters operator-(AllocCounters a,
                                 const AllocCounters& b) noexcept {
    a.allocations -= b.allocations;
    a.bytes -= b.bytes;
    a.frees -= b.frees;
    return a;
  }
  friend bool operator==(const AllocCounters&, const AllocCounters&) = default;
};

namespace detail {
inline thread_local AllocCounters tls_counters;
}

inline void count_allocation(std::size_t bytes) noexcept {
  auto& c = detail::tls_counters;
  ++c.allocations;
  c.bytes += bytes;
}

inline void count_free() noexcept { ++detail::tls_counters.frees; }

// This thread's counters since it started.
inline AllocCounters thread_counters() noexcept { return detail::tls_counters; }

}  // namespace memstrat
