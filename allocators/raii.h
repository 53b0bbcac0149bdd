// The raii strategy: single ownership with std::unique_ptr, the C++ spelling
// of Rust's ownership model. An object dies when its owner is reset or goes
// out of scope, and its destructor releases what it owns in turn (the
// destructor cascade). Nothing here walks for_each_owned(): the members'
// destructors do that work, as they would in any C++ program.
#pragma once

#include <memory>
#include <string_view>
#include <utility>

#include "allocators/counters.h"
#include "allocators/heap_allocator.h"
#include "allocators/strategy.h"

namespace memstrat {

// Stateless, so unique_ptr<T, CountingDelete> stays one pointer wide: nodes
// have the same size under raii as under manual.
struct CountingDelete {
  template <class T>
  void operator()(T* p) const noexcept {
    count_free();
    delete p;
  }
};

class Raii {
 public:
  static constexpr std::string_view kName = "raii";
  static constexpr StrategyTraits kTraits{
      .summary =
          "its single owner (std::unique_ptr) is reset or goes out of "
          "scope",
      .reclaim = ReclaimKind::kRelease,
      .frees = Frees::kEveryObject,
      .release_order =
          "destructor cascade: members in reverse declaration "
          "order",
      .colour = "#009E73",
      .object_per_new = true};

  template <class T>
  using Owner = std::unique_ptr<T, CountingDelete>;
  template <class T>
  using Allocator = HeapAllocator<T>;
  struct Epoch {};

  template <class T, class... Args>
  Owner<T> make(Args&&... args) {
    count_allocation(sizeof(T));
    Owner<T> p(new T(std::forward<Args>(args)...));
    escape(p.get());
    return p;
  }

  template <class T>
  void release(Owner<T>& p) noexcept {
    p.reset();
  }

  Epoch begin_epoch() noexcept { return {}; }
  void end_epoch(Epoch) noexcept {}

  template <class T>
  Allocator<T> allocator() noexcept {
    return {};
  }
};

static_assert(sizeof(Raii::Owner<int>) == sizeof(int*));

}  // namespace memstrat
