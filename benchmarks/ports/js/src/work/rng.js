// The workloads' only random source (docs/workloads.md, "The generator"):
// xoshiro128** 1.1 seeded through fmix32, with Lemire's unbiased below() and
// the derived draws. State in four int32 fields of one monomorphic object;
// every draw is a plain number (no BigInt), so JS draws the C++'s numbers.
// next() returns the word as an int32 (read it unsigned with `>>> 0`);
// below(), between() and skewed() return their (small) results as is.
'use strict';

const { TWO32, rotl, fmix32, mulHigh32 } = require('./u64');

const GOLDEN = 0x9e3779b9;

function seedWord(lo, hi, i) {
  return fmix32((lo + Math.imul(2 * i + 1, GOLDEN)) | 0) ^
         fmix32((hi + Math.imul(2 * i + 2, GOLDEN)) | 0);
}

class Rng {
  // The seed hi * 2^32 + lo, as uint32 halves.
  constructor(hi, lo) {
    this.s0 = 0;
    this.s1 = 0;
    this.s2 = 0;
    this.s3 = 0;
    this.reseed(hi, lo);
  }

  // Starts over as new Rng(hi, lo) would: a workload drawing per item from
  // a seed of its own reseeds one generator (the C++'s is a stack value).
  reseed(hi, lo) {
    this.s0 = seedWord(lo, hi, 0);
    this.s1 = seedWord(lo, hi, 1);
    this.s2 = seedWord(lo, hi, 2);
    this.s3 = seedWord(lo, hi, 3);
    // xoshiro's only bad state; no workload seed reaches it.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) {
      this.s0 = GOLDEN | 0;
    }
  }

  // Reseeds with the seed (hi, lo) + k, for 0 <= k < 2^32 (the workloads'
  // per-item seeds, "seed + i" as a 64-bit sum).
  reseedPlus(hi, lo, k) {
    const sum = (lo >>> 0) + k;
    if (sum >= TWO32) {
      this.reseed((hi + 1) | 0, sum - TWO32);
    } else {
      this.reseed(hi, sum);
    }
  }

  // The next 32-bit word, as an int32.
  next() {
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 = s1 ^ this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  // Uniform in [0, n), 1 <= n <= 2^32 - 1 (Lemire's multiply-shift with
  // rejection): one draw, more only on a rejection.
  below(n) {
    let x = this.next();
    let low = Math.imul(x, n) >>> 0;
    if (low < n) {
      const threshold = (TWO32 - n) % n;
      while (low < threshold) {
        x = this.next();
        low = Math.imul(x, n) >>> 0;
      }
    }
    return mulHigh32(x, n);
  }

  // Uniform in [lo, hi]; hi - lo + 1 must be in [1, 2^32 - 1].
  between(lo, hi) {
    return lo + this.below(hi - lo + 1);
  }

  // True with probability num / den: one below(den).
  chance(num, den) {
    return this.below(den) < num;
  }

  // floor(n u^power) for u = next() / 2^32, in [0, n): a skewed index.
  skewed(n, power) {
    const u = this.next();
    let x = u;
    for (let i = 1; i < power; i++) {
      x = mulHigh32(x, u);
    }
    return mulHigh32(x, n);
  }

  // The state words, for the generator's test vector.
  state() {
    return [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0];
  }
}

module.exports = { Rng, GOLDEN };
