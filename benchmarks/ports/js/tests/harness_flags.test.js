// memstrat_js's harness flags: --help, --list_strategies (the declaration
// against the results schema's strategy_declaration), and bad input: one
// line on stderr and exit 2 for a bad flag or an unknown benchmark, exit 4
// ("not applicable") for a workload that cannot be expressed in Node
// (producer_consumer, and a fixture's), nothing on stdout, no stack trace.
'use strict';

const assert = require('node:assert');
const path = require('node:path');
const { run, fixtureEnv, schemaError, oneLine, tmpdir } = require('./harness_lib');
const { NAMES } = require(path.join(__dirname, '..', 'src', 'harness', 'strategies'));

let r = run(['--help']);
assert.strictEqual(r.code, 0, '--help exits 0');
assert.match(r.out, /^usage: memstrat_js .*--benchmark_filter=\^NAME\$.*--probe=NAME.*--js_max_old_space_mib=N/);

r = run(['--list_strategies']);
assert.strictEqual(r.code, 0, `--list_strategies exits 0 (${r.err})`);
const decls = JSON.parse(r.out);
assert.deepStrictEqual(decls.map((d) => d.name), NAMES, 'the declarations are NAMES');
assert.deepStrictEqual(NAMES, ['js-v8']);
for (const d of decls) {
  assert.strictEqual(schemaError(d, 'strategy_declaration'), null, 'the declaration validates');
  assert.strictEqual(d.family, 'JavaScript');
  assert.strictEqual(d.collects, true);
  assert.strictEqual(d.default_selected, true);
  assert.match(d.toolchain, /^Node\.js v\d+\.\d+\.\d+ \(V8 [0-9.]+.*\)$/);
  assert.deepStrictEqual(d.heap, {
    cap_flag: '--js_max_old_space_mib', presize_flag: '--js_initial_old_space_mib',
    flag_unit_bytes: 1048576, granularity_bytes: 1048576, unit_group: 'js',
  });
  const sweep = d.sweeps[0];
  assert.strictEqual(sweep.flag, '--js_max_semi_space_mib');
  assert.ok(!sweep.values.includes(sweep.default), 'the sweep leaves out the default');
  for (const f of [d.heap.cap_flag, d.heap.presize_flag, sweep.flag]) {
    assert.ok(d.settings.includes(f), `${f} is a setting`);
  }
  assert.match(d.colour, /^#[0-9A-F]{6}$/);
}

const BT = 'binary_trees/js-v8/depth:10';
const BAD = [
  [['--bogus'], /unknown argument --bogus/],
  [['--probe=' + BT, '--probe_iterations=0'], /--probe_iterations=0 is not a whole number from 1/],
  [['--probe=' + BT, '--sample_period_ms=x'], /--sample_period_ms=x is not a whole number/],
  [['--benchmark_filter=^' + BT + '$', '--benchmark_min_time=-1'], /not a number of seconds/],
  [['--benchmark_filter=^' + BT + '$', '--benchmark_out_format=csv'], /only json/],
  [['--benchmark_filter=binary'], /only \^NAME\$ filters/],
  [['--probe=' + BT, '--js_max_old_space_mib=0'], /--js_max_old_space_mib=0 is not a whole number from 1/],
  [['--probe=' + BT, '--js_max_semi_space_mib=2048'], /from 1 to 1024/],
  [['--probe=' + BT, '--js_initial_old_space_mib='], /needs a value/],
  [['--probe=' + BT, '--size=huge'], /--size takes small, default or all/],
  [['--list_strategies=1'], /takes no value/],
  [['--list_strategies', '--probe=' + BT], /exclude each other/],
  [['--probe_out=/tmp/x'], /nothing to do|needs --probe/],
  [[], /nothing to do/],
  [['--probe=nosuch/js-v8'], /no benchmark named 'nosuch\/js-v8' at --size=small/],
  [['--benchmark_filter=^nosuch$'], /no benchmark nosuch at --size=small/],
  [['--probe=binary_trees/js-v8/depth:16'], /no benchmark named .* at --size=small/],
];
for (const [args, want] of BAD) {
  const res = run(args);
  const what = args.join(' ') || '(no flags)';
  assert.strictEqual(res.code, 2, `${what}: exit 2 (${res.err})`);
  const line = oneLine(res, what);
  assert.match(line, /^memstrat_js: error: /, what);
  assert.match(line, want, what);
}

// Not applicable: the runner records these cells as not_applicable.
const list = JSON.parse(run(['--list_benchmarks', '--size=small']).out);
const pc = list.find((b) => b.workload === 'producer_consumer');
assert.ok(pc, 'producer_consumer is listed');
for (const args of [[`--probe=${pc.name}`], [`--benchmark_filter=^${pc.name.replace(/-/g, '\\-')}$`]]) {
  const res = run(args);
  assert.strictEqual(res.code, 4, `${args[0]}: exit 4 (${res.err})`);
  assert.match(oneLine(res, args[0]), /^memstrat_js: not applicable: .*threads/);
}
const env = fixtureEnv();
const res = run(['--probe=none/js-v8/n:1'], env);
assert.strictEqual(res.code, 4, `fixture none: exit 4 (${res.err})`);
assert.strictEqual(oneLine(res, 'none'), 'memstrat_js: not applicable: a fixture that cannot be expressed');

// A file that cannot be written: one line, exit 1, nothing left behind.
const dir = tmpdir();
const bad = run(['--probe=churn/js-v8/n:200000', '--probe_iterations=1',
  `--probe_out=${path.join(dir, 'no', 'such', 'dir', 'p.json')}`], env);
assert.strictEqual(bad.code, 1, `unwritable --probe_out: exit 1 (${bad.err})`);
assert.match(oneLine(bad, 'unwritable'), /^memstrat_js: error: cannot write --probe_out=/);
// What the parent reads in a failed child's output: node's refusal of a flag
// (exit 4) and V8's out-of-memory report (exit 1).
const harness = require(path.join(__dirname, '..', 'src', 'harness', 'main'));
assert.strictEqual(harness.refusal('/opt/node18/usr/bin/node: bad option: --max-old-space-size\n'),
  'bad option: --max-old-space-size');
assert.strictEqual(harness.refusal('Error: illegal value for flag --max-semi-space-size=x of type size_t\nTry --help'),
  'Error: illegal value for flag --max-semi-space-size=x of type size_t');
assert.strictEqual(harness.refusal('memstrat_js: error: x\n'), null);
const report = '\n<--- Last few GCs --->\n\n[1:0x5]  43 ms: Scavenge 5.5 (8.1) -> 4.9 (7.9) MB\n\n'
  + '<--- JS stacktrace --->\n\nFATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n'
  + ' 1: 0x7f44cf61c938 node::Abort() [libnode.so.108]\n';
assert.strictEqual(harness.outOfMemory(report),
  'Reached heap limit Allocation failed - JavaScript heap out of memory');
assert.strictEqual(harness.outOfMemory('FATAL ERROR: Ineffective mark-compacts near heap limit Allocation failed - JavaScript heap out of memory'),
  'Ineffective mark-compacts near heap limit Allocation failed - JavaScript heap out of memory');
assert.strictEqual(harness.outOfMemory('Segmentation fault'), null);
console.log('harness_flags: ok');
