// lifetime_mix: a synthetic allocation trace in the style of allocator
// papers' trace-driven benchmarks. Object sizes are skewed towards small
// (16 B to 4 KiB, most under 64 B) with a rare large object (64 KiB to
// 1 MiB); lifetimes are close to exponential (a geometric number of blocks
// plus a uniform offset, see draw_life), so short-lived and long-lived
// objects interleave. It stresses fragmentation: the holes the short-lived
// objects leave between long-lived ones, and the large blocks that come and go.
//
//   wheel = W empty buckets                 // W a power of two > any lifetime
//   for t in 0..steps-1:
//     for blob in wheel[t mod W]: fold(blob); release(blob)   // deaths at t
//     size = skewed size; life = about exponential(mean_life), in [1, W-1]
//     blob = make Blob{data: size bytes}; stamp its first and last 8 bytes
//     push blob on wheel[(t + life) mod W]
//   for i in 0..W-1: free wheel[(steps + i) mod W] as above  // the survivors
//   fold(blob): checksum the stamps read back from data and the size
//
// Each object is a Blob node (intrusive list link + a byte vector of the
// object's size: the variable-size allocation). The timing wheel frees each
// object at exactly its drawn death step; the random draws depend on nothing
// but the seed, so the trace is the same under every strategy.
//
// Arena: objects cannot be freed one at a time and survivors cross any epoch
// boundary one could draw, so the whole run is one epoch and the arena grows
// with every byte ever allocated (about 0.7 KiB per step, large objects
// included), where the other strategies hold only the live set (about
// mean_life objects). arena_reserved_bytes shows the difference.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "allocators/strategy.h"
#include "benchmarks/workloads/checksum.h"
#include "benchmarks/workloads/random.h"
#include "benchmarks/workloads/workload.h"

namespace memstrat {

struct LifetimeMix {
  static constexpr std::string_view kName = "lifetime_mix";
  // How its objects die (see ObjectDeath): blobs die one by one at random
  // times.
  static constexpr ObjectDeath kObjectsDie = ObjectDeath::kOneByOne;
  static constexpr std::string_view kUnit = "step";
  static constexpr std::array<std::string_view, 2> kParamNames{"steps",
                                                               "mean_life"};
  static constexpr std::array<std::int64_t, 2> kSmall{10000, 100};
  // Raising `steps` raises the run time and the arena's footprint linearly.
  // Raising `mean_life` raises the live set of the other strategies (about
  // mean_life objects, 10 of them large at 10000) and so how far the heap
  // fragments, and the wheel's size (16 * mean_life owners, rounded up).
  static constexpr std::array<std::int64_t, 2> kDefault{200000, 10000};
  static constexpr std::int64_t kMaxSteps = 10'000'000;
  static constexpr std::int64_t kMaxMeanLife = 100'000;

  /// Small sizes come in kSizeClasses classes [16 * 2^k, 16 * 2^(k+1)),
  /// class k drawn with probability 2^-(k+1) (the last takes the remainder
  /// and includes 4 KiB), uniform within the class: half the objects are
  /// under 32 B, the mean is about 108 B. More classes reach larger sizes.
  static constexpr std::size_t kMinSize = 16;
  static constexpr int kSizeClasses = 8;
  /// Large objects are one in kLargeOneIn. They dominate the bytes requested
  /// (about 0.56 KiB per step at 1 in 1000); making them commoner shifts the
  /// workload from allocator bookkeeping to memory bandwidth and, on glibc,
  /// to mmap.
  static constexpr std::uint32_t kLargeOneIn = 1000;
  static constexpr std::size_t kLargeMin = 64 * 1024;
  static constexpr std::size_t kLargeMax = 1024 * 1024;
  /// Lifetimes are capped at the wheel size minus one, and the wheel holds at
  /// least this many mean lifetimes: a lifetime exceeds 16 means with
  /// probability 2^-24 (about one object in sixteen million). Raising it
  /// makes the cap rarer and the wheel larger.
  static constexpr std::uint64_t kWheelMeans = 16;
  /// unit_done() after every kStepsPerUnit-th step (a step alone is about a
  /// hundred nanoseconds). Raising it makes the observer cheaper and the
  /// gaps it can resolve coarser.
  static constexpr std::uint64_t kStepsPerUnit = 32;
  static constexpr std::uint64_t kSeed = 0x6c69666574696d65ULL;

  struct Params {
    std::uint64_t steps;
    std::uint64_t mean_life;
  };

  static Params params(std::span<const std::int64_t, 2> args) {
    if (args[0] < 1 || args[0] > kMaxSteps) {
      throw std::invalid_argument(
          "lifetime_mix: steps must be in [1, 10000000]");
    }
    if (args[1] < 1 || args[1] > kMaxMeanLife) {
      throw std::invalid_argument(
          "lifetime_mix: mean_life must be in [1, 100000]");
    }
    return {static_cast<std::uint64_t>(args[0]),
            static_cast<std::uint64_t>(args[1])};
  }

  // `data` is declared before `next` so that raii destroys `next` first, as
  // manual does (for_each_owned, then the destructor). `next` is always
  // unlinked before a release, so no release walks a bucket's list.
  template <class S>
  struct Blob {
    Vector<S, std::byte> data;
    Owner<S, Blob> next;

    Blob(std::size_t bytes, const typename S::template Allocator<std::byte>& a)
        : data(bytes, a), next(nullptr) {}
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
    const std::uint64_t wheel_slots = wheel_size(p.mean_life);
    const std::uint64_t mask = wheel_slots - 1;
    const auto run_epoch = s.begin_epoch();
    {
      Vector<S, Owner<S, Blob<S>>> wheel(
          wheel_slots, s.template allocator<Owner<S, Blob<S>>>());
      auto free_bucket = [&](Owner<S, Blob<S>>& bucket) {
        while (bucket != nullptr) {
          auto blob = take(bucket);
          bucket = take(blob->next);
          const std::span<const std::byte> d(blob->data);
          sum.add(load(d.first<8>()));
          sum.add(load(d.last<8>()) ^ (d.size() << 32));
          s.release(blob);
        }
      };
      for (std::uint64_t t = 0; t < p.steps; ++t) {
        free_bucket(wheel[t & mask]);
        const std::size_t bytes = draw_size(rng);
        const std::uint64_t life = draw_life(rng, p.mean_life, wheel_slots);
        auto blob =
            s.template make<Blob<S>>(bytes, s.template allocator<std::byte>());
        const std::span<std::byte> d(blob->data);
        store(d.first<8>(), t);
        store(d.last<8>(), life);
        auto& bucket = wheel[(t + life) & mask];
        blob->next = take(bucket);
        bucket = std::move(blob);
        if ((t + 1) % kStepsPerUnit == 0) observer.unit_done();
      }
      for (std::uint64_t i = 0; i < wheel_slots; ++i) {
        free_bucket(wheel[(p.steps + i) & mask]);
      }
    }
    s.end_epoch(run_epoch);
    return sum.value();
  }

 private:
  static std::uint64_t wheel_size(std::uint64_t mean_life) {
    return std::bit_ceil(kWheelMeans * mean_life + 1);
  }

  // Three draws whatever the outcome, so retuning the size distribution
  // leaves every lifetime as it was.
  static std::size_t draw_size(Rng& rng) {
    const bool large = rng.chance(1, kLargeOneIn);
    const std::uint32_t class_bits = rng.next();
    const std::uint32_t offset = rng.next();
    if (large) return kLargeMin + offset % (kLargeMax - kLargeMin + 1);
    const int k = std::min(std::countr_zero(class_bits), kSizeClasses - 1);
    const std::size_t lo = kMinSize << k;
    const std::size_t width = k == kSizeClasses - 1 ? lo + 1 : lo;
    return lo + offset % width;
  }

  // An exponential distribution in integers only: k blocks of h steps, k the
  // trailing zeros of one draw (geometric, P(k) = 2^-(k+1)), plus a uniform
  // offset in the block. Each block holds exactly the mass an exponential
  // of mean h / ln 2 puts there, spread evenly instead of decaying across
  // it; h = round(2 mean / 3) makes the mean (1.5 h) the requested one.
  // 1 + that, capped at wheel_slots - 1: a lifetime of 0 would land in the
  // bucket being freed and live a whole turn of the wheel.
  static std::uint64_t draw_life(Rng& rng, std::uint64_t mean,
                                 std::uint64_t wheel_slots) {
    const auto block = static_cast<std::uint32_t>(
        std::max<std::uint64_t>(1, (2 * mean + 1) / 3));
    const auto k = static_cast<std::uint64_t>(std::countr_zero(rng.next()));
    const std::uint64_t drawn = k * block + rng.below(block);
    return 1 + std::min(drawn, wheel_slots - 2);
  }

  static void store(std::span<std::byte, 8> to, std::uint64_t v) {
    std::memcpy(to.data(), &v, sizeof v);
  }
  static std::uint64_t load(std::span<const std::byte, 8> from) {
    std::uint64_t v;
    std::memcpy(&v, from.data(), sizeof v);
    return v;
  }
};

}  // namespace memstrat
