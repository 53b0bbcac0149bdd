// CycleClock's calibration (see clock.h).
#include "benchmarks/harness/clock.h"

#include <chrono>
#include <fstream>
#include <string>
#include <thread>

namespace memstrat {

namespace {

// The TSC is a clock only if it is invariant (constant rate, running in
// every power state); Linux lists both flags in /proc/cpuinfo.
bool tsc_is_invariant() {
#if defined(__x86_64__)
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("flags", 0) == 0) {
      return line.find(" constant_tsc") != std::string::npos &&
             line.find(" nonstop_tsc") != std::string::npos;
    }
  }
#endif
  return false;
}

double calibrate() {
  if (!CycleClock::use_tsc()) return 1.0;
  const std::int64_t t0 = now_ns();
  const std::int64_t c0 = CycleClock::ticks();
  std::this_thread::sleep_for(
      std::chrono::milliseconds(CycleClock::kCalibrationMs));
  const std::int64_t t1 = now_ns();
  const std::int64_t c1 = CycleClock::ticks();
  return static_cast<double>(t1 - t0) / static_cast<double>(c1 - c0);
}

}  // namespace

bool CycleClock::use_tsc() noexcept {
  static const bool invariant = tsc_is_invariant();
  return invariant;
}

double CycleClock::ns_per_tick() noexcept {
  static const double ns = calibrate();
  return ns;
}

}  // namespace memstrat
