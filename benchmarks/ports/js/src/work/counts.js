// The objects a workload makes (one per C++ make<T>) and the container
// buffers it allocates itself (arrays / typed arrays it creates where the
// C++ allocates a buffer): plain number fields, so counting costs the timed
// path one increment. hold() is the sink that keeps TurboFan's escape
// analysis from scalar-replacing an object the C++ heap-allocates: a store
// into module state makes it escape, and hold(null) lets it go again where
// the C++ releases it.
'use strict';

class Counts {
  constructor() {
    this.objects = 0;
    this.buffers = 0;
  }
}

let held = null;

function hold(o) {
  held = o;
}

// For tests: what hold() last kept.
function holding() {
  return held;
}

module.exports = { Counts, hold, holding };
