// BumpArena: a region allocator. Allocation bumps a pointer through a chunk;
// nothing is freed one object at a time; rewinding to a mark frees everything
// allocated since the mark at once. Chunks are kept across rewinds, so a
// steady-state epoch touches memory that is already mapped and warm.
//
// Shape after LLVM's BumpPtrAllocator: a tiny inline fast path (align, add,
// compare), an out-of-line slow path for new chunks and large requests, and
// bytes used vs bytes reserved reported so the waste is visible. Marks nest
// like a stack: rewinding to a mark invalidates every mark taken after it.
// Under AddressSanitizer, memory is poisoned until allocated and again when
// rewound, so a use after an epoch ends is reported.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

#if defined(__SANITIZE_ADDRESS__)
#define MEMSTRAT_ARENA_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MEMSTRAT_ARENA_ASAN 1
#endif
#endif

#ifdef MEMSTRAT_ARENA_ASAN
#include <sanitizer/asan_interface.h>
#endif

namespace memstrat {

class BumpArena {
 public:
  /// Size of the first chunk. Raising it costs memory in small arenas and
  /// saves trips to the slow path in big ones.
  static constexpr std::size_t kFirstChunkBytes = 64 * 1024;
  /// Chunks double in size up to this cap. Raising it means fewer chunks but
  /// more memory reserved and never touched at the end of the last one.
  static constexpr std::size_t kMaxChunkBytes = 4 * 1024 * 1024;
  /// Requests bigger than this get their own block, freed on rewind. Raising
  /// it keeps larger objects in chunks, wasting more of a chunk's tail when
  /// one does not fit.
  static constexpr std::size_t kLargeBytes = kMaxChunkBytes / 4;

  /// Caps what every arena in the process may hold (chunks plus large
  /// blocks); 0, the default, means no cap. An allocation beyond it throws
  /// std::bad_alloc, as reaching a heap cap does under gc.
  static void set_limit(std::size_t bytes) noexcept {
    limit_.store(bytes, std::memory_order_relaxed);
  }

  /// A position to rewind to; see mark() and rewind().
  struct Mark {
    std::size_t chunks_in_use = 0;
    char* cur = nullptr;
    std::size_t large_count = 0;
  };

  BumpArena() = default;
  BumpArena(const BumpArena&) = delete;
  BumpArena& operator=(const BumpArena&) = delete;
  ~BumpArena();

  /// Every allocation is a multiple of this size, so the bump pointer stays
  /// aligned to it and requests aligned no more strictly need no rounding.
  /// Raising it wastes more bytes per small object.
  static constexpr std::size_t kGrain = 8;

  /// Returns `bytes` bytes aligned to `align` (a power of two). Never null,
  /// even for zero bytes; throws std::bad_alloc when the system has no
  /// memory. Precondition: bytes <= PTRDIFF_MAX.
  void* allocate(std::size_t bytes, std::size_t align) {
    // With sizeof(T)/alignof(T) constants this folds to: add, compare, store.
    const std::size_t size = bytes == 0 ? kGrain : round_up(bytes, kGrain);
    auto p = reinterpret_cast<std::uintptr_t>(cur_);
    if (align > kGrain) p = round_up(p, align);
    // Before the first chunk cur_ == end_ == null, and size > 0 fails this.
    if (p + size <= reinterpret_cast<std::uintptr_t>(end_)) [[likely]] {
      cur_ = reinterpret_cast<char*>(p + size);
#ifdef MEMSTRAT_ARENA_ASAN
      ASAN_UNPOISON_MEMORY_REGION(reinterpret_cast<void*>(p), bytes);
#endif
      return reinterpret_cast<void*>(p);
    }
    return allocate_slow(bytes, align);
  }

  Mark mark() const noexcept { return {chunks_in_use_, cur_, large_.size()}; }

  /// Frees everything allocated since `m` at once. Chunks stay reserved for
  /// reuse; large blocks allocated since `m` go back to the system.
  void rewind(const Mark& m) noexcept;

  /// rewind() to the empty arena.
  void reset() noexcept { rewind(Mark{}); }

  /// Bytes handed out since construction or the last rewind, alignment
  /// padding and skipped chunk tails included.
  std::size_t bytes_used() const noexcept;
  /// Bytes obtained from the system and still held: all chunks plus the live
  /// large blocks.
  std::size_t bytes_reserved() const noexcept {
    return chunk_bytes_ + large_bytes_;
  }
  std::size_t chunk_count() const noexcept { return chunks_.size(); }
  std::size_t large_count() const noexcept { return large_.size(); }
  /// bytes_used() as of the last slow-path allocation or rewind: safe to
  /// read from another thread (the memory sampler), at chunk granularity.
  std::size_t bytes_used_published() const noexcept {
    return published_used_.load(std::memory_order_relaxed);
  }
  /// Number of rewind() and reset() calls.
  std::uint64_t rewinds() const noexcept { return rewinds_; }

 private:
  struct Chunk {
    char* begin;
    char* end;
    char* high;  // where allocation stopped when the arena moved on
  };
  struct Large {
    void* mem;
    std::size_t bytes;
    std::size_t align;
  };

  static constexpr std::uintptr_t round_up(std::uintptr_t v,
                                           std::uintptr_t to) noexcept {
    return (v + to - 1) & ~(to - 1);
  }

  [[gnu::noinline]] void* allocate_slow(std::size_t bytes, std::size_t align);
  void* allocate_large(std::size_t bytes, std::size_t align);
  std::size_t next_chunk_bytes(std::size_t at_least) const noexcept;

  char* cur_ = nullptr;
  char* end_ = nullptr;
  std::size_t chunks_in_use_ = 0;  // chunks_[0, chunks_in_use_) hold objects
  std::vector<Chunk> chunks_;
  std::vector<Large> large_;
  std::size_t chunk_bytes_ = 0;
  std::size_t large_bytes_ = 0;
  std::uint64_t rewinds_ = 0;
  std::atomic<std::size_t> published_used_{0};
  static inline std::atomic<std::size_t> limit_{0};
};

}  // namespace memstrat
