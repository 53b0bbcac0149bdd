# The language ports memstrat runs beside the C++ strategies (issue 13;
# docs/extending.md, "Adding a language"): one memstrat_port() line each.
#
#   memstrat_port(<name> <language> <allocator> <dir> <binary>
#                 PACKAGES <debian-package>... PROGRAMS <program>...)
#
# <dir> is the port's source directory, which add_subdirectory() builds
# (its CMakeLists.txt makes the binary and registers its tests); <binary> is
# where that build leaves the program, relative to the port's build
# directory; <allocator> is the malloc the program runs on (one of
# cmake/Allocators.cmake's names: its records are on that allocator).
# PROGRAMS are the toolchain, looked up in /usr/bin only (Debian's, whatever
# else is first on PATH) as MEMSTRAT_<PROGRAM>; PACKAGES are the Debian
# packages that install them. Without them the port is not built: one
# configure message, and ports.json says so, so scripts/run skips it with
# one line naming the packages.
#
# Each port becomes an entry of <build>/ports.json (format 1), which
# scripts/run reads (scripts/memstrat/ports.py): name, language, binary
# (relative to the build dir), packages, allocator, available, missing.
# The scripts drive the Release binaries: sanitizer builds have no ports.
# Each available port also gets the ctest port_parity.<name> (label port).

set(MEMSTRAT_PORT_ENTRIES "")

function(memstrat_port name language allocator dir binary)
  cmake_parse_arguments(PARSE_ARGV 5 PORT "" "" "PACKAGES;PROGRAMS")
  if(NOT PORT_PACKAGES OR NOT PORT_PROGRAMS)
    message(FATAL_ERROR "memstrat_port(${name}): name its toolchain's Debian "
                        "packages (PACKAGES) and programs (PROGRAMS)")
  endif()
  set(available true)
  set(missing null)
  foreach(program ${PORT_PROGRAMS})
    string(TOUPPER "MEMSTRAT_${program}" var)
    find_program(${var} ${program} PATHS /usr/bin NO_DEFAULT_PATH)
    if(NOT ${var})
      set(available false)
    endif()
  endforeach()
  list(JOIN PORT_PACKAGES " " packages)
  if(available)
    # A port's directory may still find the toolchain unusable (too old, not
    # the JDK it is written for): it then sets MEMSTRAT_PORT_SKIPPED to the
    # install hint, in this scope, and builds nothing.
    unset(MEMSTRAT_PORT_SKIPPED)
    add_subdirectory(${dir})
    if(DEFINED MEMSTRAT_PORT_SKIPPED)
      set(available false)
      set(missing "\"${MEMSTRAT_PORT_SKIPPED}\"")
    endif()
  else()
    set(missing "\"apt-get install ${packages}\"")
    message(STATUS "Port ${name} (${language}): not built; it needs Debian's "
                   "packages ${packages} (apt-get install ${packages})")
  endif()
  set(path "${dir}/${binary}")
  if(available)
    # The cross-language parity test: the port's --check at the small sizes
    # against the C++ workloads' test vectors, as this revision's
    # memstrat_test_vectors prints them (scripts/port_parity).
    add_test(NAME port_parity.${name}
             COMMAND ${MEMSTRAT_PYTHON} ${PROJECT_SOURCE_DIR}/scripts/port_parity
                     --port ${name}
                     --test-vectors $<TARGET_FILE:memstrat_test_vectors>
                     --binary ${PROJECT_BINARY_DIR}/${path})
    set_tests_properties(port_parity.${name} PROPERTIES LABELS port TIMEOUT 300
                         ENVIRONMENT PYTHONDONTWRITEBYTECODE=1)
  endif()
  list(TRANSFORM PORT_PACKAGES PREPEND "\"")
  list(TRANSFORM PORT_PACKAGES APPEND "\"")
  list(JOIN PORT_PACKAGES ", " quoted)
  set(MEMSTRAT_PORT_ENTRIES ${MEMSTRAT_PORT_ENTRIES}
      "  {\"name\": \"${name}\", \"language\": \"${language}\", \"binary\": \"${path}\", \"packages\": [${quoted}], \"allocator\": \"${allocator}\", \"available\": ${available}, \"missing\": ${missing}}"
      PARENT_SCOPE)
endfunction()

memstrat_port(rust Rust glibc benchmarks/ports/rust target/release/memstrat_rust
              PACKAGES rustc cargo PROGRAMS cargo rustc)
memstrat_port(java Java glibc benchmarks/ports/java memstrat_java
              PACKAGES openjdk-17-jdk-headless PROGRAMS java javac jar)
memstrat_port(js JavaScript glibc benchmarks/ports/js memstrat_js
              PACKAGES nodejs PROGRAMS node)
memstrat_port(go Go glibc benchmarks/ports/go memstrat_go
              PACKAGES golang-go PROGRAMS go)

list(JOIN MEMSTRAT_PORT_ENTRIES ",\n" MEMSTRAT_PORT_ENTRIES)
file(CONFIGURE OUTPUT ${PROJECT_BINARY_DIR}/ports.json
  CONTENT "{\"format\": 1, \"ports\": [\n${MEMSTRAT_PORT_ENTRIES}\n]}\n" @ONLY)
