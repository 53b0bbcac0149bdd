// Peak RSS can be reset between benchmarks, and the sampler records at its
// period and stops promptly.
#include "benchmarks/harness/memory.h"

#include <gtest/gtest.h>
#include <sys/mman.h>

#include <chrono>
#include <cstring>
#include <thread>

namespace memstrat {
namespace {

TEST(PeakRss, ResetForgetsAnEarlierPeak) {
  constexpr std::size_t kBytes = 128 << 20;
  void* p = mmap(nullptr, kBytes, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(p, MAP_FAILED);
  std::memset(p, 1, kBytes);  // touch it: RSS and the peak rise
  const RssReading during = read_rss();
  munmap(p, kBytes);
  const RssReading after_free = read_rss();
  // The kernel folds per-thread RSS counts in lazily: allow 1 MiB of lag.
  EXPECT_GE(after_free.peak_bytes + (1 << 20), during.rss_bytes)
      << "VmHWM keeps the peak";
  if (!reset_peak_rss())
    GTEST_SKIP() << "/proc/self/clear_refs is not writable";
  const RssReading after_reset = read_rss();
  EXPECT_LT(after_reset.peak_bytes + kBytes / 2, during.peak_bytes)
      << "after the reset the peak is today's RSS, not the earlier 128 MiB";
}

TEST(MemorySampler, SamplesAtItsPeriodAndStops) {
  MemorySampler sampler;
  sampler.start(5, [] { return 42.0; });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const auto t0 = std::chrono::steady_clock::now();
  sampler.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0,
            std::chrono::milliseconds(50));
  ASSERT_GE(sampler.size(), 5u);
  EXPECT_LE(sampler.size(), 25u);
  for (std::size_t i = 0; i < sampler.size(); ++i) {
    EXPECT_GT(sampler[i].rss_bytes, 0u);
    EXPECT_EQ(sampler[i].strategy_bytes, 42.0);
    if (i > 0) {
      EXPECT_GT(sampler[i].t_ns, sampler[i - 1].t_ns);
    }
  }
}

}  // namespace
}  // namespace memstrat
