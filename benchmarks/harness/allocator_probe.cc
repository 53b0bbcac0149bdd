// Identifies the process's malloc provider through dladdr(), then confirms
// it with a live malloc and a live operator new, asked through that
// provider's own interface (see allocator_probe.h).
//
// Every question goes to the library that serves malloc, looked up by its
// handle, never through RTLD_DEFAULT: in memstrat_bench_jemalloc run under
// LD_PRELOAD=libtcmalloc_minimal.so.4 both libraries are loaded, tcmalloc's
// malloc wins, and jemalloc's mallctl is still there to answer for a heap
// that serves nothing.
#include "benchmarks/harness/allocator_probe.h"

#include <dlfcn.h>
#include <link.h>

#include <cstdint>
#include <cstdlib>
#include <new>
#include <string_view>

#include "allocators/strategy.h"

namespace memstrat {

namespace {

std::string basename_of(std::string_view path) {
  const auto slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path
                                                     : path.substr(slash + 1));
}

// The shared object a symbol resolves to for the program (the first
// definition in the dynamic linker's search order), or "" if none.
std::string provider_of(const char* symbol) {
  void* fn = dlsym(RTLD_DEFAULT, symbol);
  Dl_info dl{};
  if (fn == nullptr || dladdr(fn, &dl) == 0 || dl.dli_fname == nullptr) {
    return "";
  }
  return dl.dli_fname;
}

// A symbol of one loaded library, found in that library (and what it
// depends on) only.
template <typename Fn>
Fn symbol_in(void* handle, const char* name) {
  return handle == nullptr ? nullptr
                           : reinterpret_cast<Fn>(dlsym(handle, name));
}

// Whether a block from malloc and one from operator new both satisfy
// `owned`. The blocks escape to `owned`, so neither pair is elided.
template <typename Owned>
bool both_owned(Owned owned) {
  void* m = std::malloc(100);
  void* n = ::operator new(100);
  const bool yes = m != nullptr && owned(m) && owned(n);
  ::operator delete(n);
  std::free(m);
  return yes;
}

void identify_glibc(void* lib, AllocatorInfo& info) {
  using VersionFn = const char* (*)();
  using UsableFn = std::size_t (*)(void*);
  if (auto version = symbol_in<VersionFn>(lib, "gnu_get_libc_version")) {
    info.version = version();
  }
  // glibc rounds a 100-byte request up to a 104-byte usable chunk; mimalloc,
  // jemalloc and tcmalloc give 112, valgrind exactly 100.
  if (auto usable = symbol_in<UsableFn>(lib, "malloc_usable_size")) {
    info.verified = both_owned([&](void* p) { return usable(p) == 104; });
  }
}

void identify_mimalloc(void* lib, AllocatorInfo& info) {
  using VersionFn = int (*)();
  using InHeapFn = bool (*)(const void*);
  if (auto version = symbol_in<VersionFn>(lib, "mi_version")) {
    const int v = version();  // 209 for 2.0.9
    info.version = std::to_string(v / 100) + "." + std::to_string(v / 10 % 10) +
                   "." + std::to_string(v % 10);
  }
  if (auto in_heap = symbol_in<InHeapFn>(lib, "mi_is_in_heap_region")) {
    info.verified = both_owned(in_heap);
  }
}

void identify_jemalloc(void* lib, AllocatorInfo& info) {
  using MallctlFn =
      int (*)(const char*, void*, std::size_t*, void*, std::size_t);
  auto mallctl = symbol_in<MallctlFn>(lib, "mallctl");
  if (mallctl == nullptr) return;
  const char* version = nullptr;
  std::size_t size = sizeof(version);
  if (mallctl("version", &version, &size, nullptr, 0) == 0 &&
      version != nullptr) {
    // "5.3.0-0-g54eaed1d..." (git describe): the release is enough.
    info.version =
        std::string(version).substr(0, std::string_view(version).find('-'));
  }
  // jemalloc counts the bytes each thread allocates (Debian builds it with
  // statistics): a block it served moves this thread's count, one it did
  // not leaves it still. Asking about a foreign pointer directly (sallocx)
  // would crash.
  auto allocated = [&]() -> std::uint64_t {
    std::uint64_t bytes = 0;
    std::size_t len = sizeof(bytes);
    return mallctl("thread.allocated", &bytes, &len, nullptr, 0) == 0 ? bytes
                                                                      : 0;
  };
  // The blocks must escape: clang 14 deletes a malloc/free pair whose
  // pointer is only compared with null, and the count then stays still.
  const std::uint64_t before = allocated();
  void* m = std::malloc(100);
  escape(m);
  const std::uint64_t after_malloc = allocated();
  void* n = ::operator new(100);
  escape(n);
  const std::uint64_t after_new = allocated();
  info.verified = m != nullptr && after_malloc >= before + 100 &&
                  after_new >= after_malloc + 100;
  ::operator delete(n);
  std::free(m);
}

void identify_tcmalloc(void* lib, AllocatorInfo& info) {
  using VersionFn = const char* (*)(int*, int*, const char**);
  using OwnershipFn = int (*)(const void*);
  if (auto version = symbol_in<VersionFn>(lib, "tc_version")) {
    int major = 0, minor = 0;
    const char* patch = nullptr;
    version(&major, &minor, &patch);
    info.version = std::to_string(major) + "." + std::to_string(minor) +
                   (patch != nullptr ? patch : "");
  }
  // MallocExtension_kOwned (gperftools/malloc_extension_c.h); a pointer it
  // did not allocate is kNotOwned, which is safe to ask.
  constexpr int kOwned = 1;
  if (auto ownership =
          symbol_in<OwnershipFn>(lib, "MallocExtension_GetOwnership")) {
    info.verified = both_owned([&](void* p) { return ownership(p) == kOwned; });
  }
}

struct Known {
  const char* name;
  bool (*matches)(std::string_view base);
  void (*identify)(void* lib, AllocatorInfo& info);
};

constexpr Known kKnown[] = {
    {"glibc", [](std::string_view b) { return b.starts_with("libc.so"); },
     identify_glibc},
    {"mimalloc",
     [](std::string_view b) { return b.find("mimalloc") != b.npos; },
     identify_mimalloc},
    {"jemalloc",
     [](std::string_view b) { return b.find("jemalloc") != b.npos; },
     identify_jemalloc},
    {"tcmalloc",
     [](std::string_view b) { return b.find("tcmalloc") != b.npos; },
     identify_tcmalloc},
};

// Whether valgrind's malloc replacement is in the process (memcheck,
// helgrind, drd and massif preload vgpreload_<tool>-<arch>.so and redirect
// malloc to their own heap; callgrind and cachegrind leave it alone).
bool under_valgrind() {
  bool found = false;
  dl_iterate_phdr(
      [](dl_phdr_info* obj, std::size_t, void* out) {
        const std::string base =
            basename_of(obj->dlpi_name != nullptr ? obj->dlpi_name : "");
        if (base.starts_with("vgpreload_") &&
            base.find("_core") == std::string::npos) {
          *static_cast<bool*>(out) = true;
        }
        return 0;
      },
      &found);
  return found;
}

}  // namespace

AllocatorInfo probe_allocator() {
  AllocatorInfo info;
  info.library = provider_of("malloc");
  if (info.library.empty()) {
    info.name = "unknown";
    return info;
  }
  const std::string base = basename_of(info.library);
  void* lib = dlopen(info.library.c_str(), RTLD_LAZY | RTLD_NOLOAD);
  bool known = false;
  for (const Known& k : kKnown) {
    if (k.matches(base)) {
      info.name = k.name;
      k.identify(lib, info);
      known = true;
      break;
    }
  }
  if (lib != nullptr) dlclose(lib);  // NOLOAD took a reference: give it back
  if (!known) {
    // Another allocator, or a sanitizer runtime: name it after its library.
    info.name = base.substr(0, base.find(".so"));
    if (info.name.starts_with("lib")) info.name.erase(0, 3);
  }
  // operator new from a third library (neither libstdc++, whose new calls
  // malloc, nor the one serving malloc) would put half the heap elsewhere.
  info.new_library = provider_of("_Znwm");
  const std::string new_base = basename_of(info.new_library);
  if (!new_base.empty() && !new_base.starts_with("libstdc++") &&
      new_base != base) {
    info.verified = false;
  }
  if (!info.verified && under_valgrind()) info.checker = "valgrind";
  // A sanitizer runtime (libasan.so.8, libtsan.so.2) serves malloc in the
  // sanitizer builds by design.
  for (const char* sanitizer : {"asan", "tsan", "msan", "lsan", "hwasan"}) {
    if (info.name == sanitizer) info.checker = sanitizer;
  }
  return info;
}

std::string allocator_mismatch(const AllocatorInfo& found,
                               const std::string& expected) {
  if (!found.checker.empty()) return "";  // a correctness run: nothing measured
  const std::string library = found.library.empty()
                                  ? "no library the dynamic linker knows"
                                  : found.library;
  if (found.name != expected) {
    return "built to run on " + expected + " but malloc comes from " + library +
           " (" + found.name +
           "); check LD_PRELOAD and LD_LIBRARY_PATH, or rebuild";
  }
  if (!found.verified) {
    const std::string new_base = basename_of(found.new_library);
    if (!new_base.empty() && !new_base.starts_with("libstdc++") &&
        new_base != basename_of(found.library)) {
      return "built to run on " + expected + " and malloc comes from " +
             library + ", but operator new comes from " + found.new_library +
             "; check LD_PRELOAD and LD_LIBRARY_PATH, or rebuild";
    }
    return "built to run on " + expected + " and malloc comes from " + library +
           ", but a probe allocation was not " + expected +
           "'s; check LD_PRELOAD and LD_LIBRARY_PATH, or rebuild";
  }
  return "";
}

}  // namespace memstrat
