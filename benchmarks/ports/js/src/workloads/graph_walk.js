// graph_walk: four random directed graphs, each built as adjacency lists,
// searched breadth first from vertex 0 and dropped: pointer-rich structures
// whose search order is unrelated to allocation order. Every vertex is its
// own object holding a JS array of references to others; the arrays grow one
// edge at a time, all vertices in lock step, as the C++'s vectors do (V8
// grows an array's backing store by its own policy, which cannot be seen:
// each array counts as one buffer when made).
'use strict';

const { Checksum } = require('../work/checksum');
const { Rng } = require('../work/rng');
const { checkParams } = require('../work/workload');

const SEED_LO = 0x67726170;
const GRAPHS = 4;
const MAX_VERTICES = 100000000;
const MAX_DEGREE = 1000;
const VERTICES_PER_UNIT = 256;

class Vertex {
  constructor(id, edges) {
    this.edges = edges;
    this.id = id;
    this.distance = -1; // -1: not reached yet
  }
}

function searchOneGraph(n, degree, rng, sum, obs, counts) {
  const vertices = new Array(n);
  counts.buffers++;
  for (let i = 0; i < n; i++) {
    vertices[i] = new Vertex(i, []);
    counts.objects++;
    counts.buffers++;
    if ((i + 1) % VERTICES_PER_UNIT === 0) {
      obs.unitDone();
    }
  }
  for (let i = 0; i + 1 < n; i++) {
    vertices[i].edges.push(vertices[i + 1]);
  }
  for (let round = 0; round < degree; round++) {
    for (let i = 0; i < n; i++) {
      vertices[i].edges.push(vertices[rng.below(n)]);
      if ((i + 1) % VERTICES_PER_UNIT === 0) {
        obs.unitDone();
      }
    }
  }
  // The C++'s queue: a vector reserved for every vertex, read by index.
  const queue = new Array(n);
  counts.buffers++;
  let queued = 0;
  const start = vertices[0];
  start.distance = 0;
  queue[queued++] = start;
  let edgesSeen = 0;
  for (let head = 0; head < queued; head++) {
    const v = queue[head];
    sum.add32(v.id);
    sum.add32(v.distance);
    const edges = v.edges;
    edgesSeen += edges.length;
    for (let k = 0; k < edges.length; k++) {
      const w = edges[k];
      if (w.distance < 0) {
        w.distance = v.distance + 1;
        queue[queued++] = w;
      }
    }
    if ((head + 1) % VERTICES_PER_UNIT === 0) {
      obs.unitDone();
    }
  }
  sum.add(queued);
  sum.add(edgesSeen);
  // The graph dies on return, with the vertex array: the collector's part.
}

function run(params, obs, counts) {
  checkParams('graph_walk', params, [['vertices', 2, MAX_VERTICES], ['degree', 0, MAX_DEGREE]]);
  const sum = new Checksum();
  const rng = new Rng(0, SEED_LO);
  for (let g = 0; g < GRAPHS; g++) {
    rng.reseedPlus(0, SEED_LO, g);
    searchOneGraph(params[0], params[1], rng, sum, obs, counts);
  }
  return sum.value();
}

module.exports = {
  name: 'graph_walk',
  unit: 'vertex',
  paramNames: ['vertices', 'degree'],
  small: [1000, 4],
  defaults: [100000, 8],
  notApplicable: null,
  run,
};
