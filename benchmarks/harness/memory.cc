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
  r.pss_bytes = read_pss();
  return r;
}

std::optional<std::size_t> parse_pss(std::string_view text) {
  // "Pss:" exactly: Pss_Anon, Pss_File, Pss_Dirty and SwapPss are parts.
  for (std::size_t at = 0; at < text.size();) {
    std::size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(at, end - at);
    at = end + 1;
    if (line.substr(0, 4) != "Pss:") continue;
    line.remove_prefix(4);
    while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    std::size_t kb = 0;
    std::size_t digits = 0;
    for (; digits < line.size() && line[digits] >= '0' && line[digits] <= '9';
         ++digits) {
      kb = kb * 10 + static_cast<std::size_t>(line[digits] - '0');
    }
    if (digits == 0 || line.substr(digits) != " kB") return std::nullopt;
    return kb * 1024;
  }
  return std::nullopt;
}

std::optional<std::size_t> read_pss() {
  // The kernel sums every mapping at each read: it costs a walk of the
  // address space, so it is read at the probe's two readings only, not by
  // the sampler.
  const int fd = open("/proc/self/smaps_rollup", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  char buf[4096];
  std::size_t used = 0;
  for (ssize_t got; used < sizeof buf &&
                    (got = read(fd, buf + used, sizeof buf - used)) > 0;) {
    used += static_cast<std::size_t>(got);
  }
  close(fd);
  return parse_pss(std::string_view(buf, used));
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
