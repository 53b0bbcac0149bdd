// The building blocks (src/work) against the C++'s test vectors
// ($MEMSTRAT_TEST_VECTORS, this build's memstrat_test_vectors): the
// generator's states and draws, below/between/chance/skewed, fmix32,
// mul_high32, the checksum, FNV-1a; and the 64-bit helpers' edges.
'use strict';

const assert = require('node:assert');
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const src = path.join(__dirname, '..', 'src', 'work');
const { Rng } = require(path.join(src, 'rng'));
const { Checksum } = require(path.join(src, 'checksum'));
const fnv = require(path.join(src, 'fnv'));
const u64 = require(path.join(src, 'u64'));

assert.ok(process.env.MEMSTRAT_TEST_VECTORS, 'MEMSTRAT_TEST_VECTORS must name memstrat_test_vectors');
const tv = JSON.parse(execFileSync(process.env.MEMSTRAT_TEST_VECTORS,
                                   { encoding: 'utf8', maxBuffer: 1 << 26 }));
let checks = 0;

function rngOf(seedHex) {
  const [hi, lo] = u64.halves(BigInt(seedHex));
  return new Rng(hi, lo);
}

for (const g of tv.generator) {
  const rng = rngOf(g.seed);
  assert.deepStrictEqual(rng.state(), g.state, `state of seed ${g.seed}`);
  assert.deepStrictEqual(g.next.map(() => rng.next() >>> 0), g.next, `next() of seed ${g.seed}`);
  checks += 2;
}
for (const b of tv.below) {
  const rng = rngOf(tv.draw_seed);
  assert.deepStrictEqual(b.out.map(() => rng.below(b.n)), b.out, `below(${b.n})`);
  checks++;
}
for (const b of tv.between) {
  const rng = rngOf(tv.draw_seed);
  assert.deepStrictEqual(b.out.map(() => rng.between(b.lo, b.hi)), b.out,
                         `between(${b.lo}, ${b.hi})`);
  checks++;
}
for (const c of tv.chance) {
  const rng = rngOf(tv.draw_seed);
  assert.deepStrictEqual(c.out.map(() => rng.chance(c.num, c.den)), c.out,
                         `chance(${c.num}, ${c.den})`);
  checks++;
}
for (const s of tv.skewed) {
  const rng = rngOf(tv.draw_seed);
  assert.deepStrictEqual(s.out.map(() => rng.skewed(s.n, s.power)), s.out,
                         `skewed(${s.n}, ${s.power})`);
  checks++;
}
for (const f of tv.fmix32) {
  assert.strictEqual(u64.fmix32(f.in) >>> 0, f.out, `fmix32(${f.in})`);
  checks++;
}
for (const m of tv.mul_high32) {
  assert.strictEqual(u64.mulHigh32(m.a, m.b), m.out, `mul_high32(${m.a}, ${m.b})`);
  assert.strictEqual(u64.mulHigh32(m.a | 0, m.b | 0), m.out, `mul_high32 of int32 words`);
  checks++;
}
for (const c of tv.checksum) {
  const sum = new Checksum();
  for (const k of c.add32 || []) {
    sum.add32(k);
  }
  for (const v of c.add || []) {
    const [hi, lo] = u64.halves(BigInt(v));
    sum.add64(hi, lo);
  }
  assert.strictEqual(u64.hex64(sum.value()), c.value, `checksum ${JSON.stringify(c)}`);
  assert.strictEqual(u64.hex64(sum.value()), c.value, 'value() changes no state');
  assert.strictEqual(u64.hex64(u64.toBigInt(sum.valueHi(), sum.valueLo())), c.value,
                     'valueHi/valueLo are value()');
  // add(v) of a number below 2^53 is add64 of its halves.
  if (c.add && c.add.every((v) => BigInt(v) < 2n ** 53n)) {
    const again = new Checksum();
    for (const v of c.add) {
      again.add(Number(BigInt(v)));
    }
    assert.strictEqual(u64.hex64(again.value()), c.value, `checksum add() ${JSON.stringify(c)}`);
  }
  sum.reset();
  assert.strictEqual(u64.hex64(sum.value()), tv.checksum[0].value, 'reset() is a new Checksum');
  checks++;
}
for (const f of tv.fnv1a32) {
  assert.strictEqual(fnv.hash(f.in) >>> 0, f.out, `fnv1a32(${JSON.stringify(f.in)})`);
  const bytes = Buffer.from(f.in, 'latin1');
  assert.strictEqual(fnv.hashBytes(bytes, 0, bytes.length) >>> 0, f.out, 'fnv1a32 over bytes');
  checks++;
}
for (const f of tv.fnv1a32_word) {
  assert.strictEqual(fnv.word(f.h, f.word) >>> 0, f.out, `fnv1a32_word(${f.h}, ${f.word})`);
  checks++;
}

// The helpers the spec's JavaScript notes name.
assert.strictEqual(u64.countrZero(0), 32);
assert.strictEqual(u64.countrZero(1), 0);
assert.strictEqual(u64.countrZero(0x80000000 | 0), 31);
assert.strictEqual(u64.countrZero(96), 5);
assert.deepStrictEqual(u64.halves(0x6c6973745f636875n), [0x6c697374, 0x5f636875]);
assert.strictEqual(u64.hex64(u64.toBigInt(0xffffffff | 0, -1)), '0xffffffffffffffff');
// seed + k carries into the high word, as the C++'s 64-bit sum.
const a = new Rng(0, 0);
a.reseedPlus(0, 0xffffffff, 1);
assert.deepStrictEqual(a.state(), new Rng(1, 0).state(), 'reseedPlus carries');
checks += 7;
console.log(`work_vectors: ${checks} checks agree with the C++ test vectors`);
