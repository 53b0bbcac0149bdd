// The allocator probe names the malloc this (system-allocator) test process
// runs on, and is not fooled by an allocator library that is loaded but
// serves nothing; the refusal names what it saw. Each allocator binary checks
// itself at start-up: its smoke test and the refusal tests under LD_PRELOAD
// (benchmarks/CMakeLists.txt, refuses.*) cover that side.
#include "benchmarks/harness/allocator_probe.h"

#include <dlfcn.h>
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
  EXPECT_NE(info.new_library.find("libstdc++"), std::string::npos);
  EXPECT_EQ(info.checker, "");
  EXPECT_EQ(allocator_mismatch(info, "glibc"), "");
}

// tcmalloc loaded with dlopen comes after libc in the lookup order: its
// malloc serves nothing, and the probe must not take its word for the heap.
// (jemalloc cannot be dlopen'ed at all: its initial-exec TLS does not fit
// the static TLS block left after start-up.)
TEST(AllocatorProbe, IgnoresAnAllocatorThatIsLoadedButServesNothing) {
#ifdef MEMSTRAT_SANITIZED
  GTEST_SKIP() << "sanitizer runtimes interpose malloc";
#endif
  void* tcmalloc = dlopen("libtcmalloc_minimal.so.4", RTLD_NOW | RTLD_GLOBAL);
  if (tcmalloc == nullptr) GTEST_SKIP() << dlerror();
  const AllocatorInfo info = probe_allocator();
  EXPECT_EQ(info.name, "glibc");
  EXPECT_TRUE(info.verified);
  EXPECT_EQ(allocator_mismatch(info, "glibc"), "");
  // Left loaded: unloading an allocator whose constructors have run is not
  // something it promises to survive.
}

TEST(AllocatorMismatch, NamesTheLibraryThatServesMalloc) {
  AllocatorInfo found;
  found.name = "tcmalloc";
  found.library = "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4";
  found.new_library = found.library;
  found.verified = true;
  const std::string why = allocator_mismatch(found, "jemalloc");
  EXPECT_NE(why.find("built to run on jemalloc"), std::string::npos) << why;
  EXPECT_NE(why.find(found.library), std::string::npos) << why;
  EXPECT_NE(why.find("LD_PRELOAD"), std::string::npos) << why;
  EXPECT_EQ(why.find('\n'), std::string::npos) << "one line";
  EXPECT_EQ(allocator_mismatch(found, "tcmalloc"), "");
}

TEST(AllocatorMismatch, RefusesAnUnverifiedMatch) {
  AllocatorInfo found;
  found.name = "jemalloc";
  found.library = "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2";
  found.new_library = found.library;
  EXPECT_NE(allocator_mismatch(found, "jemalloc").find("probe allocation"),
            std::string::npos);
  // operator new replaced on its own: the refusal says by which library.
  found.new_library = "/tmp/libshim.so";
  EXPECT_NE(allocator_mismatch(found, "jemalloc")
                .find("operator new comes from /tmp/libshim.so"),
            std::string::npos);
}

TEST(AllocatorMismatch, LetsACheckerRun) {
  AllocatorInfo found;
  found.name = "glibc";
  found.library = "/lib/x86_64-linux-gnu/libc.so.6";
  found.checker = "valgrind";
  EXPECT_EQ(allocator_mismatch(found, "glibc"), "");
  found.name = "asan";
  found.checker = "asan";
  EXPECT_EQ(allocator_mismatch(found, "glibc"), "");
}

TEST(AllocatorMismatch, NamesAMissingLibrary) {
  AllocatorInfo found;
  found.name = "unknown";
  EXPECT_NE(allocator_mismatch(found, "mimalloc")
                .find("no library the dynamic linker knows"),
            std::string::npos);
}

}  // namespace
}  // namespace memstrat
