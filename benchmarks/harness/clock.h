// The clocks the measurement layer reads. now_ns(): CLOCK_MONOTONIC in
// nanoseconds (vDSO, about 23 ns a read here); no allocation, no locks, so
// it is safe inside bdwgc's collection-event callback, which may run with
// the world stopped. CycleClock: the CPU's time-stamp counter (about 10 ns a
// read here), for the per-request latency path, where two clock_gettime
// calls cost 3% of a 500 ns request.
#pragma once

#include <time.h>

#include <cstdint>

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

namespace memstrat {

inline std::int64_t now_ns() noexcept {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// Ticks of the invariant time-stamp counter where the CPU has one (Linux's
// own clocksource is "tsc" then), else CLOCK_MONOTONIC nanoseconds. Convert
// a difference of ticks with ns_per_tick(), calibrated once against
// CLOCK_MONOTONIC over kCalibrationMs.
class CycleClock {
 public:
  /// Calibration time on first use. Raising it makes the tick length more
  /// precise (the error is about 50 ns / kCalibrationMs) and start-up slower.
  static constexpr int kCalibrationMs = 20;

  static std::int64_t ticks() noexcept {
#if defined(__x86_64__)
    if (use_tsc()) return static_cast<std::int64_t>(__rdtsc());
#endif
    return now_ns();
  }
  static double ns_per_tick() noexcept;
  static bool use_tsc() noexcept;
};

}  // namespace memstrat
