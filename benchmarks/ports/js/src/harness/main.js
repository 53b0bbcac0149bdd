// memstrat_js's harness, driven by scripts/run like the C++ memstrat_bench
// (docs/extending.md, "Adding a language"; the V8 heap's additions in
// benchmarks/ports/js/README.md, "Harness"). src/main.js hands it every
// invocation but --check, --list_benchmarks and --run (src/cli.js's). It
// lists the strategies itself, and runs timing and probe in a child node per
// invocation (child.js) with the V8 heap flags, in a temporary directory; then
// it pairs the child's collections with V8's --trace-gc-nvp lines and writes
// the protocol's JSON.
//
// Exit codes: 0 done, 1 a run failed (V8 out of memory, a crash, a
// workload's error), 2 bad flags, 4 not applicable (the workload cannot be
// expressed in Node, or node refused a flag). Errors are one line on stderr;
// no JS stack trace and no V8 report ever reaches the user.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const flags = require('./flags');
const strategies = require('./strategies');
const bench = require('./bench');
const gclog = require('./gclog');
const { Sampler } = require('./sampler');

const { PROG, Exit, usage, failure, notApplicable } = flags;
const CHILD = path.join(__dirname, 'child.js');

function text(p) {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch (e) {
    return '';
  }
}

// The end of a file that may be long (the child's stdout: V8's GC lines).
function tail(p) {
  try {
    const fd = fs.openSync(p, 'r');
    const size = fs.fstatSync(fd).size;
    const n = Math.min(size, 1 << 16);
    const buf = Buffer.alloc(n);
    fs.readSync(fd, buf, 0, n, size - n);
    fs.closeSync(fd);
    return buf.toString('utf8');
  } catch (e) {
    return '';
  }
}

function removeTree(dir) {
  try {
    fs.rmSync(dir, { recursive: true, force: true });
  } catch (e) {
    // a temporary directory left behind is no failure
  }
}

function heapWords(o) {
  return o.maxOldSpaceMib > 0 ? `--max-old-space-size=${o.maxOldSpaceMib}`
    : "Node's default old space";
}

// node's (or V8's) own reason for not taking a flag, from what it printed.
function refusal(out) {
  for (const line of out.split('\n')) {
    const l = line.trim().replace(/^\S*node: /, '');
    if (l.startsWith('bad option:') || l.startsWith('Error: illegal value for flag')
        || l.includes('is not allowed in NODE_OPTIONS')) {
      return l;
    }
  }
  return null;
}

// V8's fatal out-of-memory line ("Reached heap limit Allocation failed -
// JavaScript heap out of memory", "Ineffective mark-compacts near heap
// limit ..."; newer V8s, as Node 20's, print "# Fatal javascript OOM in
// <where>" when the heap cannot even hold the start-up snapshot), or null.
function outOfMemory(out) {
  for (const line of out.split('\n')) {
    const m = /FATAL ERROR: (.*out of memory.*)$/.exec(line.trim()) ||
      /^# (Fatal javascript OOM .*)$/i.exec(line.trim());
    if (m) return m[1];
  }
  return null;
}

const SIGNALS = os.constants.signals;

function signalNumber(name) {
  return SIGNALS[name] || 0;
}

// Starts the child and waits for it: {status, signal, error}; `sampler`
// (when given) samples it from its start to its end.
function spawnChild(args, dir, out, err, samplePeriodMs) {
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(process.execPath, args, {
        cwd: dir, env: process.env, stdio: ['ignore', out, err],
      });
    } catch (e) {
      resolve({ status: null, signal: null, error: e, sampler: null });
      return;
    }
    let sampler = null;
    if (samplePeriodMs > 0 && child.pid) {
      sampler = new Sampler(child.pid, samplePeriodMs);
      sampler.start();
    }
    child.once('error', (e) => {
      if (sampler) sampler.stop();
      resolve({ status: null, signal: null, error: e, sampler });
    });
    child.once('exit', (status, signal) => {
      if (sampler) sampler.stop();
      resolve({ status, signal, error: null, sampler });
    });
  });
}

// Runs the child node for `childArgs`; resolves to {result, nvp, flags,
// sampler} or rejects with the failure's one line (an Exit).
async function runChild(o, what, childArgs, samplePeriodMs) {
  let dir;
  try {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'memstrat_js.'));
  } catch (e) {
    throw failure(`cannot make a temporary directory (${e.message})`);
  }
  const v8Flags = flags.v8Flags(o);
  const out = fs.openSync(path.join(dir, 'stdout.txt'), 'w');
  const err = fs.openSync(path.join(dir, 'stderr.txt'), 'w');
  // The launcher's own node flags (--stack-size) first: the workloads'
  // recursion needs them in the child as well.
  const args = [...process.execArgv, ...v8Flags, CHILD, dir, ...childArgs];
  const r = await spawnChild(args, dir, out, err, samplePeriodMs || 0);
  fs.closeSync(out);
  fs.closeSync(err);
  if (r.error) {
    removeTree(dir);
    throw failure(`cannot start ${process.execPath} (${r.error.message})`);
  }
  if (r.status === 0 && fs.existsSync(path.join(dir, 'result.json'))) {
    let result;
    try {
      result = JSON.parse(text(path.join(dir, 'result.json')));
    } catch (e) {
      removeTree(dir);
      throw failure(`${what}: the child node's result is not JSON (${e.message})`);
    }
    const nvp = gclog.parseNvpFile(path.join(dir, 'stdout.txt'));
    removeTree(dir);
    return { result, nvp, flags: v8Flags, sampler: r.sampler };
  }
  // V8 writes its fatal report to stderr; stdout holds its GC lines.
  const both = `${tail(path.join(dir, 'stdout.txt'))}\n${text(path.join(dir, 'stderr.txt'))}`;
  const started = fs.existsSync(path.join(dir, 'started'));
  const errorLine = text(path.join(dir, 'error.txt')).trim();
  removeTree(dir);
  if (!started) {
    const reason = refusal(both);
    if (reason !== null) throw notApplicable(reason);
  }
  const oom = outOfMemory(both);
  if (oom !== null) {
    throw failure(`out of memory (${what}, ${heapWords(o)}): V8: ${oom}`);
  }
  if (r.status === 1 && errorLine !== '') throw failure(`${what}: ${errorLine}`);
  let cause;
  if (r.signal) cause = `killed by signal ${signalNumber(r.signal)} (${r.signal})`;
  else cause = `exit status ${r.status}`;
  let last = '';
  for (const line of both.split('\n')) {
    const l = line.trim();
    if (l !== '' && !/^at /.test(l) && !/^\d+: 0x/.test(l) && !/ pause=/.test(l)) last = l;
  }
  throw failure(`${what}: the child node failed (${cause}${last ? `: ${last}` : ''}, `
    + `${heapWords(o)})`);
}

function writeAtomically(file, data, flag) {
  const tmp = `${file}.tmp.${process.pid}`;
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch (e) {
    try {
      fs.unlinkSync(tmp);
    } catch (x) {
      // nothing more to do
    }
    throw failure(`cannot write ${flag}=${file} (${e.message})`);
  }
}

function benchmarkOf(name, o) {
  let b;
  try {
    b = bench.find(name, o.size, strategies.NAMES);
  } catch (e) {
    if (e instanceof Exit) throw e;
    throw failure(`cannot load the workloads (${String(e.message).split('\n')[0]})`);
  }
  return b;
}

function context(o, v8Flags) {
  return {
    executable: PROG,
    num_cpus: os.cpus().length,
    memstrat_port: 'js',
    memstrat_sizes: o.size,
    memstrat_time: 'compare real_time (wall clock); cpu_time is the whole node process\'s'
      + ' CPU per iteration (V8\'s helper threads included)',
    memstrat_warmup: 'steady rule: the median of the last W runs within 5% of the W before,'
      + ' W = clamp(100 ms / run, 3, 1000), from the third block on, after'
      + ' --benchmark_min_warmup_time; capped at min_warmup + clamp(30 x first run, 1 s, 10 s)',
    node: {
      version: process.version,
      v8: process.versions.v8,
      flags: v8Flags.slice(),
    },
  };
}

// Bytes V8 allocated over a window: the heap's growth plus what its
// collections freed (gclog.js); null when the pairing failed.
function windowBytes(w, nvp) {
  const freed = gclog.freedBytes(w.events, nvp);
  if (freed === null) return null;
  return Math.max(0, w.used_end_bytes - w.used_start_bytes + freed);
}

async function time(o) {
  const name = flags.exactName(o.filter);
  const b = benchmarkOf(name, o);
  if (b === null) {
    throw usage(`no benchmark ${name} at --size=${o.size} (see --list_benchmarks)`);
  }
  if (b.workload.notApplicable) throw notApplicable(b.workload.notApplicable);
  const run = await runChild(o, name, ['timing', b.workload.name, b.params.join(','),
    String(o.repetitions), String(Math.round(o.minTime * 1e9)),
    String(Math.round(o.minWarmupTime * 1e9))]);
  const nvp = run.nvp;
  const warm = run.result.warmup;
  const entries = run.result.repetitions.map((r, i) => {
    const n = r.iterations;
    const wall = r.end_ns - r.start_ns;
    const stw = gclog.stopWorldNs(r.events);
    const e = {
      name,
      family_index: 0,
      per_family_instance_index: 0,
      run_name: name,
      run_type: 'iteration',
      repetitions: o.repetitions,
      repetition_index: i,
      threads: 1,
      iterations: n,
      real_time: wall / 1e6 / n,
      cpu_time: r.process_cpu_ns / 1e6 / n,
      time_unit: 'ms',
      // The C++ keeps the low 53 bits: a double holds them exactly.
      checksum: Number(BigInt(r.checksum) & ((1n << 53n) - 1n)),
      units: r.units,
      objects: r.objects / n,
      buffers: r.buffers / n,
    };
    const bytes = windowBytes(r, nvp);
    if (bytes !== null) e.bytes_requested = bytes / n;
    Object.assign(e, {
      first_iteration_ns: warm.first_iteration_ns,
      warmup_iterations: warm.warmup_iterations,
      warmup_ns: warm.warmup_ns,
      steady: warm.steady,
      process_cpu_ns: r.process_cpu_ns / n,
      gc_cpu_ns: (r.helper_cpu_ns + stw) / n,
      heap_max_bytes: run.result.heap_max_bytes,
      // The names the scripts read for every collecting strategy (the C++
      // gc's): seconds per iteration, and collections per iteration.
      process_cpu_time: r.process_cpu_ns / 1e9 / n,
      gc_stop_world_time: stw / 1e9 / n,
      gc_collections: gclog.collections(r.events) / n,
    });
    return e;
  });
  const doc = `${JSON.stringify({ context: context(o, run.flags), benchmarks: entries }, null, 2)}\n`;
  if (o.benchmarkOut !== null) {
    writeAtomically(o.benchmarkOut, doc, '--benchmark_out');
    process.stdout.write(`${name}: written to ${o.benchmarkOut}\n`);
  } else {
    process.stdout.write(doc);
  }
}

async function probe(o) {
  const b = benchmarkOf(o.probe, o);
  if (b === null) {
    throw usage(`no benchmark named '${o.probe}' at --size=${o.size}; list them with --list_benchmarks`);
  }
  if (b.workload.notApplicable) throw notApplicable(b.workload.notApplicable);
  const run = await runChild(o, o.probe, ['probe', b.workload.name, b.params.join(','),
    String(o.probeIterations), String(o.samplePeriodMs), String(Math.round(o.minWarmupTime * 1e9))],
  o.samplePeriodMs);
  const nvp = run.nvp;
  const r = run.result;
  const p = r.probe;
  const n = o.probeIterations;
  p.pauses = gclog.pausesJson(r.events, r.start_ns);
  const tl = run.sampler ? run.sampler.window(r.start_hr_ns, r.end_hr_ns)
    : { t_ms: [], rss_bytes: [], overflow: 0 };
  Object.assign(p.memory.timeline, tl);
  // The peak is at least every figure seen.
  if (p.memory.peak_rss_isolated) {
    for (const v of tl.rss_bytes) if (v > p.memory.peak_rss_bytes) p.memory.peak_rss_bytes = v;
  }
  const bytes = windowBytes({ events: r.events, used_start_bytes: r.used_start_bytes,
    used_end_bytes: r.used_end_bytes }, nvp);
  // The schema asks for a figure: 0 stands for "not known" only if the
  // pairing with V8's lines failed (it says so in gc.bytes_note).
  p.counts.bytes_requested_per_iteration = bytes === null ? 0 : bytes / n;
  const gc = p.gc;
  const stw = gclog.stopWorldNs(r.events);
  const collections = gclog.collections(r.events);
  const out = {
    collections,
    cpu_ns: gc.helper_cpu_ns + stw,
    heap_bytes: gc.heap_bytes,
    heap_max_bytes: gc.heap_max_bytes,
    stop_world_total_ns: stw,
    helper_cpu_ns: gc.helper_cpu_ns,
    process_cpu_ns: gc.process_cpu_ns,
    wall_ns: gc.wall_ns,
    first_iteration_ns: gc.first_iteration_ns,
    warmup_iterations: gc.warmup_iterations,
    warmup_ns: gc.warmup_ns,
    steady: gc.steady,
    v8_flags: run.flags.slice(),
  };
  if (bytes === null) {
    out.bytes_note = 'the collections did not pair with --trace-gc-nvp\'s lines: bytes unknown';
  }
  p.gc = out;
  p.strategy_stats = {
    gc_collections: collections / n,
    gc_stop_world_time: stw / 1e9 / n,
    gc_cpu_time: out.cpu_ns / 1e9 / n,
    process_cpu_time: gc.process_cpu_ns / 1e9 / n,
    heap_max_bytes: gc.heap_max_bytes,
  };
  const doc = `${JSON.stringify({
    name: b.name, workload: b.workload.name, strategy: b.strategy,
    params: bench.paramsJson(b.workload, b.params), probe: p,
  }, null, 2)}\n`;
  if (o.probeOut !== null) writeAtomically(o.probeOut, doc, '--probe_out');
  else process.stdout.write(doc);
}

async function run(argv) {
  const o = flags.parse(argv);
  if (o.listStrategies) {
    process.stdout.write(`${JSON.stringify(strategies.declarations(), null, 2)}\n`);
  } else if (o.filter !== null) {
    await time(o);
  } else {
    await probe(o);
  }
}

// Resolves to the exit code; every failure has been printed as one line.
async function main(argv) {
  try {
    await run(argv);
    return 0;
  } catch (e) {
    if (e instanceof Exit) {
      (e.code === 0 ? process.stdout : process.stderr).write(`${e.line}\n`);
      return e.code;
    }
    // A bug of the harness: still one line, never a stack trace.
    process.stderr.write(`${PROG}: error: internal: ${String(e && e.message ? e.message : e).split('\n')[0]}\n`);
    return 1;
  }
}

module.exports = { main, runChild, refusal, outOfMemory, windowBytes };
