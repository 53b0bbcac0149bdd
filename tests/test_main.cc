// main() for every memstrat test binary: bdwgc must be initialised on the
// main thread before any other thread exists and before any GC allocation.
#include <gtest/gtest.h>

#include "allocators/gc.h"

int main(int argc, char** argv) {
#ifndef MEMSTRAT_SANITIZED
  memstrat::ensure_gc_started();
#endif
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
