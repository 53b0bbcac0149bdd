// Identifies the process's malloc provider through dladdr(), then confirms
// it with a live allocation (see allocator_probe.h).
#include "benchmarks/harness/allocator_probe.h"

#include <dlfcn.h>
#include <gnu/libc-version.h>
#include <malloc.h>

#include <cstdlib>
#include <string_view>

namespace memstrat {

namespace {

std::string basename_of(std::string_view path) {
  const auto slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path
                                                     : path.substr(slash + 1));
}

}  // namespace

AllocatorInfo probe_allocator() {
  AllocatorInfo info;
  void* malloc_fn = dlsym(RTLD_DEFAULT, "malloc");
  Dl_info dl{};
  if (malloc_fn == nullptr || dladdr(malloc_fn, &dl) == 0 ||
      dl.dli_fname == nullptr) {
    info.name = "unknown";
    return info;
  }
  info.library = dl.dli_fname;
  const std::string base = basename_of(info.library);

  if (base.starts_with("libc.so")) {
    info.name = "glibc";
    info.version = gnu_get_libc_version();
    // glibc rounds a 100-byte request up to a 104-byte usable chunk.
    void* p = std::malloc(100);
    info.verified = malloc_usable_size(p) == 104;
    std::free(p);
  } else if (base.find("mimalloc") != std::string::npos) {
    info.name = "mimalloc";
    using VersionFn = int (*)();
    using InHeapFn = bool (*)(const void*);
    auto version =
        reinterpret_cast<VersionFn>(dlsym(RTLD_DEFAULT, "mi_version"));
    auto in_heap =
        reinterpret_cast<InHeapFn>(dlsym(RTLD_DEFAULT, "mi_is_in_heap_region"));
    if (version != nullptr) {
      const int v = version();  // 209 for 2.0.9
      info.version = std::to_string(v / 100) + "." +
                     std::to_string(v / 10 % 10) + "." + std::to_string(v % 10);
    }
    if (in_heap != nullptr) {
      void* p = std::malloc(100);
      info.verified = in_heap(p);
      std::free(p);
    }
  } else {
    // Another allocator through LD_PRELOAD: name it after its library.
    info.name = base.substr(0, base.find(".so"));
    if (info.name.starts_with("lib")) info.name.erase(0, 3);
  }
  return info;
}

}  // namespace memstrat
