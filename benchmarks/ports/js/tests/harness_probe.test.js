// Real runs through memstrat_js: a timing run and a probe of binary_trees at
// the small size (the checksum, units and objects the C++ test vector's;
// every probe key past the results schema's $defs/probe, every entry past
// $defs/gbench_entry); a probe of the fixture `churn` (a ring of live
// objects: V8 collects) whose pauses are present, of V8's kinds and inside
// the measured window; a probe of the request-shaped fixture `serve`
// (latency, simple and metered).
'use strict';

const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { run, tmpdir, fixtureEnv, schemaError } = require('./harness_lib');

function vector(workload) {
  const prog = process.env.MEMSTRAT_TEST_VECTORS;
  if (!prog) return null;
  return JSON.parse(execFileSync(prog, { encoding: 'utf8', maxBuffer: 1 << 26 }))
    .workload_checksums[workload];
}

const dir = tmpdir();
const NAME = 'binary_trees/js-v8/depth:10';
const v = vector('binary_trees');
if (!v) console.log('note: MEMSTRAT_TEST_VECTORS unset: checksums not compared with the C++');

// Timing.
const tOut = path.join(dir, 'timing.json');
let r = run(['--size=small', `--benchmark_filter=^${NAME.replace(/-/g, '\\-')}$`,
  '--benchmark_repetitions=2', '--benchmark_min_time=0.05', `--benchmark_out=${tOut}`,
  '--benchmark_out_format=json', '--js_max_semi_space_mib=4']);
assert.strictEqual(r.code, 0, `timing exits 0 (${r.err})`);
const tdoc = JSON.parse(fs.readFileSync(tOut, 'utf8'));
assert.deepStrictEqual(tdoc.context.node.flags, ['--max-semi-space-size=4'], 'context.node.flags');
assert.strictEqual(tdoc.benchmarks.length, 2, 'one entry per repetition');
for (const e of tdoc.benchmarks) {
  assert.strictEqual(schemaError(e, 'gbench_entry'), null, 'the entry validates');
  for (const k of ['name', 'run_name', 'run_type', 'repetitions', 'repetition_index', 'iterations',
    'real_time', 'cpu_time', 'time_unit', 'threads', 'family_index', 'per_family_instance_index',
    'checksum', 'units', 'objects', 'buffers', 'bytes_requested', 'first_iteration_ns',
    'warmup_iterations', 'warmup_ns', 'steady', 'process_cpu_ns', 'gc_cpu_ns', 'heap_max_bytes',
    'process_cpu_time', 'gc_stop_world_time', 'gc_collections']) {
    assert.ok(k in e, `timing counter ${k}`);
  }
  assert.ok(!('allocations' in e) && !('frees' in e), 'no allocation or free counts');
  if (v) {
    assert.strictEqual(e.checksum, Number(BigInt(v.checksum) & ((1n << 53n) - 1n)), 'checksum');
    assert.strictEqual(e.units, v.units, 'units');
    assert.strictEqual(e.objects, v.objects, 'objects');
  }
  assert.ok(e.bytes_requested >= 24 * e.objects, 'at least 24 bytes a node allocated');
  assert.ok(e.steady === 0 || e.steady === 1, 'steady is 0 or 1');
  assert.ok(e.warmup_iterations >= 1, 'warm-up ran');
  assert.ok(e.gc_collections > 0, 'a 4 MiB semi-space collects within 0.05 s of binary_trees');
  assert.ok(e.heap_max_bytes > 0);
}

// Probe of binary_trees, its document past the schema.
const pOut = path.join(dir, 'probe.json');
r = run(['--size=small', `--probe=${NAME}`, '--probe_iterations=20', '--sample_period_ms=2',
  '--js_max_old_space_mib=64', '--js_initial_old_space_mib=64', `--probe_out=${pOut}`]);
assert.strictEqual(r.code, 0, `probe exits 0 (${r.err})`);
const pdoc = JSON.parse(fs.readFileSync(pOut, 'utf8'));
assert.strictEqual(pdoc.name, NAME);
assert.deepStrictEqual(pdoc.params, { depth: 10 });
const p = pdoc.probe;
assert.strictEqual(schemaError(p, 'probe'), null, 'the probe validates');
for (const k of ['iterations', 'wall_ns', 'checksum', 'counts', 'pauses', 'latency', 'stalls',
  'memory', 'gc', 'strategy_stats']) {
  assert.ok(k in p, `probe key ${k}`);
}
if (v) {
  assert.strictEqual(p.checksum, v.checksum, 'probe checksum');
  assert.strictEqual(p.counts.objects_per_iteration, v.objects, 'objects per iteration');
}
assert.strictEqual(p.latency, null, 'binary_trees is not request-shaped');
assert.strictEqual(p.stalls.unit, 'tree');
assert.ok(p.counts.bytes_requested_per_iteration >= 24 * p.counts.objects_per_iteration,
  'bytes from V8 paired with its collections');
const m = p.memory;
assert.ok(m.baseline_rss_bytes > 0 && m.final_rss_bytes > 0);
assert.ok(m.peak_rss_bytes >= m.final_rss_bytes || !m.peak_rss_isolated, 'peak >= final');
assert.ok(m.baseline_pss_bytes === null || m.baseline_pss_bytes > 0);
assert.strictEqual(m.timeline.t_ms.length, m.timeline.rss_bytes.length);
for (let i = 0; i < m.timeline.t_ms.length; i++) {
  assert.ok(m.timeline.t_ms[i] >= 0 && m.timeline.t_ms[i] <= p.wall_ns / 1e6, 'samples in the window');
  assert.ok(i === 0 || m.timeline.t_ms[i] >= m.timeline.t_ms[i - 1], 'timeline in order');
  assert.ok(m.timeline.rss_bytes[i] > 0 && m.timeline.rss_bytes[i] <= m.peak_rss_bytes, 'sample <= peak');
}
assert.ok(p.gc.heap_max_bytes >= 64 * 1048576, 'the old space cap reached V8');
assert.deepStrictEqual(p.gc.v8_flags, ['--max-old-space-size=64', '--initial-old-space-size=64']);
for (const k of ['scavenge', 'mark_compact', 'incremental_marking', 'weak_callbacks']) {
  assert.ok(k in p.pauses.kinds, `pause kind ${k} listed`);
}

// The fixture `churn` collects: pauses from V8, of its kinds, in the window.
const env = fixtureEnv();
const cOut = path.join(dir, 'churn.json');
r = run(['--probe=churn/js-v8/n:200000', '--probe_iterations=10', '--sample_period_ms=1',
  `--probe_out=${cOut}`], env);
assert.strictEqual(r.code, 0, `churn probe exits 0 (${r.err})`);
const c = JSON.parse(fs.readFileSync(cOut, 'utf8')).probe;
assert.strictEqual(schemaError(c, 'probe'), null, 'the churn probe validates');
const events = c.pauses.events;
assert.ok(events.length > 0, 'pause events present');
const kinds = Object.entries(c.pauses.kinds).filter(([, s]) => s.count > 0).map(([k]) => k);
assert.ok(kinds.includes('mark_compact') || kinds.includes('scavenge'), `collections seen (${kinds})`);
let listed = 0;
for (const e of events) {
  assert.ok(['scavenge', 'mark_compact', 'incremental_marking', 'weak_callbacks'].includes(e.kind), e.kind);
  assert.ok(e.start_ns >= 0 && e.start_ns < c.wall_ns, `pause at ${e.start_ns} inside [0, ${c.wall_ns})`);
  assert.ok(e.duration_ns >= 10000, 'listed events are at least the threshold');
  listed++;
}
// Pauses and stalls share one clock: a pause longer than the stall
// threshold lies inside a stall (unless it fell before a run's first unit,
// where no gap is measured: so at least half of them).
const slack = 50000;
const big = events.filter((e) => e.duration_ns > c.stalls.threshold_ns);
const inside = big.filter((e) => c.stalls.events.some((st) => st.start_ns <= e.start_ns + slack
  && e.start_ns + e.duration_ns <= st.start_ns + st.duration_ns + slack));
assert.ok(inside.length * 2 >= big.length, `${inside.length} of ${big.length} long pauses inside stalls`);
let total = 0;
for (const s of Object.values(c.pauses.kinds)) total += s.count;
assert.ok(total >= listed, 'the kinds count every event');
assert.strictEqual(c.gc.collections, c.pauses.kinds.scavenge.count + c.pauses.kinds.mark_compact.count,
  'collections: scavenges and mark-compacts');
assert.strictEqual(c.gc.stop_world_total_ns,
  Object.values(c.pauses.kinds).reduce((a, s) => a + s.total_ns, 0), 'stop-the-world total');
// 200,000 objects of three fields a run: V8's bytes are at least 32 bytes each.
assert.ok(c.counts.bytes_requested_per_iteration >= 32 * 200000, 'churn bytes');
assert.strictEqual(c.counts.objects_per_iteration, 200000);
// Ten runs of churn take tens of milliseconds: the parent's sampler, every
// millisecond, saw the child while it ran.
assert.ok(c.memory.timeline.t_ms.length >= 1, 'the timeline has samples of the window');

// The request-shaped fixture: latency, simple and metered.
const sOut = path.join(dir, 'serve.json');
r = run(['--probe=serve/js-v8/requests:2000', '--probe_iterations=3', `--probe_out=${sOut}`], env);
assert.strictEqual(r.code, 0, `serve probe exits 0 (${r.err})`);
const s = JSON.parse(fs.readFileSync(sOut, 'utf8')).probe;
assert.strictEqual(schemaError(s, 'probe'), null, 'the serve probe validates');
assert.strictEqual(s.latency.requests, 6000, 'every request of the three runs');
assert.strictEqual(s.latency.requests_dropped, 0);
assert.strictEqual(s.latency.simple.count, 6000);
assert.ok(s.latency.metered_full.max_ns >= s.latency.simple.max_ns * 0.999, 'metered >= simple');
assert.strictEqual(s.counts.buffers_per_iteration, 2000);
assert.strictEqual(s.stalls.unit, 'request');
assert.strictEqual(s.stalls.gaps.count, 6000, 'a gap per request (the first unit opens none, the end closes one)');
fs.rmSync(dir, { recursive: true, force: true });
console.log('harness_probe: ok');
