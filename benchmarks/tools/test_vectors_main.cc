// memstrat_test_vectors: prints test_vectors.json, the values every
// implementation of the workloads must reproduce (see test_vectors.h).
#include <iostream>

#include "benchmarks/workloads/test_vectors.h"

int main() {
  std::cout << memstrat::vectors::all().dump(2) << '\n';
  return 0;
}
