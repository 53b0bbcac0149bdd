// Fills the memstrat_* keys of the JSON context (see context.h).
#include "benchmarks/harness/context.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "build_info.h"

extern char** environ;

namespace memstrat {

namespace {

// Whether an environment variable is one that changes an allocator's, the
// collector's or a runtime's behaviour (benchmarks/harness/
// environment_names.txt, compiled in by cmake/BuildInfo.cmake).
bool is_recorded(std::string_view name) {
  std::istringstream names(build_info::kEnvironmentNames);
  for (std::string pattern; names >> pattern;) {
    if (pattern.back() == '*') {
      if (name.substr(0, pattern.size() - 1) ==
          std::string_view(pattern).substr(0, pattern.size() - 1)) {
        return true;
      }
    } else if (name == pattern) {
      return true;
    }
  }
  return false;
}

// "NAME=value; NAME=value" sorted by name, or "none": a hand-run binary
// under GC_MARKERS=1 must not look like a default run.
std::string environment_record() {
  std::vector<std::string> found;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string_view entry(*e);
    const auto eq = entry.find('=');
    if (eq != std::string_view::npos && is_recorded(entry.substr(0, eq))) {
      found.emplace_back(entry);
    }
  }
  if (found.empty()) return "none";
  std::sort(found.begin(), found.end());
  std::string out;
  for (const std::string& f : found) out += (out.empty() ? "" : "; ") + f;
  return out;
}

}  // namespace

std::string compiler_name() {
  // From the compiler's own macros, not CMake's detection: the compiler that
  // built this file is the one a clang and a GCC build are compared on.
#if defined(__clang__)
  return "clang " + std::to_string(__clang_major__) + "." +
         std::to_string(__clang_minor__) + "." +
         std::to_string(__clang_patchlevel__);
#elif defined(__GNUC__)
  return "gcc " + std::to_string(__GNUC__) + "." +
         std::to_string(__GNUC_MINOR__) + "." +
         std::to_string(__GNUC_PATCHLEVEL__);
#else
  return "unknown";
#endif
}

void add_run_context(
    const AllocatorInfo& allocator, const Options& opt,
    const std::vector<std::pair<std::string, std::string>>& libraries) {
  using benchmark::AddCustomContext;
  AddCustomContext("memstrat_allocator", allocator.name);
  AddCustomContext("memstrat_allocator_version", allocator.version);
  AddCustomContext("memstrat_allocator_library", allocator.library);
  AddCustomContext("memstrat_allocator_verified",
                   allocator.verified ? "true" : "false");
  for (const auto& [library, version] : libraries) {
    AddCustomContext("memstrat_" + library + "_version", version);
  }
  AddCustomContext("memstrat_benchmark_version", build_info::kBenchmarkVersion);
  AddCustomContext("memstrat_compiler", compiler_name());
  AddCustomContext("memstrat_cxx_flags", build_info::kCxxFlags);
  AddCustomContext("memstrat_build_type", build_info::kBuildType);
  AddCustomContext("memstrat_git_revision", build_info::kGitRevision);
  AddCustomContext("memstrat_sizes", size_set_name(opt.sizes));
  AddCustomContext("memstrat_environment", environment_record());
  AddCustomContext("memstrat_time",
                   "compare real_time (wall clock); cpu_time is the benchmark "
                   "thread's only, process_cpu_time counts every thread");
  // Debian builds libbenchmark without NDEBUG, so Google Benchmark reports
  // library_build_type "debug". The timed loop is header code compiled with
  // our flags; the library runs only between batches.
  AddCustomContext("memstrat_benchmark_library_note",
                   "Debian's libbenchmark is built with assertions; the timed "
                   "loop is compiled with memstrat's own flags");
}

}  // namespace memstrat
