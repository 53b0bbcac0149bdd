// The workloads' one named hash, FNV-1a 32-bit (Fowler, Noll, Vo), used
// wherever a hash decides the work or reaches a checksum: std::hash is
// implementation-defined, and a 64-bit hash is slow in JavaScript.
#pragma once

#include <cstdint>
#include <string_view>

namespace memstrat {

inline constexpr std::uint32_t kFnvOffsetBasis = 2166136261U;
inline constexpr std::uint32_t kFnvPrime = 16777619U;

// Over the bytes of s: h = basis; for each byte c: h = (h ^ c) * prime.
constexpr std::uint32_t fnv1a32(std::string_view s) noexcept {
  std::uint32_t h = kFnvOffsetBasis;
  for (const char c : s) h = (h ^ static_cast<unsigned char>(c)) * kFnvPrime;
  return h;
}

// One FNV-1a step over a whole 32-bit word instead of a byte: the workloads'
// cheap per-object digests, one multiply per word.
constexpr std::uint32_t fnv1a32_word(std::uint32_t h,
                                     std::uint32_t word) noexcept {
  return (h ^ word) * kFnvPrime;
}

}  // namespace memstrat
