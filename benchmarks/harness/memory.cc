// RSS readings and the background memory sampler (see memory.h).
#include "benchmarks/harness/memory.h"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "benchmarks/harness/clock.h"

namespace memstrat {

RssReading read_rss() {
  RssReading r;
  std::FILE* f = std::fopen("/proc/self/status", "r");
  if (f == nullptr) return r;
  char line[256];
  while (std::fgets(line, sizeof line, f) != nullptr) {
    unsigned long kb = 0;
    if (std::sscanf(line, "VmRSS: %lu kB", &kb) == 1) r.rss_bytes = kb * 1024;
    if (std::sscanf(line, "VmHWM: %lu kB", &kb) == 1) r.peak_bytes = kb * 1024;
  }
  std::fclose(f);
  return r;
}

bool reset_peak_rss() {
  const int fd = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = write(fd, "5", 1) == 1;
  close(fd);
  return ok;
}

MemorySampler::MemorySampler() {
  samples_.reserve(kCapacity);
  statm_fd_ = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
}

MemorySampler::~MemorySampler() {
  stop();
  if (statm_fd_ >= 0) close(statm_fd_);
}

void MemorySampler::start(int period_ms,
                          std::function<double()> strategy_bytes) {
  stop();
  samples_.clear();
  size_ = 0;
  overflow_ = 0;
  strategy_bytes_ = std::move(strategy_bytes);
  stop_.store(false, std::memory_order_relaxed);
  thread_ = std::thread([this, period_ms] { loop(period_ms); });
}

void MemorySampler::stop() {
  if (!thread_.joinable()) return;
  stop_.store(true, std::memory_order_relaxed);
  thread_.join();
  size_ = samples_.size();
}

void MemorySampler::loop(int period_ms) {
  const long page = sysconf(_SC_PAGESIZE);
  const std::int64_t t0 = now_ns();
  const std::int64_t period_ns = std::int64_t{period_ms} * 1'000'000;
  std::int64_t next = t0;
  // Sleep in slices of at most 1 ms so stop() returns promptly.
  while (!stop_.load(std::memory_order_relaxed)) {
    const std::int64_t now = now_ns();
    if (now < next) {
      const std::int64_t wait = std::min<std::int64_t>(next - now, 1'000'000);
      std::this_thread::sleep_for(std::chrono::nanoseconds(wait));
      continue;
    }
    next += period_ns;
    if (samples_.size() == kCapacity) {
      ++overflow_;
      continue;
    }
    char buf[128];
    std::size_t rss = 0;
    if (statm_fd_ >= 0) {
      const ssize_t n = pread(statm_fd_, buf, sizeof buf - 1, 0);
      if (n > 0) {
        buf[n] = '\0';
        unsigned long size_pages = 0, rss_pages = 0;
        if (std::sscanf(buf, "%lu %lu", &size_pages, &rss_pages) == 2) {
          rss = rss_pages * static_cast<std::size_t>(page);
        }
      }
    }
    const double sb = strategy_bytes_ ? strategy_bytes_() : -1.0;
    samples_.push_back({now - t0, rss, sb});
  }
}

}  // namespace memstrat
