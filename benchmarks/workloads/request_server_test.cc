// request_server: the observer sees every request and nothing else, and
// observing does not change the work.
#include "benchmarks/workloads/request_server.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>

#include "allocators/all.h"
#include "tests/test_support.h"

namespace memstrat::testing {
namespace {

// Checks that begin and end alternate, and counts the requests.
struct CountingObserver {
  std::int64_t begun = 0;
  std::int64_t ended = 0;
  bool nested = false;

  void request_begin() {
    nested |= begun != ended;
    ++begun;
  }
  void request_end() {
    nested |= begun != ended + 1;
    ++ended;
  }
  void unit_done() {}
};

TEST(RequestServer, ObserverSeesEachRequestOnce) {
  const std::int64_t args[] = {37, 5};
  const auto params = RequestServer::params(args);
  for_each_type<TestedStrategies>([&]<class S>() {
    SCOPED_TRACE(std::string(S::kName));
    CountingObserver observer;
    StrategyFor<S, RequestServer> observed;
    const std::uint64_t with = RequestServer::run(observed, params, observer);
    StrategyFor<S, RequestServer> plain;
    EXPECT_EQ(with, RequestServer::run(plain, params));
    EXPECT_EQ(observer.begun, 37);
    EXPECT_EQ(observer.ended, 37);
    EXPECT_FALSE(observer.nested);
  });
}

TEST(RequestServer, SameChecksumWithOneSession) {
  const std::int64_t args[] = {200, 1};
  const auto params = RequestServer::params(args);
  const WorkloadRun reference = run_counted<RequestServer, Baseline>(params);
  for_each_type<TestedStrategies>([&]<class S>() {
    SCOPED_TRACE(std::string(S::kName));
    const WorkloadRun run = run_counted<RequestServer, S>(params);
    EXPECT_EQ(run.checksum, reference.checksum);
    EXPECT_EQ(run.counters.allocations, reference.counters.allocations);
  });
}

TEST(RequestServer, RejectsParamsOutOfRange) {
  for (const auto& [requests, sessions] :
       {std::pair<std::int64_t, std::int64_t>{0, 1},
        {1, 0},
        {-1, 10},
        {100'000'001, 10},
        {10, 10'000'001}}) {
    const std::int64_t args[] = {requests, sessions};
    EXPECT_THROW(RequestServer::params(args), std::invalid_argument);
  }
}

}  // namespace
}  // namespace memstrat::testing
