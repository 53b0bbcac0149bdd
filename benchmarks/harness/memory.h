// Process memory as the kernel sees it: current and peak RSS from
// /proc/self/status, proportional set size from /proc/self/smaps_rollup, a way
// to reset the peak (so one benchmark's peak is not an earlier one's), and
// MemorySampler, which records RSS and the strategy's own figure (GC heap,
// arena bytes in use) at a fixed period into memory allocated up front.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>

namespace memstrat {

struct RssReading {
  std::size_t rss_bytes = 0;   // VmRSS
  std::size_t peak_bytes = 0;  // VmHWM: peak since start or the last reset
  // Pss: each page divided by the processes sharing it, so that a runtime
  // mapping memory twice, or shared libraries, do not count in full. Empty
  // when smaps_rollup is unreadable (kernels before 4.14, no /proc).
  std::optional<std::size_t> pss_bytes;
};

/// Reads VmRSS and VmHWM (zeros if /proc is unavailable) and Pss.
RssReading read_rss();

/// The Pss line of an smaps_rollup text, in bytes; empty if there is none.
std::optional<std::size_t> parse_pss(std::string_view smaps_rollup);

/// Pss of this process from /proc/self/smaps_rollup; empty if unreadable.
std::optional<std::size_t> read_pss();

/// Resets VmHWM to the current RSS by writing 5 to /proc/self/clear_refs.
/// Returns false if the kernel refused (then peaks include earlier work).
bool reset_peak_rss();

// Samples from a POSIX timer's signal handler, not from a thread: a second
// thread would switch glibc's malloc out of its single-threaded fast path for
// the rest of the process, which made manual's binary_trees 11% slower when
// it was tried. The handler reads /proc/self/statm and calls the strategy's
// probe; both must be async-signal-safe (no locks, no allocation). One
// sampler runs at a time.
class MemorySampler {
 public:
  struct Sample {
    std::int64_t t_ns;      // since start()
    std::size_t rss_bytes;  // VmRSS
    double strategy_bytes;  // from the probe given to start(); -1 if none
  };

  /// Samples kept; at 10 ms that is 21 minutes. Raising it costs 24 bytes
  /// per sample up front.
  static constexpr std::size_t kCapacity = 1 << 17;

  MemorySampler();
  ~MemorySampler();
  MemorySampler(const MemorySampler&) = delete;
  MemorySampler& operator=(const MemorySampler&) = delete;

  /// Starts sampling every period_ms. `strategy_bytes`, if set, runs in a
  /// signal handler: it must be async-signal-safe. Returns false (and
  /// samples nothing) if the timer cannot be created.
  bool start(int period_ms, std::function<double()> strategy_bytes);
  /// Stops; samples stay readable.
  void stop();

  std::size_t size() const noexcept;
  const Sample& operator[](std::size_t i) const noexcept { return samples_[i]; }
  std::uint64_t overflow() const noexcept {
    return overflow_.load(std::memory_order_relaxed);
  }

  // The signal handler's entry point; not for callers.
  void on_tick() noexcept;

 private:
  std::unique_ptr<Sample[]> samples_;
  std::atomic<std::size_t> next_{0};
  std::atomic<std::uint64_t> overflow_{0};
  std::function<double()> strategy_bytes_;
  std::int64_t t0_ = 0;
  long page_ = 4096;
  int statm_fd_ = -1;
  void* timer_ = nullptr;  // timer_t, kept opaque here
  bool running_ = false;
};

}  // namespace memstrat
