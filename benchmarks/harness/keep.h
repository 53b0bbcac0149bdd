// keep(v): makes the optimiser treat v as read and written, as
// benchmark::DoNotOptimize(T&) does, without its "+m,r" operand: GCC 12 at
// -O2 with -fsanitize=address,undefined loses the value behind that operand
// (every checksum counter of the asan build read 0, and a pointer kept that
// way was deleted as garbage; reproduced outside memstrat; -O0, either
// sanitizer alone, "+r" and "+m" each keep it).
#pragma once

#include <type_traits>

namespace memstrat {

template <class T>
inline void keep(T& v) noexcept {
  if constexpr (std::is_trivially_copyable_v<T> && sizeof(T) <= sizeof(void*)) {
    asm volatile("" : "+r"(v) : : "memory");
  } else {
    asm volatile("" : "+m"(v) : : "memory");
  }
}

}  // namespace memstrat
