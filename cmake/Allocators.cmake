# The allocators memstrat runs on: one memstrat_allocator() line each, in the
# order the runner, the charts and the report show them. The first is the
# system malloc, the baseline every other allocator is compared with.
#
#   memstrat_allocator(<name> <debian-package> DEFAULT|EXTRA <how> ...)
#
# <name> is what --allocators and the context's memstrat_allocator say;
# DEFAULT allocators run unless --allocators says otherwise, EXTRA ones under
# --allocators all or by name. <how> is how CMake finds the library:
#   SYSTEM                      the C library's malloc: nothing to link
#   CONFIG <package> <target>   find_package(<package> CONFIG), link <target>
#   PKG_CONFIG <module>         pkg_check_modules(<module>), link its target
# Each one becomes memstrat_bench_<name> (memstrat_bench for the SYSTEM one)
# and an entry of <build>/allocators.json, which scripts/run reads
# (benchmarks/CMakeLists.txt). A library that is not installed stops
# configuration with one line naming its Debian package.
#
# Linking any of the libraries replaces malloc and operator new for the whole
# process (Debian builds them all that way), so each needs its own binary;
# sanitizer runtimes interpose malloc themselves, so sanitizer builds get the
# SYSTEM binary only and look for none of the libraries.

set(MEMSTRAT_ALLOCATORS "")

function(memstrat_allocator name package selection how)
  if(NOT selection MATCHES "^(DEFAULT|EXTRA)$")
    message(FATAL_ERROR "memstrat_allocator(${name}): say DEFAULT or EXTRA, not ${selection}")
  endif()
  if(how STREQUAL "SYSTEM")
    set(target "")
    set(library "")
    set(binary memstrat_bench)
  else()
    if(MEMSTRAT_SANITIZE)
      return()
    endif()
    set(binary memstrat_bench_${name})
    if(how STREQUAL "CONFIG" AND ARGC EQUAL 6)
      find_package(${ARGV4} CONFIG QUIET)
      if(NOT ${ARGV4}_FOUND)
        memstrat_missing("${name}" ${package})
      endif()
      set(target ${ARGV5})
      get_target_property(library ${target} LOCATION)
    elseif(how STREQUAL "PKG_CONFIG" AND ARGC EQUAL 5)
      string(TOUPPER "MEMSTRAT_ALLOCATOR_${name}" prefix)
      pkg_check_modules(${prefix} QUIET IMPORTED_TARGET GLOBAL ${ARGV4})
      if(NOT ${prefix}_FOUND)
        memstrat_missing("${name} (pkg-config ${ARGV4})" ${package})
      endif()
      set(target PkgConfig::${prefix})
      list(GET ${prefix}_LINK_LIBRARIES 0 library)
    else()
      message(FATAL_ERROR "memstrat_allocator(${name}): <how> is SYSTEM, "
                          "CONFIG <package> <target> or PKG_CONFIG <module>")
    endif()
  endif()
  set(MEMSTRAT_ALLOCATORS ${MEMSTRAT_ALLOCATORS} ${name} PARENT_SCOPE)
  set(MEMSTRAT_ALLOCATOR_${name}_PACKAGE ${package} PARENT_SCOPE)
  set(MEMSTRAT_ALLOCATOR_${name}_SELECTION ${selection} PARENT_SCOPE)
  set(MEMSTRAT_ALLOCATOR_${name}_TARGET "${target}" PARENT_SCOPE)
  set(MEMSTRAT_ALLOCATOR_${name}_BINARY ${binary} PARENT_SCOPE)
  # The shared object itself: the refusal tests preload it under another
  # allocator's binary.
  set(MEMSTRAT_ALLOCATOR_${name}_LIBRARY "${library}" PARENT_SCOPE)
endfunction()

memstrat_allocator(glibc    libc6                   DEFAULT SYSTEM)
memstrat_allocator(mimalloc libmimalloc-dev         DEFAULT CONFIG mimalloc mimalloc)
memstrat_allocator(jemalloc libjemalloc-dev         EXTRA   PKG_CONFIG jemalloc)
# gperftools' minimal variant (libtcmalloc-minimal4): the allocator without
# the heap profiler and heap checker, which a program that only wants a
# faster malloc links.
memstrat_allocator(tcmalloc libgoogle-perftools-dev EXTRA   PKG_CONFIG libtcmalloc_minimal)
