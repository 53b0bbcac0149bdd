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
  static constexpr StrategyTraits kTraits{
      .summary = "explicit delete at the point of last use",
      .reclaim = ReclaimKind::kRelease,
      .frees = Frees::kEveryObject,
      .release_order = "depth first, owners in reverse declaration order",
      .colour = "#0072B2",
      .baseline = true,
      .object_per_new = true};

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
    if (p != nullptr) destroy(p);
    p = nullptr;
  }

  Epoch begin_epoch() noexcept { return {}; }
  void end_epoch(Epoch) noexcept {}

  template <class T>
  Allocator<T> allocator() noexcept {
    return {};
  }

 private:
  // Written as a careful C programmer writes free_tree(): null children are
  // skipped before the call, not inside it, and fields of an object about to
  // be freed are not cleared. (An earlier version called itself for every
  // null child and nulled every field: 30% slower than raii's destructors on
  // binary_trees under mimalloc, for no reason a reader would accept.)
  template <class T>
  static void destroy(T* p) {
    if constexpr (HasOwnedEdges<T>) {
      p->for_each_owned([](auto* child) {
        if (child != nullptr) destroy(child);
      });
    }
    count_free();
    delete p;
  }
};

}  // namespace memstrat
