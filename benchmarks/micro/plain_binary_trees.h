// binary_trees written four times without memstrat, as a programmer who
// picked one memory discipline would write it: the baseline each strategy's
// cost is measured against (plain_bench.cc).
//
//   stretch = tree(depth + 1); check(stretch); free(stretch)
//   long_lived = tree(depth)
//   for d in 4, 6, ..., depth:
//     repeat 2 * size(depth) / size(d) times:
//       t = tree(d); check(t); free(t)
//   check(long_lived); free(long_lived)
//
//   new_delete:  new Node per node; free_tree(): left, right, then the node
//   unique_ptr:  std::make_unique; reset() runs the destructor cascade
//   gc_malloc:   GC_MALLOC per node; dropping the pointer is the free
//   bump:        a bump pointer over malloc'd chunks, kept across runs;
//                mark before each tree, rewind after it
//
// Everything a strategy must not change is copied from BinaryTrees: node
// layout (right before left, then item), bottom-up build order, left-first
// free order, the check walk and its folding into the workloads' Checksum. So
// each plain run returns BinaryTrees::run's checksum, which the tests check.
// kCountNodes adds a node counter for those tests; the benchmark leaves it
// off, so the timed plain code counts nothing.
#pragma once

#include <gc/gc.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>
#include <vector>

#include "benchmarks/workloads/checksum.h"

namespace plain {

/// Nodes made on this thread by runs with kCountNodes (tests only).
inline thread_local std::uint64_t nodes_made = 0;

constexpr int kMinDepth = 4;

constexpr std::int64_t tree_size(int depth) {
  return (std::int64_t{1} << (depth + 1)) - 1;
}

// The workloads' own digest: the checksum is part of the work, not of the
// memory strategy, so the plain programs use it unchanged.
using memstrat::Checksum;

struct Walk {
  std::int64_t nodes;
  std::int64_t items;
};

// Generic only over how a child is held (raw pointer or unique_ptr).
template <class N>
Walk walk(const N& node) {
  if (node.left == nullptr) return {1, node.item};
  const Walk l = walk(*node.left);
  const Walk r = walk(*node.right);
  return {1 + l.nodes + r.nodes, node.item + l.items - r.items};
}

template <class N>
void check(const N& n, Checksum& sum) {
  const Walk w = walk(n);
  sum.add32(static_cast<std::uint32_t>(w.nodes));
  sum.add32(static_cast<std::uint32_t>(w.items));
}

// The driver all four share: tree(item, depth) builds, drop(t) frees, mark()
// and rewind(m) bracket each tree (only the bump pointer does anything).
template <class Tree, class Build, class Drop, class Mark, class Rewind>
std::uint64_t run_shape(int depth, Build&& tree, Drop&& drop, Mark&& mark,
                        Rewind&& rewind) {
  Checksum sum;
  const auto run_mark = mark();
  {
    const auto m = mark();
    Tree stretch = tree(0, depth + 1);
    check(*stretch, sum);
    drop(stretch);
    rewind(m);
  }
  Tree long_lived = tree(0, depth);
  for (int d = kMinDepth; d <= depth; d += 2) {
    const std::int64_t iterations = 2 * tree_size(depth) / tree_size(d);
    for (std::int64_t i = 0; i < iterations; ++i) {
      const auto m = mark();
      Tree t = tree(i, d);
      check(*t, sum);
      drop(t);
      rewind(m);
    }
  }
  check(*long_lived, sum);
  drop(long_lived);
  rewind(run_mark);
  return sum.value();
}

struct NoMark {};

// --- new / delete -----------------------------------------------------------

struct RawNode {
  RawNode* right;
  RawNode* left;
  std::int64_t item;
};

template <bool kCountNodes>
RawNode* new_tree(std::int64_t item, int depth) {
  if constexpr (kCountNodes) ++nodes_made;
  if (depth == 0) return new RawNode{nullptr, nullptr, item};
  RawNode* left = new_tree<kCountNodes>(2 * item - 1, depth - 1);
  RawNode* right = new_tree<kCountNodes>(2 * item, depth - 1);
  return new RawNode{right, left, item};
}

inline void free_tree(RawNode* n) {
  if (n->left != nullptr) free_tree(n->left);
  if (n->right != nullptr) free_tree(n->right);
  delete n;
}

template <bool kCountNodes = false>
std::uint64_t run_new_delete(int depth) {
  return run_shape<RawNode*>(
      depth, new_tree<kCountNodes>, [](RawNode*& t) { free_tree(t); },
      [] { return NoMark{}; }, [](NoMark) {});
}

// --- std::unique_ptr
// ----------------------------------------------------------

struct UniqueNode {
  // Destroyed in reverse order: left first, as free_tree() does.
  std::unique_ptr<UniqueNode> right;
  std::unique_ptr<UniqueNode> left;
  std::int64_t item;

  UniqueNode(std::unique_ptr<UniqueNode> l, std::unique_ptr<UniqueNode> r,
             std::int64_t i)
      : right(std::move(r)), left(std::move(l)), item(i) {}
};

template <bool kCountNodes>
std::unique_ptr<UniqueNode> unique_tree(std::int64_t item, int depth) {
  if constexpr (kCountNodes) ++nodes_made;
  if (depth == 0) return std::make_unique<UniqueNode>(nullptr, nullptr, item);
  auto left = unique_tree<kCountNodes>(2 * item - 1, depth - 1);
  auto right = unique_tree<kCountNodes>(2 * item, depth - 1);
  return std::make_unique<UniqueNode>(std::move(left), std::move(right), item);
}

template <bool kCountNodes = false>
std::uint64_t run_unique_ptr(int depth) {
  return run_shape<std::unique_ptr<UniqueNode>>(
      depth, unique_tree<kCountNodes>,
      [](std::unique_ptr<UniqueNode>& t) { t.reset(); },
      [] { return NoMark{}; }, [](NoMark) {});
}

// --- GC_MALLOC
// ----------------------------------------------------------------

inline RawNode* gc_node(RawNode* left, RawNode* right, std::int64_t item) {
  void* m = GC_MALLOC(sizeof(RawNode));
  if (m == nullptr) throw std::bad_alloc();  // GC_set_max_heap_size reached
  return ::new (m) RawNode{right, left, item};
}

template <bool kCountNodes>
RawNode* gc_tree(std::int64_t item, int depth) {
  if constexpr (kCountNodes) ++nodes_made;
  if (depth == 0) return gc_node(nullptr, nullptr, item);
  RawNode* left = gc_tree<kCountNodes>(2 * item - 1, depth - 1);
  RawNode* right = gc_tree<kCountNodes>(2 * item, depth - 1);
  return gc_node(left, right, item);
}

// bdwgc starts lazily, from the first gc run, for the reason gc.h gives.
template <bool kCountNodes = false>
std::uint64_t run_gc_malloc(int depth) {
  if (!GC_is_init_called()) GC_INIT();
  return run_shape<RawNode*>(
      depth, gc_tree<kCountNodes>, [](RawNode*& t) { t = nullptr; },
      [] { return NoMark{}; }, [](NoMark) {});
}

// --- bump pointer
// -------------------------------------------------------------

// The smallest bump allocator that keeps its chunks: the same chunk sizes as
// BumpArena (64 KiB doubling to 4 MiB), so both take the slow path equally
// often, and nothing else: no counters, no statistics, no large blocks (a
// request never exceeds a chunk here), no alignment (nodes are 24 bytes).
class Bump {
 public:
  struct Mark {
    std::size_t chunk;
    char* cur;
  };

  Bump() = default;
  Bump(const Bump&) = delete;
  Bump& operator=(const Bump&) = delete;
  ~Bump() {
    for (const Chunk& c : chunks_) std::free(c.begin);
  }

  void* allocate(std::size_t bytes) {
    char* p = cur_;
    if (bytes <= static_cast<std::size_t>(end_ - p)) [[likely]] {
      cur_ = p + bytes;
      return p;
    }
    return next_chunk(bytes);
  }

  Mark mark() const noexcept { return {in_use_, cur_}; }
  void rewind(const Mark& m) noexcept {
    in_use_ = m.chunk;
    cur_ = m.cur;
    end_ = in_use_ == 0 ? nullptr : chunks_[in_use_ - 1].end;
  }

 private:
  struct Chunk {
    char* begin;
    char* end;
  };

  [[gnu::noinline]] void* next_chunk(std::size_t bytes) {
    if (in_use_ == chunks_.size()) {
      std::size_t n = chunks_.empty()
                          ? 64 * 1024
                          : chunks_.back().end - chunks_.back().begin;
      if (!chunks_.empty() && n < 4 * 1024 * 1024) n *= 2;
      auto* mem = static_cast<char*>(std::malloc(n));
      if (mem == nullptr) throw std::bad_alloc();
      chunks_.push_back({mem, mem + n});
    }
    const Chunk& c = chunks_[in_use_++];
    cur_ = c.begin + bytes;
    end_ = c.end;
    return c.begin;
  }

  char* cur_ = nullptr;
  char* end_ = nullptr;
  std::size_t in_use_ = 0;
  std::vector<Chunk> chunks_;
};

template <bool kCountNodes>
RawNode* bump_tree(Bump& b, std::int64_t item, int depth) {
  if constexpr (kCountNodes) ++nodes_made;
  if (depth == 0) {
    return ::new (b.allocate(sizeof(RawNode))) RawNode{nullptr, nullptr, item};
  }
  RawNode* left = bump_tree<kCountNodes>(b, 2 * item - 1, depth - 1);
  RawNode* right = bump_tree<kCountNodes>(b, 2 * item, depth - 1);
  return ::new (b.allocate(sizeof(RawNode))) RawNode{right, left, item};
}

template <bool kCountNodes = false>
std::uint64_t run_bump(Bump& b, int depth) {
  return run_shape<RawNode*>(
      depth,
      [&b](std::int64_t item, int d) {
        return bump_tree<kCountNodes>(b, item, d);
      },
      [](RawNode*& t) { t = nullptr; }, [&b] { return b.mark(); },
      [&b](const Bump::Mark& m) { b.rewind(m); });
}

}  // namespace plain
