// The measured node: started by main.js with the run's V8 heap flags, it
// warms up and runs one benchmark and writes what it measured, raw, to the
// result file main.js named; main.js pairs its collections with V8's
// --trace-gc-nvp lines (complete only once this node has exited) and writes
// the protocol's JSON.
//
//   child.js <dir> timing <workload> <params> <repetitions> <min_time_ns> <min_warmup_ns>
//   child.js <dir> probe <workload> <params> <iterations> <sample_period_ms> <min_warmup_ns>
//
// <dir> gets `started` (node came up and took its flags: a failure from now
// on is the run's, not V8's refusal) and `result.json`, or `error.txt` (one
// line) and exit 1. V8's heap exhaustion aborts this node (it cannot be
// caught); main.js reads V8's own report of it from the stderr file.
'use strict';

// First: the pairing of GC entries and --trace-gc-nvp lines counts from here.
const { GcWatch } = require('./gclog');
const watch = new GcWatch();

const fs = require('node:fs');
const path = require('node:path');
const v8 = require('node:v8');
const { performance } = require('node:perf_hooks');
const proc = require('./proc');
const { Steady } = require('./steady');
const { Stalls } = require('./stalls');
const { Latency } = require('./latency');
const { Counts } = require('../work/counts');

// performance.now()'s clock, in nanoseconds: the GC entries' clock.
function nowNs() {
  return performance.now() * 1e6;
}

// process.hrtime's reading at performance.now()'s zero: the parent's
// sampler reads process.hrtime (both CLOCK_MONOTONIC).
function hrOrigin() {
  let best = Infinity;
  let origin = 0;
  for (let i = 0; i < 5; i++) {
    const a = process.hrtime.bigint();
    const p = performance.now();
    const b = process.hrtime.bigint();
    if (Number(b - a) < best) {
      best = Number(b - a);
      origin = Number(a) + Number(b - a) / 2 - p * 1e6;
    }
  }
  return origin;
}

function usedHeapBytes() {
  return v8.getHeapStatistics().used_heap_size;
}

class Failure extends Error {}

// Counts units only: the timed runs' observer.
class UnitCounter {
  constructor() { this.units = 0; }
  unitDone() { this.units++; }
  requestBegin() {}
  requestEnd() {}
}

// The probe's observer: units to the stall recorder, requests to latency.
class ProbeObserver {
  constructor() {
    this.stalls = new Stalls();
    this.latency = new Latency();
    this.units = 0;
  }
  unitDone() {
    this.units++;
    this.stalls.unitAt(nowNs());
  }
  requestBegin() { this.latency.requestBeginAt(nowNs()); }
  requestEnd() { this.latency.requestEndAt(nowNs()); }
}

function hex(c) {
  return `0x${BigInt.asUintN(64, BigInt(c)).toString(16).padStart(16, '0')}`;
}

// main.js's pid: a runner that times a run out kills main.js, not this node,
// which then stops at its next run (getppid: some 0.2 us a run), removing
// its directory, instead of running on, orphaned, beside the next benchmark.
const PARENT = process.ppid;

function orphaned() {
  try {
    fs.rmSync(process.argv[2], { recursive: true, force: true });
  } catch (e) {
    // nothing more to do
  }
  process.exit(3);
}

function runOnce(w, params, obs) {
  if (process.ppid !== PARENT) orphaned();
  const counts = new Counts();
  const t0 = nowNs();
  let checksum;
  try {
    checksum = w.run(params.slice(), obs, counts);
  } catch (e) {
    if (e instanceof RangeError && /call stack/.test(e.message)) {
      throw new Failure(`${w.name}: stack overflow in the workload`);
    }
    throw new Failure(`${w.name}: ${e && e.message ? e.message : e}`);
  }
  return { checksum, wallNs: nowNs() - t0, objects: counts.objects, buffers: counts.buffers };
}

// Warm-up by the steady rule; the first run's figures and the rule's verdict.
function warmUp(w, params, obs, minWarmupNs) {
  const rule = new Steady(minWarmupNs);
  const start = nowNs();
  let first = null;
  for (;;) {
    const r = runOnce(w, params, obs);
    if (first === null) first = r;
    if (rule.add(r.wallNs)) break;
  }
  return {
    first_iteration_ns: Math.round(first.wallNs),
    warmup_iterations: rule.runs(),
    warmup_ns: Math.round(nowNs() - start),
    steady: rule.isSteady() ? 1 : 0,
  };
}

function workload(name) {
  const w = require('./bench').registry().find(name);
  if (!w) throw new Failure(`no workload ${name}`);
  if (w.notApplicable) throw new Failure(`${name} is not applicable: ${w.notApplicable}`);
  return w;
}

function parseParams(text) {
  return text === '' ? [] : text.split(',').map(Number);
}

async function timing(w, params, repetitions, minTimeNs, minWarmupNs) {
  const warm = warmUp(w, params, new UnitCounter(), minWarmupNs);
  const reps = [];
  for (let rep = 0; rep < repetitions; rep++) {
    const helper0 = proc.helperCpuNs();
    const proc0 = proc.processCpuNs();
    const used0 = usedHeapBytes();
    const start = nowNs();
    let iterations = 0;
    let objects = 0;
    let buffers = 0;
    let units = 0;
    let checksum = 0n;
    do {
      const c = new UnitCounter();
      const r = runOnce(w, params, c);
      iterations++;
      objects += r.objects;
      buffers += r.buffers;
      units = c.units;
      checksum = r.checksum;
    } while (nowNs() - start < minTimeNs);
    const end = nowNs();
    const used1 = usedHeapBytes();
    const proc1 = proc.processCpuNs();
    const helper1 = proc.helperCpuNs();
    reps.push({
      iterations,
      start_ns: start,
      end_ns: end,
      process_cpu_ns: proc1 - proc0,
      helper_cpu_ns: helper1 - helper0,
      used_start_bytes: used0,
      used_end_bytes: used1,
      checksum: hex(checksum),
      units,
      objects,
      buffers,
    });
  }
  await watch.flush();
  for (const r of reps) r.events = watch.within(r.start_ns, r.end_ns);
  return { warmup: warm, repetitions: reps, heap_max_bytes: v8.getHeapStatistics().heap_size_limit };
}

async function probe(w, params, iterations, periodMs, minWarmupNs, resting) {
  const obs = new ProbeObserver();
  const warm = warmUp(w, params, obs, minWarmupNs);
  // The warm-up's requests size the latency buffer (every one of them was
  // dropped: the buffer was empty).
  const requests = obs.latency.requests() > 0;
  const perRun = Math.ceil(obs.latency.requests() / Math.max(1, warm.warmup_iterations));
  obs.latency.reserve(Math.min(1 << 28, perRun * iterations));
  obs.stalls.reset();
  await watch.flush();
  const peakReset = proc.resetPeakRss();
  const helper0 = proc.helperCpuNs();
  const proc0 = proc.processCpuNs();
  let objects = 0;
  let buffers = 0;
  let checksum = 0n;
  const used0 = usedHeapBytes();
  const start = nowNs();
  for (let i = 0; i < iterations; i++) {
    obs.latency.beginRun();
    obs.stalls.beginRun();
    const r = runOnce(w, params, obs);
    obs.stalls.endRunAt(nowNs());
    objects += r.objects;
    buffers += r.buffers;
    checksum = r.checksum;
  }
  const end = nowNs();
  const used1 = usedHeapBytes();
  const proc1 = proc.processCpuNs();
  const helper1 = proc.helperCpuNs();
  const finalRss = proc.rssBytes();
  // The kernel's RSS counters are per-thread caches synced now and then, so
  // VmHWM read after VmRSS can trail it by a few pages: the peak is at least
  // every figure seen (main.js adds its samples of the window).
  const peak = Math.max(proc.peakRssBytes(), finalRss);
  const finalPss = proc.pssBytes();
  if (requests) obs.latency.analyse();
  await watch.flush();
  const events = watch.within(start, end);
  const n = iterations;
  const stats = v8.getHeapStatistics();
  const probeJson = {
    iterations,
    reclaim_kind: 'gc_stop_world',
    wall_ns: Math.round(end - start),
    checksum: hex(checksum),
    counts: {
      // JS has no count of its allocations: the workload's own (its objects
      // and the arrays it makes), never the engine's hidden stores.
      allocations_per_iteration: (objects + buffers) / n,
      bytes_requested_per_iteration: null,
      frees_per_iteration: 0,
      objects_per_iteration: objects / n,
      buffers_per_iteration: buffers / n,
    },
    latency: requests ? obs.latency.toJson() : null,
    stalls: obs.stalls.toJson(w.unit, start),
    memory: {
      baseline_rss_bytes: resting.rss,
      baseline_pss_bytes: resting.pss < 0 ? null : resting.pss,
      peak_rss_bytes: peakReset ? peak : 0,
      peak_rss_isolated: peakReset,
      final_rss_bytes: finalRss,
      final_pss_bytes: finalPss < 0 ? null : finalPss,
      // main.js's sampler fills in t_ms, rss_bytes and overflow.
      timeline: {
        period_ms: periodMs,
        t_ms: [],
        rss_bytes: [],
        strategy_bytes_label: null,
        strategy_bytes: null,
        overflow: 0,
      },
    },
    gc: {
      heap_bytes: stats.total_heap_size,
      heap_max_bytes: stats.heap_size_limit,
      helper_cpu_ns: helper1 - helper0,
      process_cpu_ns: proc1 - proc0,
      wall_ns: Math.round(end - start),
      first_iteration_ns: warm.first_iteration_ns,
      warmup_iterations: warm.warmup_iterations,
      warmup_ns: warm.warmup_ns,
      steady: warm.steady,
    },
  };
  const origin = hrOrigin();
  return {
    probe: probeJson, start_ns: start, end_ns: end, start_hr_ns: origin + start,
    end_hr_ns: origin + end, used_start_bytes: used0,
    used_end_bytes: used1, events,
  };
}

function write(file, text) {
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

async function dispatch(a, resting) {
  switch (a[1]) {
    case 'timing':
      return timing(workload(a[2]), parseParams(a[3]), Number(a[4]), Number(a[5]), Number(a[6]));
    case 'probe':
      return probe(workload(a[2]), parseParams(a[3]), Number(a[4]), Number(a[5]), Number(a[6]),
        resting);
    default:
      throw new Failure(`unknown child mode ${a[1]}`);
  }
}

async function main(a) {
  const dir = a[0];
  fs.writeFileSync(path.join(dir, 'started'), '');
  // The resting footprint: node as it came up, before any workload.
  const resting = { rss: proc.rssBytes(), pss: proc.pssBytes() };
  try {
    const result = await dispatch(a, resting);
    watch.close();
    write(path.join(dir, 'result.json'), `${JSON.stringify(result)}\n`);
    return 0;
  } catch (e) {
    const line = e instanceof Failure ? e.message : `workload error: ${e && e.stack ? String(e).split('\n')[0] : e}`;
    write(path.join(dir, 'error.txt'), `${line.replace(/\n/g, ' ')}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code), (e) => {
  try {
    write(path.join(process.argv[2], 'error.txt'), `internal: ${String(e).split('\n')[0]}\n`);
  } catch (x) {
    // nothing more to do: main.js reports the exit status
  }
  process.exit(1);
});
