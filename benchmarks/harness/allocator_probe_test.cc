// The allocator probe names the malloc this (system-allocator) test process
// runs on. The mimalloc binary checks itself at start-up; its smoke test
// covers that side.
#include "benchmarks/harness/allocator_probe.h"

#include <gtest/gtest.h>

namespace memstrat {
namespace {

TEST(AllocatorProbe, FindsGlibcInASystemAllocatorProcess) {
#ifdef MEMSTRAT_SANITIZED
  GTEST_SKIP() << "sanitizer runtimes interpose malloc";
#endif
  const AllocatorInfo info = probe_allocator();
  EXPECT_EQ(info.name, "glibc");
  EXPECT_TRUE(info.verified);
  EXPECT_FALSE(info.version.empty());
  EXPECT_NE(info.library.find("libc.so"), std::string::npos);
}

}  // namespace
}  // namespace memstrat
