// The warm-up rule (the Java port's Steady.java, for V8's tiers: Ignition's
// bytecode, Sparkplug's baseline code, TurboFan's optimised code): warm-up
// runs are discarded until the run time is steady.
//
//   blocks:  after the first run, the runs are taken in blocks of
//            W = clamp(ceil(100 ms / the latest run's time), 3, 1000) runs
//   steady:  at least --benchmark_min_warmup_time has passed, at least
//            three blocks have been run, and the latest block's median is
//            within 5% of the one before
//   cap:     the warm-up ends unsteady (steady = 0: "no steady state") once
//            it has taken min_warmup + clamp(30 x the first run, 1 s, 10 s)
//
// The Java rule asks the same two blocks to agree and the JIT compiler
// threads to have been quiet through the second. Node 18 names none of its
// threads (every thread's comm is "node") and V8's platform threads run the
// collector's concurrent work and TurboFan's concurrent compilation alike, so
// the JIT's CPU cannot be told apart: the first block, when TurboFan is
// likeliest still at work, never counts instead (a block of runs on baseline
// code that agrees with the next before TurboFan's code arrives cannot end
// the warm-up). Asking a third block to agree as well was tried: at the
// default sizes, one probe each, request_server, deep_structure and
// lru_cache then ran into the cap (unsteady): blocks of three runs, a
// mark-compact in some of them, differ by more than 5% (README, "Harness").
'use strict';

const SPREAD = 0.05;
const MIN_BLOCKS = 3;
const WINDOW_NS = 100000000;
const MIN_WINDOW = 3;
const MAX_WINDOW = 1000;
const CAP_MIN_NS = 1e9;
const CAP_MAX_NS = 10e9;
const CAP_FIRST_RUNS = 30;

function window(latestNs) {
  const t = Math.max(latestNs, 1);
  const w = Math.ceil(WINDOW_NS / t);
  return Math.max(MIN_WINDOW, Math.min(MAX_WINDOW, w));
}

function median(a, len) {
  const c = Array.prototype.slice.call(a, 0, len).sort((x, y) => x - y);
  const m = len >> 1;
  return len % 2 === 1 ? c[m] : (c[m - 1] + c[m]) / 2;
}

class Steady {
  constructor(minWarmupNs) {
    this.minWarmupNs = minWarmupNs;
    this.first = 0;
    this.n = 0;
    this.elapsed = 0;
    this.capNs = 0;
    this.block = new Float64Array(MAX_WINDOW);
    this.inBlock = 0;
    this.blockSize = 0;
    this.previousMedian = -1;
    this.blocks = 0;
    this.steady = false;
  }

  // Adds one warm-up run; returns true once the warm-up is over.
  add(ns) {
    this.n++;
    this.elapsed += ns;
    if (this.n === 1) {
      this.first = ns;
      this.capNs = this.minWarmupNs
        + Math.max(CAP_MIN_NS, Math.min(CAP_MAX_NS, CAP_FIRST_RUNS * ns));
      this.startBlock(ns);
      return this.elapsed >= this.capNs;
    }
    this.block[this.inBlock++] = ns;
    if (this.inBlock === this.blockSize) {
      const m = median(this.block, this.inBlock);
      this.blocks++;
      if (this.blocks >= MIN_BLOCKS && this.elapsed >= this.minWarmupNs
          && Math.abs(m - this.previousMedian) <= SPREAD * this.previousMedian) {
        this.steady = true;
        return true;
      }
      this.previousMedian = m;
      this.startBlock(ns);
    }
    return this.elapsed >= this.capNs;
  }

  startBlock(latest) {
    this.blockSize = window(latest);
    this.inBlock = 0;
  }

  isSteady() { return this.steady; }
  runs() { return this.n; }
  elapsedNs() { return this.elapsed; }
  firstNs() { return this.first; }
}

module.exports = { Steady, window, median, SPREAD, MIN_BLOCKS, CAP_MIN_NS, CAP_MAX_NS };
