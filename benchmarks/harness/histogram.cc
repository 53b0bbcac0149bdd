// LogLinearHistogram's bucket arithmetic and quantiles (see histogram.h).
#include "benchmarks/harness/histogram.h"

#include <algorithm>
#include <cmath>

namespace memstrat {

std::size_t LogLinearHistogram::bucket_of(std::int64_t value) noexcept {
  const auto v = static_cast<std::uint64_t>(std::max<std::int64_t>(value, 0));
  constexpr std::uint64_t kSub = std::uint64_t{1} << kSubBits;
  if (v < kSub) return static_cast<std::size_t>(v);  // exact below 128
  const int exponent = std::bit_width(v) - 1;        // >= kSubBits
  if (exponent > kMaxExponent) return kBuckets - 1;
  const int shift = exponent - kSubBits;
  const std::uint64_t mantissa = v >> shift;  // in [kSub, 2 * kSub)
  return static_cast<std::size_t>((shift + 1) * kSub + (mantissa - kSub));
}

std::int64_t LogLinearHistogram::bucket_low(std::size_t bucket) noexcept {
  constexpr std::size_t kSub = std::size_t{1} << kSubBits;
  if (bucket < kSub) return static_cast<std::int64_t>(bucket);
  const std::size_t shift = bucket / kSub - 1;
  const std::size_t mantissa = bucket % kSub + kSub;
  return static_cast<std::int64_t>(mantissa << shift);
}

std::int64_t LogLinearHistogram::bucket_high(std::size_t bucket) noexcept {
  constexpr std::size_t kSub = std::size_t{1} << kSubBits;
  if (bucket < kSub) return static_cast<std::int64_t>(bucket);
  const std::size_t shift = bucket / kSub - 1;
  return bucket_low(bucket) + (std::int64_t{1} << shift) - 1;
}

void LogLinearHistogram::record(std::int64_t value) noexcept {
  value = std::max<std::int64_t>(value, 0);
  buckets_[bucket_of(value)].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  total_.fetch_add(value, std::memory_order_relaxed);
  std::int64_t seen = max_.load(std::memory_order_relaxed);
  while (value > seen &&
         !max_.compare_exchange_weak(seen, value, std::memory_order_relaxed)) {
  }
  seen = min_.load(std::memory_order_relaxed);
  while (value < seen &&
         !min_.compare_exchange_weak(seen, value, std::memory_order_relaxed)) {
  }
}

void LogLinearHistogram::record_single_writer(std::int64_t value) noexcept {
  constexpr auto kRelaxed = std::memory_order_relaxed;
  value = std::max<std::int64_t>(value, 0);
  auto& bucket = buckets_[bucket_of(value)];
  bucket.store(bucket.load(kRelaxed) + 1, kRelaxed);
  count_.store(count_.load(kRelaxed) + 1, kRelaxed);
  total_.store(total_.load(kRelaxed) + value, kRelaxed);
  if (value > max_.load(kRelaxed)) max_.store(value, kRelaxed);
  if (value < min_.load(kRelaxed)) min_.store(value, kRelaxed);
}

std::int64_t LogLinearHistogram::min() const noexcept {
  return count() == 0 ? 0 : min_.load(std::memory_order_relaxed);
}

std::int64_t LogLinearHistogram::quantile(double q) const noexcept {
  const std::uint64_t n = count();
  if (n == 0) return 0;
  if (q <= 0) return min();
  if (q >= 1) return max();
  const auto rank = std::max<std::uint64_t>(
      1, static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(n))));
  std::uint64_t seen = 0;
  for (std::size_t b = 0; b < kBuckets; ++b) {
    seen += buckets_[b].load(std::memory_order_relaxed);
    if (seen >= rank) {
      const std::int64_t mid =
          bucket_low(b) + (bucket_high(b) - bucket_low(b)) / 2;
      return std::clamp(mid, min(), max());
    }
  }
  return max();
}

void LogLinearHistogram::reset() noexcept {
  for (auto& b : buckets_) b.store(0, std::memory_order_relaxed);
  count_.store(0, std::memory_order_relaxed);
  total_.store(0, std::memory_order_relaxed);
  max_.store(0, std::memory_order_relaxed);
  min_.store(INT64_MAX, std::memory_order_relaxed);
}

}  // namespace memstrat
