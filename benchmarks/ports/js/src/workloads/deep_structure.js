// deep_structure: one very long singly linked list, built, walked and torn
// down: an append-only log or a chain of versions dropped at once. Under the
// C++'s explicit strategies the teardown is millions of frees in one pause;
// here the collector finds the whole list dead at once, and what it costs is
// marking an ever longer list while it grows. Every traversal is a loop, so
// no length overflows a stack.
'use strict';

const { Checksum } = require('../work/checksum');
const fnv = require('../work/fnv');
const { Rng } = require('../work/rng');
const { halves } = require('../work/u64');
const { checkParams } = require('../work/workload');

const [SEED_HI, SEED_LO] = halves(0xdee957470c700001n);
const MAX_LENGTH = 20000000;
// A node is a few nanoseconds: report every 256th built and walked.
const NODES_PER_UNIT = 256;

class Node {
  constructor(value) {
    this.next = null;
    this.value = value;
  }
}

function run(params, obs, counts) {
  const length = checkParams('deep_structure', params, [['length', 1, MAX_LENGTH]])[0];
  const sum = new Checksum();
  const rng = new Rng(SEED_HI, SEED_LO);
  let head = null;
  let tail = null;
  for (let i = 0; i < length; i++) {
    const n = new Node(rng.next());
    counts.objects++;
    if (tail === null) {
      head = n;
    } else {
      tail.next = n;
    }
    tail = n;
    if ((i + 1) % NODES_PER_UNIT === 0) {
      obs.unitDone();
    }
  }
  tail = null;
  let walked = 0;
  let nodes = 0;
  for (let n = head; n !== null; n = n.next) {
    walked = fnv.word(walked, n.value);
    nodes++;
    if (nodes % NODES_PER_UNIT === 0) {
      obs.unitDone();
    }
  }
  sum.add32(walked);
  sum.add(nodes);
  // The C++'s teardown loop, the same walk under every strategy: unlink the
  // next node, read the value, drop the head. Dropping is the collector's,
  // later; the unlinking stores are kept as the C++ does them.
  let released = 0;
  while (head !== null) {
    const next = head.next;
    head.next = null;
    released = (released + head.value) | 0;
    head = next;
  }
  sum.add32(released);
  return sum.value();
}

module.exports = {
  name: 'deep_structure',
  unit: 'node',
  paramNames: ['length'],
  small: [20000],
  defaults: [3000000],
  notApplicable: null,
  run,
};
