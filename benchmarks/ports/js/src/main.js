// memstrat_js's entry (the launcher execs node on this file): one-line errors
// (exit 2 for a UsageError, 1 otherwise, never a stack trace), then the
// port's own actions (src/cli.js) or the harness (src/harness/main.js).
'use strict';

const { UsageError } = require('./work/errors');

function fail(err) {
  const text = err instanceof Error ? err.message : String(err);
  process.stderr.write(`memstrat_js: error: ${text.split('\n')[0]}\n`);
  process.exit(err instanceof UsageError ? 2 : 1);
}

process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);

const argv = process.argv.slice(2);
const OWN = ['--check', '--list_benchmarks', '--run'];
const own = argv.some((a) => OWN.includes(a.split('=')[0]));
const entry = own ? require('./cli') : require('./harness/main');
Promise.resolve(entry.main(argv)).then((code) => process.exit(code === undefined ? 0 : code), fail);
