// The RSS timeline: a worker thread reads /proc/self/statm every period into
// SharedArrayBuffers made before it starts, on a fixed schedule from its
// start, as an interval timer. A worker because the workloads run
// synchronously: no timer of the main thread's event loop fires while a run
// is on the stack. The worker is its own V8 isolate with its own small heap,
// so its allocations never reach the measured heap or its collections; it is
// made before the warm-up (and before the resting reading), so warm-up and
// measured runs see the same threads. Both threads read the clock of
// process.hrtime (CLOCK_MONOTONIC), the main thread's through
// performance.now(), whose origin it passes.
'use strict';

const { Worker } = require('node:worker_threads');

const CAPACITY = 1 << 17;
const PAGE = 4096;
// ctl: [0] state (0 waiting, 1 sampling, 2 stop), [1] samples, [2] overflow,
// [3] the worker's thread id, [4] ready.
const STATE = 0;
const COUNT = 1;
const OVERFLOW = 2;
const TID = 3;
const READY = 4;

const WORKER = `
'use strict';
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { ctl, clock, t, rss, periodNs, page } = workerData;
const ctlI = new Int32Array(ctl);
const clockF = new Float64Array(clock);
const tF = new Float64Array(t);
const rssF = new Float64Array(rss);
let tid = 0;
try { tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop()); } catch (e) { tid = 0; }
Atomics.store(ctlI, 3, tid);
Atomics.store(ctlI, 4, 1);
Atomics.notify(ctlI, 4);
while (Atomics.load(ctlI, 0) === 0) Atomics.wait(ctlI, 0, 0);
const nowNs = () => Number(process.hrtime.bigint());
let fd = -1;
try { fd = fs.openSync('/proc/self/statm', 'r'); } catch (e) { fd = -1; }
const buf = Buffer.alloc(128);
const origin = clockF[0];
let n = 0;
let overflow = 0;
for (let tick = 1; fd >= 0 && Atomics.load(ctlI, 0) === 1; tick++) {
  const len = fs.readSync(fd, buf, 0, 128, 0);
  let i = 0;
  while (i < len && buf[i] !== 32) i++;
  let pages = 0;
  for (i++; i < len && buf[i] >= 48 && buf[i] <= 57; i++) pages = pages * 10 + (buf[i] - 48);
  if (n < tF.length) {
    tF[n] = nowNs() - origin;
    rssF[n] = pages * page;
    n++;
    Atomics.store(ctlI, 1, n);
  } else {
    overflow++;
    Atomics.store(ctlI, 2, overflow);
  }
  const due = origin + tick * periodNs;
  for (;;) {
    if (Atomics.load(ctlI, 0) !== 1) break;
    const wait = due - nowNs();
    if (wait <= 0) break;
    Atomics.wait(ctlI, 0, 1, wait / 1e6);
  }
}
`;

class Sampler {
  constructor(periodMs) {
    this.periodMs = Math.max(1, periodMs);
    this.ctl = new SharedArrayBuffer(8 * 4);
    this.clock = new SharedArrayBuffer(8);
    this.t = new SharedArrayBuffer(CAPACITY * 8);
    this.rss = new SharedArrayBuffer(CAPACITY * 8);
    this.ctlI = new Int32Array(this.ctl);
    this.worker = null;
    this.exited = null;
  }

  // Starts the worker and waits until it runs (its thread id is known then).
  async open() {
    this.worker = new Worker(WORKER, {
      eval: true,
      workerData: {
        ctl: this.ctl, clock: this.clock, t: this.t, rss: this.rss,
        periodNs: this.periodMs * 1e6, page: PAGE,
      },
      // The worker's heap is not the measured one: keep it small.
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
    });
    this.exited = new Promise((resolve) => this.worker.once('exit', resolve));
    this.worker.once('error', () => {});
    while (Atomics.load(this.ctlI, READY) === 0) {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  tid() { return Atomics.load(this.ctlI, TID); }

  // `originHrNs`: process.hrtime's reading the timeline starts at.
  start(originHrNs) {
    new Float64Array(this.clock)[0] = originHrNs;
    Atomics.store(this.ctlI, STATE, 1);
    Atomics.notify(this.ctlI, STATE);
  }

  async stop() {
    Atomics.store(this.ctlI, STATE, 2);
    Atomics.notify(this.ctlI, STATE);
    if (this.exited) await this.exited;
  }

  count() { return Atomics.load(this.ctlI, COUNT); }
  overflow() { return Atomics.load(this.ctlI, OVERFLOW); }

  tMs() {
    const t = new Float64Array(this.t);
    const out = [];
    for (let i = 0; i < this.count(); i++) out.push(t[i] / 1e6);
    return out;
  }

  rssBytes() {
    return Array.from(new Float64Array(this.rss).subarray(0, this.count()));
  }

  maxRss() {
    let m = 0;
    const r = new Float64Array(this.rss);
    for (let i = 0; i < this.count(); i++) m = Math.max(m, r[i]);
    return m;
  }
}

module.exports = { Sampler, CAPACITY };
