// Process memory as the kernel sees it: current and peak RSS from
// /proc/self/status, a way to reset the peak (so one benchmark's peak is not
// an earlier one's), and MemorySampler, a background thread that records
// RSS and the strategy's own figure (GC heap, arena bytes in use) at a fixed
// period into memory allocated up front.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <thread>
#include <vector>

namespace memstrat {

struct RssReading {
  std::size_t rss_bytes = 0;   // VmRSS
  std::size_t peak_bytes = 0;  // VmHWM: peak since start or the last reset
};

/// Reads VmRSS and VmHWM; zeros if /proc is unavailable.
RssReading read_rss();

/// Resets VmHWM to the current RSS by writing 5 to /proc/self/clear_refs.
/// Returns false if the kernel refused (then peaks include earlier work).
bool reset_peak_rss();

class MemorySampler {
 public:
  struct Sample {
    std::int64_t t_ns;      // since start()
    std::size_t rss_bytes;  // VmRSS
    double strategy_bytes;  // from the probe given to start(); -1 if none
  };

  /// Samples kept; at 10 ms that is 27 minutes. Raising it costs 24 bytes
  /// per sample up front.
  static constexpr std::size_t kCapacity = 1 << 17;

  MemorySampler();
  ~MemorySampler();
  MemorySampler(const MemorySampler&) = delete;
  MemorySampler& operator=(const MemorySampler&) = delete;

  /// Starts sampling every period_ms. `strategy_bytes`, if set, must be safe
  /// to call from the sampler thread.
  void start(int period_ms, std::function<double()> strategy_bytes);
  /// Stops and joins the thread; samples stay readable.
  void stop();

  std::size_t size() const noexcept { return size_; }
  const Sample& operator[](std::size_t i) const noexcept { return samples_[i]; }
  std::uint64_t overflow() const noexcept { return overflow_; }

 private:
  void loop(int period_ms);

  std::vector<Sample> samples_;  // reserved to kCapacity before the thread
  std::size_t size_ = 0;         // written by the thread, read after join
  std::uint64_t overflow_ = 0;
  std::function<double()> strategy_bytes_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  int statm_fd_ = -1;
};

}  // namespace memstrat
