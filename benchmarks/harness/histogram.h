// LogLinearHistogram: counts of non-negative integer values (nanoseconds)
// in buckets whose width grows with the value, so any recorded value is
// reported within 1/128 (0.8%) of itself, from 1 ns to about 18 minutes, in
// a fixed 35 KiB. Recording is wait-free (relaxed atomic adds) and allocates
// nothing, so pause events from several threads can share one histogram.
#pragma once

#include <array>
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>

namespace memstrat {

class LogLinearHistogram {
 public:
  /// Sub-buckets per power of two: 2^7 = 128 gives < 0.8% relative error.
  /// Raising it by one halves the error and doubles the memory.
  static constexpr int kSubBits = 7;
  /// Largest power of two covered (2^40 ns = 18 minutes); larger values are
  /// clamped into the last bucket and counted in max() exactly.
  static constexpr int kMaxExponent = 40;
  static constexpr std::size_t kBuckets = (kMaxExponent - kSubBits + 2)
                                          << kSubBits;

  void record(std::int64_t value) noexcept;
  /// record() for a histogram only one thread writes (readers may still read
  /// concurrently): plain loads and stores, no locked instructions, about
  /// 5 ns instead of 30. The latency recorder's per-request path uses it.
  void record_single_writer(std::int64_t value) noexcept;

  std::uint64_t count() const noexcept {
    return count_.load(std::memory_order_relaxed);
  }
  std::int64_t total() const noexcept {
    return total_.load(std::memory_order_relaxed);
  }
  std::int64_t max() const noexcept {
    return max_.load(std::memory_order_relaxed);
  }
  std::int64_t min() const noexcept;
  /// The value at quantile q in [0, 1]: the midpoint of the bucket holding
  /// the ceil(q * count)-th smallest value, clamped to [min, max]; exactly
  /// min() and max() at 0 and 1; 0 if empty.
  std::int64_t quantile(double q) const noexcept;

  void reset() noexcept;

  static std::size_t bucket_of(std::int64_t value) noexcept;
  static std::int64_t bucket_low(std::size_t bucket) noexcept;
  static std::int64_t bucket_high(std::size_t bucket) noexcept;

 private:
  std::array<std::atomic<std::uint64_t>, kBuckets> buckets_{};
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::int64_t> total_{0};
  std::atomic<std::int64_t> max_{0};
  std::atomic<std::int64_t> min_{INT64_MAX};
};

}  // namespace memstrat
