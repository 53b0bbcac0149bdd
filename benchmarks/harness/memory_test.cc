// Peak RSS can be reset between benchmarks, Pss is read from smaps_rollup
// (its own line, not a part's), and the sampler records at its period and
// stops promptly.
#include "benchmarks/harness/memory.h"

#include <gtest/gtest.h>
#include <sys/mman.h>

#include <chrono>
#include <cstring>
#include <optional>
#include <string_view>
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

TEST(Pss, ParsesThePssLineOnly) {
  constexpr std::string_view kRollup =
      "560421c54000-7ffe2cb52000 ---p 00000000 00:00 0   [rollup]\n"
      "Rss:                1728 kB\n"
      "Pss_Dirty:           112 kB\n"
      "Pss:                 203 kB\n"
      "Pss_Anon:            112 kB\n"
      "SwapPss:               0 kB\n";
  EXPECT_EQ(parse_pss(kRollup), std::optional<std::size_t>(203 * 1024));
  EXPECT_EQ(parse_pss("Rss: 1728 kB\nPss_Anon: 112 kB\n"), std::nullopt);
  EXPECT_EQ(parse_pss(""), std::nullopt);
  EXPECT_EQ(parse_pss("Pss: lots\n"), std::nullopt);
}

TEST(Pss, CountsPrivatePagesInFull) {
  const std::optional<std::size_t> before = read_pss();
  if (!before) GTEST_SKIP() << "/proc/self/smaps_rollup is not readable";
  EXPECT_GT(*before, 0u);
  constexpr std::size_t kBytes = 64 << 20;
  void* p = mmap(nullptr, kBytes, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(p, MAP_FAILED);
  std::memset(p, 1, kBytes);  // private, touched: every page is this process's
  const RssReading during = read_rss();
  munmap(p, kBytes);
  ASSERT_TRUE(during.pss_bytes.has_value()) << "read_rss reads Pss too";
  EXPECT_GE(*during.pss_bytes, *before + kBytes - (1 << 20));
  const std::optional<std::size_t> after = read_pss();
  ASSERT_TRUE(after.has_value());
  EXPECT_LT(*after + kBytes / 2, *during.pss_bytes) << "and falls when freed";
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
