// RSS readings and the background memory sampler (see memory.h).
#include "benchmarks/harness/memory.h"

#include <fcntl.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
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

namespace {

// The sampler the handler feeds, and how many handlers are running, so
// stop() can wait for a handler still using the sampler.
std::atomic<MemorySampler*> active_sampler{nullptr};
std::atomic<int> handlers_running{0};

void on_sampler_signal(int) {
  const int saved_errno = errno;
  handlers_running.fetch_add(1, std::memory_order_acquire);
  if (MemorySampler* s = active_sampler.load(std::memory_order_acquire)) {
    s->on_tick();
  }
  handlers_running.fetch_sub(1, std::memory_order_release);
  errno = saved_errno;
}

// The second field of /proc/self/statm (resident pages), without sscanf,
// which is not async-signal-safe.
std::size_t resident_pages(const char* p, const char* end) {
  while (p < end && *p != ' ') ++p;  // skip the first field
  while (p < end && *p == ' ') ++p;
  std::size_t v = 0;
  for (; p < end && *p >= '0' && *p <= '9'; ++p) v = v * 10 + (*p - '0');
  return v;
}

int sampler_signal() { return SIGRTMIN + 4; }

}  // namespace

MemorySampler::MemorySampler()
    : samples_(new Sample[kCapacity]), page_(sysconf(_SC_PAGESIZE)) {
  statm_fd_ = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
}

MemorySampler::~MemorySampler() {
  stop();
  if (statm_fd_ >= 0) close(statm_fd_);
}

bool MemorySampler::start(int period_ms,
                          std::function<double()> strategy_bytes) {
  stop();
  next_.store(0, std::memory_order_relaxed);
  overflow_.store(0, std::memory_order_relaxed);
  strategy_bytes_ = std::move(strategy_bytes);

  struct sigaction sa {};
  sa.sa_handler = on_sampler_signal;
  sa.sa_flags = SA_RESTART;  // interrupted system calls resume
  sigemptyset(&sa.sa_mask);
  if (sigaction(sampler_signal(), &sa, nullptr) != 0) return false;

  sigevent ev{};
  ev.sigev_notify = SIGEV_SIGNAL;
  ev.sigev_signo = sampler_signal();
  timer_t timer;
  if (timer_create(CLOCK_MONOTONIC, &ev, &timer) != 0) return false;
  timer_ = new timer_t(timer);
  t0_ = now_ns();
  active_sampler.store(this, std::memory_order_release);
  itimerspec spec{};
  spec.it_value.tv_nsec = 1;  // a first sample right away
  spec.it_interval.tv_sec = period_ms / 1000;
  spec.it_interval.tv_nsec = static_cast<long>(period_ms % 1000) * 1'000'000;
  timer_settime(timer, 0, &spec, nullptr);
  running_ = true;
  return true;
}

void MemorySampler::stop() {
  if (!running_) return;
  auto* timer = static_cast<timer_t*>(timer_);
  timer_delete(*timer);
  delete timer;
  timer_ = nullptr;
  active_sampler.store(nullptr, std::memory_order_release);
  while (handlers_running.load(std::memory_order_acquire) != 0) {
  }
  running_ = false;
}

std::size_t MemorySampler::size() const noexcept {
  return std::min(next_.load(std::memory_order_acquire), kCapacity);
}

void MemorySampler::on_tick() noexcept {
  const std::size_t i = next_.fetch_add(1, std::memory_order_relaxed);
  if (i >= kCapacity) {
    next_.store(kCapacity, std::memory_order_relaxed);
    overflow_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  std::size_t rss = 0;
  if (statm_fd_ >= 0) {
    char buf[128];
    const ssize_t n = pread(statm_fd_, buf, sizeof buf, 0);
    if (n > 0)
      rss = resident_pages(buf, buf + n) * static_cast<std::size_t>(page_);
  }
  const double sb = strategy_bytes_ ? strategy_bytes_() : -1.0;
  samples_[i] = {now_ns() - t0_, rss, sb};
}

}  // namespace memstrat
