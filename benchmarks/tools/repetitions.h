// Joins the repetitions of one benchmark that the runner spread over several
// processes (rounds interleaved with the rest of the matrix, so that a burst
// of noise on a shared machine is shared by every strategy instead of
// landing on one), and recomputes the aggregates over all of them the way
// Google Benchmark computes its own.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace memstrat {

/// The repetitions of `name` in each Google Benchmark document of `rounds`,
/// in order and renumbered, and their aggregates: {"runs": [...],
/// "aggregates": {"mean", "median", "stddev", "cv"}}. Every number of an
/// entry that is not bookkeeping (real_time, cpu_time, each counter) is
/// aggregated: median of an even count is the mean of the middle two, stddev
/// is the sample's (n - 1), cv is stddev / mean and null where that is not a
/// number. Fewer than two repetitions give no aggregates, as in Google
/// Benchmark. Where a round's runs carry a `steady` counter (a runtime that
/// warms up in each process: the Java port), each such round, one process,
/// is also listed in "processes" ({"round", "repetitions", "steady" (bool),
/// "first_iteration_ns", "warmup_iterations", "warmup_ns"}, from its first
/// run) and "steady_state" classifies them: "steady" (every process reached
/// the steady rule), "no_steady_state" (none did) or "mixed". Throws
/// std::runtime_error naming `where` when a document holds no repetition of
/// `name`.
nlohmann::json join_repetitions(const std::vector<nlohmann::json>& rounds,
                                const std::string& name,
                                const std::vector<std::string>& where);

}  // namespace memstrat
