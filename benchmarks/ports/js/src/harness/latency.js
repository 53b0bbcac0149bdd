// LatencyRecorder, the port of benchmarks/harness/latency.{h,cc} (as the Java
// port's Latency.java): each request's begin and end into typed arrays sized
// from the warm-up (requests beyond them are counted as dropped, nothing is
// allocated while the runs are measured), and after the runs, per run, simple
// latency and DaCapo Chopin's metered latency (LatencyReporter.java's
// smoothing: evenly spaced synthetic starts over a window centred on each
// begin) over 100 ms windows and over the full run.
'use strict';

const { Histogram } = require('./histogram');

const WINDOW_NS = 100000000;

// Adds the metered latency of each request of one run, sorted by begin.
function addMetered(b, e, from, to, windowNs, out) {
  if (to === from) return;
  const half = windowNs / 2;
  let lo = from;
  let hi = from;
  for (let i = from; i < to; i++) {
    const bi = b[i];
    while (b[lo] < bi - half && lo < to - 1) lo++;
    while (b[hi] < bi + half && hi < to - 1) hi++;
    const interval = hi > lo ? (b[hi] - b[lo]) / (hi - lo) : 0;
    const synthetic = b[lo] + (i - lo) * interval;
    const simpleNs = e[i] - b[i];
    out.record(Math.trunc(Math.max(simpleNs, e[i] - synthetic)));
  }
}

class Latency {
  constructor() {
    this.begin = 0;
    this.begins = new Float64Array(0);
    this.ends = new Float64Array(0);
    this.size = 0;
    this.dropped = 0;
    this.runStarts = [];
    this.simple = new Histogram();
    this.meteredWindow = new Histogram();
    this.meteredFull = new Histogram();
  }

  requestBeginAt(t) { this.begin = t; }

  requestEndAt(t) { this.record(this.begin, t); }

  record(b, e) {
    if (this.size < this.begins.length) {
      this.begins[this.size] = b;
      this.ends[this.size] = e;
      this.size++;
    } else {
      this.dropped++;
    }
  }

  // Room for n requests, written now so the measured runs fault nothing in.
  reserve(n) {
    this.begins = new Float64Array(n).fill(-1);
    this.ends = new Float64Array(n).fill(-1);
    this.clear();
  }

  beginRun() { this.runStarts.push(this.size); }

  clear() {
    this.size = 0;
    this.dropped = 0;
    this.runStarts.length = 0;
    this.simple.reset();
    this.meteredWindow.reset();
    this.meteredFull.reset();
  }

  requests() { return this.size + this.dropped; }

  analyse() {
    this.simple.reset();
    this.meteredWindow.reset();
    this.meteredFull.reset();
    if (this.size === 0) return;
    const starts = this.runStarts.slice();
    if (starts.length === 0 || starts[0] !== 0) starts.unshift(0);
    starts.push(this.size);
    for (let r = 0; r + 1 < starts.length; r++) {
      const from = starts[r];
      const to = starts[r + 1];
      if (from === to) continue;
      this.sortByBegin(from, to);
      for (let i = from; i < to; i++) this.simple.record(this.ends[i] - this.begins[i]);
      addMetered(this.begins, this.ends, from, to, WINDOW_NS, this.meteredWindow);
      const span = this.ends[to - 1] - this.begins[from];
      addMetered(this.begins, this.ends, from, to, 10 * span + 1, this.meteredFull);
    }
  }

  // One thread issues the requests, so they are in begin order already;
  // DaCapo sorts (many threads), so do we: an insertion sort, which is linear
  // on sorted input.
  sortByBegin(from, to) {
    const begins = this.begins;
    const ends = this.ends;
    for (let i = from + 1; i < to; i++) {
      const b = begins[i];
      const e = ends[i];
      let j = i - 1;
      while (j >= from && begins[j] > b) {
        begins[j + 1] = begins[j];
        ends[j + 1] = ends[j];
        j--;
      }
      begins[j + 1] = b;
      ends[j + 1] = e;
    }
  }

  toJson() {
    return {
      requests: this.requests(),
      requests_dropped: this.dropped,
      simple: this.simple.summary(),
      metered_100ms: this.meteredWindow.summary(),
      metered_full: this.meteredFull.summary(),
      smoothing_window_ns: WINDOW_NS,
    };
  }
}

module.exports = { Latency, addMetered, WINDOW_NS };
