// lru_cache: a long-lived cache under steady churn, as in front of a database
// or a remote service: a hit moves its entry to the front, a miss makes an
// entry and, once the cache is full, evicts the least recently used one. A
// large live set with continuous death of old objects: the collector traces
// the whole cache to find the few evicted entries.
//
// Where JS differs from the C++'s HashMap<uint64_t, Owner<Entry>> with an
// intrusive doubly linked list through the entries:
// - The list is the C++'s own (prev/next fields of the entries). The map is
//   a JS Map from the key (an int32, so a Smi: no number is boxed per
//   lookup) to its Entry; V8's Map keeps its entries in its own table (no
//   node per entry, which cannot be seen or counted).
// - A value is a JS array of its words, one element (8 bytes: an int32 Smi,
//   node 18 has no pointer compression) per 8-byte word of the C++'s byte
//   vector, one counted buffer. Not a typed array: V8 keeps a typed array's
//   bytes above 64 outside its heap, where the collector's heap limit does
//   not see them (docs/workloads.md, the JavaScript notes).
'use strict';

const { Checksum } = require('../work/checksum');
const fnv = require('../work/fnv');
const { Rng } = require('../work/rng');
const { checkParams } = require('../work/workload');

const SEED_LO = 0x6c727563;
const KEY_SPACE_FACTOR = 2;
const MIN_VALUE_WORDS = 4;
const MAX_VALUE_WORDS = 64;
const MAX_CAPACITY = 100000000;
const MAX_REQUESTS = 10000000000;

// prev and next link the LRU list: prev points towards the head.
class Entry {
  constructor(key, value) {
    this.key = key;
    this.value = value;
    this.prev = null;
    this.next = null;
  }
}

// The list's ends: head most recently used, tail next to evict.
class LruList {
  constructor() {
    this.head = null;
    this.tail = null;
  }

  unlink(e) {
    if (e.prev !== null) {
      e.prev.next = e.next;
    } else {
      this.head = e.next;
    }
    if (e.next !== null) {
      e.next.prev = e.prev;
    } else {
      this.tail = e.prev;
    }
  }

  pushFront(e) {
    e.prev = null;
    e.next = this.head;
    if (this.head !== null) {
      this.head.prev = e;
    } else {
      this.tail = e;
    }
    this.head = e;
  }
}

// FNV over the words' low halves, starting from the value's byte size.
function digest(value) {
  let h = value.length * 8;
  for (let j = 0; j < value.length; j++) {
    h = fnv.word(h, value[j]);
  }
  return h;
}

function run(params, obs, counts) {
  checkParams('lru_cache', params, [['capacity', 1, MAX_CAPACITY], ['requests', 1, MAX_REQUESTS]]);
  const capacity = params[0];
  const requests = params[1];
  const sum = new Checksum();
  const map = new Map();
  const lru = new LruList();
  const rng = new Rng(0, SEED_LO);
  const keySpace = KEY_SPACE_FACTOR * capacity;
  let hits = 0;
  for (let r = 0; r < requests; r++) {
    obs.requestBegin();
    // The odd multiplier, a bijection mod 2^32, scatters popular ranks.
    const key = Math.imul(rng.skewed(keySpace, 3), 0x9e3779b9);
    let e = map.get(key);
    if (e !== undefined) {
      lru.unlink(e);
      lru.pushFront(e);
      sum.add32(digest(e.value));
      hits++;
    } else {
      const words = rng.between(MIN_VALUE_WORDS, MAX_VALUE_WORDS);
      const value = new Array(words).fill(0);
      counts.buffers++;
      for (let j = 0; j < words; j++) {
        value[j] = Math.imul(key, j + 1);
      }
      e = new Entry(key, value);
      counts.objects++;
      map.set(key, e);
      lru.pushFront(e);
      if (map.size > capacity) {
        const victim = lru.tail;
        lru.unlink(victim);
        sum.add32(victim.key);
        map.delete(victim.key);
      }
    }
    obs.requestEnd();
    obs.unitDone();
  }
  sum.add(hits);
  sum.add(map.size);
  return sum.value();
}

module.exports = {
  name: 'lru_cache',
  unit: 'request',
  paramNames: ['capacity', 'requests'],
  small: [1000, 10000],
  defaults: [20000, 400000],
  notApplicable: null,
  run,
};
