// CycleClock ticks, scaled by its calibration, measure the same intervals
// as CLOCK_MONOTONIC.
#include "benchmarks/harness/clock.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace memstrat {
namespace {

TEST(CycleClock, AgreesWithTheMonotonicClock) {
  const double ns_per_tick = CycleClock::ns_per_tick();
  ASSERT_GT(ns_per_tick, 0.0);
  const std::int64_t t0 = now_ns();
  const std::int64_t c0 = CycleClock::ticks();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const std::int64_t c1 = CycleClock::ticks();
  const std::int64_t t1 = now_ns();
  const double cycle_ns = static_cast<double>(c1 - c0) * ns_per_tick;
  const auto mono_ns = static_cast<double>(t1 - t0);
  EXPECT_NEAR(cycle_ns, mono_ns, 0.02 * mono_ns);
}

}  // namespace
}  // namespace memstrat
