// StallRecorder's threshold and stall list (see stalls.h).
#include "benchmarks/harness/stalls.h"

#include <algorithm>

namespace memstrat {

StallRecorder::StallRecorder(double ns_per_tick)
    : ns_per_tick_(ns_per_tick), raw_(new Stall[kRawCapacity]) {}

void StallRecorder::reset() noexcept {
  last_ = -1;
  gaps_.reset();
  raw_size_ = 0;
  overflow_ = 0;
}

std::int64_t StallRecorder::threshold_ns() const noexcept {
  return std::max(kFloorNs, kMedianFactor * gaps_.quantile(0.5));
}

std::vector<Stall> StallRecorder::stalls() const {
  const std::int64_t threshold = threshold_ns();
  std::vector<Stall> out;
  for (std::size_t i = 0; i < raw_size_; ++i) {
    if (raw_[i].duration_ns > threshold) out.push_back(raw_[i]);
  }
  return out;
}

}  // namespace memstrat
