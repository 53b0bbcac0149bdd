// The test vectors every implementation of the workloads (this one and each
// port) must reproduce: generator outputs, draws, checksums, hashes and each
// workload's checksum, units and objects made at its small size.
// test_vectors.json is the copy ports read; test_vectors_test.cc holds this
// code to it. Regenerate the file with
// `build/release/benchmarks/memstrat_test_vectors >
// benchmarks/workloads/test_vectors.json`
// only when a workload's specified work changes on purpose (and say so in
// docs/workloads.md): never edit it by hand.
#pragma once

#include <array>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "allocators/manual.h"
#include "benchmarks/catalogue.h"
#include "benchmarks/harness/object_counting.h"
#include "benchmarks/workloads/checksum.h"
#include "benchmarks/workloads/hash.h"
#include "benchmarks/workloads/random.h"

namespace memstrat::vectors {

using Json = nlohmann::ordered_json;

/// Draws listed per case; enough to cover several rejections of below().
inline constexpr int kDraws = 16;

// 64-bit values as "0x%016x" strings: JSON readers (JavaScript) keep only 53
// bits of a number.
inline std::string hex64(std::uint64_t v) {
  char buf[19];
  std::snprintf(buf, sizeof buf, "0x%016" PRIx64, v);
  return buf;
}

inline constexpr std::array<std::uint64_t, 4> kSeeds{
    0, 1, 0x6c6973745f636875ULL, 0xffffffffffffffffULL};

// Counts units of work, as a port's harness would.
struct UnitCounter {
  std::uint64_t units = 0;
  void request_begin() noexcept {}
  void request_end() noexcept {}
  void unit_done() noexcept { ++units; }
};

// objects: the make<T> calls of the run, the count a port must match (its
// container buffers may differ, and are not compared).
template <class W>
Json workload_record() {
  ObjectCounting<StrategyFor<Manual, W>> s;
  UnitCounter counter;
  const std::uint64_t checksum = W::run(s, W::params(W::kSmall), counter);
  Json params = Json::object();
  for (std::size_t i = 0; i < W::kParamNames.size(); ++i) {
    params[std::string(W::kParamNames[i])] = W::kSmall[i];
  }
  return Json{{"params", params},
              {"checksum", hex64(checksum)},
              {"unit", std::string(W::kUnit)},
              {"units", counter.units},
              {"objects", s.object_counts().objects}};
}

inline Json workload_checksums() {
  Json out = Json::object();
  [&]<class... W>(std::tuple<W...>*) {
    ((out[std::string(W::kName)] = workload_record<W>()), ...);
  }(static_cast<AllWorkloads*>(nullptr));
  return out;
}

// Everything but the workloads: the building blocks a port tests first.
inline Json primitives() {
  Json j;
  j["note"] =
      "Test vectors of docs/workloads.md. 64-bit values are hex strings; "
      "every other number is an exact integer. Regenerate with "
      "memstrat_test_vectors, never by hand.";

  Json generator = Json::array();
  for (const std::uint64_t seed : kSeeds) {
    Rng rng(seed);
    Json state = Json::array();
    for (const std::uint32_t w : rng.state()) state.push_back(w);
    Json next = Json::array();
    for (int i = 0; i < kDraws; ++i) next.push_back(rng.next());
    generator.push_back(
        {{"seed", hex64(seed)}, {"state", state}, {"next", next}});
  }
  j["generator"] = generator;

  // Every draw case starts from a fresh Rng(seed) and lists kDraws results.
  constexpr std::uint64_t kDrawSeed = 0x6d656d7374726174ULL;
  j["draw_seed"] = hex64(kDrawSeed);
  Json below = Json::array();
  for (const std::uint32_t n :
       {1U, 2U, 3U, 10U, 1000U, 0x80000001U, 0xfffffffeU, 0xffffffffU}) {
    Rng rng(kDrawSeed);
    Json out = Json::array();
    for (int i = 0; i < kDraws; ++i) out.push_back(rng.below(n));
    below.push_back({{"n", n}, {"out", out}});
  }
  j["below"] = below;
  Json between = Json::array();
  for (const auto& [lo, hi] : std::initializer_list<std::pair<int, int>>{
           {1, 1}, {-5, 5}, {16, 120}, {-999'999'999, 999'999'999}}) {
    Rng rng(kDrawSeed);
    Json out = Json::array();
    for (int i = 0; i < kDraws; ++i) out.push_back(rng.between(lo, hi));
    between.push_back({{"lo", lo}, {"hi", hi}, {"out", out}});
  }
  j["between"] = between;
  Json chance = Json::array();
  for (const auto& [num, den] :
       std::initializer_list<std::pair<std::uint32_t, std::uint32_t>>{
           {1, 2}, {40, 100}, {1, 1000}, {3, 3}}) {
    Rng rng(kDrawSeed);
    Json out = Json::array();
    for (int i = 0; i < kDraws; ++i) out.push_back(rng.chance(num, den));
    chance.push_back({{"num", num}, {"den", den}, {"out", out}});
  }
  j["chance"] = chance;
  Json skewed = Json::array();
  for (const auto& [n, power] :
       std::initializer_list<std::pair<std::uint32_t, int>>{
           {40000, 3}, {2000, 3}, {1000, 1}, {0xffffffffU, 2}}) {
    Rng rng(kDrawSeed);
    Json out = Json::array();
    for (int i = 0; i < kDraws; ++i) out.push_back(rng.skewed(n, power));
    skewed.push_back({{"n", n}, {"power", power}, {"out", out}});
  }
  j["skewed"] = skewed;

  Json fmix = Json::array();
  for (const std::uint32_t x : {0U, 1U, 0x9e3779b9U, 0xffffffffU}) {
    fmix.push_back({{"in", x}, {"out", fmix32(x)}});
  }
  j["fmix32"] = fmix;
  Json mulhi = Json::array();
  for (const auto& [a, b] :
       std::initializer_list<std::pair<std::uint32_t, std::uint32_t>>{
           {0xffffffffU, 0xffffffffU}, {0x9e3779b9U, 40000}, {65536, 65536}}) {
    mulhi.push_back({{"a", a}, {"b", b}, {"out", mul_high32(a, b)}});
  }
  j["mul_high32"] = mulhi;

  // Checksum cases: add32 of each word in order, or add of each 64-bit value.
  Json checksum = Json::array();
  for (const auto& words : std::initializer_list<std::vector<std::uint32_t>>{
           {}, {0}, {1, 2, 3}, {0xffffffffU, 0, 0x80000000U}}) {
    Checksum c;
    for (const std::uint32_t w : words) c.add32(w);
    checksum.push_back({{"add32", words}, {"value", hex64(c.value())}});
  }
  for (const auto& values : std::initializer_list<std::vector<std::uint64_t>>{
           {0},
           {1, 0x100000000ULL, 0x001fffffffffffffULL},
           {0xffffffffffffffffULL}}) {
    Checksum c;
    Json in = Json::array();
    for (const std::uint64_t v : values) {
      c.add(v);
      in.push_back(hex64(v));
    }
    checksum.push_back({{"add", in}, {"value", hex64(c.value())}});
  }
  j["checksum"] = checksum;

  Json fnv = Json::array();
  for (const std::string_view s :
       {"", "a", "foobar", "sid=17&op=get", "0123456789abcdef_overSSO"}) {
    fnv.push_back({{"in", s}, {"out", fnv1a32(s)}});
  }
  j["fnv1a32"] = fnv;
  Json words = Json::array();
  for (const auto& [h, w] :
       std::initializer_list<std::pair<std::uint32_t, std::uint32_t>>{
           {0, 0}, {kFnvOffsetBasis, 1}, {12345, 0xdeadbeefU}}) {
    words.push_back({{"h", h}, {"word", w}, {"out", fnv1a32_word(h, w)}});
  }
  j["fnv1a32_word"] = words;
  return j;
}

inline Json all() {
  Json j = primitives();
  j["workload_checksums"] = workload_checksums();
  return j;
}

}  // namespace memstrat::vectors
