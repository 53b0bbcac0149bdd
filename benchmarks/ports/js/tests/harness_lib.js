// Shared by the harness tests (tests/harness_*.test.js): running memstrat_js
// (the launcher ctest names in MEMSTRAT_JS, else this node on src/main.js),
// a fixture registry of tiny workloads (MEMSTRAT_JS_REGISTRY), and the
// results schema's validator (scripts/memstrat/schema.py) on a JSON value.
'use strict';

const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const PORT = path.resolve(__dirname, '..');
const ROOT = path.resolve(PORT, '..', '..', '..');

function launcher() {
  if (process.env.MEMSTRAT_JS) return [process.env.MEMSTRAT_JS, []];
  return [process.execPath, [path.join(PORT, 'src', 'main.js')]];
}

// Runs memstrat_js with `args`: {code, out, err}.
function run(args, env) {
  const [cmd, pre] = launcher();
  const r = spawnSync(cmd, [...pre, ...args], {
    encoding: 'utf8', env: { ...process.env, ...(env || {}) }, maxBuffer: 64 << 20,
  });
  if (r.error) throw r.error;
  return { code: r.status, signal: r.signal, out: r.stdout, err: r.stderr };
}

// A temporary directory, removed when the test ends (pass or fail).
const made = [];
process.on('exit', () => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

function tmpdir() {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'memstrat_js_test.'));
  made.push(d);
  return d;
}

// Tiny workloads for the harness alone:
//   churn   keeps a ring of 300,000 small objects alive (old space fills:
//           mark-compacts and scavenges), a unit every 1,000 objects
//   hoard   keeps every object a run makes (runs a small heap out of memory)
//   serve   request-shaped: requestBegin/requestEnd around each of n requests
//   none    not applicable; fail throws an Error; crash kills its node (SIGSEGV)
const FIXTURE = `'use strict';
const ring = [];
const keep = [];
const churn = {
  name: 'churn', unit: 'batch', paramNames: ['n'], small: [200000], defaults: [400000],
  notApplicable: null,
  run(params, observer, counts) {
    let h = 0;
    for (let i = 0; i < params[0]; i++) {
      const o = { a: i, b: null, c: i & 7 };
      counts.objects++;
      ring[i % 300000] = o;
      h = (h + o.c) | 0;
      if (i % 1000 === 999) observer.unitDone();
    }
    return BigInt(h >>> 0);
  },
};
const hoard = {
  name: 'hoard', unit: 'batch', paramNames: ['mib'], small: [64], defaults: [128],
  notApplicable: null,
  run(params, observer, counts) {
    keep.length = 0;
    for (let i = 0; i < params[0] * 16384; i++) {
      keep.push({ a: i, b: null });
      counts.objects++;
      if (i % 1000 === 999) observer.unitDone();
    }
    return BigInt(keep.length);
  },
};
const serve = {
  name: 'serve', unit: 'request', paramNames: ['requests'], small: [2000], defaults: [4000],
  notApplicable: null,
  run(params, observer, counts) {
    let h = 0;
    for (let r = 0; r < params[0]; r++) {
      observer.requestBegin();
      const words = [];
      counts.buffers++;
      for (let i = 0; i < 50; i++) { words.push({ w: r + i }); counts.objects++; }
      for (const x of words) h = (h + x.w) | 0;
      observer.requestEnd();
      observer.unitDone();
    }
    return BigInt(h >>> 0);
  },
};
const none = {
  name: 'none', unit: 'unit', paramNames: ['n'], small: [1], defaults: [1],
  notApplicable: 'a fixture that cannot be expressed', run() { throw new Error('no'); },
};
const fail = {
  name: 'fail', unit: 'unit', paramNames: ['n'], small: [1], defaults: [1], notApplicable: null,
  run() { throw new Error('boom\\nsecond line'); },
};
const crash = {
  name: 'crash', unit: 'unit', paramNames: ['n'], small: [1], defaults: [1], notApplicable: null,
  run() { process.kill(process.pid, 'SIGSEGV'); for (;;) {} },
};
const WORKLOADS = [churn, hoard, serve, none, fail, crash];
module.exports = { WORKLOADS, find: (n) => WORKLOADS.find((w) => w.name === n) || null };
`;

// Writes the fixture registry; returns the env that selects it.
function fixtureEnv() {
  const file = path.join(tmpdir(), 'registry.js');
  fs.writeFileSync(file, FIXTURE);
  return { MEMSTRAT_JS_REGISTRY: file };
}

// Validates `value` against the results schema's $defs/<def>; returns null
// or the validator's one-line complaint.
function schemaError(value, def) {
  const code = [
    'import json, sys',
    `sys.path.insert(0, ${JSON.stringify(path.join(ROOT, 'scripts'))})`,
    'from memstrat import schema',
    `s = json.load(open(${JSON.stringify(path.join(ROOT, 'results', 'schema', 'results-v3.schema.json'))}))`,
    `root = {"$defs": s["$defs"], "$ref": "#/$defs/${def}"}`,
    'try:',
    '    schema.validate(json.load(sys.stdin), root)',
    'except schema.SchemaError as e:',
    '    print(e)',
  ].join('\n');
  const r = spawnSync('python3', ['-c', code], { input: JSON.stringify(value), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`schema.py failed: ${r.stderr}`);
  return r.stdout.trim() === '' ? null : r.stdout.trim();
}

// One line on stderr, nothing on stdout, no stack trace.
function oneLine(r, what) {
  const lines = r.err.split('\n').filter((l) => l !== '');
  assert.strictEqual(lines.length, 1, `${what}: one line on stderr, got ${JSON.stringify(r.err)}`);
  assert.strictEqual(r.out, '', `${what}: nothing on stdout`);
  assert.ok(!/\n\s+at |FATAL|<---/.test(r.err), `${what}: no stack trace`);
  return lines[0];
}

module.exports = { PORT, ROOT, run, tmpdir, fixtureEnv, schemaError, oneLine };
