// --list_benchmarks and --probe (see probe_main.h).
#include "benchmarks/harness/probe_main.h"

#include <cstdio>
#include <exception>
#include <new>

#include "benchmarks/harness/json_io.h"
#include "benchmarks/harness/probe.h"

namespace memstrat {

std::string list_benchmarks_json() {
  nlohmann::json all = nlohmann::json::array();
  for (const ProbeEntry& e : probe_registry()) {
    nlohmann::json params = nlohmann::json::object();
    for (const auto& [k, v] : e.params) params[k] = v;
    all.push_back({{"name", e.name},
                   {"workload", e.workload},
                   {"strategy", e.strategy},
                   {"params", params}});
  }
  return all.dump(1) + "\n";
}

int run_probe(const char* prog, const Options& opt,
              const AllocatorInfo& allocator) {
  const ProbeEntry* entry = nullptr;
  for (const ProbeEntry& e : probe_registry()) {
    if (e.name == opt.probe) entry = &e;
  }
  if (entry == nullptr) {
    std::fprintf(stderr,
                 "%s: error: no benchmark named '%s' at --size=%s; list them "
                 "with --list_benchmarks\n",
                 prog, opt.probe.c_str(), size_set_name(opt.sizes));
    return 2;
  }
  nlohmann::json doc;
  try {
    nlohmann::json params = nlohmann::json::object();
    for (const auto& [k, v] : entry->params) params[k] = v;
    doc = {{"name", entry->name},
           {"workload", entry->workload},
           {"strategy", entry->strategy},
           {"params", params},
           {"allocator", allocator.name},
           {"probe", entry->run({opt.probe_iterations, opt.sample_period_ms})}};
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "%s: error: %s: %s\n", prog, entry->name.c_str(),
                 entry->out_of_memory.c_str());
    return 3;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: error: %s: %s\n", prog, entry->name.c_str(),
                 e.what());
    return 3;
  }
  if (opt.probe_out.empty()) {
    std::fputs((doc.dump(1) + "\n").c_str(), stdout);
    return 0;
  }
  try {
    write_json_atomically(opt.probe_out, doc);
  } catch (const JsonIoError& e) {
    std::fprintf(stderr, "%s: error: %s\n", prog, e.what());
    return 2;
  }
  return 0;
}

}  // namespace memstrat
