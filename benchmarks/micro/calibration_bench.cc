// Calibration loops for memstrat_micro: how much this machine's timings move
// when the code and the data do not. scripts/run times them in every round,
// interleaved with the matrix, and records their spread as the run's noise
// floor: a difference between strategies smaller than that is not a finding.
//
//   compute: a fixed chain of integer multiply-xorshift steps (registers only)
//   memory:  a pointer chase through one random cycle over kChaseBytes,
//            built once, so every step is a dependent load that misses the
//            caches the way the workloads' large live sets do
//
// Neither allocates while timed. The memory loop is the honest floor for the
// workloads, which are memory-bound: on a shared host it is the caches and
// memory bandwidth that neighbours disturb, more than the ALUs.
#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <numeric>
#include <random>
#include <utility>
#include <vector>

namespace {

/// Steps per iteration of the compute loop. Larger makes an iteration
/// longer; the spread, not the time, is what the loop is for.
constexpr std::int64_t kComputeSteps = 1 << 20;

void BM_CalibrationCompute(benchmark::State& state) {
  std::uint64_t x = 0x9e3779b97f4a7c15ULL;
  for (auto _ : state) {
    for (std::int64_t i = 0; i < kComputeSteps; ++i) {
      x ^= x >> 29;
      x *= 0xbf58476d1ce4e5b9ULL;
    }
    benchmark::DoNotOptimize(x);
  }
  state.SetItemsProcessed(state.iterations() * kComputeSteps);
}
BENCHMARK(BM_CalibrationCompute)->Name("calibration/compute");

/// The chased array: 32 MiB, larger than the last-level cache a 2-core
/// virtual machine sees, about the size of the workloads' peak live sets.
constexpr std::size_t kChaseBytes = std::size_t{32} << 20;
constexpr std::size_t kChaseSteps = 1 << 16;

// Sattolo's shuffle: one cycle through every slot, so the chase never
// settles into a short loop that fits in the cache. Built once per process:
// Google Benchmark calls the function again for every repetition.
const std::vector<std::uint32_t>& chase_cycle() {
  static const std::vector<std::uint32_t> next = [] {
    std::vector<std::uint32_t> v(kChaseBytes / sizeof(std::uint32_t));
    std::iota(v.begin(), v.end(), 0U);
    std::mt19937_64 rng(42);
    for (std::size_t i = v.size() - 1; i > 0; --i) {
      std::uniform_int_distribution<std::size_t> pick(0, i - 1);
      std::swap(v[i], v[pick(rng)]);
    }
    return v;
  }();
  return next;
}

void BM_CalibrationMemory(benchmark::State& state) {
  const std::vector<std::uint32_t>& next = chase_cycle();
  std::uint32_t at = 0;
  for (auto _ : state) {
    for (std::size_t i = 0; i < kChaseSteps; ++i) at = next[at];
    benchmark::DoNotOptimize(at);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(kChaseSteps));
}
BENCHMARK(BM_CalibrationMemory)->Name("calibration/memory");

}  // namespace
