// string_dict: word counting, the core of a symbol table, an interner or a
// log aggregator. A stream of words drawn from a skewed (Zipf-like)
// vocabulary is counted in a hash map keyed by strings. It stresses many
// small strings (about 40% of the words are longer than libstdc++'s 15-char
// small-string buffer and allocate) and hash-map nodes, the bucket arrays
// the map outgrows, and the pointer chasing of lookups among them.
//
//   counts = HashMap<String, count>; word = String buffer (reused)
//   repeat words times:
//     i = rng.skewed(vocabulary, kSkew)          // in [0, vocabulary)
//     spell word i into the buffer              // no allocation
//     if counts.find(buffer as string_view): ++count
//     else: counts.emplace(String copy of buffer, 1)   // node (+ chars)
//   checksum: entry count (add), then the per-entry digests summed
//     order-independently: digest(key, count) = Checksum of fnv1a32(key)
//     (add32) and count (add); its two 32-bit halves summed apart, mod 2^32
//   drop the map and the buffer
//
// Word i's spelling is a function of i alone: 3 to 24 letters from a
// generator seeded by i, ending in i's fixed-width base-26 digits, so the
// vocabulary's words are distinct. Lookups take a std::string_view (the map's
// hash, FNV-1a 32, and equality are transparent), so only a miss builds a
// key string.
//
// The dictionary lives for the whole run and the run is one epoch (one
// dictionary, one request scope): the arena also keeps the bucket arrays the
// map outgrew, which arena_reserved_bytes shows.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
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

struct StringDict {
  static constexpr std::string_view kName = "string_dict";
  // How its objects die (see ObjectDeath): with the run; only outgrown bucket
  // arrays die earlier.
  static constexpr ObjectDeath kObjectsDie = ObjectDeath::kByEpoch;
  static constexpr std::string_view kUnit = "word";
  static constexpr std::array<std::string_view, 2> kParamNames{"words",
                                                               "vocabulary"};
  static constexpr std::array<std::int64_t, 2> kSmall{20000, 2000};
  // About 40000 distinct keys, 10 lookups per key. Raising `words` adds
  // lookups, mostly hits, and run time linearly. Raising `vocabulary` adds
  // misses (allocations) and makes the map outgrow the caches (at 200000 a
  // lookup misses the caches several times and costs four times as much); at 10
  // words per vocabulary entry 99% of the vocabulary is seen, at 5 about 92%.
  static constexpr std::array<std::int64_t, 2> kDefault{400000, 40000};
  static constexpr std::int64_t kMaxWords = 1'000'000'000;
  /// 26^5: an index spells in at most 5 base-26 digits, so the shortest
  /// words grow from 3 to at most 5 letters.
  static constexpr std::int64_t kMaxVocabulary = 11'881'376;
  /// Word lengths are uniform in [kMinLength, kMaxLength] (the lower bound
  /// rises to the index's digit count). A longer maximum makes more keys
  /// allocate and hashing and comparing cost more.
  static constexpr int kMinLength = 3;
  static constexpr int kMaxLength = 24;
  /// Index = floor(vocabulary * u^kSkew), u = next() / 2^32: word x is drawn
  /// with probability about proportional to x^-(1 - 1/kSkew). Raising it
  /// concentrates the stream on fewer words: more hits, fewer allocations.
  static constexpr int kSkew = 3;
  /// unit_done() after every kWordsPerUnit-th word counted (a word alone
  /// is about a hundred nanoseconds). Raising it makes the observer cheaper
  /// and the gaps it can resolve coarser.
  static constexpr std::int64_t kWordsPerUnit = 32;
  static constexpr std::uint64_t kSeed = 0x737472696e675f64ULL;
  static constexpr std::uint64_t kSpellingSeed = 0x776f72645f746578ULL;

  struct Params {
    std::int64_t words;
    std::uint64_t vocabulary;
  };

  static Params params(std::span<const std::int64_t, 2> args) {
    if (args[0] < 1 || args[0] > kMaxWords) {
      throw std::invalid_argument(
          "string_dict: words must be in [1, 1000000000]");
    }
    if (args[1] < 1 || args[1] > kMaxVocabulary) {
      throw std::invalid_argument(
          "string_dict: vocabulary must be in [1, 11881376]");
    }
    return {args[0], static_cast<std::uint64_t>(args[1])};
  }

  // Transparent, so find() takes the buffer as a std::string_view without
  // building a key.
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view w) const noexcept {
      return fnv1a32(w);
    }
  };
  struct Eq {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const noexcept {
      return a == b;
    }
  };

  template <class S>
  using Dict = HashMap<S, String<S>, std::uint64_t, Hash, Eq>;

  template <MemoryStrategy S>
  static std::uint64_t run(S& s, const Params& p) {
    NullObserver observer;
    return run(s, p, observer);
  }

  template <MemoryStrategy S, WorkObserver O>
  static std::uint64_t run(S& s, const Params& p, O& observer) {
    Checksum sum;
    Rng rng(kSeed);
    const int digits = index_digits(p.vocabulary);
    const auto run_epoch = s.begin_epoch();
    {
      String<S> word(s.template allocator<char>());
      word.reserve(kMaxLength);
      Dict<S> counts(
          s.template allocator<std::pair<const String<S>, std::uint64_t>>());
      for (std::int64_t n = 0; n < p.words; ++n) {
        spell(rng.skewed(static_cast<std::uint32_t>(p.vocabulary), kSkew),
              digits, word);
        const std::string_view w(word);
        if (const auto it = counts.find(w); it != counts.end()) {
          ++it->second;
        } else {
          counts.emplace(String<S>(w, s.template allocator<char>()), 1);
        }
        if ((n + 1) % kWordsPerUnit == 0) observer.unit_done();
      }
      // Unordered iteration order is the same under every strategy today,
      // but a sum of per-entry digests does not depend on it at all.
      std::uint32_t entries_low = 0;
      std::uint32_t entries_high = 0;
      for (const auto& [key, count] : counts) {
        Checksum entry;
        entry.add32(fnv1a32(key));
        entry.add(count);
        entries_low += static_cast<std::uint32_t>(entry.value());
        entries_high += static_cast<std::uint32_t>(entry.value() >> 32);
      }
      sum.add(counts.size());
      sum.add32(entries_low);
      sum.add32(entries_high);
    }
    s.end_epoch(run_epoch);
    return sum.value();
  }

 private:
  // Base-26 digits of vocabulary - 1, at least one.
  static int index_digits(std::uint64_t vocabulary) {
    int d = 1;
    for (std::uint64_t v = (vocabulary - 1) / 26; v > 0; v /= 26) ++d;
    return d;
  }

  // Random letters, then the index's digits: words of equal length differ in
  // their last `digits` letters, so distinct indices spell distinct words.
  template <class Str>
  static void spell(std::uint64_t index, int digits, Str& out) {
    Rng letters(kSpellingSeed + index);
    const int length = static_cast<int>(
        letters.between(std::max(kMinLength, digits), kMaxLength));
    out.clear();
    // 26^6 < 2^32: one draw spells 6 letters.
    std::uint32_t bits = 0;
    for (int i = 0; i < length - digits; ++i) {
      if (i % 6 == 0) bits = letters.next();
      out.push_back(static_cast<char>('a' + bits % 26));
      bits /= 26;
    }
    for (int i = 0; i < digits; ++i) {
      out.push_back(static_cast<char>('a' + index % 26));
      index /= 26;
    }
  }
};

}  // namespace memstrat
