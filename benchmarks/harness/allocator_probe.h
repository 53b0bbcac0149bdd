// Finds out which malloc this process really runs on. The allocator is a
// property of the process (Debian's mimalloc, jemalloc and tcmalloc each
// replace malloc for the whole process once linked, and LD_PRELOAD can swap
// in any other), so the harness asks the dynamic linker rather than trusting
// how the binary was built.
#pragma once

#include <string>

namespace memstrat {

struct AllocatorInfo {
  // "glibc", "mimalloc", "jemalloc", "tcmalloc", or another library's name
  // without lib and .so ("asan" for libasan.so.8); "unknown" if no library
  // could be found for malloc.
  std::string name;
  std::string library;  // path of the shared object that provides malloc
  // Path of the shared object that provides operator new: libstdc++ (whose
  // new calls malloc) or the allocator's own library.
  std::string new_library;
  std::string version;  // e.g. "2.36" for glibc, "5.3.0" for jemalloc
  // A live malloc and a live operator new were both confirmed as served by
  // the identified allocator, through that allocator's own interface.
  bool verified = false;
  // Non-empty when a checking tool owns the heap (valgrind's preloaded
  // replacement, whose blocks no allocator recognises): the run checks
  // correctness and measures no allocator.
  std::string checker;
};

AllocatorInfo probe_allocator();

// Why a binary built for `expected` must not run on `found`, in one
// sentence naming the library that serves malloc and what to check; empty
// when it may run.
std::string allocator_mismatch(const AllocatorInfo& found,
                               const std::string& expected);

}  // namespace memstrat
