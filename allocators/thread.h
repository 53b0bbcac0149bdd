// StrategyThread: a std::thread for multi-threaded workloads. It makes the
// thread known to the strategy for its lifetime (S::ThreadGuard: bdwgc must
// scan its stack) and, on join(), adds the allocations and frees it counted
// to the joining thread's counters, so a workload's totals do not depend on
// which thread freed what.
#pragma once

#include <thread>
#include <utility>

#include "allocators/counters.h"
#include "allocators/strategy.h"

namespace memstrat {

template <MemoryStrategy S>
class StrategyThread {
 public:
  template <class F>
  explicit StrategyThread(F&& body)
      : thread_([this, body = std::forward<F>(body)]() mutable {
          const AllocCounters before = thread_counters();
          {
            if constexpr (requires { typename S::ThreadGuard; }) {
              typename S::ThreadGuard guard;
              body();
            } else {
              body();
            }
          }
          counted_ = thread_counters() - before;
        }) {}

  StrategyThread(const StrategyThread&) = delete;
  StrategyThread& operator=(const StrategyThread&) = delete;
  ~StrategyThread() {
    if (thread_.joinable()) join();
  }

  void join() {
    thread_.join();
    detail::tls_counters += counted_;
  }

 private:
  AllocCounters counted_;
  std::thread thread_;  // last: starts after counted_ exists
};

}  // namespace memstrat
