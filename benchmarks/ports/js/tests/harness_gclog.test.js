// V8's collections, both views: --trace-gc-nvp lines grouped by isolate,
// paired in order with the gc entries' collections (the bytes they freed),
// a pairing off by one refused; the pause kinds and the raw events cut to a
// window. Synthetic lines in the shape Node 18's V8 prints them.
'use strict';

const assert = require('node:assert');
const path = require('node:path');
const gclog = require(path.join(__dirname, '..', 'src', 'harness', 'gclog'));

function line(iso, pause, before, after, gc) {
  return `[7:${iso}]      12 ms: pause=${pause} mutator=0.5 gc=${gc} reduce_memory=0 `
    + `scavenge=0.2 total_size_before=${before} total_size_after=${after} holes_size_before=0 `
    + 'allocated=1 promoted=0';
}

const MAIN = '0x55d75bafea00';
const WORKER = '0x7f00000010a0';
const pauses = [0.5, 1.2, 0.3, 8.4, 0.6, 2.0];
const text = [
  line(MAIN, pauses[0], 3000, 1000, 's'),
  line(WORKER, 0.2, 500, 100, 's'),
  line(MAIN, pauses[1], 5000, 2000, 's'),
  'some other output',
  line(MAIN, pauses[2], 4000, 3500, 's'),
  line(MAIN, pauses[3], 9000, 4000, 'ms'),
  line(MAIN, pauses[4], 6000, 5000, 's'),
  line(MAIN, pauses[5], 7000, 5000, 's'),
].join('\n');
const groups = gclog.parseNvp(text);
assert.deepStrictEqual(groups.map((g) => g.length), [6, 1], 'lines per isolate');
assert.deepStrictEqual(groups[0][3], { pauseMs: 8.4, before: 9000, after: 4000 });

// Entries: [kind, start ns, duration ns, collection index]; an incremental
// marking start is no collection (index -1).
const ev = (i, kind) => [kind, 1e6 * (i + 1), Math.round(pauses[i] * 1e6 + 20000), i];
const events = [ev(2, 'scavenge'), ['incremental_marking', 4.5e6, 40000, -1], ev(3, 'mark_compact'), ev(4, 'scavenge')];
assert.strictEqual(gclog.freedBytes(events, groups), 500 + 5000 + 1000, 'bytes freed in the window');
const shifted = events.map((e) => (e[3] >= 0 ? [e[0], e[1], e[2], e[3] + 1] : e));
assert.strictEqual(gclog.freedBytes(shifted, groups), null, 'a pairing off by one is refused');
const missing = [['scavenge', 1, 500000, 9]];
assert.strictEqual(gclog.freedBytes(missing, groups), null, 'a collection without its line');
assert.strictEqual(gclog.freedBytes([], groups), 0, 'no collections: nothing freed');

assert.strictEqual(gclog.collections(events), 3);
assert.strictEqual(gclog.stopWorldNs(events), events.reduce((a, e) => a + e[2], 0));
const j = gclog.pausesJson(events, 1e6);
assert.deepStrictEqual(Object.keys(j.kinds), ['incremental_marking', 'mark_compact', 'scavenge', 'weak_callbacks']);
assert.strictEqual(j.kinds.scavenge.count, 2);
assert.strictEqual(j.kinds.weak_callbacks.count, 0, 'listed with count 0');
assert.strictEqual(j.events.length, 4, 'every event of 10 us or more is listed raw');
assert.deepStrictEqual(j.events[0], { kind: 'scavenge', start_ns: 2e6, duration_ns: events[0][2] });
assert.strictEqual(j.events_threshold_ns, 10000);
assert.deepStrictEqual(gclog.KINDS[1], 'scavenge');
assert.deepStrictEqual(gclog.KINDS[4], 'mark_compact');
console.log('harness_gclog: ok');
