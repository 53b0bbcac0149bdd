// The pmr strategy: the standard library's own arenas (std::pmr, GCC 12),
// used the way a C++ engineer reaches for them before writing a bump
// allocator. The resource is chosen per workload from what the workload
// declares about how its objects die (W::kObjectsDie, see ObjectDeath):
//
//   kByEpoch   PmrMonotonic: one std::pmr::monotonic_buffer_resource per
//              live epoch (a stack of them, like the arena's marks). Nothing
//              is freed one by one; release() does nothing; end_epoch()
//              release()s the epoch's resource. Destructors never run, so
//              objects own only memory from the same strategy (as under the
//              arena). producer_consumer is here: its consumer thread only
//              drops owners, so the resource is touched by one thread.
//   kOneByOne  PmrPool: one std::pmr::unsynchronized_pool_resource.
//              release() runs the destructor and deallocates, after
//              releasing what the object owns (for_each_owned, as manual).
//              Never shared between threads: no kOneByOne workload has two.
//
// Pmr itself (no For<W>) declares what holds for both and, run directly,
// behaves as PmrMonotonic, which is safe for every workload (it frees
// nothing early, so it only holds more memory where objects die one by one).
//
// Containers get std::pmr::polymorphic_allocator<T>: 8 bytes of state (the
// resource pointer), so a Vector or String inside a node is 8 bytes bigger
// than under manual (declared in kTraits). It does not propagate on move
// assignment and a default-constructed one uses the default resource: a
// container made without s.allocator<T>() would escape the counts, which the
// parity tests catch.
//
// Objects are made by calling the concrete resource's do_allocate directly
// (what the compiler does for `res.allocate()` on a resource whose type it
// knows); container buffers go through polymorphic_allocator's virtual call,
// as in any pmr program.
#pragma once

#include <cstddef>
#include <memory>
#include <memory_resource>
#include <new>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "allocators/counters.h"
#include "allocators/strategy.h"

namespace memstrat {

namespace detail {

// Upstream of an epoch's monotonic resource: new/delete, with the bytes it
// handed out since the last reset() summed, so that the epoch's retained
// buffer can grow to cover them (see PmrMonotonic::end_epoch).
class SpillCounter final : public std::pmr::memory_resource {
 public:
  std::size_t bytes() const noexcept { return bytes_; }
  void reset() noexcept { bytes_ = 0; }

 private:
  void* do_allocate(std::size_t bytes, std::size_t align) override {
    bytes_ += bytes;
    return std::pmr::new_delete_resource()->allocate(bytes, align);
  }
  void do_deallocate(void* p, std::size_t bytes, std::size_t align) override {
    std::pmr::new_delete_resource()->deallocate(p, bytes, align);
  }
  bool do_is_equal(const memory_resource& o) const noexcept override {
    return this == &o;
  }

  std::size_t bytes_ = 0;
};

// A monotonic resource that counts container buffers in the strategy's local
// counters (LocalCounters, counters.h: a thread-local add in the allocation
// path is what the arena avoided).
class CountingMonotonic final : public std::pmr::monotonic_buffer_resource {
 public:
  CountingMonotonic(void* buffer, std::size_t size, memory_resource* upstream,
                    LocalCounters& counts) noexcept
      : monotonic_buffer_resource(buffer, size, upstream), counts_(&counts) {}
  CountingMonotonic(memory_resource* upstream, LocalCounters& counts) noexcept
      : monotonic_buffer_resource(upstream), counts_(&counts) {}

  // For make<T>, which counts the object itself: no virtual call.
  void* allocate_uncounted(std::size_t bytes, std::size_t align) {
    return monotonic_buffer_resource::do_allocate(bytes, align);
  }

 protected:
  void* do_allocate(std::size_t bytes, std::size_t align) override {
    ++counts_->allocations;
    counts_->bytes += bytes;
    return monotonic_buffer_resource::do_allocate(bytes, align);
  }

 private:
  LocalCounters* counts_;
};

// An unsynchronized pool that counts every allocation and free, at the same
// points as manual's new/delete and HeapAllocator.
class CountingPool final : public std::pmr::unsynchronized_pool_resource {
 public:
  void* allocate_counted(std::size_t bytes, std::size_t align) {
    count_allocation(bytes);
    return unsynchronized_pool_resource::do_allocate(bytes, align);
  }
  void deallocate_counted(void* p, std::size_t bytes, std::size_t align) {
    count_free();
    unsynchronized_pool_resource::do_deallocate(p, bytes, align);
  }

 protected:
  void* do_allocate(std::size_t bytes, std::size_t align) override {
    return allocate_counted(bytes, align);
  }
  void do_deallocate(void* p, std::size_t bytes, std::size_t align) override {
    deallocate_counted(p, bytes, align);
  }
};

inline constexpr std::string_view kPmrOwnerOverhead =
    "none per object; containers carry a polymorphic_allocator (8 bytes: "
    "the resource pointer), so a Vector, String or HashMap inside a node is "
    "8 bytes bigger than under manual";

}  // namespace detail

// kByEpoch workloads: a monotonic_buffer_resource per live epoch.
//
// Chunks are kept, as the arena keeps its chunks: each epoch depth owns a
// buffer the resource starts from (release() keeps a user buffer), grown at
// the epoch's end by whatever the resource had to get from upstream. So an
// epoch of the same size as one before it runs from warm, mapped memory, and
// the comparison with the arena is of the allocation paths, not of page
// faults. Upstream chunks (monotonic's 1 KiB x1.5 growth) are returned at
// each end_epoch, as release() does.
class PmrMonotonic {
 public:
  PmrMonotonic() {
    link_local_counters(counts_);
    push_level();
    top_ = &*levels_[0]->resource;  // objects made outside every epoch
  }
  ~PmrMonotonic() {
    levels_.clear();
    unlink_local_counters(counts_);
  }
  PmrMonotonic(const PmrMonotonic&) = delete;
  PmrMonotonic& operator=(const PmrMonotonic&) = delete;

  static constexpr std::string_view kName = "pmr";
  static constexpr StrategyTraits kTraits{
      .summary =
          "std::pmr::monotonic_buffer_resource of its epoch is release()d "
          "at the epoch's end",
      .reclaim = ReclaimKind::kEpochEnd,
      .frees = Frees::kNone,
      .release_order = "none: the epoch's end frees every object at once",
      .allocator_bytes = sizeof(std::pmr::polymorphic_allocator<int>),
      .owner_overhead = detail::kPmrOwnerOverhead,
      .colour = "#56B4E9"};

  template <class T>
  using Owner = T*;
  template <class T>
  using Allocator = std::pmr::polymorphic_allocator<T>;
  // The number of live epochs when begin_epoch() was called.
  struct Epoch {
    std::size_t depth;
  };

  template <class T, class... Args>
  T* make(Args&&... args) {
    ++counts_.allocations;
    counts_.bytes += sizeof(T);
    return ::new (top_->allocate_uncounted(sizeof(T), alignof(T)))
        T(std::forward<Args>(args)...);
  }

  template <class T>
  void release(T*& p) noexcept {
    p = nullptr;
  }

  Epoch begin_epoch() {
    const Epoch mark{depth_};
    ++depth_;
    if (depth_ == levels_.size()) push_level();
    top_ = &*levels_[depth_]->resource;
    return mark;
  }

  void end_epoch(Epoch mark) noexcept {
    while (depth_ > mark.depth) {
      levels_[depth_]->reset();
      --depth_;
    }
    top_ = &*levels_[depth_]->resource;
  }

  template <class T>
  Allocator<T> allocator() noexcept {
    return Allocator<T>(top_);
  }

  template <class F>
  void visit_stats(F&& f) const {
    std::size_t retained = 0;
    for (const auto& l : levels_) retained += l->size;
    f("pmr_retained_bytes", static_cast<double>(retained), StatKind::kLevel);
  }

 private:
  struct Level {
    explicit Level(LocalCounters& c) : counts(&c) {
      resource.emplace(&upstream, c);
    }

    // Frees the epoch's objects; grows the buffer if the epoch outgrew it.
    void reset() noexcept {
      resource->release();
      if (upstream.bytes() == 0) return;
      const std::size_t grown = size + upstream.bytes();
      upstream.reset();
      resource.reset();
      // A failed allocation keeps the old buffer: only speed is lost.
      std::unique_ptr<std::byte[]> b(new (std::nothrow) std::byte[grown]);
      if (b != nullptr) {
        buffer = std::move(b);
        size = grown;
      }
      if (buffer != nullptr) {
        resource.emplace(buffer.get(), size, &upstream, *counts);
      } else {
        resource.emplace(&upstream, *counts);
      }
    }

    LocalCounters* counts;
    std::unique_ptr<std::byte[]> buffer;
    std::size_t size = 0;
    detail::SpillCounter upstream;
    std::optional<detail::CountingMonotonic> resource;
  };

  void push_level() { levels_.push_back(std::make_unique<Level>(counts_)); }

  LocalCounters counts_;
  // Level 0 holds objects made outside every epoch; level d those of the
  // d-th nested epoch. Levels stay allocated (with their buffers) when their
  // epoch ends: the next epoch at that depth reuses them.
  std::vector<std::unique_ptr<Level>> levels_;
  std::size_t depth_ = 0;
  detail::CountingMonotonic* top_ = nullptr;
};

// kOneByOne workloads: one unsynchronized_pool_resource, objects freed one
// by one at release() as manual frees them.
class PmrPool {
 public:
  static constexpr std::string_view kName = "pmr";
  static constexpr StrategyTraits kTraits{
      .summary =
          "released one by one into a std::pmr::unsynchronized_pool_resource",
      .reclaim = ReclaimKind::kRelease,
      .frees = Frees::kEveryObject,
      .release_order = "depth first, owners in reverse declaration order",
      .allocator_bytes = sizeof(std::pmr::polymorphic_allocator<int>),
      .owner_overhead = detail::kPmrOwnerOverhead,
      .colour = "#56B4E9"};

  template <class T>
  using Owner = T*;
  template <class T>
  using Allocator = std::pmr::polymorphic_allocator<T>;
  struct Epoch {};

  template <class T, class... Args>
  T* make(Args&&... args) {
    return ::new (pool_.allocate_counted(sizeof(T), alignof(T)))
        T(std::forward<Args>(args)...);
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
    return Allocator<T>(&pool_);
  }

 private:
  // manual's walk: children first (for_each_owned order), then the object.
  template <class T>
  void destroy(T* p) {
    if constexpr (HasOwnedEdges<T>) {
      // [&], not [this]: a node whose for_each_owned never calls f (a Blob)
      // leaves an explicit capture unused, which clang warns about.
      p->for_each_owned([&](auto* child) {
        if (child != nullptr) destroy(child);
      });
    }
    p->~T();
    pool_.deallocate_counted(p, sizeof(T), alignof(T));
  }

  detail::CountingPool pool_;
};

template <ObjectDeath kDeath>
using PmrFor =
    std::conditional_t<kDeath == ObjectDeath::kByEpoch, PmrMonotonic, PmrPool>;

class Pmr : public PmrMonotonic {
 public:
  static constexpr StrategyTraits kTraits{
      .summary =
          "a std::pmr resource chosen per workload: a monotonic buffer per "
          "epoch, or an unsynchronized pool freed one by one",
      .reclaim = ReclaimKind::kEpochEnd,
      .frees = Frees::kSome,
      .release_order =
          "per workload: none (monotonic) or depth first, owners in "
          "reverse declaration order (pool)",
      .allocator_bytes = sizeof(std::pmr::polymorphic_allocator<int>),
      .owner_overhead = detail::kPmrOwnerOverhead,
      .colour = "#56B4E9"};

  template <class W>
  using For = PmrFor<W::kObjectsDie>;
};

static_assert(sizeof(std::pmr::polymorphic_allocator<int>) == sizeof(void*));

}  // namespace memstrat
