// doc_tree: parse-and-discard of JSON documents, the request-scoped tree of
// mixed node types a service builds for every request it handles (a parsed
// body, a config, an RPC payload) and drops when it answers.
//
// Stresses many small objects of different sizes made and freed together:
// nodes, strings (short ones inline in std::string, long ones on the heap),
// growing vectors of children (each growth leaves a dead buffer behind), all
// dying at once when the document is done.
//
//   text = String reserved once for the largest document
//   for d in 0 .. documents:
//     text.clear(); generate(Rng(seed + d), nodes) -> text  // the client's
//     request_begin; epoch = begin_epoch()                  // part ends here
//     root = parse(text)                  // recursive descent, one Value each
//     walk(root) -> checksum              // numbers, string bytes, counts
//     release(root); end_epoch(epoch); request_end
//
// Documents are compact JSON (no whitespace) with objects, arrays, strings
// and integers; nesting stops at kMaxDepth. Under the arena each document is
// an epoch, the per-request region a practitioner would use: the text buffer
// is reserved before the first epoch and never grows, so it survives every
// rewind.
#pragma once

#include <array>
#include <charconv>
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

struct DocTree {
  static constexpr std::string_view kName = "doc_tree";
  // How its objects die (see ObjectDeath): a document's tree with its request's
  // epoch.
  static constexpr ObjectDeath kObjectsDie = ObjectDeath::kByEpoch;
  static constexpr std::string_view kUnit = "document";
  static constexpr std::array<std::string_view, 2> kParamNames{"documents",
                                                               "nodes"};
  static constexpr std::array<std::int64_t, 2> kSmall{20, 200};
  // 500 documents of 1000 values: half a million values and a million
  // allocations per run. More documents lengthen the run linearly; more
  // values per document make the tree (and each epoch) bigger, which moves
  // the work from the allocator's fast path towards cache misses.
  static constexpr std::array<std::int64_t, 2> kDefault{500, 1000};
  /// Deepest nesting of arrays and objects; the parser, the walk and the
  /// destructor cascade recurse this deep. Raising it makes narrower,
  /// deeper trees and deeper recursion.
  static constexpr int kMaxDepth = 8;
  /// Children of an array or object: uniform in [1, kMaxFanout]. With
  /// kContainerPercent it sets the expected children per value (0.9 here):
  /// above 1 one subtree eats the whole document, well below 1 the tree is
  /// a flat list under the root.
  static constexpr std::int64_t kMaxFanout = 8;
  /// Percent of values that are arrays or objects (half each), and of
  /// strings; the rest are integers. A higher container share makes bushier
  /// trees with more vector growth; moving share from integers to strings
  /// trades number parsing for string allocations.
  static constexpr std::uint32_t kContainerPercent = 20;
  static constexpr std::uint32_t kStringPercent = 45;
  /// Percent of strings longer than std::string's 15-byte inline buffer, so
  /// they allocate. Raising it means more, larger allocations per value.
  static constexpr std::uint32_t kLongStringPercent = 40;
  /// Longest string value; keys are at most kMaxKeyLength (about a quarter
  /// of keys exceed 15 bytes). Longer strings mean more bytes per node and
  /// more time in memcpy rather than in the allocator.
  static constexpr std::int64_t kMaxStringLength = 120;
  static constexpr std::int64_t kMaxKeyLength = 20;
  /// Magnitude bound of large integers; half of all integers are small
  /// (below 1000), as counts and ids in real documents are. It changes only
  /// the digits parsed, never an allocation; below 2^31 every integer is
  /// one draw and one 32-bit word.
  static constexpr std::int64_t kMaxMagnitude = 999'999'999;
  /// Most characters one value adds to the text: a comma, a key with its
  /// quotes and colon, and the longest body (a string with its quotes; an
  /// integer takes at most 10, brackets 2). It bounds the text buffer, so
  /// the buffer is reserved once and never grows inside an epoch.
  static constexpr std::int64_t kMaxValueBytes =
      1 + (kMaxKeyLength + 3) + (kMaxStringLength + 2);
  static constexpr std::int64_t kMaxDocuments = 100'000'000;
  static constexpr std::int64_t kMaxNodes = 1'000'000;
  static constexpr std::uint64_t kSeed = 0x6a736f6e;

  struct Params {
    std::int64_t documents;
    std::int64_t nodes;
  };

  static Params params(std::span<const std::int64_t, 2> args) {
    if (args[0] < 1 || args[0] > kMaxDocuments) {
      throw std::invalid_argument(
          "doc_tree: documents must be in [1, 100000000]");
    }
    if (args[1] < 1 || args[1] > kMaxNodes) {
      throw std::invalid_argument("doc_tree: nodes must be in [1, 1000000]");
    }
    return {args[0], args[1]};
  }

  enum class Kind : std::uint8_t { kNumber, kString, kArray, kObject };

  // One struct for every kind, as tagged-union DOMs do; only the fields of
  // its kind are used, and empty strings and vectors allocate nothing.
  // `items` is declared after `members` so that raii, destroying members in
  // reverse declaration order, frees items first, as for_each_owned lists
  // them; within a Member it frees the value before the key.
  template <class S>
  struct Value {
    struct Member {
      String<S> key;
      Owner<S, Value> value;
    };

    Kind kind;
    std::int64_t number = 0;
    String<S> text;
    Vector<S, Member> members;
    Vector<S, Owner<S, Value>> items;

    Value(Kind k, std::int64_t n, std::string_view t,
          const typename S::template Allocator<char>& a)
        : kind(k),
          number(n),
          text(t.data(), t.size(), a),
          members(a),
          items(a) {}

    void for_each_owned(auto&& f) {
      for (auto& item : items) f(item);
      for (auto& member : members) f(member.value);
    }
  };

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
      String<S> text(s.template allocator<char>());
      text.reserve(static_cast<std::size_t>(p.nodes * kMaxValueBytes));
      for (std::int64_t d = 0; d < p.documents; ++d) {
        text.clear();
        Rng rng(kSeed + static_cast<std::uint64_t>(d));
        generate(rng, p.nodes, text);
        observer.request_begin();
        const auto epoch = s.begin_epoch();
        Parser<S> parser{s, text, 0};
        auto root = parser.parse_value();
        walk(*root, sum);
        s.release(root);
        s.end_epoch(epoch);
        observer.request_end();
        observer.unit_done();
      }
    }
    s.end_epoch(run_epoch);
    return sum.value();
  }

 private:
  // --- Generation: exactly `nodes` values, the root an object. ---

  template <class Str>
  static void generate(Rng& rng, std::int64_t nodes, Str& out) {
    std::int64_t budget = nodes - 1;
    out.push_back('{');
    for (bool first = true; budget > 0; first = false) {
      if (!first) out.push_back(',');
      append_key(rng, out);
      generate_value(rng, 1, budget, out);
    }
    out.push_back('}');
  }

  template <class Str>
  static void generate_value(Rng& rng, int depth, std::int64_t& budget,
                             Str& out) {
    --budget;
    const std::uint32_t r = rng.below(100);
    if (r < kContainerPercent && depth < kMaxDepth) {
      const bool object = r < kContainerPercent / 2;
      out.push_back(object ? '{' : '[');
      const std::int64_t fanout = rng.between(1, kMaxFanout);
      for (std::int64_t i = 0; i < fanout && budget > 0; ++i) {
        if (i > 0) out.push_back(',');
        if (object) append_key(rng, out);
        generate_value(rng, depth + 1, budget, out);
      }
      out.push_back(object ? '}' : ']');
    } else if (r < kContainerPercent + kStringPercent) {
      const std::int64_t length = rng.chance(kLongStringPercent, 100)
                                      ? rng.between(16, kMaxStringLength)
                                      : rng.between(1, 15);
      append_string(rng, length, out);
    } else {
      const std::int64_t n = rng.chance(1, 2)
                                 ? rng.between(0, 999)
                                 : rng.between(-kMaxMagnitude, kMaxMagnitude);
      std::array<char, 24> digits;
      const auto end = std::to_chars(digits.begin(), digits.end(), n).ptr;
      out.append(digits.begin(), end);
    }
  }

  template <class Str>
  static void append_key(Rng& rng, Str& out) {
    append_string(rng, rng.between(2, kMaxKeyLength), out);
    out.push_back(':');
  }

  // Characters come 6 bits at a time from one random word (5 per word, low
  // bits first), from an alphabet that needs no escaping, and reach the text
  // in one append.
  template <class Str>
  static void append_string(Rng& rng, std::int64_t length, Str& out) {
    static constexpr std::string_view kAlphabet =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";
    std::array<char, kMaxStringLength + 2> quoted;
    quoted[0] = '"';
    std::uint32_t bits = 0;
    for (std::int64_t i = 0; i < length; ++i) {
      if (i % 5 == 0) bits = rng.next();
      quoted[static_cast<std::size_t>(i) + 1] = kAlphabet[bits & 63];
      bits >>= 6;
    }
    quoted[static_cast<std::size_t>(length) + 1] = '"';
    out.append(quoted.data(), static_cast<std::size_t>(length) + 2);
  }

  // --- Parsing. The text is the generator's output, well formed by
  // construction, so the parser checks nothing: it is the allocation
  // pattern of a DOM parser, not a validator. ---

  template <class S>
  struct Parser {
    S& s;
    std::string_view text;
    std::size_t pos;

    Owner<S, Value<S>> parse_value() {
      switch (text[pos]) {
        case '{': {
          ++pos;
          auto v = make(Kind::kObject, 0, {});
          while (text[pos] != '}') {
            String<S> key(parse_string(), s.template allocator<char>());
            ++pos;  // ':'
            v->members.push_back({std::move(key), parse_value()});
            if (text[pos] == ',') ++pos;
          }
          ++pos;
          return v;
        }
        case '[': {
          ++pos;
          auto v = make(Kind::kArray, 0, {});
          while (text[pos] != ']') {
            v->items.push_back(parse_value());
            if (text[pos] == ',') ++pos;
          }
          ++pos;
          return v;
        }
        case '"':
          return make(Kind::kString, 0, parse_string());
        default: {
          std::int64_t n = 0;
          const char* end = text.data() + text.size();
          pos = static_cast<std::size_t>(
              std::from_chars(text.data() + pos, end, n).ptr - text.data());
          return make(Kind::kNumber, n, {});
        }
      }
    }

    // The characters between the quotes at pos, leaving pos after them.
    std::string_view parse_string() {
      const std::size_t begin = pos + 1;
      const std::size_t end = text.find('"', begin);
      pos = end + 1;
      return text.substr(begin, end - begin);
    }

    Owner<S, Value<S>> make(Kind k, std::int64_t n, std::string_view t) {
      return s.template make<Value<S>>(k, n, t, s.template allocator<char>());
    }
  };

  // --- Walking: every value in document order, recursion depth at most
  // kMaxDepth + 1. Each value is one 32-bit word: an integer as its two's
  // complement, a string or key as its FNV-1a, an array or object as a tag
  // in the top two bits over its child count (below 2^30: kMaxNodes). ---

  static constexpr std::uint32_t kArrayTag = 1U << 30;
  static constexpr std::uint32_t kObjectTag = 2U << 30;

  template <class V>
  static void walk(const V& v, Checksum& sum) {
    switch (v.kind) {
      case Kind::kNumber:
        sum.add32(static_cast<std::uint32_t>(v.number));
        break;
      case Kind::kString:
        sum.add32(fnv1a32(v.text));
        break;
      case Kind::kArray:
        sum.add32(kArrayTag | static_cast<std::uint32_t>(v.items.size()));
        for (const auto& item : v.items) walk(*item, sum);
        break;
      case Kind::kObject:
        sum.add32(kObjectTag | static_cast<std::uint32_t>(v.members.size()));
        for (const auto& m : v.members) {
          sum.add32(fnv1a32(m.key));
          walk(*m.value, sum);
        }
        break;
    }
  }
};

}  // namespace memstrat
