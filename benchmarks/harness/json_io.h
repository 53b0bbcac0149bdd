// Reading and writing JSON files safely.
//
// write_json_atomically: the document goes to a temporary file in the same
// directory, is flushed to disk, and is renamed over the destination, so a
// crash, a full disk or Ctrl-C leaves either the old file or the new one,
// never half of one.
//
// parse_benchmark_json: Google Benchmark 1.7.1 writes bare NaN / Infinity
// for counters divided by zero (the cv of an all-zero counter), which is not
// JSON; outside strings they are read as null.
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>

namespace memstrat {

struct JsonIoError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Throws JsonIoError with a one-line reason.
void write_json_atomically(const std::string& path, const nlohmann::json& doc);

/// Reads and parses a file; throws JsonIoError naming the file and where it
/// broke (truncated, malformed, empty).
nlohmann::json read_json_file(const std::string& path,
                              bool allow_non_finite = false);

/// Replaces NaN, Infinity and -Infinity tokens outside strings by null.
std::string null_non_finite(std::string_view text);

}  // namespace memstrat
