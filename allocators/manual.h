// The manual strategy: raw pointers, new and delete, as careful C++ (or C)
// written without smart pointers. release() deletes the object after
// releasing, depth first, every owner it lists in for_each_owned(): the
// hand-written free_tree() every C programmer knows.
#pragma once

#include <string_view>
#include <utility>

#include "allocators/counters.h"
#include "allocators/heap_allocator.h"
#include "allocators/strategy.h"

namespace memstrat {

class Manual {
 public:
  static constexpr std::string_view kName = "manual";
  static constexpr bool kCollects = false;

  template <class T>
  using Owner = T*;
  template <class T>
  using Allocator = HeapAllocator<T>;
  struct Epoch {};

  template <class T, class... Args>
  T* make(Args&&... args) {
    count_allocation(sizeof(T));
    T* p = new T(std::forward<Args>(args)...);
    escape(p);
    return p;
  }

  template <class T>
  void release(T*& p) {
    if (p == nullptr) return;
    if constexpr (HasOwnedEdges<T>) {
      p->for_each_owned([this](auto& owner) { release(owner); });
    }
    count_free();
    delete p;
    p = nullptr;
  }

  Epoch begin_epoch() noexcept { return {}; }
  void end_epoch(Epoch) noexcept {}

  template <class T>
  Allocator<T> allocator() noexcept {
    return {};
  }
};

}  // namespace memstrat
