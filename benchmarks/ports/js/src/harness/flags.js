// The harness's flags: the port protocol's timing and probe flags, exactly as
// memstrat_java takes them, and the V8 heap's (strategies.js V8_FLAGS).
// Parsing never throws anything but an Exit: code 0 (--help, on stdout) or 2
// (bad flags: one line naming the flag and what it takes).
'use strict';

const PROG = 'memstrat_js';
const USAGE = 'usage: memstrat_js [--size=small|default|all]'
  + ' (--list_benchmarks | --list_strategies | --check | --run=NAME'
  + ' | --benchmark_filter=^NAME$ [--benchmark_repetitions=N] [--benchmark_min_time=S]'
  + ' [--benchmark_min_warmup_time=S] [--benchmark_out=FILE] [--benchmark_out_format=json]'
  + ' | --probe=NAME [--probe_iterations=N] [--sample_period_ms=MS] [--probe_out=FILE])'
  + ' [--js_max_old_space_mib=N] [--js_initial_old_space_mib=N] [--js_max_semi_space_mib=N]';

// Ends the program with one line and an exit code.
class Exit extends Error {
  constructor(code, line) {
    super(line);
    this.code = code;
    this.line = line;
  }
}

function usage(what) {
  return new Exit(2, `${PROG}: error: ${what} (see --help)`);
}

function failure(what) {
  return new Exit(1, `${PROG}: error: ${what}`);
}

function notApplicable(why) {
  return new Exit(4, `${PROG}: not applicable: ${why}`);
}

function whole(flag, v, lo, hi) {
  if (/^[0-9]+$/.test(v)) {
    const n = Number(v);
    if (n >= lo && n <= hi) return n;
  }
  throw usage(`${flag}=${v} is not a whole number from ${lo} to ${hi}`);
}

function seconds(flag, v) {
  const t = v.endsWith('s') ? v.slice(0, -1) : v;
  if (/^[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?$/.test(t)) {
    const s = Number(t);
    if (s >= 0 && s < 1e6) return s;
  }
  throw usage(`${flag}=${v} is not a number of seconds`);
}

function need(flag, v) {
  if (v === null || v === '') throw usage(`${flag} needs a value (${flag}=...)`);
  return v;
}

function bare(arg, v) {
  if (v !== null) throw usage(`${arg} takes no value`);
  return true;
}

function parse(args) {
  const o = {
    size: 'small',
    listStrategies: false,
    filter: null,
    repetitions: 1,
    minTime: 0.5,
    minWarmupTime: 0,
    benchmarkOut: null,
    probe: null,
    probeIterations: 3,
    samplePeriodMs: 10,
    probeOut: null,
    maxOldSpaceMib: 0,
    initialOldSpaceMib: 0,
    maxSemiSpaceMib: 0,
  };
  for (const a of args) {
    const eq = a.indexOf('=');
    const flag = eq < 0 ? a : a.slice(0, eq);
    const v = eq < 0 ? null : a.slice(eq + 1);
    switch (flag) {
      case '--help':
      case '-h':
        throw new Exit(0, USAGE);
      case '--size':
        if (v !== 'small' && v !== 'default' && v !== 'all') {
          throw usage(`--size takes small, default or all, not ${v}`);
        }
        o.size = v;
        break;
      case '--list_strategies':
        o.listStrategies = bare(a, v);
        break;
      case '--benchmark_filter':
        o.filter = need(flag, v);
        break;
      case '--benchmark_repetitions':
        o.repetitions = whole(flag, need(flag, v), 1, 100000);
        break;
      case '--benchmark_min_time':
        o.minTime = seconds(flag, need(flag, v));
        break;
      case '--benchmark_min_warmup_time':
        o.minWarmupTime = seconds(flag, need(flag, v));
        break;
      case '--benchmark_out':
        o.benchmarkOut = need(flag, v);
        break;
      case '--benchmark_out_format':
      case '--benchmark_format':
        if (v !== 'json') throw usage(`${flag}=${v}: only json is written`);
        break;
      case '--probe':
        o.probe = need(flag, v);
        break;
      case '--probe_iterations':
        o.probeIterations = whole(flag, need(flag, v), 1, 100000);
        break;
      case '--sample_period_ms':
        o.samplePeriodMs = whole(flag, need(flag, v), 1, 60000);
        break;
      case '--probe_out':
        o.probeOut = need(flag, v);
        break;
      case '--js_max_old_space_mib':
        o.maxOldSpaceMib = whole(flag, need(flag, v), 1, 1 << 30);
        break;
      case '--js_initial_old_space_mib':
        o.initialOldSpaceMib = whole(flag, need(flag, v), 1, 1 << 30);
        break;
      case '--js_max_semi_space_mib':
        o.maxSemiSpaceMib = whole(flag, need(flag, v), 1, 1024);
        break;
      default:
        throw usage(`unknown argument ${a}`);
    }
  }
  const actions = (o.listStrategies ? 1 : 0) + (o.filter !== null ? 1 : 0) + (o.probe !== null ? 1 : 0);
  if (actions > 1) {
    throw usage('--list_benchmarks, --list_strategies, --check, --benchmark_filter and'
      + ' --probe exclude each other');
  }
  if (actions === 0) throw usage('nothing to do');
  if (o.probeOut !== null && o.probe === null) throw usage('--probe_out needs --probe=NAME');
  return o;
}

// `^NAME$` as the runner writes it (Python's re.escape), back to NAME.
function exactName(filter) {
  if (!filter.startsWith('^') || !filter.endsWith('$') || filter.length < 2) {
    throw usage(`--benchmark_filter=${filter}: only ^NAME$ filters are supported`);
  }
  const inner = filter.slice(1, -1);
  let out = '';
  for (let i = 0; i < inner.length; i++) {
    let c = inner[i];
    if (c === '\\' && i + 1 < inner.length) c = inner[++i];
    out += c;
  }
  return out;
}

// The child node's V8 flags for the run's heap flags.
function v8Flags(o) {
  const f = [];
  if (o.maxOldSpaceMib > 0) f.push(`--max-old-space-size=${o.maxOldSpaceMib}`);
  if (o.initialOldSpaceMib > 0) f.push(`--initial-old-space-size=${o.initialOldSpaceMib}`);
  if (o.maxSemiSpaceMib > 0) f.push(`--max-semi-space-size=${o.maxSemiSpaceMib}`);
  return f;
}

module.exports = { PROG, USAGE, Exit, usage, failure, notApplicable, parse, exactName, v8Flags };
