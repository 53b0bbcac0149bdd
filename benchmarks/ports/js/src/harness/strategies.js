// The JavaScript strategy, js-v8: V8's generational collector at Node's
// defaults, run in a child node per timing or probe invocation (a V8 heap's
// limits are fixed when its isolate starts), and its --list_strategies
// declaration: the C++ keys plus the port keys of docs/extending.md, as the
// Java port's. NAMES is what WORK's cli.js lists benchmarks under.
'use strict';

const MIB = 1048576;

// Node 18's V8 on x86-64 at its defaults (checked: new space 32 MiB, two
// semi-spaces of 16 MiB; benchmarks/ports/js/README.md, "Harness").
const DEFAULT_SEMI_SPACE_MIB = 16;

// The port's flags and the V8 flag each becomes in the child node.
const V8_FLAGS = {
  '--js_max_old_space_mib': '--max-old-space-size',
  '--js_initial_old_space_mib': '--initial-old-space-size',
  '--js_max_semi_space_mib': '--max-semi-space-size',
};

const STRATEGIES = [
  {
    name: 'js-v8',
    // Tol's muted rose: unlike every C++, Rust and Java colour.
    colour: '#CC6677',
    defaultSelected: true,
  },
];

const NAMES = STRATEGIES.map((s) => s.name);

function find(name) {
  return STRATEGIES.find((s) => s.name === name) || null;
}

// `node --version` of the node this runs on (the children run the same one).
function toolchain() {
  return `Node.js ${process.version} (V8 ${process.versions.v8})`;
}

function pointerCompression() {
  const v = process.config && process.config.variables;
  return Boolean(v && Number(v.v8_enable_pointer_compression) === 1);
}

function declarations() {
  const compressed = pointerCompression();
  const ref = compressed ? 4 : 8;
  return STRATEGIES.map((s) => ({
    name: s.name,
    family: 'JavaScript',
    language: 'JavaScript',
    toolchain: toolchain(),
    counterpart: 'gc',
    // JIT-compiled: no C++ build shares its backend.
    same_backend_build: false,
    summary: `V8 ${process.versions.v8.split('.').slice(0, 2).join('.')} (Node.js `
      + `${process.version}): generational, a parallel Scavenger on the young generation and `
      + 'incremental, concurrent mark-compact on the old, at Node\'s defaults',
    reclaim_kind: 'gc_stop_world',
    frees: 'none',
    collects: true,
    release_order: 'none: the collector finds unreachable objects',
    owner_bytes: ref,
    allocator_bytes: 0,
    owner_overhead: `none: a reference is ${ref} bytes (this V8 is built `
      + `${compressed ? 'with' : 'without'} pointer compression); every object carries a `
      + `${3 * ref}-byte header (map, properties, elements) the collector uses`,
    sanitizer_safe: false,
    threads_process: true,
    object_per_new: true,
    baseline: false,
    colour: s.colour,
    v8_flags: [],
    settings: Object.keys(V8_FLAGS),
    heap: {
      cap_flag: '--js_max_old_space_mib',
      presize_flag: '--js_initial_old_space_mib',
      flag_unit_bytes: MIB,
      granularity_bytes: MIB,
      unit_group: 'js',
    },
    sweeps: [{
      name: 'semi_space',
      flag: '--js_max_semi_space_mib',
      label: 'young generation (max semi-space, MiB)',
      default: DEFAULT_SEMI_SPACE_MIB,
      min: 1,
      max: 1024,
      values: [1, 2, 4, 8, 32, 64],
    }],
    default_selected: s.defaultSelected,
  }));
}

module.exports = { NAMES, STRATEGIES, V8_FLAGS, DEFAULT_SEMI_SPACE_MIB, find, toolchain, declarations };
