# Shared by scripts/bench and scripts/test: Debian packages, the build, and
# messages. Sourced, not run.

# The Debian packages of the allocators cmake/Allocators.cmake declares (the
# second word of each memstrat_allocator line; libc6 is always there).
memstrat_allocator_packages() {
  sed -n 's/^memstrat_allocator([[:space:]]*[^[:space:]]*[[:space:]]\{1,\}\([^[:space:]]*\).*/\1/p' \
    "$(dirname "${BASH_SOURCE[0]}")/../../cmake/Allocators.cmake" | grep -vx libc6
}

# The Debian packages of the language ports' toolchains cmake/Ports.cmake
# declares (the words between PACKAGES and PROGRAMS of each memstrat_port
# line: rustc cargo for the Rust port).
memstrat_port_packages() {
  grep -v '^[[:space:]]*#' "$(dirname "${BASH_SOURCE[0]}")/../../cmake/Ports.cmake" |
    sed -n 's/^.*memstrat_port(.*[[:space:]]PACKAGES[[:space:]]\{1,\}\(.*[^[:space:]]\)[[:space:]]\{1,\}PROGRAMS.*/\1/p; s/^[[:space:]]*PACKAGES[[:space:]]\{1,\}\(.*[^[:space:]]\)[[:space:]]\{1,\}PROGRAMS.*/\1/p' |
    tr ' ' '\n' | grep -v '^$'
}

# Everything memstrat needs to build, run and test, by Debian package name:
# the allocators (libmimalloc-dev, libjemalloc-dev, libgoogle-perftools-dev)
# and the ports' toolchains (rustc, cargo: the release build builds the
# ports, scripts/run runs them) come from their one declaration each.
mapfile -t MEMSTRAT_ALLOCATOR_PACKAGES < <(memstrat_allocator_packages)
mapfile -t MEMSTRAT_PORT_PACKAGES < <(memstrat_port_packages)
# clang-14: the release-clang preset builds the suite with LLVM 14, the
# backend of Debian's rustc, so ownership is compared on one code generator.
MEMSTRAT_PACKAGES=(
  cmake ninja-build g++ clang-14 pkg-config git
  libbenchmark-dev libgc-dev nlohmann-json3-dev libgtest-dev
  "${MEMSTRAT_ALLOCATOR_PACKAGES[@]}"
  "${MEMSTRAT_PORT_PACKAGES[@]}"
  python3 python3-matplotlib
)
# What ./scripts/test needs beyond that: the checkers and the fuzzer's
# compiler, the jsonschema and YAML parsers the script tests compare with.
MEMSTRAT_TEST_PACKAGES=(
  valgrind clang libclang-rt-14-dev python3-jsonschema python3-yaml
  libbenchmark-tools python3-scipy
)

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf '%s: error: %s\n' "${0##*/}" "$*" >&2; exit 1; }

# Installs the missing packages among "$@" with apt-get when root; otherwise
# prints the exact command to run and stops.
ensure_packages() {
  command -v dpkg-query >/dev/null 2>&1 ||
    die "this is not a Debian system (no dpkg-query); install the equivalents of: $*"
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
      missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    die "missing Debian packages; run: sudo apt-get install -y ${missing[*]}"
  fi
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || die "apt-get update failed"
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
    die "apt-get install ${missing[*]} failed"
}

# Configures and builds one CMake preset; output is shown only on failure.
build_preset() {
  local preset=$1 log
  log=$(mktemp)
  say "building ($preset)"
  if ! { cmake --preset "$preset" && cmake --build --preset "$preset"; } >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    die "the $preset build failed (output above)"
  fi
  rm -f "$log"
}
