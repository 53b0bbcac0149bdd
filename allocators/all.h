// The strategies memstrat compares, in the order they appear in results and
// charts. Adding a strategy: write its header (see strategy.h for the
// contract), add it here, and every workload, test and benchmark picks it up.
#pragma once

#include <tuple>

#include "allocators/arena.h"
#include "allocators/gc.h"
#include "allocators/manual.h"
#include "allocators/pmr.h"
#include "allocators/raii.h"
#include "allocators/shared.h"
#include "allocators/strategy.h"

namespace memstrat {

using AllStrategies =
    std::tuple<Manual, Raii, SharedRc, SharedArc, Gc, Arena, Pmr>;

// The strategies this build can run: sanitizer builds keep those that declare
// themselves sanitizer_safe (Boehm GC scans memory the sanitizers instrument).
#ifdef MEMSTRAT_SANITIZED
using BuildStrategies =
    typename FilterStrategies<AllStrategies, IsSanitizerSafe>::type;
#else
using BuildStrategies = AllStrategies;
#endif

// The reference of every parity comparison: the strategy declared baseline.
using BaselineStrategy = BaselineOf<AllStrategies>;

}  // namespace memstrat
