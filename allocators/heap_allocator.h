// HeapAllocator<T>: the container allocator of the manual and raii
// strategies. It is std::allocator plus the shared counters, so containers in
// a workload allocate from the process's malloc (glibc or mimalloc) exactly as
// they would in ordinary C++, and are counted like every other allocation.
#pragma once

#include <cstddef>
#include <new>

#include "allocators/counters.h"

namespace memstrat {

template <class T>
struct HeapAllocator {
  using value_type = T;

  HeapAllocator() noexcept = default;
  template <class U>
  HeapAllocator(const HeapAllocator<U>&) noexcept {}  // NOLINT: rebind

  T* allocate(std::size_t n) {
    count_allocation(n * sizeof(T));
    return static_cast<T*>(::operator new(n * sizeof(T)));
  }
  void deallocate(T* p, std::size_t n) noexcept {
    count_free();
    ::operator delete(p, n * sizeof(T));
  }

  template <class U>
  bool operator==(const HeapAllocator<U>&) const noexcept {
    return true;
  }
};

}  // namespace memstrat
