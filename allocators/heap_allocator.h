// HeapAllocator<T>: the container allocator of the manual and raii
// strategies. It is std::allocator plus the shared counters, so containers in
// a workload allocate from the process's malloc (glibc or mimalloc) exactly as
// they would in ordinary C++, and are counted like every other allocation.
#pragma once

#include <cstddef>
#include <new>
#include <type_traits>

#include "allocators/allocator_base.h"

namespace memstrat {

template <class T>
struct HeapAllocator : AllocatorBase<HeapAllocator<T>, T> {
  using AllocatorBase<HeapAllocator<T>, T>::AllocatorBase;

  static void* allocate_bytes(std::size_t bytes, std::size_t) {
    return ::operator new(bytes);
  }
  static void deallocate_bytes(void* p, std::size_t bytes,
                               std::size_t) noexcept {
    ::operator delete(p, bytes);
  }
};

static_assert(std::is_empty_v<HeapAllocator<int>>);

}  // namespace memstrat
