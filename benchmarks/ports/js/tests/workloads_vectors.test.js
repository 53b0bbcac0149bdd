// Each registered workload at its small size against the C++ workloads'
// test vectors ($MEMSTRAT_TEST_VECTORS, the memstrat_test_vectors program of
// this build): the same checksum (all 64 bits), units and objects, run in
// this process; and memstrat_js --check (via $MEMSTRAT_JS) prints the same.
'use strict';

const assert = require('node:assert');
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const src = path.join(__dirname, '..', 'src');
const { WORKLOADS } = require(path.join(src, 'workloads', 'registry'));
const { runOnce } = require(path.join(src, 'cli'));
const { hex64 } = require(path.join(src, 'work', 'u64'));

function vectors() {
  const prog = process.env.MEMSTRAT_TEST_VECTORS;
  assert.ok(prog, 'MEMSTRAT_TEST_VECTORS must name memstrat_test_vectors');
  return JSON.parse(execFileSync(prog, { encoding: 'utf8', maxBuffer: 1 << 26 }))
    .workload_checksums;
}

const cpp = vectors();
let checked = 0;
for (const w of WORKLOADS) {
  const v = cpp[w.name];
  assert.ok(v, `${w.name}: no C++ test vector`);
  assert.strictEqual(w.unit, v.unit, `${w.name}: unit`);
  assert.deepStrictEqual(w.paramNames.slice().sort(), Object.keys(v.params).sort(),
                         `${w.name}: parameter names`);
  assert.deepStrictEqual(w.small, w.paramNames.map((n) => v.params[n]), `${w.name}: small size`);
  if (w.notApplicable) {
    assert.throws(() => w.run(w.small.slice(), null, null), `${w.name}: run() must throw`);
    continue;
  }
  const r = runOnce(w, w.small);
  assert.strictEqual(hex64(r.checksum), v.checksum, `${w.name}: checksum`);
  assert.strictEqual(r.units, v.units, `${w.name}: units`);
  assert.strictEqual(r.objects, v.objects, `${w.name}: objects`);
  // A second run in the same process (the harness repeats runs): no state
  // may leak from one run into the next.
  const again = runOnce(w, w.small);
  assert.strictEqual(hex64(again.checksum), v.checksum, `${w.name}: second run's checksum`);
  assert.strictEqual(again.objects, v.objects, `${w.name}: second run's objects`);
  checked++;
}

if (process.env.MEMSTRAT_JS) {
  const out = JSON.parse(execFileSync(process.env.MEMSTRAT_JS, ['--check', '--size=small'],
                                      { encoding: 'utf8' }));
  assert.strictEqual(out.length, WORKLOADS.length * 1 * require(path.join(src, 'cli'))
    .strategyNames().length, '--check: one entry per benchmark');
  for (const e of out) {
    const v = cpp[e.workload];
    if (e.not_applicable !== undefined) {
      assert.ok(!('checksum' in e), `${e.name}: not applicable, yet a checksum`);
      continue;
    }
    assert.strictEqual(e.checksum, v.checksum, `${e.name}: --check checksum`);
    assert.strictEqual(e.units, v.units, `${e.name}: --check units`);
    assert.strictEqual(e.objects, v.objects, `${e.name}: --check objects`);
  }
}
console.log(`workloads_vectors: ${checked} workloads agree with the C++ test vectors`);
