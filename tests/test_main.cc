// main() for every memstrat test binary: bdwgc must be initialised on the
// main thread before any other thread exists and before any GC allocation.
#include <gc/gc.h>
#include <gtest/gtest.h>

int main(int argc, char** argv) {
#ifndef MEMSTRAT_SANITIZED
  GC_INIT();
  GC_allow_register_threads();
#endif
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
