# Finds memstrat's dependencies among Debian's packages. A missing one stops
# configuration with one line naming the package to install; nothing is
# downloaded or vendored.
function(memstrat_missing what debian_package)
  message(FATAL_ERROR
    "${what} not found: install the Debian package ${debian_package} "
    "(apt-get install ${debian_package}), or run ./scripts/test which does it")
endfunction()

find_package(benchmark CONFIG QUIET)
if(NOT benchmark_FOUND)
  memstrat_missing("Google Benchmark" libbenchmark-dev)
endif()

find_package(GTest CONFIG QUIET)
if(NOT GTest_FOUND)
  memstrat_missing("GoogleTest" libgtest-dev)
endif()

find_package(nlohmann_json 3.11 CONFIG QUIET)
if(NOT nlohmann_json_FOUND)
  memstrat_missing("nlohmann/json" nlohmann-json3-dev)
endif()

find_package(PkgConfig QUIET)
if(NOT PkgConfig_FOUND)
  memstrat_missing("pkg-config" pkg-config)
endif()
# bdw-gc.pc links -lgc only. Never add -lgccpp: it replaces the global
# operator new with GC_MALLOC_UNCOLLECTABLE for the whole process.
pkg_check_modules(BDWGC QUIET IMPORTED_TARGET bdw-gc)
if(NOT BDWGC_FOUND)
  memstrat_missing("bdwgc (pkg-config bdw-gc)" libgc-dev)
endif()

find_package(Threads REQUIRED)

# The allocators (mimalloc, jemalloc, tcmalloc beside glibc): one line each.
include(${CMAKE_CURRENT_LIST_DIR}/Allocators.cmake)
