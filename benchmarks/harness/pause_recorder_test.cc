// PauseRecorder: overflow is counted, never a crash; bdwgc's stop-the-world
// pauses it records (the gc strategy's pause source) add up to bdwgc's own
// accounting; Timed<S> records one pause per top-level release, cascade
// included.
#include "benchmarks/harness/pause_recorder.h"

#include <gc/gc.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "allocators/all.h"
#include "benchmarks/harness/timed_strategy.h"
#include "benchmarks/workloads/binary_trees.h"

namespace memstrat {
namespace {

TEST(PauseRecorder, CountsOverflowInsteadOfStoring) {
  auto r = std::make_unique<PauseRecorder>();
  const std::size_t n = PauseRecorder::kRawCapacity + 10;
  for (std::size_t i = 0; i < n; ++i) {
    r->record(PauseKind::kRelease, 0, PauseRecorder::kRawThresholdNs);
  }
  r->record(PauseKind::kRelease, 0, 1);  // below the threshold: histogram only
  EXPECT_EQ(r->raw_count(), PauseRecorder::kRawCapacity);
  EXPECT_EQ(r->overflow(), 10u);
  EXPECT_EQ(r->histogram(PauseKind::kRelease).count(), n + 1);
}

TEST(TimedStrategy, OneReleaseIsOnePauseCascadeIncluded) {
  auto r = std::make_unique<PauseRecorder>();
  Timed<StrategyFor<Manual, BinaryTrees>> s(*r);
  const std::int64_t args[] = {6};
  BinaryTrees::run(s, BinaryTrees::params(args));
  // binary_trees depth 6 releases 1 stretch tree, 2*127/31 + 2 = 10 short
  // trees and the long-lived one, each with one top-level release.
  EXPECT_EQ(r->histogram(PauseKind::kRelease).count(), 1u + 8u + 2u + 1u);
  EXPECT_EQ(r->histogram(PauseKind::kEpochEnd).count(),
            r->histogram(PauseKind::kRelease).count());
}

TEST(TimedStrategy, ABulkReleaseIsOnePause) {
  auto r = std::make_unique<PauseRecorder>();
  Timed<Raii> s(*r);
  std::vector<Raii::Owner<int>> objects;
  for (int i = 0; i < 100; ++i) objects.push_back(s.make<int>(i));
  {
    const BulkRelease drop(s);
    for (auto& o : objects) s.release(o);
  }
  s.release(objects[0]);  // outside the scope: its own pause
  EXPECT_EQ(r->histogram(PauseKind::kRelease).count(), 2u);
}

#ifndef MEMSTRAT_SANITIZED
TEST(PauseRecorder, GcPausesAgreeWithBdwgcsOwnAccounting) {
  auto r = std::make_unique<PauseRecorder>();
  GC_start_performance_measurement();
  StrategyFor<Gc, BinaryTrees> gc;
  const std::int64_t args[] = {16};
  const auto params = BinaryTrees::params(args);
  BinaryTrees::run(gc, params);  // warm-up: heap grows to steady state
  const auto collections = GC_get_gc_no();
  const auto bdwgc_ms = static_cast<std::int64_t>(GC_get_full_gc_total_time());
  gc.start_pause_source(*r);
  for (int i = 0; i < 3; ++i) BinaryTrees::run(gc, params);
  gc.stop_pause_source();
  const auto n = GC_get_gc_no() - collections;
  const double ours_ms = r->histogram(PauseKind::kGcStopWorld).total() / 1e6;
  const auto theirs_ms = static_cast<double>(
      static_cast<std::int64_t>(GC_get_full_gc_total_time()) - bdwgc_ms);
  ASSERT_GT(n, 0u);
  EXPECT_EQ(r->histogram(PauseKind::kGcStopWorld).count(), n);
  // bdwgc counts whole milliseconds per collection (each rounds down) and
  // starts its clock a little before stopping the world.
  EXPECT_NEAR(ours_ms, theirs_ms,
              1.0 * static_cast<double>(n) + 0.15 * theirs_ms)
      << n << " collections";
}
#endif

}  // namespace
}  // namespace memstrat
