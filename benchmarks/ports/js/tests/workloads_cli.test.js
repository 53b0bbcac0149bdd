// memstrat_js's own actions ($MEMSTRAT_JS, the launcher): --list_benchmarks
// at every size, --check's entries (producer_consumer not applicable, the
// rest with a checksum), --run's line, the one-line errors and exit codes;
// and every workload's parameter check (a UsageError naming the range).
'use strict';

const assert = require('node:assert');
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const src = path.join(__dirname, '..', 'src');
const { WORKLOADS } = require(path.join(src, 'workloads', 'registry'));
const { strategyNames } = require(path.join(src, 'cli'));
const { UsageError } = require(path.join(src, 'work', 'errors'));
const { Counts } = require(path.join(src, 'work', 'counts'));
const { NULL_OBSERVER } = require(path.join(src, 'work', 'workload'));

const prog = process.env.MEMSTRAT_JS;
assert.ok(prog, 'MEMSTRAT_JS must name the memstrat_js launcher');
const CATALOGUE = ['binary_trees', 'list_churn', 'lifetime_mix', 'string_dict', 'request_server',
  'deep_structure', 'producer_consumer', 'doc_tree', 'graph_walk', 'lru_cache'];

function run(args) {
  const r = spawnSync(prog, args, { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function oneLineError(r, code, what) {
  assert.strictEqual(r.code, code, `${what}: exit ${r.code}, not ${code} (${r.err})`);
  const lines = r.err.trimEnd().split('\n');
  assert.strictEqual(lines.length, 1, `${what}: one line on stderr, not ${JSON.stringify(r.err)}`);
  assert.match(lines[0], /^memstrat_js: (error|not applicable): /, what);
  assert.strictEqual(r.out, '', `${what}: nothing on stdout`);
}

assert.deepStrictEqual(WORKLOADS.map((w) => w.name), CATALOGUE, 'the C++ catalogue order');
const strategies = strategyNames();
assert.ok(strategies.includes('js-v8'), 'the js-v8 strategy');

for (const size of ['small', 'default', 'all']) {
  const r = run(['--list_benchmarks', `--size=${size}`]);
  assert.strictEqual(r.code, 0, r.err);
  const list = JSON.parse(r.out);
  const per = size === 'all' ? 2 : 1;
  assert.strictEqual(list.length, per * CATALOGUE.length * strategies.length, `--size=${size}`);
  for (const b of list) {
    assert.deepStrictEqual(Object.keys(b), ['name', 'workload', 'strategy', 'params']);
    const w = WORKLOADS.find((x) => x.name === b.workload);
    const values = w.paramNames.map((n) => b.params[n]);
    assert.strictEqual(b.name, `${w.name}/${b.strategy}/` +
                       w.paramNames.map((n, i) => `${n}:${values[i]}`).join('/'));
    assert.deepStrictEqual(Object.keys(b.params), w.paramNames.slice().sort(), 'params sorted');
    if (size === 'small') {
      assert.deepStrictEqual(values, w.small);
    } else if (size === 'default') {
      assert.deepStrictEqual(values, w.defaults);
    }
  }
}
const defaultNames = JSON.parse(run(['--list_benchmarks']).out).map((b) => b.name);
assert.ok(defaultNames[0].endsWith('depth:10'), '--size defaults to small');

const check = run(['--check', '--size=small']);
assert.strictEqual(check.code, 0, check.err);
for (const e of JSON.parse(check.out)) {
  if (e.workload === 'producer_consumer') {
    assert.match(e.not_applicable, /worker/, 'producer_consumer says why');
    assert.ok(!('checksum' in e) && !('units' in e), 'not applicable: no checksum');
  } else {
    assert.match(e.checksum, /^0x[0-9a-f]{16}$/, e.name);
    assert.ok(Number.isInteger(e.units) && e.units > 0, `${e.name}: units`);
    assert.ok(Number.isInteger(e.objects) && Number.isInteger(e.buffers), `${e.name}: counts`);
  }
}

const one = run(['--run', `binary_trees/${strategies[0]}/depth:10`]);
assert.strictEqual(one.code, 0, one.err);
assert.match(one.out, /^binary_trees\/\S+\/depth:10 checksum=0x7e43fe3ac1c1623e units=176 objects=22480 buffers=0\n$/);

oneLineError(run(['--check', '--size=huge']), 2, 'a bad --size');
oneLineError(run(['--run', 'binary_trees/js-v8/depth:11']), 2, 'an unknown benchmark');
oneLineError(run(['--run']), 2, '--run without a name');
oneLineError(run(['--check', '--list_benchmarks']), 2, 'two actions');
oneLineError(run(['--check', '--bogus']), 2, 'an unknown flag');
oneLineError(run(['--run', `producer_consumer/${strategies[0]}/messages:5000/batch:100`]), 4,
             'producer_consumer');

// Each workload's parameters: the one out of range below and above, a wrong
// count, a non-integer.
for (const w of WORKLOADS) {
  if (w.notApplicable) {
    assert.throws(() => w.run(w.small.slice(), NULL_OBSERVER, new Counts()), /not applicable/);
    continue;
  }
  const bad = [[], w.small.concat([1]), w.small.map((v, i) => (i === 0 ? v + 0.5 : v)),
    w.small.map((v, i) => (i === 0 ? -1 : v)), w.small.map((v, i) => (i === 0 ? 1e15 : v))];
  for (const params of bad) {
    assert.throws(() => w.run(params, NULL_OBSERVER, new Counts()),
                  (e) => e instanceof UsageError && e.message.startsWith(`${w.name}: `) &&
                         !e.message.includes('\n'),
                  `${w.name}: params ${JSON.stringify(params)}`);
  }
  const ranged = w.small.map((v, i) => (i === 0 ? -1 : v));
  assert.throws(() => w.run(ranged, NULL_OBSERVER, new Counts()), /must be in \[/);
}
console.log(`workloads_cli: ${WORKLOADS.length} workloads, the CLI's actions and errors checked`);
