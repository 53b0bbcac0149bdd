// The registered workloads, in the C++ catalogue's order
// (benchmarks/catalogue.h). The harness and the CLI walk this list and name
// no workload themselves. A workload joins it once its small-size checksum,
// units and objects equal memstrat_test_vectors'.
'use strict';

const WORKLOADS = [
  require('./binary_trees'),
  require('./list_churn'),
  require('./lifetime_mix'),
  require('./string_dict'),
  require('./request_server'),
  require('./deep_structure'),
  require('./producer_consumer'),
  require('./doc_tree'),
  require('./graph_walk'),
  require('./lru_cache'),
];

// The workload named `name`, or null.
function find(name) {
  for (const w of WORKLOADS) {
    if (w.name === name) {
      return w;
    }
  }
  return null;
}

module.exports = { WORKLOADS, find };
