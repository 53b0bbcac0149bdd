// Rng: the deterministic random source of every workload. Same seed, same
// sequence, on every strategy, allocator and machine (the std distributions'
// algorithms are implementation-defined, so they are not used).
#pragma once

#include <cmath>
#include <cstdint>

namespace memstrat {

class Rng {
 public:
  explicit constexpr Rng(std::uint64_t seed) noexcept : state_(seed) {}

  // splitmix64: full period 2^64, passes BigCrush, one multiply-xorshift chain.
  constexpr std::uint64_t next() noexcept {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  // Uniform in [0, n), n > 0 (Lemire's multiply-shift; the bias is below
  // 2^-32 for the n workloads use, which is irrelevant to them).
  std::uint64_t below(std::uint64_t n) noexcept {
    __extension__ using Wide = unsigned __int128;  // GCC/Clang, not ISO
    return static_cast<std::uint64_t>((static_cast<Wide>(next()) * n) >> 64);
  }

  // Uniform in [lo, hi].
  std::int64_t between(std::int64_t lo, std::int64_t hi) noexcept {
    return lo + static_cast<std::int64_t>(
                    below(static_cast<std::uint64_t>(hi - lo) + 1));
  }

  // Uniform in [0, 1).
  double unit() noexcept {
    return static_cast<double>(next() >> 11) * 0x1.0p-53;
  }

  // Exponentially distributed with the given mean.
  double exponential(double mean) noexcept {
    return -mean * std::log1p(-unit());
  }

  // True with probability p.
  bool chance(double p) noexcept { return unit() < p; }

 private:
  std::uint64_t state_;
};

}  // namespace memstrat
