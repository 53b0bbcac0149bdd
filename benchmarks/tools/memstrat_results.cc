// memstrat_results: assembles the results document of a suite run from the
// parts the runner collected (one Google Benchmark timing file and one probe
// file per benchmark and allocator), with nlohmann/json, and writes it
// atomically, plus one Google Benchmark-format file per allocator that
// Google Benchmark's compare.py reads.
//
//   memstrat_results merge MANIFEST OUT_DIR
//
// MANIFEST (written by scripts/run):
//   {"strategies": [...], "allocators": [...], "baseline": {...},
//    "context": {...},
//    "heap_units": [...],                                  (optional)
//    "parts": [{"name", "workload", "strategy", "allocator", "params",
//               "variant": null|{"name", "label", ...},   (optional)
//               "timing": FILE|[FILE, ...]|null,
//               "probe": FILE|[FILE, ...]|null,
//               "failure": null|{"phase", "reason"},
//               "status": "not_applicable"}]}                (optional)
// A part's timing files are the rounds of one benchmark: their repetitions
// are joined and the aggregates recomputed over all of them. Its probe files
// are the rounds' probes, in round order: the record keeps the first as
// "probe" (what charts of one sample read) and every one, with its round
// index, in "probe_rounds". The declarations (strategies, allocators,
// baseline: what --list_strategies printed and the runner's allocator order)
// are copied into the document as they are, and so are the heap units the
// runner bisected ("heap_units") and each part's "variant" (null when the
// part has none: the strategy at its defaults). A variant's benchmarks are
// named <name>[<variant name>] in the Google Benchmark file, so that the
// variants of one benchmark stay apart there; the record keeps the name. A
// part with status not_applicable (its program exited 4: it cannot run that
// cell by design, e.g. a JVM refusing a heap size) keeps its failure as the
// reason and is not counted as failed (summary.not_applicable counts them,
// where there are any).
// OUT_DIR/results.json       the results document (results/schema/)
// OUT_DIR/gbench-<alloc>.json  Google Benchmark JSON, NaN read as null
//
// Exit codes: 0 written; 2 bad manifest or unwritable output (nothing
// replaced).
#include <cstdio>
#include <exception>
#include <map>
#include <string>
#include <vector>

#include "benchmarks/harness/json_io.h"
#include "benchmarks/tools/repetitions.h"

namespace {

using memstrat::JsonIoError;
using nlohmann::json;

constexpr int kSchemaVersion = 3;

struct Failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

const json& field(const json& obj, const char* key, const std::string& where) {
  if (!obj.is_object() || !obj.contains(key)) {
    throw Failure(where + " has no \"" + key + "\"");
  }
  return obj.at(key);
}

// The timing or probe files of a part: one per round (a file or a list).
std::vector<std::string> round_files(const json& part, const char* key) {
  const json& t = part.value(key, json(nullptr));
  if (t.is_string()) return {t.get<std::string>()};
  std::vector<std::string> files;
  if (t.is_array()) {
    for (const json& f : t) files.push_back(f.get<std::string>());
  }
  return files;
}

// binary_trees/gc/depth:16 -> binary_trees/gc/depth:16[heap_2x], and its
// aggregates' binary_trees/gc/depth:16_median -> ...depth:16[heap_2x]_median
// (an aggregate's name is its run_name and a suffix).
void with_variant_suffix(json& entry, const std::string& suffix) {
  const std::string run_name = entry.value("run_name", std::string());
  std::string name = entry.value("name", std::string());
  if (!run_name.empty() && name.starts_with(run_name)) {
    name.insert(run_name.size(), suffix);
    entry["run_name"] = run_name + suffix;
  } else {
    name += suffix;
  }
  entry["name"] = name;
}

int merge(const std::string& manifest_path, const std::string& out_dir) {
  const json manifest = memstrat::read_json_file(manifest_path);
  json records = json::array();
  std::map<std::string, json> gbench_by_allocator;
  std::map<std::string, std::size_t> families;
  int failed = 0;
  int not_applicable = 0;
  for (const json& part : field(manifest, "parts", manifest_path)) {
    json record = {{"name", field(part, "name", manifest_path)},
                   {"workload", field(part, "workload", manifest_path)},
                   {"strategy", field(part, "strategy", manifest_path)},
                   {"allocator", field(part, "allocator", manifest_path)},
                   {"params", field(part, "params", manifest_path)},
                   {"variant", part.value("variant", json(nullptr))},
                   {"status", "ok"},
                   {"failure", nullptr},
                   {"timing", nullptr},
                   {"probe", nullptr},
                   {"probe_rounds", json::array()}};
    const std::string name = record["name"];
    const std::string allocator = record["allocator"];
    json failure = part.value("failure", json(nullptr));
    try {
      if (const auto files = round_files(part, "timing"); !files.empty()) {
        std::vector<json> rounds;
        for (const std::string& f : files) {
          rounds.push_back(
              memstrat::read_json_file(f, /*allow_non_finite=*/true));
        }
        record["timing"] = memstrat::join_repetitions(rounds, name, files);
        json& merged = gbench_by_allocator[allocator];
        if (merged.is_null()) {
          merged = {{"context", rounds.front().at("context")},
                    {"benchmarks", json::array()}};
        }
        // Each process numbered its one benchmark family 0; renumber so the
        // merged file reads as one run of every benchmark.
        const std::size_t family = families[allocator]++;
        const std::string suffix =
            record["variant"].is_object()
                ? "[" +
                      field(record["variant"], "name", name)
                          .get<std::string>() +
                      "]"
                : "";
        auto add = [&](json b) {
          if (!suffix.empty()) with_variant_suffix(b, suffix);
          b["family_index"] = family;
          b["per_family_instance_index"] = 0;
          merged["benchmarks"].push_back(std::move(b));
        };
        for (const json& b : record["timing"]["runs"]) add(b);
        const json& aggregates = record["timing"]["aggregates"];
        for (const char* label : {"mean", "median", "stddev", "cv"}) {
          if (aggregates.contains(label)) add(aggregates[label]);
        }
      }
      const auto probes = round_files(part, "probe");
      for (std::size_t round = 0; round < probes.size(); ++round) {
        const json doc = memstrat::read_json_file(probes[round]);
        json probe = field(doc, "probe", probes[round]);
        if (round == 0) record["probe"] = probe;
        probe["round"] = round;
        record["probe_rounds"].push_back(std::move(probe));
      }
    } catch (const std::exception& e) {
      if (failure.is_null())
        failure = {{"phase", "merge"}, {"reason", e.what()}};
    }
    if (!failure.is_null()) {
      const bool moot = part.value("status", "") == "not_applicable" &&
                        record["timing"].is_null() && record["probe"].is_null();
      record["status"] = moot ? "not_applicable" : "failed";
      record["failure"] = failure;
      ++(moot ? not_applicable : failed);
    }
    records.push_back(std::move(record));
  }
  json context = field(manifest, "context", manifest_path);
  if (!context.is_object())
    throw Failure(manifest_path + ": context is not an object");
  json gb_contexts = json::object();
  for (const auto& [allocator, gb] : gbench_by_allocator) {
    gb_contexts[allocator] = gb.at("context");
  }
  context["google_benchmark"] = gb_contexts;
  json doc = {{"schema_version", kSchemaVersion},
              {"kind", "memstrat-results"},
              {"context", std::move(context)},
              {"summary", {{"records", records.size()}, {"failed", failed}}},
              {"records", std::move(records)}};
  // Only where there are any: a run without them writes what it wrote
  // before the status existed.
  if (not_applicable > 0) doc["summary"]["not_applicable"] = not_applicable;
  for (const char* key :
       {"strategies", "allocators", "baseline", "heap_units"}) {
    if (manifest.contains(key)) doc[key] = manifest.at(key);
  }
  // The Google Benchmark files first: the results document, written last,
  // is what marks a run as complete.
  for (const auto& [allocator, gb] : gbench_by_allocator) {
    memstrat::write_json_atomically(out_dir + "/gbench-" + allocator + ".json",
                                    gb);
  }
  memstrat::write_json_atomically(out_dir + "/results.json", doc);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const char* prog = "memstrat_results";
  if (argc != 4 || std::string(argv[1]) != "merge") {
    std::fprintf(stderr, "usage: %s merge MANIFEST OUT_DIR\n", prog);
    return 2;
  }
  try {
    return merge(argv[2], argv[3]);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: error: %s\n", prog, e.what());
    return 2;
  }
}
