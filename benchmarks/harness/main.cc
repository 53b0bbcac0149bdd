// Entry point of memstrat_bench and every memstrat_bench_<allocator>. All
// are built from the same sources; they differ only in the malloc they link
// (cmake/Allocators.cmake), and MEMSTRAT_EXPECTED_ALLOCATOR says which one
// that should be. main() knows strategies only as the tuple of them and what
// they declare.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>

#include "allocators/all.h"
#include "benchmarks/catalogue.h"
#include "benchmarks/harness/allocator_probe.h"
#include "benchmarks/harness/context.h"
#include "benchmarks/harness/options.h"
#include "benchmarks/harness/probe_main.h"
#include "benchmarks/harness/register.h"
#include "benchmarks/harness/strategy_list.h"

#ifndef MEMSTRAT_EXPECTED_ALLOCATOR
#error "MEMSTRAT_EXPECTED_ALLOCATOR must name the allocator this binary links"
#endif

int main(int argc, char** argv) {
  const char* prog = argc > 0 ? argv[0] : "memstrat_bench";
  // Settings and versions come from every strategy compiled in, so the flags
  // are the same in every build; benchmarks only from those this build runs.
  using Strategies = memstrat::BuildStrategies;
  const auto settings = memstrat::strategy_settings<memstrat::AllStrategies>();
  memstrat::Options opt;
  try {
    opt = memstrat::parse_options(argc, argv, settings);
    memstrat::check_strategy_names(opt, memstrat::strategy_names<Strategies>());
  } catch (const memstrat::UsageError& e) {
    std::fprintf(stderr, "%s: error: %s (see --help)\n", prog, e.what());
    return 2;
  }
  if (opt.help) std::fputs(memstrat::options_help(settings).c_str(), stdout);
  memstrat::apply_settings(opt);

  // A binary measures the allocator it was built for or none: a preloaded
  // or missing library would put another allocator's figures under this
  // one's name.
  const memstrat::AllocatorInfo allocator = memstrat::probe_allocator();
  if (const std::string why =
          memstrat::allocator_mismatch(allocator, MEMSTRAT_EXPECTED_ALLOCATOR);
      !why.empty()) {
    std::fprintf(stderr, "%s: error: %s\n", prog, why.c_str());
    return 1;
  }

  benchmark::Initialize(&argc, argv);  // exits after printing --help
  if (argc > 1) {
    std::fprintf(stderr,
                 "%s: error: unknown flag or bad value '%s' (see --help)\n",
                 prog, argv[1]);
    return 2;
  }

  if (opt.list_strategies) {
    std::fputs(memstrat::list_strategies_json<Strategies>().c_str(), stdout);
    return 0;
  }
  memstrat::register_benchmarks<memstrat::AllWorkloads, Strategies>(opt);
  if (opt.list) {
    std::fputs(memstrat::list_benchmarks_json().c_str(), stdout);
    return 0;
  }
  if (!opt.probe.empty()) return memstrat::run_probe(prog, opt, allocator);
  memstrat::add_run_context(
      allocator, opt, memstrat::library_versions<memstrat::AllStrategies>());
  const std::size_t matched = benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  if (matched == 0) {
    std::fprintf(stderr,
                 "%s: error: no benchmark matches --benchmark_filter; list "
                 "them with --benchmark_list_tests\n",
                 prog);
    return 2;
  }
  if (const int failed = memstrat::failed_benchmarks.load(); failed > 0) {
    std::fprintf(stderr,
                 "%s: error: %d benchmark(s) failed; see error_message "
                 "in the output\n",
                 prog, failed);
    return 3;
  }
  return 0;
}
