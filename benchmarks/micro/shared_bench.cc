// memstrat_micro: what a program that shares pays per shared_ptr operation,
// under each lock policy, before and after the process has a second thread.
// memstrat's workloads only move owners, so they never show the copy costs.
//
//   copy_drop:  repeat kBatch: { copy = owner; escape(copy); }   // +1, -1
//               (the drop is of a non-unique owner: counts 2 -> 1)
//   make_drop:  repeat kBatch: { p = allocate_shared<Obj>(); escape(p); }
//               (one malloc and free of the 40-byte control block; the drop
//               is of a unique owner: GCC 12's one-load fast path)
//   new_delete: repeat kBatch: { p = new Obj; escape(p); delete p; }
//
// rc is std::__shared_ptr<T, _S_single> (plain counts always); arc is
// std::shared_ptr (libstdc++ picks plain counts while __libc_single_threaded
// is true, lock-prefixed ones after). shared/single_threaded/* run first and
// refuse to run once the process has had a thread, so their label is true;
// shared/multi_threaded/* start and join one thread first (as the shared_arc
// strategy does), which also takes glibc's malloc off its single-threaded
// path for good. This file is linked last so that every other benchmark of
// memstrat_micro runs before the thread exists. Reported: items_per_second
// (operations); ns per operation is its inverse.
#include <benchmark/benchmark.h>
#include <sys/single_threaded.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <type_traits>

#include "allocators/shared.h"
#include "benchmarks/harness/keep.h"

namespace {

// The size of a binary_trees node under shared (two 16-byte owners, item).
struct Obj {
  std::int64_t a[5];
};

/// Operations per timed iteration: amortises the loop's own cost.
constexpr int kBatch = 1024;

template <class P>
P make_owner() {
  if constexpr (std::is_same_v<P, std::shared_ptr<Obj>>) {
    return std::allocate_shared<Obj>(std::allocator<Obj>());
  } else {
    return std::__allocate_shared<Obj, __gnu_cxx::_S_single>(
        std::allocator<Obj>());
  }
}

template <bool kMultiThreaded>
bool set_up(benchmark::State& state) {
  if constexpr (kMultiThreaded) {
    memstrat::make_process_multithreaded();
  } else if (!__libc_single_threaded) {
    state.SkipWithError(
        "the process already has had a thread: run shared/single_threaded "
        "before anything that starts one");
    return false;
  }
  return true;
}

template <class P, bool kMultiThreaded>
void BM_CopyDrop(benchmark::State& state) {
  if (!set_up<kMultiThreaded>(state)) return;
  const P owner = make_owner<P>();
  for (auto _ : state) {
    for (int i = 0; i < kBatch; ++i) {
      P copy = owner;
      memstrat::keep(copy);
    }
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}

template <class P, bool kMultiThreaded>
void BM_MakeDrop(benchmark::State& state) {
  if (!set_up<kMultiThreaded>(state)) return;
  for (auto _ : state) {
    for (int i = 0; i < kBatch; ++i) {
      P p = make_owner<P>();
      memstrat::keep(p);
    }
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}

template <bool kMultiThreaded>
void BM_NewDelete(benchmark::State& state) {
  if (!set_up<kMultiThreaded>(state)) return;
  for (auto _ : state) {
    for (int i = 0; i < kBatch; ++i) {
      Obj* p = new Obj;
      memstrat::keep(p);
      delete p;
    }
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}

using Rc = std::__shared_ptr<Obj, __gnu_cxx::_S_single>;
using Arc = std::shared_ptr<Obj>;

// Single-threaded process first: registration order is run order.
BENCHMARK_TEMPLATE(BM_CopyDrop, Rc, false)
    ->Name("shared/single_threaded/copy_drop/rc");
BENCHMARK_TEMPLATE(BM_CopyDrop, Arc, false)
    ->Name("shared/single_threaded/copy_drop/arc");
BENCHMARK_TEMPLATE(BM_MakeDrop, Rc, false)
    ->Name("shared/single_threaded/make_drop/rc");
BENCHMARK_TEMPLATE(BM_MakeDrop, Arc, false)
    ->Name("shared/single_threaded/make_drop/arc");
BENCHMARK_TEMPLATE(BM_NewDelete, false)
    ->Name("shared/single_threaded/new_delete");
BENCHMARK_TEMPLATE(BM_CopyDrop, Rc, true)
    ->Name("shared/multi_threaded/copy_drop/rc");
BENCHMARK_TEMPLATE(BM_CopyDrop, Arc, true)
    ->Name("shared/multi_threaded/copy_drop/arc");
BENCHMARK_TEMPLATE(BM_MakeDrop, Rc, true)
    ->Name("shared/multi_threaded/make_drop/rc");
BENCHMARK_TEMPLATE(BM_MakeDrop, Arc, true)
    ->Name("shared/multi_threaded/make_drop/arc");
BENCHMARK_TEMPLATE(BM_NewDelete, true)
    ->Name("shared/multi_threaded/new_delete");

}  // namespace
