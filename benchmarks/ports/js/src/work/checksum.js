// The workloads' result digest (docs/workloads.md, "The checksum"): two
// MurmurHash3_x86_32 lanes, the second fed the first's new value, and a
// count, finalised with fmix32. Order-sensitive. The state is three int32
// fields; value() makes the one BigInt of a run, valueHi()/valueLo() give
// the same 64 bits as two int32 words for a digest taken per item.
'use strict';

const { TWO32, fmix32, toBigInt } = require('./u64');

function block(h, k) {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

class Checksum {
  constructor() {
    this.a = 0x6d656d73;
    this.b = 0x74726174;
    this.n = 0;
  }

  // Starts over as a new Checksum: for a per-item digest (a stack value in C++).
  reset() {
    this.a = 0x6d656d73;
    this.b = 0x74726174;
    this.n = 0;
  }

  // One 32-bit word (any number whose low 32 bits are meant).
  add32(k) {
    const a = block(this.a, k | 0);
    this.a = a;
    this.b = block(this.b, (k ^ a) | 0);
    this.n = (this.n + 1) | 0;
  }

  // A 64-bit value given as an integer 0 <= v < 2^53.
  add(v) {
    const hi = Math.floor(v / TWO32);
    this.add32(v - hi * TWO32);
    this.add32(hi);
  }

  // A 64-bit value given as its uint32 halves.
  add64(hi, lo) {
    this.add32(lo);
    this.add32(hi);
  }

  valueHi() {
    return fmix32(this.b ^ this.n);
  }

  valueLo() {
    return fmix32(this.a ^ this.n);
  }

  // The full 64-bit value as a BigInt: once per run, off the hot path.
  value() {
    return toBigInt(this.valueHi(), this.valueLo());
  }
}

module.exports = { Checksum };
