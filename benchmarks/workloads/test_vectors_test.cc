// Holds this implementation to test_vectors.json, the file ports test
// against: the generator, draws, checksum and hash cases, and every
// workload's checksum and unit count at its small size. A failure after an
// intended change of the work means regenerating the file (see
// test_vectors.h); any other failure means the work changed by accident.
#include "benchmarks/workloads/test_vectors.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "tests/test_support.h"

namespace memstrat::testing {
namespace {

vectors::Json load() {
  std::ifstream in(MEMSTRAT_TEST_VECTORS);
  EXPECT_TRUE(in) << "cannot read " << MEMSTRAT_TEST_VECTORS;
  return vectors::Json::parse(in);
}

TEST(TestVectors, PrimitivesMatchTheFile) {
  const vectors::Json file = load();
  const vectors::Json computed = vectors::primitives();
  for (const auto& [key, value] : computed.items()) {
    SCOPED_TRACE(key);
    ASSERT_TRUE(file.contains(key));
    EXPECT_EQ(file[key], value) << "computed: " << value.dump();
  }
}

TEST(TestVectors, PublishedFnv1a32Values) {
  EXPECT_EQ(fnv1a32(""), 0x811c9dc5U);
  EXPECT_EQ(fnv1a32("a"), 0xe40c292cU);
  EXPECT_EQ(fnv1a32("foobar"), 0xbf9cf968U);
}

template <class W>
class WorkloadChecksum : public ::testing::Test {};
TYPED_TEST_SUITE(WorkloadChecksum, AsTypes<AllWorkloads>::type, KNameNames);

TYPED_TEST(WorkloadChecksum, MatchesTheFileAtTheSmallSize) {
  using W = TypeParam;
  const vectors::Json file = load();
  const std::string name(W::kName);
  ASSERT_TRUE(file["workload_checksums"].contains(name));
  EXPECT_EQ(file["workload_checksums"][name], vectors::workload_record<W>());
}

}  // namespace
}  // namespace memstrat::testing
