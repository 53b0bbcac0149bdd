// binary_trees: the GCBench / Benchmarks Game binary-trees shape, the classic
// test of an allocator under many short-lived small objects beside a
// long-lived structure.
//
//   stretch = tree(depth + 1); check(stretch); drop(stretch)
//   long_lived = tree(depth)                      // kept for the whole run
//   for d in 4, 6, ..., depth:
//     repeat 2 * size(depth) / size(d) times:     // same node count per d
//       t = tree(d); check(t); drop(t)            // one epoch per tree
//   check(long_lived); drop(long_lived)
//
// Trees are built bottom-up (children before parents), each node holding an
// item number; check() counts the nodes and sums the items (GCBench's item
// check: item + left's sum - right's sum), and the checksum takes the count,
// then the sum mod 2^32 (two's complement), as two 32-bit words. Under
// the arena, each short-lived tree is an epoch and the long-lived tree sits
// below every epoch mark, so rewinding never touches it.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "allocators/strategy.h"
#include "benchmarks/workloads/checksum.h"
#include "benchmarks/workloads/workload.h"

namespace memstrat {

struct BinaryTrees {
  static constexpr std::string_view kName = "binary_trees";
  // How its objects die (see ObjectDeath): each short-lived tree with its
  // epoch, the long-lived one with the run.
  static constexpr ObjectDeath kObjectsDie = ObjectDeath::kByEpoch;
  /// One unit of work: a tree built, checked and dropped (the stretch tree,
  /// each short-lived tree, and the long-lived tree's final check).
  static constexpr std::string_view kUnit = "tree";
  static constexpr std::array<std::string_view, 1> kParamNames{"depth"};
  static constexpr std::array<std::int64_t, 1> kSmall{10};
  // Depth 16 makes about 2.2 million nodes per run. Each step of 2 multiplies
  // the run time by about 4.4 and the long-lived tree's size by 4.
  static constexpr std::array<std::int64_t, 1> kDefault{16};
  /// Depth of the smallest short-lived trees (GCBench's kMinTreeDepth).
  static constexpr int kMinDepth = 4;
  /// Deeper trees need 2^(depth+2) nodes of live memory at the stretch step.
  static constexpr int kMaxDepth = 24;

  struct Params {
    int depth;
  };

  static Params params(std::span<const std::int64_t, 1> args) {
    if (args[0] < kMinDepth || args[0] > kMaxDepth) {
      throw std::invalid_argument("binary_trees: depth must be in [4, 24]");
    }
    return {static_cast<int>(args[0])};
  }

  // `right` is declared before `left` so that raii, which destroys members
  // in reverse declaration order, frees the left subtree first, as
  // for_each_owned (and so manual) does. The order matters: on glibc, freeing
  // right-first doubles this workload's time under both strategies.
  template <class S>
  struct Node {
    Owner<S, Node> right;
    Owner<S, Node> left;
    std::int64_t item;

    Node(Owner<S, Node> l, Owner<S, Node> r, std::int64_t i)
        : right(std::move(r)), left(std::move(l)), item(i) {}
    void for_each_owned(auto&& f) {
      f(left);
      f(right);
    }
  };

  static constexpr std::int64_t tree_size(int depth) {
    return (std::int64_t{1} << (depth + 1)) - 1;
  }

  template <MemoryStrategy S>
  static std::uint64_t run(S& s, const Params& p) {
    NullObserver observer;
    return run(s, p, observer);
  }

  template <MemoryStrategy S, WorkObserver O>
  static std::uint64_t run(S& s, const Params& p, O& observer) {
    Checksum sum;
    const auto run_epoch = s.begin_epoch();
    {
      const auto epoch = s.begin_epoch();
      auto stretch = build(s, 0, p.depth + 1);
      check(*stretch, sum);
      s.release(stretch);
      s.end_epoch(epoch);
    }
    observer.unit_done();
    auto long_lived = build(s, 0, p.depth);
    for (int d = kMinDepth; d <= p.depth; d += 2) {
      const std::int64_t iterations = 2 * tree_size(p.depth) / tree_size(d);
      for (std::int64_t i = 0; i < iterations; ++i) {
        const auto epoch = s.begin_epoch();
        auto tree = build(s, i, d);
        check(*tree, sum);
        s.release(tree);
        s.end_epoch(epoch);
        observer.unit_done();
      }
    }
    check(*long_lived, sum);
    s.release(long_lived);
    observer.unit_done();
    s.end_epoch(run_epoch);
    return sum.value();
  }

 private:
  template <class S>
  static Owner<S, Node<S>> build(S& s, std::int64_t item, int depth) {
    if (depth == 0) {
      return s.template make<Node<S>>(nullptr, nullptr, item);
    }
    auto left = build(s, 2 * item - 1, depth - 1);
    auto right = build(s, 2 * item, depth - 1);
    return s.template make<Node<S>>(std::move(left), std::move(right), item);
  }

  // Recursion depth is the tree depth, at most kMaxDepth + 1.
  template <class N>
  static void check(const N& n, Checksum& sum) {
    struct Walk {
      std::int64_t nodes;
      std::int64_t items;
    };
    auto walk = [](auto& self, const N& node) -> Walk {
      if (node.left == nullptr) return {1, node.item};
      const Walk l = self(self, *node.left);
      const Walk r = self(self, *node.right);
      return {1 + l.nodes + r.nodes, node.item + l.items - r.items};
    };
    const Walk w = walk(walk, n);
    sum.add32(static_cast<std::uint32_t>(w.nodes));
    sum.add32(static_cast<std::uint32_t>(w.items));
  }
};

}  // namespace memstrat
