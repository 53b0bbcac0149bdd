// The real calls of the global operator new on this thread, counted by a
// replacement operator new (counting_new.cc, linked into a test that needs
// it). GCC 12 deletes new/delete pairs whose pointer does not escape: a test
// that compares this count with what a strategy counted sees one removed.
#pragma once

#include <cstdint>

namespace memstrat::testing {

std::uint64_t operator_new_calls() noexcept;

}  // namespace memstrat::testing
