// Rng: the deterministic random source of every workload, built from 32-bit
// operations only (add, xor, shifts, rotations, multiplication mod 2^32, one
// 32x32->64 multiply) so that a port in any language, JavaScript included,
// draws the same numbers. docs/workloads.md specifies it; test_vectors.json
// holds outputs every implementation must reproduce.
#pragma once

#include <array>
#include <bit>
#include <cstdint>

namespace memstrat {

// MurmurHash3's 32-bit finaliser: a bijection in which every input bit
// reaches every output bit.
constexpr std::uint32_t fmix32(std::uint32_t h) noexcept {
  h ^= h >> 16;
  h *= 0x85ebca6bU;
  h ^= h >> 13;
  h *= 0xc2b2ae35U;
  h ^= h >> 16;
  return h;
}

// The high word of a 32x32-bit product: floor(a * b / 2^32). JavaScript
// computes it from 16-bit limbs (docs/workloads.md).
constexpr std::uint32_t mul_high32(std::uint32_t a, std::uint32_t b) noexcept {
  return static_cast<std::uint32_t>((std::uint64_t{a} * b) >> 32);
}

class Rng {
 public:
  /// The golden-ratio constant that spreads the seed's halves apart.
  static constexpr std::uint32_t kGolden = 0x9e3779b9U;

  // State word i = fmix32(lo + (2i+1)G) ^ fmix32(hi + (2i+2)G), all mod 2^32:
  // for a fixed half the map from the other half is a bijection, so seeds
  // that differ by one (seed + d) give different streams.
  explicit constexpr Rng(std::uint64_t seed) noexcept : s_{} {
    const auto lo = static_cast<std::uint32_t>(seed);
    const auto hi = static_cast<std::uint32_t>(seed >> 32);
    for (std::uint32_t i = 0; i < 4; ++i) {
      s_[i] = fmix32(lo + (2 * i + 1) * kGolden) ^
              fmix32(hi + (2 * i + 2) * kGolden);
    }
    // xoshiro's only bad state; no workload seed reaches it.
    if ((s_[0] | s_[1] | s_[2] | s_[3]) == 0) s_[0] = kGolden;
  }

  // xoshiro128** 1.1 (Blackman and Vigna): period 2^128 - 1, passes BigCrush.
  constexpr std::uint32_t next() noexcept {
    const std::uint32_t result = std::rotl(s_[1] * 5, 7) * 9;
    const std::uint32_t t = s_[1] << 9;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = std::rotl(s_[3], 11);
    return result;
  }

  // Uniform in [0, n), 1 <= n <= 2^32 - 1, without bias: Lemire's
  // multiply-shift with rejection ("Fast random integer generation in an
  // interval", 2019). Draws one word, more only on a rejection.
  constexpr std::uint32_t below(std::uint32_t n) noexcept {
    std::uint64_t m = std::uint64_t{next()} * n;
    auto low = static_cast<std::uint32_t>(m);
    if (low < n) {
      const std::uint32_t threshold = (0U - n) % n;  // 2^32 mod n
      while (low < threshold) {
        m = std::uint64_t{next()} * n;
        low = static_cast<std::uint32_t>(m);
      }
    }
    return static_cast<std::uint32_t>(m >> 32);
  }

  // Uniform in [lo, hi], hi - lo + 1 in [1, 2^32 - 1].
  constexpr std::int64_t between(std::int64_t lo, std::int64_t hi) noexcept {
    return lo + below(static_cast<std::uint32_t>(hi - lo + 1));
  }

  // True with probability num / den, 1 <= den <= 2^32 - 1: one below(den).
  constexpr bool chance(std::uint32_t num, std::uint32_t den) noexcept {
    return below(den) < num;
  }

  // floor(n * u^power) for u = next() / 2^32, in [0, n): a skewed index,
  // rank x drawn with probability about proportional to x^-(1 - 1/power).
  // Each power is a mul_high32, so the result is a little below the real
  // product (by under power units of 2^-32 of n).
  constexpr std::uint32_t skewed(std::uint32_t n, int power) noexcept {
    const std::uint32_t u = next();
    std::uint32_t x = u;
    for (int i = 1; i < power; ++i) x = mul_high32(x, u);
    return mul_high32(x, n);
  }

  /// The four state words (s0..s3), for the test vectors.
  constexpr const std::array<std::uint32_t, 4>& state() const noexcept {
    return s_;
  }

 private:
  std::array<std::uint32_t, 4> s_;
};

}  // namespace memstrat
