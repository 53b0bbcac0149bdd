// Adds what a reader of a result needs to trust it to Google Benchmark's JSON
// context: the allocator really in use, library versions, compiler, flags and
// git revision, and the environment variables that change an allocator, the
// collector or a runtime (memstrat_environment).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "benchmarks/harness/allocator_probe.h"
#include "benchmarks/harness/options.h"

namespace memstrat {

/// The compiler that built the harness, "gcc 12.2.0" or "clang 14.0.6"
/// (memstrat_compiler).
std::string compiler_name();

/// `libraries` are the strategies' (library, version) pairs
/// (library_versions() in strategy_list.h): memstrat_<library>_version.
void add_run_context(
    const AllocatorInfo& allocator, const Options& opt,
    const std::vector<std::pair<std::string, std::string>>& libraries);

}  // namespace memstrat
