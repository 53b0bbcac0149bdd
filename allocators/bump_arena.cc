// BumpArena's slow path, rewind and accounting (see bump_arena.h).
#include "allocators/bump_arena.h"

#include <cassert>
#include <cstdlib>
#include <new>

namespace memstrat {

namespace {
void poison(void* p, std::size_t n) noexcept {
#ifdef MEMSTRAT_ARENA_ASAN
  ASAN_POISON_MEMORY_REGION(p, n);
#else
  (void)p;
  (void)n;
#endif
}
}  // namespace

BumpArena::~BumpArena() {
  reset();
  for (Chunk& c : chunks_) {
#ifdef MEMSTRAT_ARENA_ASAN
    ASAN_UNPOISON_MEMORY_REGION(c.begin, c.end - c.begin);
#endif
    std::free(c.begin);
  }
}

namespace {
void check_limit(std::size_t held, std::size_t more, std::size_t limit) {
  if (limit != 0 && held + more > limit) throw std::bad_alloc();
}
}  // namespace

std::size_t BumpArena::next_chunk_bytes(std::size_t at_least) const noexcept {
  std::size_t n = chunks_.empty() ? kFirstChunkBytes
                                  : chunks_.back().end - chunks_.back().begin;
  if (!chunks_.empty() && n < kMaxChunkBytes) n *= 2;
  while (n < at_least) n *= 2;
  return n;
}

void* BumpArena::allocate_slow(std::size_t bytes, std::size_t align) {
  assert(align != 0 && (align & (align - 1)) == 0);
  const std::size_t worst =
      (bytes == 0 ? kGrain : round_up(bytes, kGrain)) + align - 1;
  if (worst > kLargeBytes) return allocate_large(bytes, align);

  if (chunks_in_use_ > 0) chunks_[chunks_in_use_ - 1].high = cur_;
  // Reuse the chunks kept from before the last rewind; one too small for
  // this request is skipped (its space counts as used until the next rewind).
  while (chunks_in_use_ < chunks_.size()) {
    Chunk& c = chunks_[chunks_in_use_++];
    c.high = c.begin;
    if (static_cast<std::size_t>(c.end - c.begin) >= worst) {
      cur_ = c.begin;
      end_ = c.end;
      published_used_.store(bytes_used(), std::memory_order_relaxed);
      return allocate(bytes, align);
    }
  }
  const std::size_t size = next_chunk_bytes(worst);
  check_limit(bytes_reserved(), size, limit_.load(std::memory_order_relaxed));
  auto* mem = static_cast<char*>(std::malloc(size));
  if (mem == nullptr) throw std::bad_alloc();
  poison(mem, size);
  chunks_.push_back({mem, mem + size, mem});
  ++chunks_in_use_;
  chunk_bytes_ += size;
  cur_ = mem;
  end_ = mem + size;
  published_used_.store(bytes_used(), std::memory_order_relaxed);
  return allocate(bytes, align);
}

void* BumpArena::allocate_large(std::size_t bytes, std::size_t align) {
  check_limit(bytes_reserved(), bytes, limit_.load(std::memory_order_relaxed));
  large_.reserve(large_.size() + 1);  // so push_back below cannot throw
  void* mem = ::operator new (bytes, std::align_val_t{align});
  large_.push_back({mem, bytes, align});
  large_bytes_ += bytes;
  published_used_.store(bytes_used(), std::memory_order_relaxed);
  return mem;
}

void BumpArena::rewind(const Mark& m) noexcept {
  assert(m.chunks_in_use <= chunks_in_use_ && m.large_count <= large_.size());
  ++rewinds_;
  while (large_.size() > m.large_count) {
    const Large& l = large_.back();
    ::operator delete (l.mem, std::align_val_t{l.align});
    large_bytes_ -= l.bytes;
    large_.pop_back();
  }
  for (std::size_t i = m.chunks_in_use; i < chunks_in_use_; ++i) {
    poison(chunks_[i].begin, chunks_[i].end - chunks_[i].begin);
  }
  chunks_in_use_ = m.chunks_in_use;
  if (chunks_in_use_ == 0) {
    cur_ = end_ = nullptr;
  } else {
    cur_ = m.cur;
    end_ = chunks_[chunks_in_use_ - 1].end;
    poison(cur_, end_ - cur_);
  }
  published_used_.store(bytes_used(), std::memory_order_relaxed);
}

std::size_t BumpArena::bytes_used() const noexcept {
  std::size_t used = large_bytes_;
  for (std::size_t i = 0; i + 1 < chunks_in_use_; ++i) {
    used += chunks_[i].high - chunks_[i].begin;
  }
  if (chunks_in_use_ > 0) used += cur_ - chunks_[chunks_in_use_ - 1].begin;
  return used;
}

}  // namespace memstrat
