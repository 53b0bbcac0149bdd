// Atomic JSON writes and tolerant reads (see json_io.h).
#include "benchmarks/harness/json_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace memstrat {

namespace {

std::string errno_text() { return std::strerror(errno); }

// Writes all of `data` to fd, retrying short writes.
bool write_all(int fd, const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

void write_json_atomically(const std::string& path, const nlohmann::json& doc) {
  // dump() throws on invalid UTF-8; nlohmann writes NaN as null.
  const std::string text = doc.dump(1) + "\n";
  const std::filesystem::path dest(path);
  const std::filesystem::path dir =
      dest.has_parent_path() ? dest.parent_path() : std::filesystem::path(".");
  std::string tmpl =
      (dir / ("." + dest.filename().string() + ".XXXXXX")).string();
  const int fd = mkstemp(tmpl.data());
  if (fd < 0) {
    throw JsonIoError("cannot create a file in '" + dir.string() +
                      "': " + errno_text());
  }
  const bool ok =
      fchmod(fd, 0644) == 0 && write_all(fd, text) && fsync(fd) == 0;
  const std::string why = ok ? "" : errno_text();
  close(fd);
  if (!ok) {
    unlink(tmpl.c_str());
    throw JsonIoError("cannot write '" + path + "': " + why);
  }
  if (std::rename(tmpl.c_str(), path.c_str()) != 0) {
    const std::string reason = errno_text();
    unlink(tmpl.c_str());
    throw JsonIoError("cannot replace '" + path + "': " + reason);
  }
  // Make the rename itself durable.
  if (const int dfd = open(dir.c_str(), O_RDONLY | O_DIRECTORY); dfd >= 0) {
    fsync(dfd);
    close(dfd);
  }
}

std::string null_non_finite(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < text.size()) {
        out += text[++i];
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
      out += c;
      continue;
    }
    bool replaced = false;
    for (std::string_view token : {"-Infinity", "Infinity", "-NaN", "NaN",
                                   "-nan", "nan", "-inf", "inf"}) {
      if (text.substr(i, token.size()) == token) {
        out += "null";
        i += token.size() - 1;
        replaced = true;
        break;
      }
    }
    if (!replaced) out += c;
  }
  return out;
}

nlohmann::json read_json_file(const std::string& path, bool allow_non_finite) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw JsonIoError("cannot read '" + path + "': " + errno_text());
  std::stringstream buf;
  buf << in.rdbuf();
  std::string text = buf.str();
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    throw JsonIoError("'" + path + "' is empty");
  }
  if (allow_non_finite) text = null_non_finite(text);
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // e.byte is where parsing stopped; at the end means truncated.
    const bool truncated = e.byte >= text.size();
    throw JsonIoError("'" + path + "' is " +
                      (truncated ? "truncated" : "not valid JSON") +
                      " (at byte " + std::to_string(e.byte) + ")");
  }
}

}  // namespace memstrat
