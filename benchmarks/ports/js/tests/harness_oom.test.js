// V8's heap exhaustion at a small --js_max_old_space_mib: the child node
// aborts with V8's "FATAL ERROR: ... JavaScript heap out of memory" report
// and a native stack; memstrat_js turns it into one line and exit 1 (a
// recorded failure for the runner), for a probe and a timing run, with
// nothing written where the output would have gone. The same fixture
// completes at a heap that holds it. A workload's error and a crash of the
// child node are one line and exit 1 as well.
'use strict';

const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { run, tmpdir, fixtureEnv, oneLine } = require('./harness_lib');

const env = fixtureEnv();
const dir = tmpdir();
const NAME = 'hoard/js-v8/mib:64';
const out = path.join(dir, 'p.json');

let r = run([`--probe=${NAME}`, '--probe_iterations=1', '--js_max_old_space_mib=8',
  `--probe_out=${out}`], env);
assert.strictEqual(r.code, 1, `probe at 8 MiB: exit 1 (${r.err})`);
assert.match(oneLine(r, 'probe oom'),
  /^memstrat_js: error: out of memory \(hoard\/js-v8\/mib:64, --max-old-space-size=8\): V8: .*JavaScript heap out of memory$/);
assert.ok(!fs.existsSync(out), 'no probe file');

r = run([`--benchmark_filter=^hoard/js\\-v8/mib:64$`, '--js_max_old_space_mib=16',
  '--js_initial_old_space_mib=16', `--benchmark_out=${out}`], env);
assert.strictEqual(r.code, 1, `timing at 16 MiB: exit 1 (${r.err})`);
assert.match(oneLine(r, 'timing oom'), /^memstrat_js: error: out of memory \(hoard\/js-v8\/mib:64, --max-old-space-size=16\)/);
assert.ok(!fs.existsSync(out), 'no timing file');

// A real workload at 1 MiB (less than node's own start-up holds).
r = run(['--probe=binary_trees/js-v8/depth:10', '--probe_iterations=1', '--js_max_old_space_mib=1']);
assert.strictEqual(r.code, 1, `binary_trees at 1 MiB: exit 1 (${r.err})`);
assert.match(oneLine(r, 'binary_trees oom'),
  /^memstrat_js: error: out of memory \(binary_trees\/js-v8\/depth:10, --max-old-space-size=1\): V8: /);

// At the default heap it runs (64 x 16,384 objects live).
r = run([`--probe=${NAME}`, '--probe_iterations=1', `--probe_out=${out}`], env);
assert.strictEqual(r.code, 0, `hoard at the default heap runs (${r.err})`);
assert.ok(JSON.parse(fs.readFileSync(out, 'utf8')).probe.counts.objects_per_iteration > 0);
r = run(['--probe=fail/js-v8/n:1'], env);
assert.strictEqual(r.code, 1, `a workload's error: exit 1 (${r.err})`);
assert.strictEqual(oneLine(r, 'fail'), 'memstrat_js: error: fail/js-v8/n:1: fail: boom second line');
r = run(['--benchmark_filter=^crash/js\\-v8/n:1$'], env);
assert.strictEqual(r.code, 1, `a crash: exit 1 (${r.err})`);
assert.match(oneLine(r, 'crash'),
  /^memstrat_js: error: crash\/js-v8\/n:1: the child node failed \(killed by signal 11 \(SIGSEGV\)/);
fs.rmSync(dir, { recursive: true, force: true });
console.log('harness_oom: ok');
