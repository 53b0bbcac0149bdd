// The RSS timeline of the measured node, sampled from outside it: main.js
// (the launcher's node, idle while its child runs) reads the child's
// /proc/<pid>/statm every period on a fixed schedule, as an interval timer,
// for the child's whole life; the probe keeps the samples inside the measured
// window. From outside because the workloads run synchronously (no timer of
// the child's own event loop fires while a run is on the stack), and because
// a sampler inside the child costs the measured process memory (a worker
// thread is a second V8 isolate with its own heap: README, "Measurements").
// Both processes read CLOCK_MONOTONIC: process.hrtime here, performance.now()
// in the child, which reports its window in process.hrtime's terms.
'use strict';

const fs = require('node:fs');

const CAPACITY = 1 << 17;
const PAGE = 4096;

class Sampler {
  constructor(pid, periodMs) {
    this.periodNs = Math.max(1, periodMs) * 1e6;
    this.t = [];
    this.rss = [];
    this.fd = -1;
    this.timer = null;
    this.buf = Buffer.alloc(128);
    try {
      this.fd = fs.openSync(`/proc/${pid}/statm`, 'r');
    } catch (e) {
      // No /proc: no timeline, as the C++ sampler without a timer.
      this.fd = -1;
    }
  }

  static nowNs() {
    return Number(process.hrtime.bigint());
  }

  sample() {
    let len;
    try {
      len = fs.readSync(this.fd, this.buf, 0, this.buf.length, 0);
    } catch (e) {
      this.stop();
      return;
    }
    const b = this.buf;
    let i = 0;
    while (i < len && b[i] !== 32) i++;
    let pages = 0;
    for (i++; i < len && b[i] >= 48 && b[i] <= 57; i++) pages = pages * 10 + (b[i] - 48);
    this.t.push(Sampler.nowNs());
    this.rss.push(pages * PAGE);
  }

  start() {
    if (this.fd < 0) return;
    const origin = Sampler.nowNs();
    let tick = 0;
    const next = () => {
      this.sample();
      if (this.fd < 0) return;
      tick++;
      const wait = (origin + tick * this.periodNs - Sampler.nowNs()) / 1e6;
      this.timer = setTimeout(next, Math.max(0, wait));
    };
    next();
  }

  stop() {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.fd >= 0) {
      try {
        fs.closeSync(this.fd);
      } catch (e) {
        // closed already
      }
    }
    this.fd = -1;
  }

  // The samples taken in [fromNs, toNs] (process.hrtime's clock), times
  // relative to fromNs: the probe's memory.timeline less period_ms.
  window(fromNs, toNs) {
    const tMs = [];
    const rss = [];
    let overflow = 0;
    for (let i = 0; i < this.t.length; i++) {
      if (this.t[i] < fromNs || this.t[i] > toNs) continue;
      if (tMs.length < CAPACITY) {
        tMs.push((this.t[i] - fromNs) / 1e6);
        rss.push(this.rss[i]);
      } else {
        overflow++;
      }
    }
    return { t_ms: tMs, rss_bytes: rss, overflow };
  }
}

module.exports = { Sampler, CAPACITY };
