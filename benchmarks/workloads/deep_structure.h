// deep_structure: one very long singly linked list, built, walked and torn
// down. It models an append-only log, a long queue or a chain of versions
// dropped at once, and stresses the long free: millions of frees in one go,
// which is one long pause: the teardown loop is a BulkRelease scope, timed
// by the measurement layer as one release.
//
//   head = null; tail = &head
//   repeat length times: *tail = Node(rng.next()); tail = &(*tail)->next
//   walk the list from head: h = fnv1a32_word(h, value), h from 0
//   checksum: h (add32), node count (add)
//   while head:                                // careful teardown
//     next = take(head->next); released += value (mod 2^32)
//     release(head); head = next
//   checksum: released (add32)
//
// Teardown is iterative and identical under every strategy. The naive
// teardown, releasing the head and letting the destructor cascade run
// (unique_ptr's ~Node destroys next, which destroys its next, ...; manual's
// release() recurses through for_each_owned the same way), would do exactly
// the same number of frees, one per node, but recurses once per node: a
// million nodes already overflow an 8 MB stack, so it is not an option, and
// a careful engineer writes the loop. The loop costs one extra store per
// node (nulling next before the release) and frees nodes head first, in
// allocation order; the cascade would free them tail first.
//
// The list is the arena's epoch: one rewind frees it all at once. The
// teardown loop still runs under the arena (same work for every strategy:
// it walks every node, and the releases are no-ops), a walk an arena-only
// program would skip. Under gc the list becomes garbage when the loop drops
// the head; the build is where gc pays, marking an ever longer list at every
// collection while it grows.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "allocators/strategy.h"
#include "benchmarks/workloads/checksum.h"
#include "benchmarks/workloads/hash.h"
#include "benchmarks/workloads/random.h"
#include "benchmarks/workloads/workload.h"

namespace memstrat {

struct DeepStructure {
  static constexpr std::string_view kName = "deep_structure";
  // How its objects die (see ObjectDeath): the whole list at the end of its
  // epoch.
  static constexpr ObjectDeath kObjectsDie = ObjectDeath::kByEpoch;
  static constexpr std::string_view kUnit = "node";
  static constexpr std::array<std::string_view, 1> kParamNames{"length"};
  static constexpr std::array<std::int64_t, 1> kSmall{20000};
  // Length: run time, the teardown pause and peak memory all grow linearly
  // with it (16 bytes a node, 32 from glibc's malloc).
  static constexpr std::array<std::int64_t, 1> kDefault{3000000};
  /// 20M nodes need about 640 MB from glibc.
  static constexpr std::int64_t kMaxLength = 20'000'000;
  /// unit_done() after every kNodesPerUnit-th node of the build and the
  /// walk; a node alone is a few nanoseconds. Raising it makes the observer
  /// cheaper and the gaps it can resolve coarser. The teardown reports no
  /// units: it is reclaiming, not the program's work, so a free cascade is a
  /// stall between units as a collection is.
  static constexpr std::int64_t kNodesPerUnit = 256;
  static constexpr std::uint64_t kSeed = 0xdee9'5747'0c70'0001ULL;

  struct Params {
    std::int64_t length;
  };

  static Params params(std::span<const std::int64_t, 1> args) {
    if (args[0] < 1 || args[0] > kMaxLength) {
      throw std::invalid_argument(
          "deep_structure: length must be in [1, 20000000]");
    }
    return {args[0]};
  }

  template <class S>
  struct Node {
    Owner<S, Node> next{};
    std::uint64_t value;

    explicit Node(std::uint64_t v) : value(v) {}
    void for_each_owned(auto&& f) { f(next); }
  };

  template <MemoryStrategy S>
  static std::uint64_t run(S& s, const Params& p) {
    NullObserver observer;
    return run(s, p, observer);
  }

  template <MemoryStrategy S, WorkObserver O>
  static std::uint64_t run(S& s, const Params& p, O& observer) {
    Checksum sum;
    Rng rng(kSeed);
    const auto epoch = s.begin_epoch();
    Owner<S, Node<S>> head{};
    Owner<S, Node<S>>* tail = &head;
    for (std::int64_t i = 0; i < p.length; ++i) {
      *tail = s.template make<Node<S>>(rng.next());
      tail = &(*tail)->next;
      if ((i + 1) % kNodesPerUnit == 0) observer.unit_done();
    }

    std::uint32_t walked = 0;
    std::uint64_t nodes = 0;
    for (const Node<S>* n = raw(head); n != nullptr; n = raw(n->next)) {
      walked = fnv1a32_word(walked, static_cast<std::uint32_t>(n->value));
      ++nodes;
      if (nodes % kNodesPerUnit == 0) observer.unit_done();
    }
    sum.add32(walked);
    sum.add(nodes);

    // Reading each value on the way keeps the walk from being dropped where
    // release() does nothing (arena, gc).
    std::uint32_t released = 0;
    {
      const BulkRelease teardown(s);  // one pause, as the cascade would be
      while (head != nullptr) {
        auto next = take(head->next);
        released += static_cast<std::uint32_t>(head->value);
        s.release(head);
        head = std::move(next);
      }
    }
    sum.add32(released);
    s.end_epoch(epoch);
    return sum.value();
  }
};

}  // namespace memstrat
