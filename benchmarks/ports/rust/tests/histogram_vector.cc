// The C++ LogLinearHistogram's answers for the Rust port's test vector
// (src/probe/histogram.rs, test `matches_the_cpp_vector`): bucket_of, low,
// high of fixed values, and count, total, min, max and quantiles of those
// values plus 10,000 xorshift ones. Not built by anything; run by hand from
// the repository root:
//   g++ -std=c++20 -O2 -I. benchmarks/ports/rust/tests/histogram_vector.cc \
//       benchmarks/harness/histogram.cc -o /tmp/hv && /tmp/hv
#include <cstdio>
#include <cstdint>
#include <memory>
#include "benchmarks/harness/histogram.h"
using memstrat::LogLinearHistogram;
int main() {
  const std::int64_t fixed[] = {0, 1, 5, 127, 128, 129, 130, 255, 256, 257, 383, 384, 1000, 4095, 4096, 12345, 99999,
                                 1 << 20, (1 << 20) + 1, 123456789, std::int64_t{1} << 40, (std::int64_t{1} << 41) + 5, -5};
  std::printf("bucket_of/low/high:\n");
  for (auto v : fixed) {
    auto b = LogLinearHistogram::bucket_of(v);
    std::printf("(%lld, %zu, %lld, %lld),\n", (long long)v, b, (long long)LogLinearHistogram::bucket_low(b), (long long)LogLinearHistogram::bucket_high(b));
  }
  auto h = std::make_unique<LogLinearHistogram>();
  for (auto v : fixed) h->record(v);
  std::uint64_t x = 0x9e3779b97f4a7c15ULL;
  for (int i = 0; i < 10000; ++i) {
    x ^= x << 13; x ^= x >> 7; x ^= x << 17;
    const int shift = static_cast<int>(x % 31);  // magnitudes 1 ns .. 2^30 ns
    h->record(static_cast<std::int64_t>((x >> 20) & ((std::uint64_t{1} << shift) - 1)) + 1);
  }
  std::printf("count %llu total %lld min %lld max %lld\n", (unsigned long long)h->count(), (long long)h->total(), (long long)h->min(), (long long)h->max());
  const double qs[] = {0.0, 0.001, 0.1, 0.25, 0.5, 0.9, 0.99, 0.999, 0.9999, 1.0};
  for (double q : qs) std::printf("(%g, %lld),\n", q, (long long)h->quantile(q));
}
