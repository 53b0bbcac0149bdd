// The replacement global operator new behind counting_new.h: malloc plus a
// thread-local count, never inlined so that every call is a real one.
#include "tests/counting_new.h"

#include <cstddef>
#include <cstdlib>
#include <new>

namespace {
thread_local std::uint64_t calls = 0;
}

[[gnu::noinline]] void* operator new(std::size_t n) {
  ++calls;
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
[[gnu::noinline]] void operator delete(void* p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}

namespace memstrat::testing {

std::uint64_t operator_new_calls() noexcept { return calls; }

}  // namespace memstrat::testing
