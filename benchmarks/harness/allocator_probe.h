// Finds out which malloc this process really runs on. The allocator is a
// property of the process (Debian's mimalloc replaces malloc for the whole
// process once linked, and LD_PRELOAD can swap in any other), so the harness
// asks the dynamic linker rather than trusting how the binary was built.
#pragma once

#include <string>

namespace memstrat {

struct AllocatorInfo {
  std::string name;     // "glibc", "mimalloc", or the providing library's name
  std::string library;  // path of the shared object that provides malloc
  std::string version;  // e.g. "2.36" for glibc, "2.0.9" for mimalloc
  bool verified = false;  // a probe allocation confirmed the identification
};

AllocatorInfo probe_allocator();

}  // namespace memstrat
