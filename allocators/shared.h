// The shared strategies: reference-counted ownership with libstdc++'s
// shared_ptr, the C++ spelling of Rust's Rc and Arc and of Swift's ARC. An
// object dies when its last owner is reset; its destructor releases what it
// owns in turn (the same cascade as raii). Every owner is made with
// allocate_shared, so object and counts share one allocation (the control
// block), as make_shared does.
//
// The lock policy is explicit, because libstdc++ 12 picks it behind the
// program's back:
//   shared_rc   std::__shared_ptr<T, _S_single>: counts are plain integers,
//               always (Rust's Rc).
//   shared_arc  std::shared_ptr<T> (_S_atomic): counts are updated with
//               lock-prefixed instructions once the process has started a
//               thread (__libc_single_threaded false), plainly before. The
//               strategy starts and joins one thread the first time it is
//               constructed, so its counts are atomic in every workload, as
//               in any multi-threaded program (Rust's Arc, Swift's ARC).
//
// memstrat's workloads move owners and never copy them, so every release is
// of a unique owner (use count 1, weak count 1). GCC 12's atomic _M_release
// tests both counts with one 8-byte acquire load (a plain mov on x86-64) and,
// when both are 1, destroys without any atomic read-modify-write: Rc and Arc
// then run the same instructions but for that load-and-compare against
// Rc's two decrements. What Arc changes in these workloads is the process:
// the thread it starts takes glibc's malloc off its single-threaded path for
// good (see docs/strategies.md for the measured costs). A program that
// copies pays a lock-prefixed add per copy and a lock xadd per non-unique
// drop under Arc; memstrat_micro's shared/* benchmarks time that.
#pragma once

#include <bits/shared_ptr_base.h>

#include <cstddef>
#include <memory>
#include <new>
#include <string_view>
#include <thread>
#include <type_traits>
#include <utility>

#include "allocators/counters.h"
#include "allocators/heap_allocator.h"
#include "allocators/strategy.h"

namespace memstrat {

// The allocator allocate_shared<Object> is given. libstdc++ rebinds it to the
// control block type (_Sp_counted_ptr_inplace<Object, ...>), so allocate()
// sees the real size: sizeof(Object) is counted as the object, the rest
// (vtable pointer and the two counts: 16 bytes on x86-64) as owner overhead.
// Stateless, so the control block holds no copy of it.
template <class Object, class T = Object>
struct SharedBlockAllocator {
  using value_type = T;
  template <class U>
  struct rebind {
    using other = SharedBlockAllocator<Object, U>;
  };

  SharedBlockAllocator() noexcept = default;
  template <class U>
  SharedBlockAllocator(  // NOLINT: rebind
      const SharedBlockAllocator<Object, U>&) noexcept {}

  T* allocate(std::size_t n) {
    count_allocation(sizeof(Object));
    count_overhead(n * sizeof(T) - sizeof(Object));
    return static_cast<T*>(::operator new(n * sizeof(T)));
  }
  void deallocate(T* p, std::size_t n) noexcept {
    count_free();
    ::operator delete(p, n * sizeof(T));
  }

  template <class U>
  bool operator==(const SharedBlockAllocator<Object, U>&) const noexcept {
    return true;
  }
};

// Starts and joins one thread, once per process: from then on libstdc++'s
// default lock policy updates counts atomically (and glibc's malloc locks its
// arenas). Idempotent and thread-safe (a function-local static).
inline void make_process_multithreaded() {
  static const bool started = [] {
    std::thread([] {}).join();
    return true;
  }();
  (void)started;
}

template <__gnu_cxx::_Lock_policy kPolicy>
class BasicShared {
  static constexpr bool kAtomic = kPolicy != __gnu_cxx::_S_single;

 public:
  BasicShared() {
    if constexpr (kAtomic) make_process_multithreaded();
  }

  static constexpr std::string_view kName =
      kAtomic ? std::string_view("shared_arc") : std::string_view("shared_rc");
  static constexpr StrategyTraits kTraits{
      .summary = kAtomic ? "its last std::shared_ptr owner is reset; counts "
                           "updated atomically (Arc)"
                         : "its last shared owner is reset; counts updated "
                           "with plain instructions (Rc)",
      .reclaim = ReclaimKind::kRelease,
      .frees = Frees::kEveryObject,
      .release_order =
          "destructor cascade when the count reaches zero: members in "
          "reverse declaration order",
      .owner_bytes = 16,
      .owner_overhead =
          "16-byte control block (vtable pointer, use and weak counts) "
          "beside each object, counted in overhead_bytes; owners are 16 "
          "bytes wide (object and control block pointers), so nodes that "
          "hold owners are bigger than under manual",
      .threads_process = kAtomic,
      .colour = kAtomic ? "#882255" : "#CC79A7"};

  template <class T>
  using Owner = std::conditional_t<kAtomic, std::shared_ptr<T>,
                                   std::__shared_ptr<T, kPolicy>>;
  template <class T>
  using Allocator = HeapAllocator<T>;
  struct Epoch {};

  template <class T, class... Args>
  Owner<T> make(Args&&... args) {
    if constexpr (kAtomic) {
      Owner<T> p = std::allocate_shared<T>(SharedBlockAllocator<T>{},
                                           std::forward<Args>(args)...);
      escape(p.get());
      return p;
    } else {
      Owner<T> p = std::__allocate_shared<T, kPolicy>(
          SharedBlockAllocator<T>{}, std::forward<Args>(args)...);
      escape(p.get());
      return p;
    }
  }

  // Any owner: Owner<T> is an alias T cannot be deduced through.
  template <class P>
  void release(P& p) noexcept {
    p.reset();
  }

  Epoch begin_epoch() noexcept { return {}; }
  void end_epoch(Epoch) noexcept {}

  template <class T>
  Allocator<T> allocator() noexcept {
    return {};
  }
};

using SharedRc = BasicShared<__gnu_cxx::_S_single>;
using SharedArc = BasicShared<__gnu_cxx::__default_lock_policy>;
static_assert(__gnu_cxx::__default_lock_policy == __gnu_cxx::_S_atomic,
              "shared_arc documents the atomic policy of x86-64 Linux");

// shared_arc's owners are std::shared_ptr itself, not a look-alike.
static_assert(std::is_same_v<SharedArc::Owner<int>, std::shared_ptr<int>>);
static_assert(sizeof(SharedRc::Owner<int>) == SharedRc::kTraits.owner_bytes);
static_assert(sizeof(SharedArc::Owner<int>) == SharedArc::kTraits.owner_bytes);

}  // namespace memstrat
