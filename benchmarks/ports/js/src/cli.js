// The port's own actions (the port protocol's items 1, 5 and 6):
//   --list_benchmarks [--size=small|default|all]  every benchmark, as JSON
//   --check [--size=...]   each benchmark run once here: checksum, units, objects
//   --run NAME             one benchmark (any size) run once: a human line
//                          (exit 4 for a benchmark not applicable here)
// Everything else is the harness's (src/harness/main.js).
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { UsageError } = require('./work/errors');
const { Counts } = require('./work/counts');
const { hex64 } = require('./work/u64');
const { WORKLOADS } = require('./workloads/registry');

const USAGE = 'usage: memstrat_js [--size=small|default|all] ' +
  '(--list_benchmarks | --check | --run NAME)';

// The strategy names: the harness's declaration once it exists.
function strategyNames() {
  const file = path.join(__dirname, 'harness', 'strategies.js');
  if (fs.existsSync(file)) {
    return require(file).NAMES;
  }
  return ['js-v8'];
}

function benchName(w, strategy, params) {
  let name = `${w.name}/${strategy}`;
  for (let i = 0; i < w.paramNames.length; i++) {
    name += `/${w.paramNames[i]}:${params[i]}`;
  }
  return name;
}

// Every benchmark at a size: {name, workload, strategy, params, values}.
function benchmarks(size, strategies) {
  const out = [];
  for (const s of strategies) {
    for (const w of WORKLOADS) {
      const sets = [];
      if (size !== 'default') {
        sets.push(w.small);
      }
      if (size !== 'small') {
        sets.push(w.defaults);
      }
      for (const values of sets) {
        const params = {};
        const keys = w.paramNames.map((n, i) => [n, values[i]])
          .sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
        for (const [k, v] of keys) {
          params[k] = v;
        }
        out.push({ name: benchName(w, s, values), workload: w, strategy: s, params, values });
      }
    }
  }
  return out;
}

// One run in this process, counting units and objects.
function runOnce(w, values) {
  const counts = new Counts();
  const obs = {
    units: 0,
    unitDone() {
      this.units++;
    },
    requestBegin() {},
    requestEnd() {},
  };
  const checksum = w.run(values.slice(), obs, counts);
  if (typeof checksum !== 'bigint') {
    throw new Error(`${w.name}: run() returned no BigInt checksum`);
  }
  return { checksum, units: obs.units, objects: counts.objects, buffers: counts.buffers };
}

function parse(argv) {
  const o = { size: 'small', action: null, run: null };
  const setAction = (a) => {
    if (o.action !== null && o.action !== a) {
      throw new UsageError(`--${o.action} and --${a} exclude each other; ${USAGE}`);
    }
    o.action = a;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const key = eq < 0 ? arg : arg.slice(0, eq);
    const value = eq < 0 ? null : arg.slice(eq + 1);
    if (key === '--size') {
      const v = value !== null ? value : argv[++i];
      if (v !== 'small' && v !== 'default' && v !== 'all') {
        throw new UsageError(`--size takes small, default or all, not ${v}`);
      }
      o.size = v;
    } else if (key === '--list_benchmarks' || key === '--check') {
      if (value !== null && value !== 'true') {
        throw new UsageError(`${key} takes no value; ${USAGE}`);
      }
      setAction(key.slice(2));
    } else if (key === '--run') {
      const v = value !== null ? value : argv[++i];
      if (v === undefined || v === '') {
        throw new UsageError(`--run needs a benchmark name (see --list_benchmarks); ${USAGE}`);
      }
      setAction('run');
      o.run = v;
    } else {
      throw new UsageError(`unknown flag ${arg}; ${USAGE}`);
    }
  }
  if (o.action === null) {
    throw new UsageError(USAGE);
  }
  return o;
}

function main(argv) {
  const o = parse(argv);
  const strategies = strategyNames();
  if (o.action === 'list_benchmarks') {
    const out = benchmarks(o.size, strategies).map((b) => ({
      name: b.name, workload: b.workload.name, strategy: b.strategy, params: b.params,
    }));
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    return 0;
  }
  if (o.action === 'check') {
    const out = [];
    for (const b of benchmarks(o.size, strategies)) {
      const e = { name: b.name, workload: b.workload.name, strategy: b.strategy, params: b.params };
      if (b.workload.notApplicable) {
        e.not_applicable = b.workload.notApplicable;
      } else {
        const r = runOnce(b.workload, b.values);
        e.checksum = hex64(r.checksum);
        e.units = r.units;
        e.objects = r.objects;
        e.buffers = r.buffers;
      }
      out.push(e);
    }
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    return 0;
  }
  const b = benchmarks('all', strategies).find((x) => x.name === o.run);
  if (b === undefined) {
    throw new UsageError(`no benchmark named '${o.run}'; list them with --list_benchmarks --size=all`);
  }
  if (b.workload.notApplicable) {
    // The harness's exit code and line for a benchmark this port cannot run.
    process.stderr.write(`memstrat_js: not applicable: ${b.workload.notApplicable}\n`);
    return 4;
  }
  const r = runOnce(b.workload, b.values);
  process.stdout.write(`${b.name} checksum=${hex64(r.checksum)} units=${r.units} ` +
                       `objects=${r.objects} buffers=${r.buffers}\n`);
  return 0;
}

module.exports = { main, benchmarks, runOnce, strategyNames };
