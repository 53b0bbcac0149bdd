// The histogram against the C++'s: bucket_of, low and high of fixed values,
// and count, total, min, max and quantiles of those values plus 10,000
// xorshift ones, as benchmarks/harness/histogram.cc computes them (printed by
// benchmarks/ports/rust/tests/histogram_vector.cc, the Rust and Java ports'
// vector); then the stall threshold and metered latency on hand-made inputs.
'use strict';

const assert = require('node:assert');
const path = require('node:path');
const H = require(path.join(__dirname, '..', 'src', 'harness', 'histogram'));
const { Stalls } = require(path.join(__dirname, '..', 'src', 'harness', 'stalls'));
const { Latency } = require(path.join(__dirname, '..', 'src', 'harness', 'latency'));
const { Steady, window } = require(path.join(__dirname, '..', 'src', 'harness', 'steady'));

// (value, bucket, low, high) from histogram_vector.cc.
const BUCKETS = [
  [0, 0, 0, 0], [1, 1, 1, 1], [5, 5, 5, 5], [127, 127, 127, 127], [128, 128, 128, 128],
  [129, 129, 129, 129], [130, 130, 130, 130], [255, 255, 255, 255], [256, 256, 256, 257],
  [257, 256, 256, 257], [383, 319, 382, 383], [384, 320, 384, 385], [1000, 506, 1000, 1003],
  [4095, 767, 4080, 4095], [4096, 768, 4096, 4127], [12345, 960, 12288, 12351],
  [99999, 1347, 99840, 100351], [1048576, 1792, 1048576, 1056767],
  [1048577, 1792, 1048576, 1056767], [123456789, 2667, 123207680, 123731967],
  [1099511627776, 4352, 1099511627776, 1108101562367],
  [2199023255557, 4479, 2190433320960, 2199023255551], [-5, 0, 0, 0],
];
const QUANTILES = [
  [0, 0], [0.001, 1], [0.1, 3], [0.25, 55], [0.5, 10783], [0.9, 63307775],
  [0.99, 740294655], [0.999, 1042284543], [0.9999, 1103806595071], [1, 2199023255557],
];

for (const [v, b, lo, hi] of BUCKETS) {
  assert.strictEqual(H.bucketOf(v), b, `bucket_of(${v})`);
  assert.strictEqual(H.bucketLow(b), lo, `bucket_low(${b})`);
  assert.strictEqual(H.bucketHigh(b), hi, `bucket_high(${b})`);
}
assert.strictEqual(H.BUCKETS, 4480, 'bucket count');

const h = new H.Histogram();
for (const [v] of BUCKETS) h.record(v);
// The vector's xorshift64 (the test may use BigInt; the harness never does).
let x = 0x9e3779b97f4a7c15n;
const M = (1n << 64n) - 1n;
for (let i = 0; i < 10000; i++) {
  x ^= (x << 13n) & M;
  x ^= x >> 7n;
  x ^= (x << 17n) & M;
  const shift = x % 31n;
  h.record(Number((x >> 20n) & ((1n << shift) - 1n)) + 1);
}
assert.strictEqual(h.count(), 10023, 'count');
assert.strictEqual(h.total(), 3623523215067, 'total');
assert.strictEqual(h.min(), 0, 'min');
assert.strictEqual(h.max(), 2199023255557, 'max');
for (const [q, want] of QUANTILES) assert.strictEqual(h.quantile(q), want, `quantile(${q})`);
const s = h.summary();
assert.deepStrictEqual(Object.keys(s), ['count', 'total_ns', 'p50_ns', 'p90_ns', 'p99_ns', 'p999_ns', 'max_ns']);
assert.strictEqual(s.p99_ns, 740294655, 'summary p99');
h.reset();
assert.deepStrictEqual([h.count(), h.quantile(0.5), h.max(), h.min()], [0, 0, 0, 0], 'reset');

// Stalls: 100 gaps of 10 us and one of 5 ms (above max(1 ms, 10 x median));
// nothing before a run's first unit; the run's end closes its last gap.
const st = new Stalls();
st.beginRun();
let t = 1e9;
for (let i = 0; i < 100; i++) { st.unitAt(t); t += 10000; }
st.unitAt(t + 5e6);
st.endRunAt(t + 5e6 + 10000);
assert.strictEqual(st.gaps.count(), 101, 'gaps: 100 between 101 units, plus the end');
assert.strictEqual(st.thresholdNs(), 1000000, 'threshold floor');
const ev = st.events(1e9);
assert.deepStrictEqual(ev, [{ start_ns: 990000, duration_ns: 5010000 }], 'one stall, from the last unit before it');

// Latency: evenly spaced requests of 1 us, one held up 3 ms: the simple
// latency sees one slow request, the metered latency also the ones queued
// behind it.
const lat = new Latency();
lat.reserve(100);
lat.beginRun();
let b = 0;
for (let i = 0; i < 100; i++) {
  const e = b + (i === 50 ? 3e6 : 1000);
  lat.record(b, e);
  b = Math.max(b + 100000, e);
}
lat.analyse();
const j = lat.toJson();
assert.strictEqual(j.requests, 100);
assert.strictEqual(j.simple.max_ns, 3e6, 'simple max');
assert.ok(j.metered_full.p90_ns > j.simple.p90_ns, 'metered counts the queue behind the slow one');
lat.record(0, 1);
assert.strictEqual(lat.toJson().requests_dropped, 1, 'a request beyond the reserved room is dropped');

// The warm-up rule: W from the run time; flat runs end it steady, after
// three agreeing blocks; a run time that keeps falling ends it at the cap.
assert.deepStrictEqual([window(1e9), window(1e3), window(1e7)], [3, 1000, 10]);
const flat = new Steady(0);
let n = 0;
while (!flat.add(1e7)) n++;
assert.ok(flat.isSteady(), 'flat runs are steady');
assert.strictEqual(flat.runs(), 1 + 3 * 10, 'the first run and three blocks of 10');
const falling = new Steady(0);
let ns = 5e6;
while (!falling.add(ns)) ns *= 0.997;
assert.ok(!falling.isSteady(), 'a falling run time ends at the cap');
assert.ok(falling.elapsedNs() >= 1e9, 'the cap: at least 1 s');
console.log('harness_histogram: ok');
