// The one clock the measurement layer reads: CLOCK_MONOTONIC in nanoseconds
// (vDSO, about 20 ns a read here). No allocation, no locks: safe inside
// bdwgc's collection-event callback, which may run with the world stopped.
#pragma once

#include <time.h>

#include <cstdint>

namespace memstrat {

inline std::int64_t now_ns() noexcept {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

}  // namespace memstrat
