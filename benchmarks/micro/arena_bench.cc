// memstrat_micro (with calibration_bench.cc): the arena's allocation fast path against the floor it
// cannot beat, a bare pointer bump through a preallocated buffer, in one run.
//
//   bare:   repeat kBatch: p = cur; cur += sizeof(Node);
//                          if (cur > end) start over; construct Node at p
//           then cur = begin
//   arena:  repeat kBatch: p = arena.allocate(sizeof(Node), alignof(Node));
//           construct Node at p;  then arena.rewind(mark)
//
//   bare_in_memory: the bare loop with its cursor in a struct and an
//           out-of-line refill, as any allocator object shared between calls
//
// The bare loop keeps its pointer in a register and can never run out: the
// floor for any bump allocator. An allocator object's cursor lives in memory
// (workloads allocate from recursive functions; the slow path is a call), so
// each allocation also stores the cursor; bare_in_memory is that floor. Both
// write every node, so neither loop can be discarded, and both reuse the same
// warm memory each batch. new_delete is there for scale. Reported:
// items_per_second (allocations); ns per allocation is its inverse.
#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>

#include "allocators/bump_arena.h"

namespace {

struct Node {
  Node* left;
  Node* right;
  std::int64_t item;
};

/// Allocations per batch. Raising it amortises the reset over more
/// allocations but grows the working set (kBatch * 24 bytes).
constexpr std::size_t kBatch = 4096;

void BM_BareBump(benchmark::State& state) {
  auto buffer = std::make_unique<std::byte[]>(kBatch * sizeof(Node));
  std::byte* const begin = buffer.get();
  std::byte* const end = begin + kBatch * sizeof(Node);
  for (auto _ : state) {
    std::byte* cur = begin;
    Node* prev = nullptr;
    for (std::size_t i = 0; i < kBatch; ++i) {
      std::byte* p = cur;
      cur += sizeof(Node);
      if (cur > end) [[unlikely]] {
        p = begin;
        cur = begin + sizeof(Node);
      }
      prev = ::new (p) Node{prev, nullptr, static_cast<std::int64_t>(i)};
    }
    benchmark::DoNotOptimize(prev);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(
      static_cast<std::int64_t>(state.iterations() * kBatch));
}
BENCHMARK(BM_BareBump)->Name("micro/bare_bump");

struct Cursor {
  std::byte* cur;
  std::byte* end;
  std::byte* begin;
};

[[gnu::noinline]] std::byte* refill(Cursor& c) {
  c.cur = c.begin + sizeof(Node);
  return c.begin;
}

void BM_BareBumpInMemory(benchmark::State& state) {
  auto buffer = std::make_unique<std::byte[]>(kBatch * sizeof(Node));
  Cursor c{buffer.get(), buffer.get() + kBatch * sizeof(Node), buffer.get()};
  benchmark::DoNotOptimize(&c);
  for (auto _ : state) {
    c.cur = c.begin;
    Node* prev = nullptr;
    for (std::size_t i = 0; i < kBatch; ++i) {
      std::byte* p = c.cur;
      if (p + sizeof(Node) <= c.end) [[likely]] {
        c.cur = p + sizeof(Node);
      } else {
        p = refill(c);
      }
      prev = ::new (p) Node{prev, nullptr, static_cast<std::int64_t>(i)};
    }
    benchmark::DoNotOptimize(prev);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(
      static_cast<std::int64_t>(state.iterations() * kBatch));
}
BENCHMARK(BM_BareBumpInMemory)->Name("micro/bare_bump_in_memory");

void BM_ArenaAllocate(benchmark::State& state) {
  memstrat::BumpArena arena;
  const auto mark = arena.mark();
  for (auto _ : state) {
    Node* prev = nullptr;
    for (std::size_t i = 0; i < kBatch; ++i) {
      void* p = arena.allocate(sizeof(Node), alignof(Node));
      prev = ::new (p) Node{prev, nullptr, static_cast<std::int64_t>(i)};
    }
    benchmark::DoNotOptimize(prev);
    benchmark::ClobberMemory();
    arena.rewind(mark);
  }
  state.SetItemsProcessed(
      static_cast<std::int64_t>(state.iterations() * kBatch));
}
BENCHMARK(BM_ArenaAllocate)->Name("micro/arena_allocate");

void BM_NewDelete(benchmark::State& state) {
  auto nodes = std::make_unique<Node*[]>(kBatch);
  for (auto _ : state) {
    Node* prev = nullptr;
    for (std::size_t i = 0; i < kBatch; ++i) {
      prev = nodes[i] = new Node{prev, nullptr, static_cast<std::int64_t>(i)};
    }
    benchmark::DoNotOptimize(prev);
    for (std::size_t i = 0; i < kBatch; ++i) delete nodes[i];
  }
  state.SetItemsProcessed(
      static_cast<std::int64_t>(state.iterations() * kBatch));
}
BENCHMARK(BM_NewDelete)->Name("micro/new_delete");

}  // namespace

BENCHMARK_MAIN();
