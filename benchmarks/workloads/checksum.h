// Checksum: an order-sensitive 64-bit digest of the values a workload
// computes, built from 32-bit operations only so that every port computes
// it bit for bit. Equal checksums across strategies (and languages) show the
// same work was done; feeding every result into it keeps the compiler from
// discarding the work.
//
//   add32(k):  a = block(a, k); b = block(b, k ^ a); n += 1     (mod 2^32)
//   add(v):    add32(v mod 2^32); add32(floor(v / 2^32))         (64-bit v)
//   value():   fmix32(b ^ n) << 32 | fmix32(a ^ n)
//   block(h, k) = MurmurHash3_x86_32's body step:
//     k *= 0xcc9e2d51; k = rotl(k, 15); k *= 0x1b873593
//     h ^= k; h = rotl(h, 13); h = h * 5 + 0xe6546b64
//
// Lane b takes lane a's new state, so the two halves are not two copies of
// one hash. value() does not change the state.
#pragma once

#include <bit>
#include <cstdint>

#include "benchmarks/workloads/random.h"

namespace memstrat {

class Checksum {
 public:
  /// The lanes' starting states: "mems" and "trat" in ASCII.
  static constexpr std::uint32_t kSeedA = 0x6d656d73U;
  static constexpr std::uint32_t kSeedB = 0x74726174U;

  constexpr void add32(std::uint32_t k) noexcept {
    a_ = block(a_, k);
    b_ = block(b_, k ^ a_);
    ++n_;
  }
  constexpr void add(std::uint64_t v) noexcept {
    add32(static_cast<std::uint32_t>(v));
    add32(static_cast<std::uint32_t>(v >> 32));
  }
  constexpr std::uint64_t value() const noexcept {
    return (std::uint64_t{fmix32(b_ ^ n_)} << 32) | fmix32(a_ ^ n_);
  }

 private:
  static constexpr std::uint32_t block(std::uint32_t h,
                                       std::uint32_t k) noexcept {
    k *= 0xcc9e2d51U;
    k = std::rotl(k, 15);
    k *= 0x1b873593U;
    h ^= k;
    h = std::rotl(h, 13);
    return h * 5 + 0xe6546b64U;
  }

  std::uint32_t a_ = kSeedA;
  std::uint32_t b_ = kSeedB;
  std::uint32_t n_ = 0;
};

}  // namespace memstrat
