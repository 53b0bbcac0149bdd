// Checksum: an order-sensitive 64-bit digest of the values a workload
// computes. Equal checksums across strategies show the same work was done;
// feeding every result into it keeps the compiler from discarding the work.
#pragma once

#include <cstdint>

namespace memstrat {

class Checksum {
 public:
  constexpr void add(std::uint64_t v) noexcept {
    // splitmix64 finaliser over the running state: cheap, and every bit of v
    // reaches every bit of the state.
    std::uint64_t z = state_ + v + 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    state_ = z ^ (z >> 31);
  }
  constexpr std::uint64_t value() const noexcept { return state_; }

 private:
  std::uint64_t state_ = 0;
};

}  // namespace memstrat
