// No hidden allocation on the workloads' hot paths, and none optimised
// away. Two checks:
// 1. The source: a BigInt is a heap object, so no workload file may name
//    BigInt, and its BigInt literals may only be module constants split into
//    halves at load time (`const [HI, LO] = halves(0x...n);`); a run makes
//    its one BigInt in Checksum.value(), once, at its end.
// 2. The heap: a child node with a young generation too large to collect
//    during a small run measures V8's used heap across warm runs
//    (TurboFan's code, where escape analysis could remove an object and a
//    uint32 field could box a heap number). The bytes per counted object
//    (the slope of the least bytes a run allocates between two sizes) must
//    be at least 0.95 x the size of one object of the workload's class
//    (less: objects scalar-replaced away) and, for the workloads whose every
//    allocation is that one class per make (binary_trees, list_churn,
//    deep_structure), at most the size + 8 bytes (more: a hidden allocation
//    per object; a heap number or a BigInt is at least 16 bytes). The size
//    is V8's for x64 without pointer compression (node 18's default,
//    checked in process.config): a 3-word header (map, properties,
//    elements) and 8 bytes per field.
'use strict';

const assert = require('node:assert');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const src = path.join(__dirname, '..', 'src');
const RUNS = 12;
// Fields per object of each workload's one class, and two sizes: the bytes
// per object are the slope between them (a run has a fixed cost of some
// 100 KiB besides its objects: V8's own bookkeeping, unrelated to the size).
// Where a workload also makes strings and arrays (only: true is false),
// only the lower bound holds: each counted object is at least one object
// of its class (doc_tree's Value, request_server's Field, graph_walk's
// Vertex), so none is dissolved into registers.
const WORKLOADS = {
  binary_trees: { fields: 3, sizes: [[10], [12]], only: true },
  list_churn: { fields: 6, sizes: [[2000, 100], [8000, 100]], only: true },
  deep_structure: { fields: 2, sizes: [[20000], [80000]], only: true },
  doc_tree: { fields: 5, sizes: [[20, 200], [80, 200]], only: false },
  request_server: { fields: 4, sizes: [[1000, 1000], [4000, 1000]], only: false },
  graph_walk: { fields: 3, sizes: [[1000, 4], [4000, 4]], only: false },
};

function child() {
  const v8 = require('node:v8');
  const { find } = require(path.join(src, 'workloads', 'registry'));
  const { Counts } = require(path.join(src, 'work', 'counts'));
  const { NULL_OBSERVER } = require(path.join(src, 'work', 'workload'));
  const out = {};
  for (const [name, spec] of Object.entries(WORKLOADS)) {
    const w = find(name);
    out[name] = spec.sizes.map((params) => {
      let least = Infinity;
      let objects = 0;
      for (let i = 0; i < 3 * RUNS; i++) {
        const counts = new Counts();
        global.gc();
        global.gc();
        const before = v8.getHeapStatistics().used_heap_size;
        w.run(params.slice(), NULL_OBSERVER, counts);
        const after = v8.getHeapStatistics().used_heap_size;
        if (i >= 2 * RUNS) {
          least = Math.min(least, after - before);
        }
        objects = counts.objects;
      }
      return { bytes: least, objects };
    });
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

function sourceCheck() {
  const dir = path.join(src, 'workloads');
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.js'))) {
    const lines = fs.readFileSync(path.join(dir, file), 'utf8').split('\n');
    lines.forEach((line, i) => {
      const code = line.replace(/\/\/.*$/, '').replace(/'[^']*'/g, "''");
      assert.ok(!/\bBigInt\b/.test(code), `${file}:${i + 1}: names BigInt`);
      if (/\b(0x[0-9a-fA-F]+|\d+)n\b/.test(code)) {
        assert.match(code, /^const \[\w+, \w+\] = halves\(0x[0-9a-f]+n\);$/,
                     `${file}:${i + 1}: a BigInt literal outside a module constant's halves()`);
      }
    });
    const text = lines.join('\n');
    const values = (text.match(/\.value\(\)/g) || []).length;
    assert.ok(values <= 1, `${file}: Checksum.value() (the run's one BigInt) more than once`);
  }
  // The building blocks: BigInt only in u64.js's halves/toBigInt/hex64.
  for (const file of ['rng.js', 'checksum.js', 'fnv.js', 'counts.js']) {
    const code = fs.readFileSync(path.join(src, 'work', file), 'utf8').replace(/\/\/.*$/gm, '');
    assert.ok(!/\bBigInt\b|\b\d+n\b/.test(code), `work/${file}: BigInt on the hot path`);
  }
}

if (process.argv[2] === '--child') {
  child();
} else {
  sourceCheck();
  assert.strictEqual(process.config.variables.v8_enable_pointer_compression, 0,
                     'this node has pointer compression: the object sizes below are wrong');
  const out = JSON.parse(execFileSync(process.execPath, [
    '--expose-gc', '--min-semi-space-size=64', '--max-semi-space-size=64', __filename, '--child',
  ], { encoding: 'utf8' }));
  for (const [name, spec] of Object.entries(WORKLOADS)) {
    const size = 8 * (3 + spec.fields);
    const [a, b] = out[name];
    const least = (b.bytes - a.bytes) / (b.objects - a.objects);
    assert.ok(least >= 0.95 * size,
              `${name}: ${least.toFixed(1)} bytes per object, below the ${size} of one: ` +
              'objects optimised away');
    assert.ok(!spec.only || least <= size + 8,
              `${name}: ${least.toFixed(1)} bytes per object, more than the ${size} of one: ` +
              'a hidden allocation per object');
    console.log(`workloads_alloc: ${name}: ${least.toFixed(1)} bytes per object made ` +
                `(one is ${size}; ${a.objects} and ${b.objects} objects a run)`);
  }
}
