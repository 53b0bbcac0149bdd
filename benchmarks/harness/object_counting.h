// ObjectCounting<S>: strategy S with every make<T> call counted, objects and
// sizeof(T) bytes. The allocation counters (counters.h) count objects and
// container buffers together; a port is compared with C++ on objects alone
// (one per make<T> call of docs/workloads.md), since languages grow their
// containers differently. Used only where the timed loop is not: the probe
// (Timed<S> derives from it) and the test vectors. In the timed loop a
// second counter per make would bend the arena's timings (see LocalCounters
// in counters.h).
//
// The counts are plain members, not thread-local or atomic: every workload
// makes its objects on the thread that runs it (producer_consumer's consumer
// only releases), so one writer suffices.
#pragma once

#include <cstdint>
#include <utility>

#include "allocators/strategy.h"

namespace memstrat {

/// What the make<T> calls of a run requested.
struct ObjectCounts {
  std::uint64_t objects = 0;  // make<T> calls
  std::uint64_t bytes = 0;    // sum of their sizeof(T)

  friend ObjectCounts operator-(ObjectCounts a, const ObjectCounts& b) {
    a.objects -= b.objects;
    a.bytes -= b.bytes;
    return a;
  }
  friend bool operator==(const ObjectCounts&, const ObjectCounts&) = default;
};

template <MemoryStrategy S>
class ObjectCounting : public S {
 public:
  using S::S;

  // Hides S::make: workloads call s.template make<T>() on the type they are
  // given, so they reach this one. S's own calls (none today) would not.
  template <class T, class... Args>
  auto make(Args&&... args) {
    ++counts_.objects;
    counts_.bytes += sizeof(T);
    return S::template make<T>(std::forward<Args>(args)...);
  }

  const ObjectCounts& object_counts() const noexcept { return counts_; }

 private:
  ObjectCounts counts_;
};

}  // namespace memstrat
