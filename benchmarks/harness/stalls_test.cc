// StallRecorder, on synthetic unit times (no clock is read): gaps within a
// run and after its last unit, the threshold max(1 ms, 10 x median gap), each
// stall's start and duration, and overflow counted.
#include "benchmarks/harness/stalls.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace memstrat {
namespace {

TEST(StallRecorder, FindsTheLongGapWithItsStart) {
  StallRecorder r(1.0);
  r.begin_run();
  std::int64_t t = 0;
  for (int i = 0; i < 1000; ++i) r.unit_at(t += 10'000);  // every 10 us
  const std::int64_t before = t;
  r.unit_at(t += 5'000'000);  // a 5 ms stall
  r.unit_at(t += 900'000);    // 0.9 ms: under the 1 ms floor
  for (int i = 0; i < 1000; ++i) r.unit_at(t += 10'000);
  EXPECT_EQ(r.gaps().count(), 2001u);
  EXPECT_NEAR(static_cast<double>(r.gaps().quantile(0.5)), 10'000, 100);
  EXPECT_EQ(r.threshold_ns(), StallRecorder::kFloorNs);
  const auto stalls = r.stalls();
  ASSERT_EQ(stalls.size(), 1u);
  EXPECT_EQ(stalls[0].start, before);
  EXPECT_EQ(stalls[0].duration_ns, 5'000'000);
  EXPECT_EQ(r.gaps().max(), 5'000'000);
}

TEST(StallRecorder, TheTeardownAfterTheLastUnitIsAGapTheSetupIsNot) {
  StallRecorder r(1.0);
  r.begin_run();
  std::int64_t t = 50'000'000;  // 50 ms of setup before the first unit
  for (int i = 0; i < 100; ++i) r.unit_at(t += 10'000);
  const std::int64_t last = t;
  r.end_run_at(t += 20'000'000);  // a 20 ms teardown
  r.begin_run();
  r.unit_at(t += 30'000'000);  // the next run's setup: not a gap
  EXPECT_EQ(r.gaps().count(), 100u);
  const auto stalls = r.stalls();
  ASSERT_EQ(stalls.size(), 1u);
  EXPECT_EQ(stalls[0].start, last);
  EXPECT_EQ(stalls[0].duration_ns, 20'000'000);
}

TEST(StallRecorder, TheThresholdFollowsTheMedianGap) {
  // Units of 200 us: a 1.5 ms gap is ordinary variation, 2.5 ms a stall.
  StallRecorder r(1.0);
  r.begin_run();
  std::int64_t t = 0;
  for (int i = 0; i < 100; ++i) r.unit_at(t += 200'000);
  r.unit_at(t += 1'500'000);
  r.unit_at(t += 2'500'000);
  EXPECT_NEAR(static_cast<double>(r.threshold_ns()), 2'000'000, 20'000);
  const auto stalls = r.stalls();
  ASSERT_EQ(stalls.size(), 1u);
  EXPECT_EQ(stalls[0].duration_ns, 2'500'000);
}

TEST(StallRecorder, NoGapAcrossRunsAndTicksAreConverted) {
  StallRecorder r(0.5);  // two ticks a nanosecond
  r.begin_run();
  r.unit_at(0);
  r.unit_at(20);
  r.begin_run();  // teardown and setup between runs are not a gap
  r.unit_at(1'000'000'000);
  r.unit_at(1'000'000'040);
  EXPECT_EQ(r.gaps().count(), 2u);
  EXPECT_EQ(r.gaps().max(), 20);
  EXPECT_TRUE(r.stalls().empty());
}

TEST(StallRecorder, CountsOverflowInsteadOfStoring) {
  StallRecorder r(1.0);
  r.begin_run();
  std::int64_t t = 0;
  for (std::size_t i = 0; i <= StallRecorder::kRawCapacity + 2; ++i) {
    r.unit_at(t += 2'000'000);
  }
  EXPECT_EQ(r.overflow(), 2u);
  r.reset();
  EXPECT_EQ(r.overflow(), 0u);
  EXPECT_EQ(r.gaps().count(), 0u);
}

}  // namespace
}  // namespace memstrat
