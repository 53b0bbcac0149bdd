// lru_cache: a long-lived cache under steady churn, as in front of a
// database or a remote service: each request looks a key up; a hit moves
// the entry to the front, a miss makes a new entry and, once the cache is
// full, evicts the least recently used one.
//
// Stresses a large live set with continuous death of old objects. The
// collector must trace the whole cache at every collection to free the few
// evicted entries; malloc must reuse the holes evictions leave scattered
// through the heap; the arena has no epoch to end (see below).
//
//   map = HashMap<key, Owner<Entry>>, reserved for capacity + 1 entries
//   list = intrusive doubly linked LRU list through the entries (non-owning)
//   for r in 0 .. requests:
//     request_begin
//     key = skewed(kKeySpaceFactor * capacity, 3) * 0x9e3779b9 mod 2^32
//     if key in map: move entry to front; checksum: digest(entry.value)
//     else: make Entry(key, value of 32..512 bytes); insert; push front
//           if size > capacity: unlink tail; checksum: its key;
//                                release it; erase it from map
//     request_end
//   checksum: hits, map size (add each); release every entry; drop the map
//
// A value is `words` 8-byte words, word j holding key * (j + 1) mod 2^32;
// digest = fnv1a32_word over the words' low halves, from the byte size. The
// map's hash (std::hash of an integer) decides only bucket placement and the
// final release order, neither of which reaches the checksum.
//
// Arena: the whole run is one epoch. Entries die in LRU order, not in any
// order an epoch could follow, so the arena reclaims nothing until the run
// ends: its memory grows with every entry ever inserted (each miss), not
// with the capacity, and arena_reserved_bytes shows that cost. Under gc the
// map's nodes, GC-allocated through its allocator, hold the only pointers to
// the entries, so the collector sees every live entry.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <stdexcept>
#include <string_view>

#include "allocators/strategy.h"
#include "benchmarks/workloads/checksum.h"
#include "benchmarks/workloads/hash.h"
#include "benchmarks/workloads/random.h"
#include "benchmarks/workloads/workload.h"

namespace memstrat {

struct LruCache {
  static constexpr std::string_view kName = "lru_cache";
  // How its objects die (see ObjectDeath): entries are evicted one by one, in
  // LRU order.
  static constexpr ObjectDeath kObjectsDie = ObjectDeath::kOneByOne;
  static constexpr std::string_view kUnit = "request";
  static constexpr std::array<std::string_view, 2> kParamNames{"capacity",
                                                               "requests"};
  static constexpr std::array<std::int64_t, 2> kSmall{1000, 10'000};
  // 20k entries (about 7 MB live, map nodes included) and 400k requests, of
  // which about 30% miss. The cache is memory-latency bound: a larger
  // capacity makes the live set the collector traces bigger and each lookup
  // miss the cache more; more requests mean more churn, and under the arena
  // more memory held to the end.
  static constexpr std::array<std::int64_t, 2> kDefault{20'000, 400'000};
  /// Keys are drawn from kKeySpaceFactor * capacity distinct keys; 2, with
  /// the cubic skew of the draw, gives a steady-state hit rate near 70%.
  /// Raising it lowers the hit rate, so more entries are made and evicted
  /// per request.
  static constexpr std::uint64_t kKeySpaceFactor = 2;
  /// Value sizes: whole 8-byte words, uniform from 32 to 512 bytes. Larger
  /// values weight the run towards copying and reading bytes, and under the
  /// arena grow its memory faster.
  static constexpr std::int64_t kMinValueWords = 4;
  static constexpr std::int64_t kMaxValueWords = 64;
  /// Keeps the key space (kKeySpaceFactor * capacity) below 2^32.
  static constexpr std::int64_t kMaxCapacity = 100'000'000;
  static constexpr std::int64_t kMaxRequests = 10'000'000'000;
  static constexpr std::uint64_t kSeed = 0x6c727563;

  struct Params {
    std::int64_t capacity;
    std::int64_t requests;
  };

  static Params params(std::span<const std::int64_t, 2> args) {
    if (args[0] < 1 || args[0] > kMaxCapacity) {
      throw std::invalid_argument(
          "lru_cache: capacity must be in [1, 100000000]");
    }
    if (args[1] < 1 || args[1] > kMaxRequests) {
      throw std::invalid_argument(
          "lru_cache: requests must be in [1, 10000000000]");
    }
    return {args[0], args[1]};
  }

  // prev and next link the LRU list and own nothing: the map owns entries.
  template <class S>
  struct Entry {
    std::uint64_t key;
    Vector<S, std::byte> value;
    Entry* prev = nullptr;
    Entry* next = nullptr;

    Entry(std::uint64_t k, std::size_t bytes,
          const typename S::template Allocator<std::byte>& a)
        : key(k), value(bytes, a) {
      for (std::size_t i = 0; i < bytes; i += 8) {
        const std::uint64_t word = static_cast<std::uint32_t>(k * (i / 8 + 1));
        std::memcpy(value.data() + i, &word, 8);
      }
    }
  };

  // The list's ends; an entry's prev points towards the head.
  template <class E>
  struct LruList {
    E* head = nullptr;  // most recently used
    E* tail = nullptr;  // next to evict

    void unlink(E* e) {
      (e->prev != nullptr ? e->prev->next : head) = e->next;
      (e->next != nullptr ? e->next->prev : tail) = e->prev;
    }
    void push_front(E* e) {
      e->prev = nullptr;
      e->next = head;
      (head != nullptr ? head->prev : tail) = e;
      head = e;
    }
  };

  template <MemoryStrategy S>
  static std::uint64_t run(S& s, const Params& p) {
    NullObserver observer;
    return run(s, p, observer);
  }

  template <MemoryStrategy S, WorkObserver O>
  static std::uint64_t run(S& s, const Params& p, O& observer) {
    using E = Entry<S>;
    using Map = HashMap<S, std::uint64_t, Owner<S, E>>;
    Checksum sum;
    const auto run_epoch = s.begin_epoch();
    {
      Map map(s.template allocator<typename Map::value_type>());
      const auto capacity = static_cast<std::size_t>(p.capacity);
      map.reserve(capacity + 1);
      LruList<E> lru;
      Rng rng(kSeed);
      const auto key_space =
          static_cast<std::uint32_t>(kKeySpaceFactor * capacity);
      std::uint64_t hits = 0;
      for (std::int64_t r = 0; r < p.requests; ++r) {
        observer.request_begin();
        // Rank = key space * u^3: the request rate of rank x falls as
        // x^(-2/3). A higher power skews harder and raises the hit rate. The
        // odd multiplier, a bijection mod 2^32, scatters popular ranks over
        // the hash table instead of crowding its first buckets.
        const std::uint64_t key =
            static_cast<std::uint32_t>(rng.skewed(key_space, 3) * 0x9e3779b9U);
        if (auto it = map.find(key); it != map.end()) {
          E* e = raw(it->second);
          lru.unlink(e);
          lru.push_front(e);
          sum.add32(digest(e->value));
          ++hits;
        } else {
          const auto words = rng.between(kMinValueWords, kMaxValueWords);
          const auto slot =
              map.emplace(key, s.template make<E>(
                                   key, static_cast<std::size_t>(words) * 8,
                                   s.template allocator<std::byte>()))
                  .first;
          lru.push_front(raw(slot->second));
          if (map.size() > capacity) {
            E* victim = lru.tail;
            lru.unlink(victim);
            sum.add32(static_cast<std::uint32_t>(victim->key));
            auto victim_it = map.find(victim->key);
            s.release(victim_it->second);
            map.erase(victim_it);
          }
        }
        observer.request_end();
        observer.unit_done();
      }
      sum.add(hits);
      sum.add(map.size());
      const BulkRelease drop(s);  // dropping the cache is one pause
      for (auto& [key, entry] : map) s.release(entry);
    }
    s.end_epoch(run_epoch);
    return sum.value();
  }

 private:
  template <class Bytes>
  static std::uint32_t digest(const Bytes& value) {
    auto h = static_cast<std::uint32_t>(value.size());
    for (std::size_t i = 0; i < value.size(); i += 8) {
      std::uint64_t word;
      std::memcpy(&word, value.data() + i, 8);
      h = fnv1a32_word(h, static_cast<std::uint32_t>(word));
    }
    return h;
  }
};

}  // namespace memstrat
