// binary_trees (GCBench / Benchmarks Game): many short-lived complete binary
// trees beside one long-lived tree. No random draws. A tree is dropped by
// letting go of its root: what the collector does with it is the measure.
'use strict';

const { Checksum } = require('../work/checksum');
const { hold } = require('../work/counts');
const { checkParams } = require('../work/workload');

class Node {
  constructor(item, left, right) {
    this.item = item;
    this.left = left;
    this.right = right;
  }
}

// Children before their parent, the left subtree first (the C++'s order).
function tree(counts, item, depth) {
  counts.objects++;
  if (depth === 0) {
    return new Node(item, null, null);
  }
  const left = tree(counts, 2 * item - 1, depth - 1);
  const right = tree(counts, 2 * item, depth - 1);
  return new Node(item, left, right);
}

function nodes(t) {
  return t.left === null ? 1 : 1 + nodes(t.left) + nodes(t.right);
}

// Signed and below 2^53 in magnitude at every allowed depth: exact.
function items(t) {
  return t.left === null ? t.item : t.item + items(t.left) - items(t.right);
}

function addCheck(sum, t) {
  sum.add32(nodes(t));
  sum.add32(items(t));
}

function run(params, obs, counts) {
  const depth = checkParams('binary_trees', params, [['depth', 4, 24]])[0];
  const sum = new Checksum();
  let stretch = tree(counts, 0, depth + 1);
  hold(stretch);
  addCheck(sum, stretch);
  stretch = null;
  hold(null);
  obs.unitDone();
  // Live to the end through this local, which the final check reads.
  const longLived = tree(counts, 0, depth);
  for (let d = 4; d <= depth; d += 2) {
    const iterations = Math.floor(2 * (2 ** (depth + 1) - 1) / (2 ** (d + 1) - 1));
    for (let i = 0; i < iterations; i++) {
      const t = tree(counts, i, d);
      hold(t);
      addCheck(sum, t);
      hold(null);
      obs.unitDone();
    }
  }
  addCheck(sum, longLived);
  obs.unitDone();
  return sum.value();
}

module.exports = {
  name: 'binary_trees',
  unit: 'tree',
  paramNames: ['depth'],
  small: [10],
  defaults: [16],
  notApplicable: null,
  run,
};
