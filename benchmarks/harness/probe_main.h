// The non-timing modes of the benchmark binaries: --list_benchmarks and
// --probe=NAME (see probe.h).
#pragma once

#include <string>

#include "benchmarks/harness/allocator_probe.h"
#include "benchmarks/harness/options.h"

namespace memstrat {

/// The registered benchmarks as a JSON array of {name, workload, strategy,
/// params}, one line each.
std::string list_benchmarks_json();

/// Runs the probe of opt.probe and writes its JSON; returns the exit code
/// (0 ok, 2 unknown benchmark or unwritable output, 3 the benchmark failed).
int run_probe(const char* prog, const Options& opt,
              const AllocatorInfo& allocator);

}  // namespace memstrat
