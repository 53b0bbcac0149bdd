// memstrat's flag parser: good flags are consumed, others left for Google
// Benchmark, bad values rejected with a one-line reason.
#include "benchmarks/harness/options.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace memstrat {
namespace {

struct Argv {
  explicit Argv(std::vector<std::string> a) : args(std::move(a)) {
    for (auto& s : args) ptrs.push_back(s.data());
    ptrs.push_back(nullptr);
    argc = static_cast<int>(args.size());
  }
  std::vector<std::string> args;
  std::vector<char*> ptrs;
  int argc;
};

TEST(Options, ConsumesItsFlagsAndKeepsTheRest) {
  Argv a({"bench", "--size=small", "--benchmark_filter=x", "--iterations=3",
          "--gc_max_heap_mb=64"});
  const Options o = parse_options(a.argc, a.ptrs.data());
  EXPECT_EQ(o.sizes, SizeSet::kSmall);
  EXPECT_EQ(o.iterations, 3);
  EXPECT_EQ(o.gc_max_heap_bytes, std::size_t{64} << 20);
  ASSERT_EQ(a.argc, 2);
  EXPECT_STREQ(a.ptrs[1], "--benchmark_filter=x");
  EXPECT_EQ(a.ptrs[2], nullptr);
}

TEST(Options, DefaultsToTheDefaultSize) {
  Argv a({"bench"});
  EXPECT_EQ(parse_options(a.argc, a.ptrs.data()).sizes, SizeSet::kDefault);
}

TEST(Options, RejectsBadValuesWithOneLine) {
  for (const char* bad :
       {"--size=huge", "--size", "--iterations=0", "--iterations=-4",
        "--iterations=3x", "--iterations=", "--gc_max_heap_mb=abc",
        "--benchmark_format=xml",
        "--benchmark_out_format=", "--benchmark_repetitions=0",
        "--benchmark_min_time=-1", "--benchmark_time_unit=days",
        "--benchmark_out=/nonexistent/dir/out.json"}) {
    Argv a({"bench", bad});
    try {
      parse_options(a.argc, a.ptrs.data());
      ADD_FAILURE() << bad << " was accepted";
    } catch (const UsageError& e) {
      EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace memstrat
