// Fills the memstrat_* keys of the JSON context (see context.h).
#include "benchmarks/harness/context.h"

#include <benchmark/benchmark.h>
#include <gc/gc.h>

#include <string>

#include "build_info.h"

namespace memstrat {

void add_run_context(const AllocatorInfo& allocator, const Options& opt) {
  using benchmark::AddCustomContext;
  AddCustomContext("memstrat_allocator", allocator.name);
  AddCustomContext("memstrat_allocator_version", allocator.version);
  AddCustomContext("memstrat_allocator_library", allocator.library);
  AddCustomContext("memstrat_allocator_verified",
                   allocator.verified ? "true" : "false");
  const unsigned gc_version = GC_get_version();
  AddCustomContext("memstrat_bdwgc_version",
                   std::to_string(gc_version >> 16) + "." +
                       std::to_string((gc_version >> 8) & 0xff) + "." +
                       std::to_string(gc_version & 0xff));
  AddCustomContext("memstrat_benchmark_version", build_info::kBenchmarkVersion);
  AddCustomContext("memstrat_compiler", build_info::kCompiler);
  AddCustomContext("memstrat_cxx_flags", build_info::kCxxFlags);
  AddCustomContext("memstrat_build_type", build_info::kBuildType);
  AddCustomContext("memstrat_git_revision", build_info::kGitRevision);
  AddCustomContext("memstrat_sizes", size_set_name(opt.sizes));
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
