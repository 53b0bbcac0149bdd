// string_dict: word counting, the core of a symbol table or an interner: a
// stream of words from a skewed vocabulary counted in a hash map keyed by
// strings. Many small keys, the map's entries, the tables it outgrows, and
// the pointer chasing of lookups among them.
//
// Where JS differs from the C++'s std::unordered_map<String, uint64_t>:
// - The map is this file's own chained table (a JS Map would need a key
//   string per lookup, garbage the C++'s transparent find never makes): an
//   Entry per key (the C++'s node: key, hash, count, chain link), buckets in
//   a JS array doubled at a load of 1 (libstdc++: to the next prime), each
//   table a counted buffer, the outgrown ones left dead as there.
// - A key is a JS string made on a miss only (V8's string storage cannot be
//   seen or counted); a word is spelled into one reused byte buffer and
//   looked up by its bytes, as the C++ spells into one reused String.
// - The per-word generator and the per-entry Checksum are reused objects
//   (stack values in C++).
'use strict';

const { Checksum } = require('../work/checksum');
const fnv = require('../work/fnv');
const { Rng } = require('../work/rng');
const { halves } = require('../work/u64');
const { checkParams } = require('../work/workload');

const [SEED_HI, SEED_LO] = halves(0x737472696e675f64n);
const [SPELL_HI, SPELL_LO] = halves(0x776f72645f746578n);
const MAX_WORDS = 1000000000;
// 26^5: an index spells in at most 5 base-26 digits.
const MAX_VOCABULARY = 11881376;
const MIN_LENGTH = 3;
const MAX_LENGTH = 24;
const SKEW = 3;
// A word is about a hundred nanoseconds: report every 32nd.
const WORDS_PER_UNIT = 32;
const FIRST_BUCKETS = 16;

class Entry {
  constructor(key, hash, next) {
    this.key = key;
    this.hash = hash;
    this.count = 1;
    this.next = next;
  }
}

class Dict {
  constructor(counts) {
    this.buckets = new Array(FIRST_BUCKETS).fill(null);
    counts.buffers++;
    this.mask = FIRST_BUCKETS - 1;
    this.size = 0;
  }

  // The entry spelled by bytes[0, length) with FNV-1a `hash`, or null.
  find(bytes, length, hash) {
    for (let e = this.buckets[hash & this.mask]; e !== null; e = e.next) {
      if (e.hash === hash && same(e.key, bytes, length)) {
        return e;
      }
    }
    return null;
  }

  insert(key, hash, counts) {
    if (this.size + 1 > this.buckets.length) {
      this.grow(counts);
    }
    const slot = hash & this.mask;
    this.buckets[slot] = new Entry(key, hash, this.buckets[slot]);
    this.size++;
  }

  grow(counts) {
    const old = this.buckets;
    const n = 2 * old.length;
    const buckets = new Array(n).fill(null);
    counts.buffers++;
    const mask = n - 1;
    for (let i = 0; i < old.length; i++) {
      let e = old[i];
      while (e !== null) {
        const next = e.next;
        e.next = buckets[e.hash & mask];
        buckets[e.hash & mask] = e;
        e = next;
      }
    }
    this.buckets = buckets;
    this.mask = mask;
  }
}

function same(key, bytes, length) {
  if (key.length !== length) {
    return false;
  }
  for (let i = 0; i < length; i++) {
    if (key.charCodeAt(i) !== bytes[i]) {
      return false;
    }
  }
  return true;
}

// Base-26 digits of vocabulary - 1, at least one.
function indexDigits(vocabulary) {
  let d = 1;
  for (let v = Math.floor((vocabulary - 1) / 26); v > 0; v = Math.floor(v / 26)) {
    d++;
  }
  return d;
}

// Spells word `index` into `out` (random letters, then the index's digits,
// least significant first) and returns its length: no allocation.
function spell(index, digits, letters, out) {
  letters.reseedPlus(SPELL_HI, SPELL_LO, index);
  const length = letters.between(Math.max(MIN_LENGTH, digits), MAX_LENGTH);
  // 26^6 < 2^32: one draw spells 6 letters.
  let bits = 0;
  for (let i = 0; i < length - digits; i++) {
    if (i % 6 === 0) {
      bits = letters.next() >>> 0;
    }
    out[i] = 97 + bits % 26;
    bits = (bits / 26) >>> 0;
  }
  for (let i = length - digits; i < length; i++) {
    out[i] = 97 + index % 26;
    index = (index / 26) | 0;
  }
  return length;
}

function run(params, obs, counts) {
  checkParams('string_dict', params, [['words', 1, MAX_WORDS], ['vocabulary', 1, MAX_VOCABULARY]]);
  const words = params[0];
  const vocabulary = params[1];
  const sum = new Checksum();
  const rng = new Rng(SEED_HI, SEED_LO);
  const digits = indexDigits(vocabulary);
  const letters = new Rng(SPELL_HI, SPELL_LO);
  const probe = Buffer.alloc(MAX_LENGTH);
  counts.buffers++;
  const dict = new Dict(counts);
  for (let n = 0; n < words; n++) {
    const length = spell(rng.skewed(vocabulary, SKEW), digits, letters, probe);
    const hash = fnv.hashBytes(probe, 0, length);
    const found = dict.find(probe, length, hash);
    if (found !== null) {
      found.count++;
    } else {
      dict.insert(probe.toString('latin1', 0, length), hash, counts);
    }
    if ((n + 1) % WORDS_PER_UNIT === 0) {
      obs.unitDone();
    }
  }
  // A sum of per-entry digests: the map's iteration order reaches nothing.
  let low = 0;
  let high = 0;
  const entry = new Checksum();
  for (let i = 0; i < dict.buckets.length; i++) {
    for (let e = dict.buckets[i]; e !== null; e = e.next) {
      entry.reset();
      entry.add32(e.hash);
      entry.add(e.count);
      low = (low + entry.valueLo()) | 0;
      high = (high + entry.valueHi()) | 0;
    }
  }
  sum.add(dict.size);
  sum.add32(low);
  sum.add32(high);
  return sum.value();
}

module.exports = {
  name: 'string_dict',
  unit: 'word',
  paramNames: ['words', 'vocabulary'],
  small: [20000, 2000],
  defaults: [400000, 40000],
  notApplicable: null,
  run,
};
