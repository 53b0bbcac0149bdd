// One benchmark: a workload, its parameter values and a strategy, named as
// memstrat_bench names its own (binary_trees/js-v8/depth:16), enumerated from
// WORK's registry the way its --list_benchmarks lists them.
'use strict';

// MEMSTRAT_JS_REGISTRY names another registry module (absolute path): the
// harness tests' fixture workloads.
function registry() {
  return require(process.env.MEMSTRAT_JS_REGISTRY || '../workloads/registry');
}

function benchName(w, params, strategy) {
  let name = `${w.name}/${strategy}`;
  w.paramNames.forEach((p, i) => { name += `/${p}:${params[i]}`; });
  return name;
}

function paramsJson(w, params) {
  const out = {};
  w.paramNames.forEach((p, i) => { out[p] = params[i]; });
  return out;
}

// The parameter sets of a workload at size small, default or all (as
// cli.js's --list_benchmarks).
function sizesOf(w, size) {
  const out = [];
  if (size !== 'default') out.push(w.small);
  if (size !== 'small') out.push(w.defaults);
  return out;
}

// Every benchmark of `strategies` at `size`: {name, workload, params, strategy}.
function all(size, strategies) {
  const out = [];
  for (const s of strategies) {
    for (const w of registry().WORKLOADS) {
      for (const params of sizesOf(w, size)) {
        out.push({ name: benchName(w, params, s), workload: w, params: params.slice(), strategy: s });
      }
    }
  }
  return out;
}

function find(name, size, strategies) {
  return all(size, strategies).find((b) => b.name === name) || null;
}

module.exports = { all, find, benchName, paramsJson, sizesOf, registry };
