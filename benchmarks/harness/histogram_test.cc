// LogLinearHistogram: buckets tile the value range without gaps, quantiles
// are within the promised relative error, and the summary figures are exact.
#include "benchmarks/harness/histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <random>
#include <vector>

namespace memstrat {
namespace {

using H = LogLinearHistogram;

TEST(LogLinearHistogram, BucketsTileTheRange) {
  for (std::size_t b = 0; b + 1 < H::kBuckets; ++b) {
    EXPECT_EQ(H::bucket_high(b) + 1, H::bucket_low(b + 1)) << "bucket " << b;
    EXPECT_EQ(H::bucket_of(H::bucket_low(b)), b);
    EXPECT_EQ(H::bucket_of(H::bucket_high(b)), b);
  }
}

TEST(LogLinearHistogram, BucketWidthIsWithinTheRelativeError) {
  for (std::size_t b = 0; b < H::kBuckets; ++b) {
    const double low = static_cast<double>(H::bucket_low(b));
    const double width =
        static_cast<double>(H::bucket_high(b) - H::bucket_low(b));
    if (low > 0) {
      EXPECT_LE(width / low, 1.0 / 128) << "bucket " << b;
    }
  }
}

TEST(LogLinearHistogram, QuantilesMatchSortedValuesWithinOnePercent) {
  auto h = std::make_unique<H>();
  std::mt19937_64 rng(7);
  std::lognormal_distribution<double> dist(10.0, 2.0);  // ns: ~20 us median
  std::vector<std::int64_t> values;
  for (int i = 0; i < 100000; ++i) {
    values.push_back(static_cast<std::int64_t>(dist(rng)));
    h->record(values.back());
  }
  std::sort(values.begin(), values.end());
  for (double q : {0.5, 0.9, 0.99, 0.999}) {
    const auto rank =
        static_cast<std::size_t>(std::ceil(q * values.size())) - 1;
    const double exact = static_cast<double>(values[rank]);
    const double got = static_cast<double>(h->quantile(q));
    EXPECT_NEAR(got, exact, exact / 100 + 1) << "q=" << q;
  }
  EXPECT_EQ(h->count(), values.size());
  EXPECT_EQ(h->max(), values.back());
  EXPECT_EQ(h->min(), values.front());
  EXPECT_EQ(h->quantile(1.0), values.back());
}

TEST(LogLinearHistogram, SingleWriterRecordingMatchesRecord) {
  auto a = std::make_unique<H>();
  auto b = std::make_unique<H>();
  for (std::int64_t v : {0, 5, 130, 99999, 7, 1 << 30}) {
    a->record(v);
    b->record_single_writer(v);
  }
  EXPECT_EQ(a->count(), b->count());
  EXPECT_EQ(a->total(), b->total());
  EXPECT_EQ(a->min(), b->min());
  EXPECT_EQ(a->max(), b->max());
  for (double q : {0.1, 0.5, 0.9}) EXPECT_EQ(a->quantile(q), b->quantile(q));
}

TEST(LogLinearHistogram, EmptyAndHugeValues) {
  auto h = std::make_unique<H>();
  EXPECT_EQ(h->quantile(0.5), 0);
  EXPECT_EQ(h->min(), 0);
  h->record(std::int64_t{1} << 50);  // beyond the last bucket: clamped
  h->record(-5);                     // negative durations count as 0
  EXPECT_EQ(h->count(), 2u);
  EXPECT_EQ(h->max(), std::int64_t{1} << 50);
  EXPECT_EQ(h->quantile(1.0), std::int64_t{1} << 50);
  h->reset();
  EXPECT_EQ(h->count(), 0u);
}

}  // namespace
}  // namespace memstrat
