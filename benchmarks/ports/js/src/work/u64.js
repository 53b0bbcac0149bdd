// 32-bit word arithmetic for docs/workloads.md's 64-bit values, on plain
// numbers: a BigInt is a heap object, so the workloads' hot paths carry a
// 64-bit value as two 32-bit halves (hi, lo) and never make a BigInt. Only
// module constants (seeds) and a run's final checksum go through BigInt.
//
// A 32-bit word is held as an int32 (`| 0`, read unsigned with `>>> 0` only
// where it matters, as the Java port's ints): node 18 is built without
// pointer compression, so every int32 is a Smi, while a uint32 above 2^31
// is a heap number wherever V8 tags it (an object field, a call's return
// value): an allocation the C++ never makes.
'use strict';

const TWO32 = 4294967296;

function rotl(x, r) {
  return (x << r) | (x >>> (32 - r));
}

// MurmurHash3's finaliser.
function fmix32(h) {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

// The high word of the unsigned 32x32-bit product (the inputs' bits read
// unsigned), from 16-bit limbs: every partial product is below 2^32, so
// doubles hold them exactly. Unsigned: below()'s result, less than n.
function mulHigh32(a, b) {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const lo = a0 * b0;
  const m1 = a1 * b0;
  const m2 = a0 * b1;
  const mid = (lo >>> 16) + (m1 & 0xffff) + (m2 & 0xffff);
  return (a1 * b1 + (m1 >>> 16) + (m2 >>> 16) + (mid >>> 16)) >>> 0;
}

// Trailing zero bits, 32 for 0.
function countrZero(x) {
  return x === 0 ? 32 : 31 - Math.clz32(x & -x);
}

// A 64-bit constant as [hi, lo] uint32 halves (module load time only).
function halves(big) {
  const v = BigInt.asUintN(64, BigInt(big));
  return [Number(v >> 32n), Number(v & 0xffffffffn)];
}

// The BigInt of hi * 2^32 + lo: a run's result, made once at its end.
function toBigInt(hi, lo) {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

// "0x%016x" of a BigInt (the protocol's checksum text).
function hex64(big) {
  return '0x' + BigInt.asUintN(64, big).toString(16).padStart(16, '0');
}

module.exports = { TWO32, rotl, fmix32, mulHigh32, countrZero, halves, toBigInt, hex64 };
