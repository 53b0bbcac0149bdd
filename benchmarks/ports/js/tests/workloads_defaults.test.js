// Every applicable workload at its default size against the C++ workload's
// checksum there: $MEMSTRAT_BENCH (this build's memstrat_bench) runs each
// once under `manual` and reports the checksum's low 53 bits as a counter;
// the same run in this process must end in the same bits. The small-size
// test vectors cannot see a default size's arithmetic (counts and sums
// past 2^31, a wheel of 2^18 slots, 200000 sessions).
'use strict';

const assert = require('node:assert');
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const src = path.join(__dirname, '..', 'src');
const { WORKLOADS } = require(path.join(src, 'workloads', 'registry'));
const { runOnce } = require(path.join(src, 'cli'));

const bench = process.env.MEMSTRAT_BENCH;
assert.ok(bench, 'MEMSTRAT_BENCH must name memstrat_bench');
const doc = JSON.parse(execFileSync(bench, [
  '--size=default', '--strategies=manual', '--iterations=1', '--benchmark_format=json',
], { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'ignore'] }));
const cpp = {};
for (const b of doc.benchmarks) {
  cpp[b.name.split('/')[0]] = { name: b.name, checksum: BigInt(b.checksum) };
}
const LOW53 = (1n << 53n) - 1n;
let checked = 0;
for (const w of WORKLOADS) {
  if (w.notApplicable) {
    continue;
  }
  const c = cpp[w.name];
  assert.ok(c, `${w.name}: memstrat_bench ran no default-size benchmark of it`);
  const params = w.paramNames.map((n, i) => `${n}:${w.defaults[i]}`).join('/');
  assert.ok(c.name.startsWith(`${w.name}/manual/${params}`), `${w.name}: C++ sizes ${c.name}`);
  const r = runOnce(w, w.defaults);
  assert.strictEqual(r.checksum & LOW53, c.checksum, `${w.name}: default-size checksum`);
  checked++;
}
console.log(`workloads_defaults: ${checked} workloads' default-size checksums equal the C++'s`);
