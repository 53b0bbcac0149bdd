// The workload interface (js-contract): what the harness and the CLI know of
// a workload, and the parameter check each one uses. A workload is a plain
// object
//   { name, unit, paramNames, small, defaults, notApplicable,
//     run(params, observer, counts) -> BigInt checksum (all 64 bits) }
// with observer { unitDone(), requestBegin(), requestEnd() } and counts
// { objects, buffers }. A workload knows nothing of the harness or V8.
'use strict';

const { UsageError } = require('./errors');

// Checks params against [[name, min, max], ...] and returns them; a bad one
// throws a UsageError naming the range (the C++'s message).
function checkParams(workload, params, ranges) {
  if (!Array.isArray(params) || params.length !== ranges.length) {
    throw new UsageError(`${workload}: takes ${ranges.length} parameter(s) (` +
                         ranges.map((r) => r[0]).join(', ') + ')');
  }
  for (let i = 0; i < ranges.length; i++) {
    const [name, min, max] = ranges[i];
    const v = params[i];
    if (!Number.isSafeInteger(v) || v < min || v > max) {
      throw new UsageError(`${workload}: ${name} must be in [${min}, ${max}]`);
    }
  }
  return params;
}

// An observer that ignores everything (tests, --check).
const NULL_OBSERVER = {
  unitDone() {},
  requestBegin() {},
  requestEnd() {},
};

module.exports = { checkParams, NULL_OBSERVER };
