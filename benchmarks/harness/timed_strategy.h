// Timed<S>: strategy S with every top-level release() and end_epoch() timed
// into a PauseRecorder. Used only in the measurement run (--probe), never in
// the timed benchmark loop: two clock reads per release would bend the
// timings of workloads that release millions of small objects.
//
// It is S in every other respect (same Owner, Allocator, make, stats), so a
// workload instantiated on Timed<S> does exactly the work it does on S.
// Nested releases (manual's walk, raii's destructor cascade) are part of the
// top-level release that started them: a cascade is one pause. So are the
// releases inside a BulkRelease scope (a teardown loop): one pause in all.
// It also counts the objects made (ObjectCounting<S>), which the probe
// reports apart from container buffers.
#pragma once

#include "allocators/strategy.h"
#include "benchmarks/harness/clock.h"
#include "benchmarks/harness/object_counting.h"
#include "benchmarks/harness/pause_recorder.h"

namespace memstrat {

template <MemoryStrategy S>
class Timed : public ObjectCounting<S> {
 public:
  explicit Timed(PauseRecorder& recorder) : recorder_(&recorder) {}

  template <class P>
  void release(P& owner) {
    if (bulk_depth_ > 0) {  // part of a BulkRelease: timed as a whole
      S::release(owner);
      return;
    }
    const std::int64_t start = now_ns();
    S::release(owner);
    recorder_->record(PauseKind::kRelease, start, now_ns() - start);
  }

  void bulk_release_begin() noexcept {
    if (bulk_depth_++ == 0) bulk_start_ = now_ns();
  }
  void bulk_release_end() noexcept {
    if (--bulk_depth_ == 0) {
      recorder_->record(PauseKind::kRelease, bulk_start_,
                        now_ns() - bulk_start_);
    }
  }

  void end_epoch(const typename S::Epoch& mark) {
    const std::int64_t start = now_ns();
    S::end_epoch(mark);
    recorder_->record(PauseKind::kEpochEnd, start, now_ns() - start);
  }

 private:
  PauseRecorder* recorder_;
  int bulk_depth_ = 0;
  std::int64_t bulk_start_ = 0;
};

}  // namespace memstrat
