// BumpArena: alignment, large requests, no overlap, chunks kept across
// rewinds, nested marks and the used/reserved accounting.
#include "allocators/bump_arena.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <random>
#include <utility>
#include <vector>

namespace memstrat {
namespace {

std::uintptr_t addr(const void* p) {
  return reinterpret_cast<std::uintptr_t>(p);
}

TEST(BumpArena, HonoursEveryPowerOfTwoAlignment) {
  BumpArena a;
  for (std::size_t align = 1; align <= 4096; align *= 2) {
    for (std::size_t bytes : {1u, 3u, 24u, 100u}) {
      void* p = a.allocate(bytes, align);
      EXPECT_EQ(addr(p) % align, 0u) << "align " << align;
      std::memset(p, 0xab, bytes);
    }
  }
}

TEST(BumpArena, ZeroByteRequestsGetNonNullPointers) {
  BumpArena a;
  EXPECT_NE(a.allocate(0, 1), nullptr);
  EXPECT_NE(a.allocate(0, 16), nullptr);
}

TEST(BumpArena, AllocationsNeverOverlap) {
  BumpArena a;
  std::mt19937_64 rng(42);
  std::vector<std::pair<std::uintptr_t, std::uintptr_t>> spans;
  for (int i = 0; i < 20000; ++i) {
    const std::size_t bytes = 1 + rng() % 2000;
    const std::size_t align = std::size_t{1} << (rng() % 7);
    char* p = static_cast<char*>(a.allocate(bytes, align));
    std::memset(p, i & 0xff, bytes);
    spans.emplace_back(addr(p), addr(p) + bytes);
  }
  std::sort(spans.begin(), spans.end());
  for (std::size_t i = 1; i < spans.size(); ++i) {
    EXPECT_LE(spans[i - 1].second, spans[i].first);
  }
}

TEST(BumpArena, LargeRequestsGetTheirOwnBlockAndAreFreedOnRewind) {
  BumpArena a;
  const auto mark = a.mark();
  const std::size_t big = BumpArena::kLargeBytes + 1;
  void* p = a.allocate(big, 64);
  EXPECT_EQ(addr(p) % 64, 0u);
  std::memset(p, 1, big);
  EXPECT_EQ(a.large_count(), 1u);
  EXPECT_EQ(a.chunk_count(), 0u);
  EXPECT_GE(a.bytes_reserved(), big);
  a.rewind(mark);
  EXPECT_EQ(a.large_count(), 0u);
  EXPECT_EQ(a.bytes_reserved(), 0u);
}

TEST(BumpArena, RequestsBiggerThanAChunkButNotLargeFitInAGrownChunk) {
  BumpArena a;
  const std::size_t bytes = BumpArena::kFirstChunkBytes * 3;
  ASSERT_LT(bytes, BumpArena::kLargeBytes);
  void* p = a.allocate(bytes, 8);
  std::memset(p, 2, bytes);
  EXPECT_EQ(a.large_count(), 0u);
  EXPECT_GE(a.bytes_reserved(), bytes);
}

TEST(BumpArena, ChunksAreKeptAndReusedAcrossResets) {
  BumpArena a;
  void* first = a.allocate(16, 16);
  for (int i = 0; i < 10000; ++i) a.allocate(100, 8);
  const std::size_t chunks = a.chunk_count();
  const std::size_t reserved = a.bytes_reserved();
  ASSERT_GT(chunks, 1u);
  a.reset();
  EXPECT_EQ(a.bytes_used(), 0u);
  EXPECT_EQ(a.chunk_count(), chunks);
  EXPECT_EQ(a.bytes_reserved(), reserved);
  EXPECT_EQ(a.allocate(16, 16), first);
  for (int i = 0; i < 10000; ++i) a.allocate(100, 8);
  EXPECT_EQ(a.chunk_count(), chunks) << "a second pass needs no new chunk";
}

TEST(BumpArena, RewindingToAMarkKeepsWhatCameBefore) {
  BumpArena a;
  auto* keep = static_cast<std::int64_t*>(a.allocate(8, 8));
  *keep = 42;
  const std::size_t used_at_mark = a.bytes_used();
  const auto mark = a.mark();
  for (int i = 0; i < 50000; ++i) a.allocate(64, 8);  // spills into new chunks
  EXPECT_GT(a.bytes_used(), used_at_mark);
  a.rewind(mark);
  EXPECT_EQ(a.bytes_used(), used_at_mark);
  EXPECT_EQ(*keep, 42);
  EXPECT_EQ(a.rewinds(), 1u);
}

TEST(BumpArena, AccountsUsedAndReservedBytes) {
  BumpArena a;
  EXPECT_EQ(a.bytes_used(), 0u);
  EXPECT_EQ(a.bytes_reserved(), 0u);
  const std::uintptr_t begin = addr(a.allocate(24, 8));
  for (int i = 1; i < 100; ++i) a.allocate(24, 8);
  EXPECT_EQ(a.bytes_used(), 2400u);  // 24 is a multiple of 8: no padding
  EXPECT_EQ(a.bytes_reserved(), BumpArena::kFirstChunkBytes);
  a.allocate(1, 1);  // rounded up to the 8-byte grain
  a.allocate(8, 8);
  EXPECT_EQ(a.bytes_used(), 2400u + 8 + 8);
  // Padding up to the next 64-byte boundary counts as used too.
  const std::uintptr_t p = addr(a.allocate(8, 64));
  EXPECT_EQ(p % 64, 0u);
  EXPECT_EQ(a.bytes_used(), p + 8 - begin);
}

TEST(BumpArena, ALimitMakesAllocationFailCleanly) {
  BumpArena::set_limit(BumpArena::kFirstChunkBytes * 3);
  BumpArena a;
  EXPECT_THROW(for (int i = 0; i < 100000; ++i) a.allocate(1000, 8),
               std::bad_alloc);
  EXPECT_LE(a.bytes_reserved(), BumpArena::kFirstChunkBytes * 3);
  EXPECT_THROW(a.allocate(BumpArena::kLargeBytes + 1, 8), std::bad_alloc);
  BumpArena::set_limit(0);
  EXPECT_NO_THROW(a.allocate(1000, 8));
}

}  // namespace
}  // namespace memstrat
