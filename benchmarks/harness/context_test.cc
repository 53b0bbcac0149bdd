// The context names the compiler that built the binary, in the form a GCC
// and a clang build are told apart by (memstrat_compiler).
#include "benchmarks/harness/context.h"

#include <gtest/gtest.h>

#include <string>

namespace memstrat {
namespace {

TEST(Context, CompilerNameIsTheBuildingCompilersOwn) {
  // The harness and this test are built by the same compiler; its version
  // string begins with the version compiler_name() reports.
  const std::string name = compiler_name();
#if defined(__clang__)
  ASSERT_EQ(name.rfind("clang ", 0), 0u) << name;
  EXPECT_EQ(std::string(__clang_version__).rfind(name.substr(6), 0), 0u)
      << name << " vs " << __clang_version__;
#else
  ASSERT_EQ(name.rfind("gcc ", 0), 0u) << name;
  EXPECT_EQ(std::string(__VERSION__).rfind(name.substr(4), 0), 0u)
      << name << " vs " << __VERSION__;
#endif
}

}  // namespace
}  // namespace memstrat
