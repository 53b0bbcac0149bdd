// The error a caller can fix (a bad flag, a bad parameter): main.js prints it
// as one line and exits 2, where any other error exits 1. Shared by the CLI,
// the workloads' parameter checks and the harness.
'use strict';

class UsageError extends Error {
  constructor(message) {
    super(message);
    this.name = 'UsageError';
  }
}

module.exports = { UsageError };
