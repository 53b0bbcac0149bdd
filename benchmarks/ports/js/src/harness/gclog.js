// V8's collections, from V8 itself, in two views of the same events:
//
//   PerformanceObserver 'gc' entries (the measured child): one per callback
//     pair V8 brackets its main-thread pauses with (GCType's prologue and
//     epilogue): startTime and duration in milliseconds on performance.now()'s
//     clock (process.hrtime's, from Node's time origin), and detail.kind:
//       minor (1)        a Scavenge: the young generation, stop-the-world,
//                        copied in parallel by the helper threads   -> scavenge
//       major (4)        the atomic pause of a mark-compact (marking was
//                        incremental/concurrent before it)          -> mark_compact
//       incremental (8)  the start of incremental marking           -> incremental_marking
//       weakcb (16)      processing weak callbacks                  -> weak_callbacks
//     Node queues each entry natively (outside the JS heap) and hands them to
//     JS only when the event loop turns: the measured runs are synchronous,
//     so nothing reaches the measured heap until they are over.
//   --trace-gc-nvp (turned on in the child with v8.setFlagsFromString right
//     before the observer starts, so its lines and the scavenge/mark-compact
//     entries pair up one to one, in order): one line per collection on the
//     child's stdout with pause= (0.1 ms steps), the phases, and
//     total_size_before= / total_size_after= (the heap's object bytes, the
//     measure of v8.getHeapStatistics().used_heap_size). The harness reads
//     only those two: bytes allocated over a window = used at its end - used
//     at its start + what each collection in it freed.
//
// What neither shows: the incremental marking steps V8 runs on the main
// thread between collections (each bounded to about a millisecond), and the
// helper threads' concurrent marking and sweeping (not a pause of the
// program). The program-side stalls see the first.
'use strict';

const { Histogram } = require('./histogram');

const KINDS = { 1: 'scavenge', 2: 'minor_mark_compact', 4: 'mark_compact', 8: 'incremental_marking', 16: 'weak_callbacks' };
// The kinds every js-v8 probe lists (count 0 if unseen).
const LISTED = ['scavenge', 'mark_compact', 'incremental_marking', 'weak_callbacks'];
const COLLECTION = new Set(['scavenge', 'minor_mark_compact', 'mark_compact']);
// Pause events this long or longer are also listed raw (as the C++).
const RAW_THRESHOLD_NS = 10000;
const RAW_CAPACITY = 1 << 16;

// ----- the measured child's side -----

class GcWatch {
  // Call first thing in the child: the pairing of entries and --trace-gc-nvp
  // lines counts from here.
  constructor() {
    const { PerformanceObserver } = require('node:perf_hooks');
    const v8 = require('node:v8');
    this.kind = new Uint8Array(1024);
    this.start = new Float64Array(1024);
    this.duration = new Float64Array(1024);
    this.index = new Float64Array(1024);
    this.n = 0;
    this.collections = 0;
    this.observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) this.add(e.detail ? e.detail.kind : 0, e.startTime, e.duration);
    });
    v8.setFlagsFromString('--trace-gc-nvp');
    this.observer.observe({ entryTypes: ['gc'] });
  }

  // Typed arrays, so the log lives outside the measured heap.
  add(kind, startMs, durationMs) {
    if (this.n === this.kind.length) {
      const grow = (a) => { const b = new a.constructor(a.length * 2); b.set(a); return b; };
      this.kind = grow(this.kind);
      this.start = grow(this.start);
      this.duration = grow(this.duration);
      this.index = grow(this.index);
    }
    const name = KINDS[kind] || 'gc';
    this.kind[this.n] = kind;
    this.start[this.n] = startMs * 1e6;
    this.duration[this.n] = durationMs * 1e6;
    this.index[this.n] = COLLECTION.has(name) ? this.collections++ : -1;
    this.n++;
  }

  // Lets the event loop turn until Node has handed over every queued entry.
  async flush() {
    let seen = -1;
    for (let quiet = 0; quiet < 3;) {
      await new Promise((resolve) => setImmediate(resolve));
      if (this.n === seen) quiet++;
      else { seen = this.n; quiet = 0; }
    }
  }

  // The events that start in [from, to) (ns on performance.now()'s clock):
  // [kind name, start ns, duration ns, collection index or -1].
  within(from, to) {
    const out = [];
    for (let i = 0; i < this.n; i++) {
      if (this.start[i] >= from && this.start[i] < to) {
        out.push([KINDS[this.kind[i]] || 'gc', Math.round(this.start[i]), Math.round(this.duration[i]), this.index[i]]);
      }
    }
    out.sort((a, b) => a[1] - b[1]);
    return out;
  }

  close() { this.observer.disconnect(); }
}

// ----- the parent's side -----

// One --trace-gc-nvp line's figures, added to its isolate's group (the
// "[pid:0xADDRESS]" each line starts with: the flag is the process's, so the
// sampler worker's isolate prints its own few lines too).
function addNvpLine(groups, line) {
  if (line.indexOf(' pause=') < 0) return;
  const iso = /^\[\d+:(0x[0-9a-f]+)\]/.exec(line);
  const p = /pause=([0-9.]+) /.exec(line);
  const b = /total_size_before=(\d+) /.exec(line);
  const a = /total_size_after=(\d+) /.exec(line);
  if (!p || !b || !a) return;
  const key = iso ? iso[1] : '';
  if (!groups.has(key)) groups.set(key, []);
  groups.get(key).push({ pauseMs: Number(p[1]), before: Number(b[1]), after: Number(a[1]) });
}

// The collections --trace-gc-nvp printed, in order, per isolate: an array of
// arrays of {pauseMs, before, after}.
function parseNvp(text) {
  const groups = new Map();
  for (const line of text.split('\n')) addNvpLine(groups, line);
  return [...groups.values()];
}

// The same from a file, read in chunks: a long run's lines (some 2.5 KB
// each) need not fit one string.
function parseNvpFile(file) {
  const fs = require('node:fs');
  const groups = new Map();
  let fd;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    return [];
  }
  const buf = Buffer.alloc(1 << 22);
  let rest = '';
  for (;;) {
    const n = fs.readSync(fd, buf, 0, buf.length, null);
    if (n <= 0) break;
    const lines = (rest + buf.toString('latin1', 0, n)).split('\n');
    rest = lines.pop();
    for (const line of lines) addNvpLine(groups, line);
  }
  addNvpLine(groups, rest);
  fs.closeSync(fd);
  return [...groups.values()];
}

// Bytes the collections among `events` freed, from one isolate's lines, or
// null when the pairing of entries and lines does not hold: a line missing,
// or more than a tenth of the pauses differing from their lines' (a pairing
// off by one differs almost everywhere; a right one differs only where the
// main thread lost its core between V8's clock reads and Node's, more than
// 0.15 ms + 10% of the pause).
function freedFrom(events, lines) {
  let freed = 0;
  let pairs = 0;
  let differ = 0;
  for (const e of events) {
    if (e[3] < 0) continue;
    const line = lines[e[3]];
    if (!line) return null;
    const ms = e[2] / 1e6;
    pairs++;
    if (Math.abs(line.pauseMs - ms) > 0.15 + 0.1 * ms) differ++;
    freed += Math.max(0, line.before - line.after);
  }
  return differ * 10 > pairs ? null : freed;
}

// The same from the isolate whose lines pair with the events (the measured
// one), or null when none does.
function freedBytes(events, groups) {
  let best = null;
  let longest = -1;
  for (const lines of groups) {
    const f = freedFrom(events, lines);
    // Several pair only when there are no collections to tell them apart.
    if (f !== null && lines.length > longest) {
      best = f;
      longest = lines.length;
    }
  }
  return best;
}

function collections(events) {
  let n = 0;
  for (const e of events) if (e[3] >= 0) n++;
  return n;
}

// Every event is the main thread stopped by the collector.
function stopWorldNs(events) {
  let sum = 0;
  for (const e of events) sum += e[2];
  return sum;
}

// The probe's "pauses" object, starts relative to `from`.
function pausesJson(events, from) {
  const kinds = new Map();
  for (const k of LISTED) kinds.set(k, new Histogram());
  const raw = [];
  let overflow = 0;
  for (const e of events) {
    if (!kinds.has(e[0])) kinds.set(e[0], new Histogram());
    kinds.get(e[0]).record(e[2]);
    if (e[2] >= RAW_THRESHOLD_NS) {
      if (raw.length < RAW_CAPACITY) {
        raw.push({ kind: e[0], start_ns: Math.round(e[1] - from), duration_ns: e[2] });
      } else {
        overflow++;
      }
    }
  }
  const summaries = {};
  for (const k of [...kinds.keys()].sort()) summaries[k] = kinds.get(k).summary();
  return { kinds: summaries, events: raw, events_threshold_ns: RAW_THRESHOLD_NS, events_overflow: overflow };
}

module.exports = {
  GcWatch, parseNvp, parseNvpFile, freedBytes, collections, stopWorldNs, pausesJson, KINDS, LISTED,
  RAW_THRESHOLD_NS,
};
