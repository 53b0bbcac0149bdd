// request_server: an RPC/HTTP service loop over a large table of long-lived
// sessions, each request making short-lived temporaries (its text, a list of
// parsed fields, their hashes, the reply) that die when it ends: the
// workload for tail latency, since a collection lands inside whichever
// request triggers it. The session table is the live set every full
// collection marks.
//
// Where JS differs from the C++:
// - A session's history is a JS array of 48 int32 words (8 bytes each: a
//   Smi, where the C++'s are 4; a typed array's bytes above 64 would live
//   outside V8's heap, unseen by its limit) and its ring of recent hashes a
//   16-word array beside it (the C++ keeps the ring inline: JS has no inline
//   arrays), so a session is three objects where the C++ makes two. Each
//   request's hashes are a JS array too.
// - The request text and the reply are each one JS string, spelled into a
//   reused scratch byte buffer (the C++'s stack digits, its string's
//   appends) and made in one piece; a field's name and value are strings cut
//   from the text (String.prototype.slice: V8 copies a short one, points
//   into the text for a longer one). V8's string storage cannot be counted.
'use strict';

const { Checksum } = require('../work/checksum');
const fnv = require('../work/fnv');
const { hold } = require('../work/counts');
const { Rng } = require('../work/rng');
const { halves } = require('../work/u64');
const { checkParams } = require('../work/workload');

const [SEED_HI, SEED_LO] = halves(0x5e5510f5eed50001n);
const MAX_REQUESTS = 100000000;
const MAX_SESSIONS = 10000000;
const HISTORY_LENGTH = 48;
const RECENT = 16;
const MIN_FIELDS = 1;
const MAX_FIELDS = 10;
const MAX_VALUE_LENGTH = 40;
const VERBS = ['get', 'put', 'list', 'delete', 'watch', 'patch', 'head', 'post'];
const NAMES = ['user', 'path', 'lang', 'q', 'ref', 'ua', 'cookie', 'ts', 'page', 'sort'];
// Base32: one draw yields 6 characters, low bits first.
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const CHAR_BITS = 5;
const CHARS_PER_DRAW = 6;
const HEX = '0123456789abcdef';
// Longer than any request or reply: 4 + 8 + 4 + 6 + 10 (1 + 6 + 1 + 40).
const SCRATCH_BYTES = 1024;

// Long-lived per-client state; a request only overwrites it.
class Session {
  constructor(history, recent, id) {
    this.history = history;
    this.recent = recent;
    this.id = id;
    this.requests = 0;
    this.bytesIn = 0;
    this.digest = 0;
    this.nextRecent = 0;
  }
}

// One name=value pair of a parsed request, linked in request order.
class Field {
  constructor(name, value, hash) {
    this.name = name;
    this.value = value;
    this.hash = hash;
    this.next = null;
  }
}

// A byte buffer written front to back, read out as one string.
class Scratch {
  constructor() {
    this.bytes = Buffer.alloc(SCRATCH_BYTES);
    this.length = 0;
  }

  text(s) {
    for (let i = 0; i < s.length; i++) {
      this.bytes[this.length++] = s.charCodeAt(i);
    }
  }

  decimal(n) {
    let scale = 1;
    while (scale * 10 <= n) {
      scale *= 10;
    }
    for (; scale >= 1; scale /= 10) {
      this.bytes[this.length++] = 48 + Math.floor(n / scale) % 10;
    }
  }

  // Lowercase hex without leading zeros.
  hex(v) {
    let shift = Math.max(0, 28 - (Math.clz32(v) & ~3));
    for (; shift >= 0; shift -= 4) {
      this.bytes[this.length++] = HEX.charCodeAt((v >>> shift) & 15);
    }
  }

  toString() {
    return this.bytes.toString('latin1', 0, this.length);
  }
}

// The request as it arrives off the wire.
function synthesize(rng, sid, out) {
  out.length = 0;
  out.text('sid=');
  out.decimal(sid);
  out.text('&op=');
  out.text(VERBS[rng.below(VERBS.length)]);
  const fields = rng.between(MIN_FIELDS, MAX_FIELDS);
  for (let i = 0; i < fields; i++) {
    out.bytes[out.length++] = 38; // '&'
    out.text(NAMES[rng.below(NAMES.length)]);
    out.bytes[out.length++] = 61; // '='
    const length = rng.between(1, MAX_VALUE_LENGTH);
    let bits = 0;
    for (let j = 0; j < length; j++) {
      if (j % CHARS_PER_DRAW === 0) {
        bits = rng.next();
      }
      out.bytes[out.length++] = ALPHABET.charCodeAt(bits & 31);
      bits >>>= CHAR_BITS;
    }
  }
  return out.toString();
}

// Splits "a=b&c=d" into a list of fields in request order.
function parse(text, counts) {
  let head = null;
  let tail = null;
  let start = 0;
  const end = text.length;
  while (start < end) {
    let amp = text.indexOf('&', start);
    if (amp < 0) {
      amp = end;
    }
    let eq = text.indexOf('=', start);
    if (eq < 0 || eq > amp) {
      eq = amp;
    }
    const name = text.slice(start, eq);
    const value = eq < amp ? text.slice(eq + 1, amp) : '';
    const f = new Field(name, value, fnv.hash(value));
    counts.objects++;
    if (tail === null) {
      head = f;
    } else {
      tail.next = f;
    }
    tail = f;
    start = amp + 1;
  }
  return head;
}

function parseIndex(s) {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    n = 10 * n + (s.charCodeAt(i) - 48);
  }
  return n;
}

function serve(rng, sessions, scratch, counts) {
  const text = synthesize(rng, rng.below(sessions.length), scratch);
  const fields = parse(text, counts);
  // Held to the reply, where the C++ releases them: escape analysis may not
  // dissolve them.
  hold(fields);
  let count = 0;
  for (let f = fields; f !== null; f = f.next) {
    count++;
  }
  const hashes = new Array(count);
  counts.buffers++;
  let k = 0;
  for (let f = fields; f !== null; f = f.next) {
    hashes[k++] = f.hash;
  }
  // The first field is sid=<index>, as synthesize wrote it.
  const session = sessions[parseIndex(fields.value)];
  session.requests++;
  session.bytesIn += text.length;
  const recent = session.recent;
  const history = session.history;
  let digest = session.digest;
  for (let i = 0; i < count; i++) {
    const h = hashes[i];
    recent[session.nextRecent++ % RECENT] = h;
    const slot = (h >>> 0) % HISTORY_LENGTH;
    history[slot] = (history[slot] + h) | 0;
    digest = fnv.word(digest, h);
  }
  session.digest = digest;
  scratch.length = 0;
  scratch.text('ok sid=');
  scratch.decimal(session.id);
  scratch.text(' n=');
  scratch.decimal(session.requests);
  // Every field after sid, echoed with its hash in lowercase hex.
  for (let f = fields.next; f !== null; f = f.next) {
    scratch.bytes[scratch.length++] = 32; // ' '
    scratch.text(f.name);
    scratch.bytes[scratch.length++] = 61; // '='
    scratch.hex(f.hash);
  }
  const reply = scratch.toString();
  hold(null);
  return fnv.hash(reply) ^ digest;
}

function run(params, obs, counts) {
  checkParams('request_server', params,
              [['requests', 1, MAX_REQUESTS], ['sessions', 1, MAX_SESSIONS]]);
  const requests = params[0];
  const sessionCount = params[1];
  const sum = new Checksum();
  const rng = new Rng(SEED_HI, SEED_LO);
  const scratch = new Scratch();
  const sessions = new Array(sessionCount);
  counts.buffers++;
  for (let i = 0; i < sessionCount; i++) {
    const history = new Array(HISTORY_LENGTH).fill(0);
    for (let j = 0; j < HISTORY_LENGTH; j++) {
      history[j] = rng.next();
    }
    sessions[i] = new Session(history, new Array(RECENT).fill(0), i);
    counts.objects++;
    counts.buffers += 2;
  }
  for (let r = 0; r < requests; r++) {
    obs.requestBegin();
    sum.add32(serve(rng, sessions, scratch, counts));
    obs.requestEnd();
    obs.unitDone();
  }
  for (let i = 0; i < sessionCount; i++) {
    const session = sessions[i];
    let history = 0;
    for (let j = 0; j < HISTORY_LENGTH; j++) {
      history ^= session.history[j];
    }
    sum.add32(session.digest);
    sum.add(session.requests);
    sum.add(session.bytesIn);
    sum.add32(history);
    sum.add32(session.recent[session.nextRecent % RECENT]);
    sessions[i] = null;
  }
  return sum.value();
}

module.exports = {
  name: 'request_server',
  unit: 'request',
  paramNames: ['requests', 'sessions'],
  small: [1000, 1000],
  defaults: [50000, 200000],
  notApplicable: null,
  run,
};
