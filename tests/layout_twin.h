// LayoutTwin<kOwnerBytes, kAllocatorBytes>: the manual strategy with owners
// and container allocators of the declared widths. It does manual's work
// with another strategy's layout (shared_ptr's 16-byte owners, std::pmr's
// 8-byte polymorphic_allocator), so the parity suite can hold that strategy
// to manual's bytes net of what its owners and allocators add: a strategy
// must request exactly what its twin requests, and the twin's excess over
// manual is the layout's cost, reported by the tests.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>
#include <utility>

#include "allocators/counters.h"
#include "allocators/heap_allocator.h"
#include "allocators/manual.h"
#include "allocators/strategy.h"

namespace memstrat::testing {

// An owner kBytes wide that behaves as a raw pointer.
template <class T, std::size_t kBytes>
class WideOwner {
  static_assert(kBytes > sizeof(T*));

 public:
  WideOwner() noexcept = default;
  WideOwner(std::nullptr_t) noexcept {}  // NOLINT: as a pointer
  explicit WideOwner(T* p) noexcept : p_(p) {}
  WideOwner& operator=(std::nullptr_t) noexcept {
    p_ = nullptr;
    return *this;
  }
  T* get() const noexcept { return p_; }
  T& operator*() const noexcept { return *p_; }
  T* operator->() const noexcept { return p_; }
  explicit operator bool() const noexcept { return p_ != nullptr; }
  friend bool operator==(const WideOwner& a, std::nullptr_t) noexcept {
    return a.p_ == nullptr;
  }
  friend bool operator==(const WideOwner&, const WideOwner&) = default;

 private:
  T* p_ = nullptr;
  std::array<std::byte, kBytes - sizeof(T*)> rest_{};  // e.g. a control block
};

// HeapAllocator carrying kBytes of state, as polymorphic_allocator does.
template <class T, std::size_t kBytes>
struct StatefulHeapAllocator : HeapAllocator<T> {
  using value_type = T;
  template <class U>
  struct rebind {
    using other = StatefulHeapAllocator<U, kBytes>;
  };
  StatefulHeapAllocator() noexcept = default;
  template <class U>
  StatefulHeapAllocator(  // NOLINT: rebind
      const StatefulHeapAllocator<U, kBytes>& o) noexcept
      : state(o.state) {}
  template <class U>
  bool operator==(const StatefulHeapAllocator<U, kBytes>&) const noexcept {
    return true;
  }
  std::array<std::byte, kBytes> state{};
};

template <std::size_t kOwnerBytes, std::size_t kAllocatorBytes>
class LayoutTwin {
 public:
  static constexpr std::string_view kName = "layout_twin";
  static constexpr StrategyTraits kTraits = [] {
    StrategyTraits t = Manual::kTraits;
    t.owner_bytes = kOwnerBytes;
    t.allocator_bytes = kAllocatorBytes;
    t.baseline = false;
    return t;
  }();
  template <class T>
  using Owner = std::conditional_t<kOwnerBytes == sizeof(void*), T*,
                                   WideOwner<T, kOwnerBytes>>;
  template <class T>
  using Allocator =
      std::conditional_t<kAllocatorBytes == 0, HeapAllocator<T>,
                         StatefulHeapAllocator<T, kAllocatorBytes>>;
  struct Epoch {};

  template <class T, class... Args>
  Owner<T> make(Args&&... args) {
    count_allocation(sizeof(T));
    ++objects;
    T* p = new T(std::forward<Args>(args)...);
    escape(p);
    return Owner<T>(p);
  }
  template <class P>
  void release(P& p) {
    if (p != nullptr) destroy(raw(p));
    p = nullptr;
  }
  Epoch begin_epoch() noexcept { return {}; }
  void end_epoch(Epoch) noexcept {}
  template <class T>
  Allocator<T> allocator() noexcept {
    return {};
  }

  std::uint64_t objects = 0;  // made by make<T>, not container buffers

 private:
  template <class T>
  static void destroy(T* p) {
    if constexpr (HasOwnedEdges<T>) {
      p->for_each_owned([](auto& child) {
        if (child != nullptr) destroy(raw(child));
      });
    }
    count_free();
    delete p;
  }
};

/// The twin with strategy S's declared layout.
template <class S>
using LayoutTwinOf =
    LayoutTwin<S::kTraits.owner_bytes, S::kTraits.allocator_bytes>;

}  // namespace memstrat::testing
