"""The figures the scripts read out of a results record, defined once so the
charts, the report and the comparison agree on what "time", "worst pause" and
"peak memory" mean."""

import math

UNIT_MS = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}

# The pause kind through which each strategy reclaims memory: a collection,
# a release (one delete or a destructor cascade), an arena rewind.
RECLAIM_KIND = {"gc": "gc_stop_world", "arena": "epoch_end"}


def repetition_times_ms(record):
    """Real time of each timing repetition, in milliseconds."""
    timing = record.get("timing") or {"runs": []}
    return [r["real_time"] * UNIT_MS[r["time_unit"]] for r in timing["runs"]
            if r.get("real_time") is not None]


def median(values):
    s = sorted(values)
    if not s:
        return None
    mid = len(s) // 2
    return s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2


def median_time_ms(record):
    return median(repetition_times_ms(record))


def cv(values):
    """Coefficient of variation (sample standard deviation / mean)."""
    if len(values) < 2:
        return None
    mean = sum(values) / len(values)
    var = sum((v - mean) ** 2 for v in values) / (len(values) - 1)
    return math.sqrt(var) / mean if mean else None


def reclaim_kind(strategy):
    return RECLAIM_KIND.get(strategy, "release")


def reclaim_summary(record):
    """The pause summary of the record's strategy's reclaim kind, or None."""
    probe = record.get("probe")
    if not probe:
        return None
    summary = probe["pauses"]["kinds"].get(reclaim_kind(record["strategy"]))
    return summary if summary and summary["count"] > 0 else None


def worst_pause_ns(record):
    summary = reclaim_summary(record)
    return summary["max_ns"] if summary else None


def probe_rounds(record):
    """The probe of every round, in round order: the record's probe_rounds,
    or [probe] for a record that has only the first round's (none if it has
    no probe at all)."""
    rounds = record.get("probe_rounds")
    if rounds:
        return rounds
    probe = record.get("probe")
    return [probe] if probe else []


def peak_rss_bytes(record):
    probe = record.get("probe")
    return probe["memory"]["peak_rss_bytes"] if probe else None


def geomean(values):
    return math.exp(sum(math.log(v) for v in values) / len(values))
