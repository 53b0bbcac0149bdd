// lifetime_mix: a synthetic allocation trace, sizes skewed towards small
// (16 B to 4 KiB) with rare large objects (64 KiB to 1 MiB) and
// near-exponential lifetimes, each object dropped off a timing wheel at its
// drawn death step: fragmentation under mixed lifetimes. For V8 it is a heap
// of byte buffers of every size dying in no order a generation boundary
// follows (a Uint8Array's bytes above 64 live outside V8's heap: see
// docs/workloads.md's JavaScript notes).
'use strict';

const { Checksum } = require('../work/checksum');
const { Rng } = require('../work/rng');
const { countrZero, halves } = require('../work/u64');
const { checkParams } = require('../work/workload');

const [SEED_HI, SEED_LO] = halves(0x6c69666574696d65n);
const MAX_STEPS = 10000000;
const MAX_MEAN_LIFE = 100000;
const MIN_SIZE = 16;
const SIZE_CLASSES = 8;
const LARGE_ONE_IN = 1000;
const LARGE_MIN = 64 * 1024;
const LARGE_MAX = 1024 * 1024;
// The wheel holds at least this many mean lifetimes.
const WHEEL_MEANS = 16;
// A step is about a hundred nanoseconds: report every 32nd.
const STEPS_PER_UNIT = 32;

// A blob and its bytes are two objects, as the C++'s node and its vector's
// buffer are two allocations: the byte buffer is the variable-size
// allocation under study. A bucket is a LIFO list linked through `next`.
class Blob {
  constructor(data, next) {
    this.data = data;
    this.next = next;
  }
}

// The stamps are 64-bit little-endian words in the bytes, as the C++'s on
// x86; every stamp here is below 2^32, so the high word is written as 0.
function writeWord(d, at, v) {
  d[at] = v;
  d[at + 1] = v >>> 8;
  d[at + 2] = v >>> 16;
  d[at + 3] = v >>> 24;
  d[at + 4] = 0;
  d[at + 5] = 0;
  d[at + 6] = 0;
  d[at + 7] = 0;
}

function readLow(d, at) {
  return d[at] | (d[at + 1] << 8) | (d[at + 2] << 16) | (d[at + 3] << 24);
}

// Folds a bucket's blobs into the checksum, from its front, and drops them.
function freeBucket(wheel, slot, sum) {
  let blob = wheel[slot];
  wheel[slot] = null;
  while (blob !== null) {
    const next = blob.next;
    blob.next = null;
    const d = blob.data;
    const n = d.length;
    sum.add64(readLow(d, 4), readLow(d, 0));
    sum.add64(readLow(d, n - 4) ^ n, readLow(d, n - 8));
    blob = next;
  }
}

// Three draws whatever the outcome, as the C++'s draw_size.
function drawSize(rng) {
  const large = rng.chance(1, LARGE_ONE_IN);
  const classBits = rng.next();
  const offset = rng.next() >>> 0;
  if (large) {
    return LARGE_MIN + offset % (LARGE_MAX - LARGE_MIN + 1);
  }
  const k = Math.min(countrZero(classBits), SIZE_CLASSES - 1);
  const lo = MIN_SIZE << k;
  const width = k === SIZE_CLASSES - 1 ? lo + 1 : lo;
  return lo + offset % width;
}

// k blocks of h steps (k geometric), plus a uniform offset in the block,
// capped at the wheel size minus one, as the C++'s draw_life.
function drawLife(rng, mean, wheelSlots) {
  const block = Math.max(1, Math.floor((2 * mean + 1) / 3));
  const k = countrZero(rng.next());
  const drawn = k * block + rng.below(block);
  return 1 + Math.min(drawn, wheelSlots - 2);
}

function run(params, obs, counts) {
  checkParams('lifetime_mix', params, [['steps', 1, MAX_STEPS], ['mean_life', 1, MAX_MEAN_LIFE]]);
  const steps = params[0];
  const meanLife = params[1];
  const sum = new Checksum();
  const rng = new Rng(SEED_HI, SEED_LO);
  // bit_ceil(16 mean_life + 1): at most 2^21.
  const wheelSlots = 1 << (32 - Math.clz32(WHEEL_MEANS * meanLife));
  const mask = wheelSlots - 1;
  const wheel = new Array(wheelSlots).fill(null);
  counts.buffers++;
  for (let t = 0; t < steps; t++) {
    freeBucket(wheel, t & mask, sum);
    const bytes = drawSize(rng);
    const life = drawLife(rng, meanLife, wheelSlots);
    const slot = (t + life) & mask;
    const data = new Uint8Array(bytes);
    const blob = new Blob(data, wheel[slot]);
    counts.objects++;
    counts.buffers++;
    writeWord(data, 0, t);
    writeWord(data, bytes - 8, life);
    wheel[slot] = blob;
    if ((t + 1) % STEPS_PER_UNIT === 0) {
      obs.unitDone();
    }
  }
  for (let i = 0; i < wheelSlots; i++) {
    freeBucket(wheel, (steps + i) & mask, sum);
  }
  return sum.value();
}

module.exports = {
  name: 'lifetime_mix',
  unit: 'step',
  paramNames: ['steps', 'mean_life'],
  small: [10000, 100],
  defaults: [200000, 10000],
  notApplicable: null,
  run,
};
