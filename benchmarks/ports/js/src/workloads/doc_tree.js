// doc_tree: parse-and-discard of generated JSON documents, the
// request-scoped tree of mixed node types a service builds for every request
// (a parsed body, a config, an RPC payload) and drops when it answers: many
// small objects of different sizes made together and dead together.
//
// Where JS differs from the C++'s Value (one struct for every kind, with a
// String, a vector of members and a vector of items):
// - A member's key is a field of its value (the C++'s Member is a key and an
//   owner side by side in the members vector), so an object's members and an
//   array's items are one JS array of children, made at the first child (one
//   counted buffer) and grown by push (V8's growth cannot be seen).
// - A string or key is a JS string cut from the text, as JSON.parse makes
//   them (V8's string storage cannot be counted).
// - The text is one byte buffer reserved for the largest document, as the
//   C++'s; integers are written and read in place. The per-document
//   generator and the parser's position are reused scratch (stack values in
//   the C++).
// Recursion (generation, parse, walk) is at most MAX_DEPTH + 1 = 9 deep.
'use strict';

const { Checksum } = require('../work/checksum');
const fnv = require('../work/fnv');
const { hold } = require('../work/counts');
const { Rng } = require('../work/rng');
const { checkParams } = require('../work/workload');

const SEED_LO = 0x6a736f6e;
const MAX_DEPTH = 8;
const MAX_FANOUT = 8;
const CONTAINER_PERCENT = 20;
const STRING_PERCENT = 45;
const LONG_STRING_PERCENT = 40;
const MAX_STRING_LENGTH = 120;
const MAX_KEY_LENGTH = 20;
const MAX_MAGNITUDE = 999999999;
// A comma, a key with its quotes and colon, the longest quoted string.
const MAX_VALUE_BYTES = 1 + (MAX_KEY_LENGTH + 3) + (MAX_STRING_LENGTH + 2);
const MAX_DOCUMENTS = 100000000;
const MAX_NODES = 1000000;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-';
const ARRAY_TAG = 1 << 30;
const OBJECT_TAG = 2 << 30;
const NUMBER = 0;
const STRING = 1;
const ARRAY = 2;
const OBJECT = 3;

// One class for every kind, as tagged-union DOMs do; only its kind's fields
// are set, and a value with no text or children allocates nothing more.
class Value {
  constructor(kind, number, text) {
    this.kind = kind;
    this.number = number;
    this.text = text;
    // Its key in the object holding it; null in an array or at the root.
    this.key = null;
    this.children = null;
  }
}

function addChild(v, child, counts) {
  if (v.children === null) {
    v.children = [child];
    counts.buffers++;
  } else {
    v.children.push(child);
  }
}

// The run's scratch: the text buffer and its length, the generator, the
// generation budget and the parser's position.
class Doc {
  constructor(size) {
    this.text = Buffer.alloc(size);
    this.length = 0;
    this.rng = new Rng(0, SEED_LO);
    this.budget = 0;
    this.pos = 0;
  }

  put(c) {
    this.text[this.length++] = c;
  }
}

// --- Generation: exactly `nodes` values, the root an object. ---

function generate(doc, nodes) {
  doc.budget = nodes - 1;
  doc.put(0x7b); // '{'
  for (let first = true; doc.budget > 0; first = false) {
    if (!first) {
      doc.put(0x2c); // ','
    }
    appendKey(doc);
    generateValue(doc, 1);
  }
  doc.put(0x7d); // '}'
}

function generateValue(doc, depth) {
  const rng = doc.rng;
  doc.budget--;
  const r = rng.below(100);
  if (r < CONTAINER_PERCENT && depth < MAX_DEPTH) {
    const object = r < CONTAINER_PERCENT / 2;
    doc.put(object ? 0x7b : 0x5b);
    const fanout = rng.between(1, MAX_FANOUT);
    for (let i = 0; i < fanout && doc.budget > 0; i++) {
      if (i > 0) {
        doc.put(0x2c);
      }
      if (object) {
        appendKey(doc);
      }
      generateValue(doc, depth + 1);
    }
    doc.put(object ? 0x7d : 0x5d);
  } else if (r < CONTAINER_PERCENT + STRING_PERCENT) {
    const length = rng.chance(LONG_STRING_PERCENT, 100)
      ? rng.between(16, MAX_STRING_LENGTH)
      : rng.between(1, 15);
    appendString(doc, length);
  } else {
    const n = rng.chance(1, 2) ? rng.between(0, 999) : rng.between(-MAX_MAGNITUDE, MAX_MAGNITUDE);
    appendInteger(doc, n);
  }
}

function appendKey(doc) {
  appendString(doc, doc.rng.between(2, MAX_KEY_LENGTH));
  doc.put(0x3a); // ':'
}

// 6 bits a character, 5 characters per draw, low bits first.
function appendString(doc, length) {
  doc.put(0x22);
  let bits = 0;
  for (let i = 0; i < length; i++) {
    if (i % 5 === 0) {
      bits = doc.rng.next();
    }
    doc.put(ALPHABET.charCodeAt(bits & 63));
    bits >>>= 6;
  }
  doc.put(0x22);
}

// Decimal, written in place.
function appendInteger(doc, n) {
  if (n < 0) {
    doc.put(0x2d);
    n = -n;
  }
  let scale = 1;
  while (scale * 10 <= n) {
    scale *= 10;
  }
  for (; scale >= 1; scale /= 10) {
    doc.put(48 + Math.floor(n / scale) % 10);
  }
}

// --- Parsing: the generator's output is well formed by construction, so
// the parser checks nothing: the allocation pattern of a DOM parser. ---

function parseValue(doc, counts) {
  const text = doc.text;
  const c = text[doc.pos];
  if (c === 0x7b) {
    doc.pos++;
    const v = make(OBJECT, 0, null, counts);
    while (text[doc.pos] !== 0x7d) {
      const key = parseString(doc);
      doc.pos++; // ':'
      const child = parseValue(doc, counts);
      child.key = key;
      addChild(v, child, counts);
      if (text[doc.pos] === 0x2c) {
        doc.pos++;
      }
    }
    doc.pos++;
    return v;
  }
  if (c === 0x5b) {
    doc.pos++;
    const v = make(ARRAY, 0, null, counts);
    while (text[doc.pos] !== 0x5d) {
      addChild(v, parseValue(doc, counts), counts);
      if (text[doc.pos] === 0x2c) {
        doc.pos++;
      }
    }
    doc.pos++;
    return v;
  }
  if (c === 0x22) {
    return make(STRING, 0, parseString(doc), counts);
  }
  const negative = c === 0x2d;
  if (negative) {
    doc.pos++;
  }
  let n = 0;
  for (let d = text[doc.pos]; d >= 0x30 && d <= 0x39; d = text[++doc.pos]) {
    n = 10 * n + (d - 0x30);
  }
  return make(NUMBER, negative ? -n : n, null, counts);
}

// The text between the quotes at pos, leaving pos after them.
function parseString(doc) {
  const begin = doc.pos + 1;
  let end = begin;
  while (doc.text[end] !== 0x22) {
    end++;
  }
  doc.pos = end + 1;
  return doc.text.toString('latin1', begin, end);
}

function make(kind, number, text, counts) {
  counts.objects++;
  return new Value(kind, number, text);
}

// --- Walking: every value in document order, one 32-bit word each: an
// integer as its two's complement, a string or key as its FNV-1a, an array
// or object as a tag in the top two bits over its child count. ---

function walk(v, sum) {
  const children = v.children;
  const size = children === null ? 0 : children.length;
  switch (v.kind) {
    case NUMBER:
      sum.add32(v.number);
      break;
    case STRING:
      sum.add32(fnv.hash(v.text));
      break;
    case ARRAY:
      sum.add32(ARRAY_TAG | size);
      for (let i = 0; i < size; i++) {
        walk(children[i], sum);
      }
      break;
    default:
      sum.add32(OBJECT_TAG | size);
      for (let i = 0; i < size; i++) {
        sum.add32(fnv.hash(children[i].key));
        walk(children[i], sum);
      }
      break;
  }
}

function run(params, obs, counts) {
  checkParams('doc_tree', params, [['documents', 1, MAX_DOCUMENTS], ['nodes', 1, MAX_NODES]]);
  const documents = params[0];
  const nodes = params[1];
  const sum = new Checksum();
  const doc = new Doc(nodes * MAX_VALUE_BYTES);
  counts.buffers++;
  for (let d = 0; d < documents; d++) {
    doc.length = 0;
    doc.rng.reseedPlus(0, SEED_LO, d);
    generate(doc, nodes);
    obs.requestBegin();
    doc.pos = 0;
    const root = parseValue(doc, counts);
    hold(root);
    walk(root, sum);
    // The C++ releases the tree here; it lives no longer in JS.
    hold(null);
    obs.requestEnd();
    obs.unitDone();
  }
  return sum.value();
}

module.exports = {
  name: 'doc_tree',
  unit: 'document',
  paramNames: ['documents', 'nodes'],
  small: [20, 200],
  defaults: [500, 1000],
  notApplicable: null,
  run,
};
