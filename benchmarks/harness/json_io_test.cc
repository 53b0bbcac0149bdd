// JSON files: writes are atomic even when the writer is killed half-way,
// and bad files give one-line reasons.
#include "benchmarks/harness/json_io.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

namespace memstrat {
namespace {

namespace fs = std::filesystem;

class JsonIo : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("memstrat-json-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string file(const std::string& name) const {
    return (dir_ / name).string();
  }
  void write_text(const std::string& name, const std::string& text) const {
    std::ofstream(file(name)) << text;
  }
  fs::path dir_;
};

TEST_F(JsonIo, WritesAndReadsBack) {
  const nlohmann::json doc = {{"a", 1}, {"b", {1, 2, 3}}};
  write_json_atomically(file("x.json"), doc);
  EXPECT_EQ(read_json_file(file("x.json")), doc);
  EXPECT_EQ(fs::status(file("x.json")).permissions() & fs::perms::others_read,
            fs::perms::others_read);
}

TEST_F(JsonIo, AWriterKilledHalfWayLeavesTheOldFile) {
  const nlohmann::json good = {{"good", true}};
  write_json_atomically(file("r.json"), good);
  nlohmann::json big = nlohmann::json::array();
  for (int i = 0; i < 200000; ++i)
    big.push_back({{"i", i}, {"pad", "xxxxxxxxxxxxxxxx"}});
  for (int attempt = 0; attempt < 5; ++attempt) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      for (;;) write_json_atomically(file("r.json"), big);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5 + 7 * attempt));
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    // Whatever moment the kill hit, the file is one whole document.
    const nlohmann::json now = read_json_file(file("r.json"));
    EXPECT_TRUE(now == good || now == big);
  }
}

// A full disk, simulated with a file-size limit: the write fails part-way,
// the error is one line, and the old file is still whole.
TEST_F(JsonIo, AFullDiskLeavesTheOldFile) {
  const nlohmann::json good = {{"good", true}};
  write_json_atomically(file("r.json"), good);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    signal(SIGXFSZ, SIG_IGN);  // fail the write with EFBIG instead
    rlimit limit{4096, 4096};
    setrlimit(RLIMIT_FSIZE, &limit);
    nlohmann::json big = nlohmann::json::array();
    for (int i = 0; i < 10000; ++i) big.push_back(i);
    try {
      write_json_atomically(file("r.json"), big);
    } catch (const JsonIoError& e) {
      const std::string what = e.what();
      _exit(what.find('\n') == std::string::npos &&
                    what.find("cannot write") != std::string::npos
                ? 42
                : 1);
    }
    _exit(0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 42) << "the write should fail with one line";
  EXPECT_EQ(read_json_file(file("r.json")), good);
  for (const auto& entry : fs::directory_iterator(dir_)) {
    EXPECT_EQ(entry.path().filename(), "r.json") << "no temporary file left";
  }
}

TEST_F(JsonIo, UnwritableDirectoryIsAOneLineError) {
  try {
    write_json_atomically("/nonexistent/dir/r.json", {{"a", 1}});
    FAIL() << "no error";
  } catch (const JsonIoError& e) {
    EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("/nonexistent/dir"),
              std::string::npos);
  }
}

TEST_F(JsonIo, BadFilesAreNamedAndDescribed) {
  write_text("empty.json", "  \n");
  write_text("truncated.json", R"({"a": [1, 2)");
  write_text("malformed.json", R"({"a": 1,, })");
  write_text("nan.json", R"({"a": NaN})");
  auto message = [&](const std::string& name) -> std::string {
    try {
      read_json_file(file(name));
    } catch (const JsonIoError& e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_NE(message("empty.json").find("is empty"), std::string::npos);
  EXPECT_NE(message("truncated.json").find("is truncated"), std::string::npos);
  EXPECT_NE(message("malformed.json").find("not valid JSON"),
            std::string::npos);
  EXPECT_NE(message("nan.json").find("not valid JSON"), std::string::npos);
  EXPECT_NE(message("missing.json").find("cannot read"), std::string::npos);
}

TEST(NullNonFinite, ReplacesBareTokensButNotStrings) {
  EXPECT_EQ(null_non_finite(R"({"cv": NaN, "x": -Infinity, "y": Infinity})"),
            R"({"cv": null, "x": null, "y": null})");
  EXPECT_EQ(null_non_finite(R"({"name": "NaN \"Infinity\" nan"})"),
            R"({"name": "NaN \"Infinity\" nan"})");
  EXPECT_EQ(null_non_finite("[-nan, 1.5e3, inf]"), "[null, 1.5e3, null]");
}

}  // namespace
}  // namespace memstrat
