// Adds what a reader of a result needs to trust it to Google Benchmark's JSON
// context: the allocator really in use, library versions, compiler, flags and
// git revision, and the environment variables that change an allocator, the
// collector or a runtime (memstrat_environment).
#pragma once

#include "benchmarks/harness/allocator_probe.h"
#include "benchmarks/harness/options.h"

namespace memstrat {

void add_run_context(const AllocatorInfo& allocator, const Options& opt);

}  // namespace memstrat
