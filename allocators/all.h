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

}  // namespace memstrat
