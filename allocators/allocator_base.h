// AllocatorBase<Derived, T>: the std allocator skeleton every strategy's
// container allocator shares, after LLVM's AllocatorBase<Derived> (shared
// overloads through CRTP). A strategy's allocator says only where bytes come
// from and, if it frees buffers one by one, where they go:
//
//   template <class T>
//   struct MyAllocator : AllocatorBase<MyAllocator<T>, T> {
//     using AllocatorBase<MyAllocator<T>, T>::AllocatorBase;  // rebinding
//     static void* allocate_bytes(std::size_t bytes, std::size_t align);
//     // Optional: without it, deallocate() does nothing and counts no free
//     // (a collector or a region takes the buffer back).
//     static void deallocate_bytes(void* p, std::size_t bytes,
//                                  std::size_t align) noexcept;
//   };
//
// The base gives value_type, the rebinding constructor, operator== and
// allocate/deallocate, and counts in one place: every allocate() is one
// allocation of n * sizeof(T) bytes, every deallocate() of an allocator with
// deallocate_bytes one free, so all strategies count containers alike.
// Allocators are empty (no state): a stateful one would make every Vector
// and String inside a node bigger under that strategy than under the others,
// and the strategies would no longer request the same bytes for the same work.
// A template with a non-type parameter (GcAllocator<T, N>) also declares
// rebind, which std::allocator_traits cannot guess.
#pragma once

#include <cstddef>
#include <memory>
#include <type_traits>

#include "allocators/counters.h"

namespace memstrat {

namespace detail {
// A is the allocator family of Derived: rebound to T it is Derived.
template <class A, class T, class Derived>
concept SameAllocatorFamily =
    std::is_same_v<typename std::allocator_traits<A>::template rebind_alloc<T>,
                   Derived>;

// The rebinding constructor's constraint: another allocator of the family.
// Its own type is excluded first (the implicit copy constructor copies it):
// clang checks the template while declaring Derived's copy constructor, when
// Derived is still incomplete, and std::allocator_traits<Derived> needs
// is_empty<Derived>, which an incomplete type cannot answer.
template <class A, class T, class Derived>
concept OtherOfAllocatorFamily =
    !std::is_same_v<A, Derived> && SameAllocatorFamily<A, T, Derived>;

template <class D>
concept FreesBuffers = requires(void* p, std::size_t bytes) {
  D::deallocate_bytes(p, bytes, bytes);
};
}  // namespace detail

template <class Derived, class T>
class AllocatorBase {
 public:
  using value_type = T;

  AllocatorBase() noexcept = default;
  // The same allocator for another type (what std::allocator_traits'
  // rebind gives): containers convert their allocator to their nodes' type.
  template <class OtherDerived, class U>
  requires detail::OtherOfAllocatorFamily<OtherDerived, T, Derived>
  AllocatorBase(const AllocatorBase<OtherDerived, U>&)
  noexcept {}  // NOLINT

  [[nodiscard]] T* allocate(std::size_t n) {
    static_assert(std::is_empty_v<Derived>,
                  "strategy allocators are stateless (see allocator_base.h)");
    count_allocation(n * sizeof(T));
    return static_cast<T*>(Derived::allocate_bytes(n * sizeof(T), alignof(T)));
  }

  void deallocate(T* p, std::size_t n) noexcept {
    if constexpr (detail::FreesBuffers<Derived>) {
      count_free();
      Derived::deallocate_bytes(p, n * sizeof(T), alignof(T));
    }
  }

  // Stateless: any two allocators of one family are interchangeable.
  template <class OtherDerived, class U>
  requires detail::SameAllocatorFamily<OtherDerived, T, Derived>
  bool operator==(const AllocatorBase<OtherDerived, U>&) const noexcept {
    return true;
  }
};

}  // namespace memstrat
