# Warnings and sanitizers, applied to every memstrat target through the
# memstrat_options interface library.
add_library(memstrat_options INTERFACE)
target_compile_options(memstrat_options INTERFACE -Wall -Wextra -Wpedantic)
# GCC 12 at -O3 flags "literal" + std::string with a false -Wrestrict
# (GCC bug 105329, fixed in GCC 13).
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(memstrat_options INTERFACE -Wno-restrict)
endif()
# clang 14 leaves C++14's sized deallocation off by default; GCC has it on, and
# the allocators call ::operator delete(p, size), which mimalloc, jemalloc
# and tcmalloc use to skip a size lookup. Both compilers must do the same.
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  target_compile_options(memstrat_options INTERFACE -fsized-deallocation)
endif()
# Every TU that includes gc.h sees the threaded API (thread-local free lists,
# GC_register_my_thread).
target_compile_definitions(memstrat_options INTERFACE GC_THREADS)
target_include_directories(memstrat_options INTERFACE
  ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/generated)

if(MEMSTRAT_SANITIZE)
  list(JOIN MEMSTRAT_SANITIZE "," sanitizers)
  set(flags -fsanitize=${sanitizers} -fno-omit-frame-pointer
            -fno-sanitize-recover=all)
  target_compile_options(memstrat_options INTERFACE ${flags} -g)
  target_link_options(memstrat_options INTERFACE ${flags})
  # Boehm GC scans stacks and registers conservatively and is not
  # instrumented: sanitizer builds leave the gc strategy out.
  target_compile_definitions(memstrat_options INTERFACE MEMSTRAT_SANITIZED)
endif()
