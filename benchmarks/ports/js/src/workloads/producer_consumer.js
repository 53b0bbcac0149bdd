// producer_consumer: a pipeline stage, one thread making messages and
// another freeing them (cross-thread frees, a second GC-registered thread).
// Not applicable in JavaScript: Node's worker threads share no objects, and
// postMessage structured-clones a message, so a consumer would drop a copy,
// never the producer's object. It stays listed (the runner records the
// benchmark as not applicable from the harness's exit 4); run() refuses.
'use strict';

const REASON = "producer_consumer hands objects from one thread to another; Node's " +
  'worker threads share no objects (postMessage copies them)';

module.exports = {
  name: 'producer_consumer',
  unit: 'message',
  paramNames: ['messages', 'batch'],
  small: [5000, 100],
  defaults: [100000, 1000],
  notApplicable: REASON,
  run() {
    throw new Error(`not applicable: ${REASON}`);
  },
};
