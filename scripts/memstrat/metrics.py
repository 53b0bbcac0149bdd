"""The figures the scripts compute from a results record, defined once so the
charts, the report and the comparison agree on what "time", "worst pause" and
"peak memory" mean. Which of them are shown, and how, is measures.py's
registry. A record's reclaim kind (the pause kind through which its strategy
reclaims memory) comes from the document: results.Catalogue.reclaim_kind."""

import math

UNIT_MS = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}


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


# Pause kinds a runtime logs that stop the program for something other than
# reclaiming memory: a JVM's safepoints for deoptimisation, biased-lock
# revocation and the like. Every other kind such a runtime lists (young,
# full, mark_start, alloc_stall, pacing, ...) is its collector's.
NON_RECLAIM_PAUSE_KINDS = ("safepoint",)


def runtime_gc(probe):
    """The probe's collector figures in a runtime's form (a JVM's: cpu_ns,
    no bdwgc figures), or None."""
    gc = (probe or {}).get("gc")
    if isinstance(gc, dict) and "cpu_ns" in gc and "bdwgc_full_gc_total_ms" not in gc:
        return gc
    return None


def reclaim_kinds(probe, kind):
    """The pause kinds of a probe through which its strategy reclaims: the
    reclaim kind itself where the probe lists it; for a runtime that names
    its collector's operations instead (a JVM), every kind it lists but
    NON_RECLAIM_PAUSE_KINDS; else none."""
    kinds = probe["pauses"]["kinds"] if probe else {}
    if kind in kinds:
        return [kind]
    if runtime_gc(probe) is not None:
        return [k for k in kinds if k not in NON_RECLAIM_PAUSE_KINDS]
    return []


def reclaim_summary_of(probe, kind):
    """A probe's pause summary of its reclaim (reclaim_kinds merged: counts
    and totals added, the largest of each percentile, which bounds the
    merged one from above), or None where it has no such pause."""
    parts = [probe["pauses"]["kinds"][k] for k in reclaim_kinds(probe, kind)]
    parts = [s for s in parts if s and s["count"] > 0]
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    merged = {k: max(s[k] for s in parts) for k in parts[0] if k.endswith("_ns")}
    merged.update(count=sum(s["count"] for s in parts),
                  total_ns=sum(s["total_ns"] for s in parts))
    return merged


def reclaim_summary(record, kind):
    """The pause summary of the record's probe for that reclaim kind, or
    None where the probe has no such pause."""
    return reclaim_summary_of(record.get("probe"), kind)


def worst_pause_ns(record, kind):
    summary = reclaim_summary(record, kind)
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


def median_peak_rss_bytes(record):
    """The median over the probe's rounds of the peak RSS (the footprint the
    space-time curve plots), or None without a probe."""
    return median([p["memory"]["peak_rss_bytes"] for p in probe_rounds(record)])


def timing_counter_median(record, name):
    """The median over the timing repetitions of a counter Google Benchmark
    wrote for each (a per-iteration figure), or None where no repetition
    has it."""
    timing = record.get("timing") or {"runs": []}
    return median([r[name] for r in timing["runs"]
                   if isinstance(r.get(name), (int, float))])


# The time a strategy's reclaim stopped the program, per iteration, comes
# from the timing counters named after its reclaim kind: <kind>_time (wall
# seconds the world was stopped) and <kind>_cpu_time (process CPU seconds
# consumed while it was). A strategy whose reclaim stops nothing writes
# neither, and has no distilled time.

def stopped_ms(record, kind, cpu=False):
    """Median wall (or process CPU) milliseconds per iteration during which
    the reclaim of that kind stopped the world, or None."""
    value = timing_counter_median(record, f"{kind}_cpu_time" if cpu else f"{kind}_time")
    return None if value is None else value * 1e3


def median_cpu_time_ms(record):
    """Median process CPU time of one iteration (every thread's, the
    collector's markers included), in ms, or None."""
    value = timing_counter_median(record, "process_cpu_time")
    return None if value is None else value * 1e3


def distilled_ms(record, kind, cpu=False):
    """Cai et al.'s distilled time (ISPASS 2022): the median time of one
    iteration less the median time the world was stopped in it; wall clock,
    or with cpu the process CPU time less the CPU spent while stopped. None
    where either is missing."""
    total = median_cpu_time_ms(record) if cpu else median_time_ms(record)
    stopped = stopped_ms(record, kind, cpu)
    return None if total is None or stopped is None else total - stopped


def collections_per_iteration(record, kind):
    """Median over the probe's rounds of the reclaim events of that kind per
    measured run (a collector's collections), or None without a probe."""
    per = []
    for p in probe_rounds(record):
        if not p.get("iterations"):
            continue
        gc = runtime_gc(p)
        if gc is not None and kind not in p["pauses"]["kinds"]:
            # A runtime's collection is several pauses (ZGC: three): count
            # its collections, not its pauses.
            per.append(gc["collections"] / p["iterations"])
            continue
        summary = p["pauses"]["kinds"].get(kind)
        per.append((summary["count"] if summary else 0) / p["iterations"])
    return median(per)


def geomean(values):
    return math.exp(sum(math.log(v) for v in values) / len(values))


def worst_stall_ns(probe):
    """The longest gap between two units of work in a probe, or None where
    the probe has no stalls section or no gap."""
    stalls = probe.get("stalls") if probe else None
    if not stalls or stalls["gaps"]["count"] == 0:
        return None
    return stalls["gaps"]["max_ns"]


def reclaim_max_ns(probe, kind):
    """A probe's longest pause of that reclaim kind (of a runtime's, its
    collector's kinds: reclaim_kinds), or None."""
    summary = reclaim_summary_of(probe, kind) if probe else None
    return summary["max_ns"] if summary else None


def latency_p99_ns(probe, mode="metered_100ms"):
    latency = probe.get("latency") if probe else None
    if not latency or latency[mode]["count"] == 0:
        return None
    return latency[mode]["p99_ns"]


def across_rounds(values):
    """(median, min, max) of the values that exist, or None."""
    vals = [v for v in values if v is not None]
    if not vals:
        return None
    return median(vals), min(vals), max(vals)


# Minimum mutator utilisation (Cheng & Blelloch, PLDI 2001): for a window
# length w, the smallest share of any window of the run that is not paused.
# Windows from 1 ms to 1 s, four per decade.
MMU_WINDOWS_NS = [round(1e6 * 10 ** (k / 4)) for k in range(13)]


def _merged(intervals, span):
    """[(start, end)] clipped to [0, span], sorted, overlaps merged."""
    out = []
    for s, e in sorted((max(0, s), min(span, s + d)) for s, d in intervals):
        if e <= s:
            continue
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def mmu(intervals, span_ns, windows_ns=None):
    """[(w, MMU(w))] for the windows no longer than the span, from paused
    intervals [(start_ns, duration_ns)] within [0, span_ns]. Exact: the
    paused time in [t, t + w] is piecewise linear in t and its maxima lie
    where the window's start meets a pause's start or its end a pause's
    end, so only those positions (and the span's two ends) are evaluated."""
    import bisect
    windows_ns = MMU_WINDOWS_NS if windows_ns is None else windows_ns
    merged = _merged(intervals, span_ns)
    starts = [s for s, _ in merged]
    before = [0]  # paused time before each merged interval
    for s, e in merged:
        before.append(before[-1] + e - s)

    def paused_until(x):
        k = bisect.bisect_right(starts, x) - 1
        if k < 0:
            return 0
        s, e = merged[k]
        return before[k] + min(x, e) - s

    out = []
    for w in windows_ns:
        if w > span_ns or w <= 0:
            continue
        worst = 0
        positions = [0, span_ns - w] + starts + [e - w for _, e in merged]
        for t in positions:
            t = min(max(t, 0), span_ns - w)
            worst = max(worst, paused_until(t + w) - paused_until(t))
        out.append((w, 1 - worst / w))
    return out


def mmu_curve(record, source):
    """[(w, MMU)] of a record, source "stalls" or "pauses", the median over
    its rounds at each window; [] where the record has no such events."""
    curves = []
    for probe in probe_rounds(record):
        if source == "stalls":
            if not probe.get("stalls"):
                continue
            events = probe["stalls"]["events"]
        else:
            events = probe["pauses"]["events"]
        curves.append(dict(mmu([(e["start_ns"], e["duration_ns"]) for e in events],
                               probe["wall_ns"])))
    if not curves:
        return []
    windows = sorted(set.intersection(*(set(c) for c in curves)))
    return [(w, median([c[w] for c in curves])) for w in windows]


# A runtime that warms up in each process (a JVM) ---------------------
#
# Its timing runs carry per-process warm-up counters (first_iteration_ns,
# warmup_iterations, warmup_ns, steady: the same in every run of one
# process) and CPU by thread group per iteration (process_cpu_ns,
# gc_cpu_ns, jit_cpu_ns); the runner adds timing.processes (one entry per
# round's process) and timing.steady_state.

STEADY_STATES = ("steady", "no_steady_state", "mixed")


def steady_state(record):
    """The record's warm-up classification: "steady" (every process reached
    the port's steady rule), "no_steady_state" (none did: the warm-up cap
    ended each first), "mixed", or None for a record without a warm-up
    (C++, Rust). The one reader of it: timing.steady_state as the runner
    writes it, else derived from timing.processes' steady flags, else from
    the runs' steady counters."""
    timing = record.get("timing") or {}
    state = timing.get("steady_state")
    if state in STEADY_STATES:
        return state
    flags = [bool(p["steady"]) for p in timing.get("processes") or []
             if p.get("steady") is not None]
    if not flags:
        flags = [bool(r["steady"]) for r in timing.get("runs") or []
                 if isinstance(r.get("steady"), (int, float))]
    if not flags:
        return None
    return "steady" if all(flags) else "no_steady_state" if not any(flags) else "mixed"


def warmup(record):
    """{first_iteration_ns, warmup_iterations, warmup_ns: medians over the
    record's processes; processes, steady: how many processes, how many of
    them reached the steady rule}, or None for a record without a warm-up."""
    timing = record.get("timing") or {}
    procs = timing.get("processes") or []
    if not procs:
        # Without the runner's per-process list, the runs' counters (each
        # run repeats its process's): the medians are the same.
        procs = [r for r in timing.get("runs") or []
                 if isinstance(r.get("warmup_iterations"), (int, float))]
    if not procs:
        return None
    def med(key):
        return median([p[key] for p in procs if isinstance(p.get(key), (int, float))])
    steady = [p.get("steady") for p in procs if p.get("steady") is not None]
    processes = len(timing["processes"]) if timing.get("processes") else None
    return {"first_iteration_ns": med("first_iteration_ns"),
            "warmup_iterations": med("warmup_iterations"), "warmup_ns": med("warmup_ns"),
            "processes": processes,
            "steady": sum(bool(s) for s in steady) if processes else None}


def cpu_ns_per_iteration(record, name):
    """Median over the repetitions of a runtime's CPU counter per iteration
    (process_cpu_ns, gc_cpu_ns, jit_cpu_ns), or None."""
    return timing_counter_median(record, name)


def cpu_share(record):
    """Process CPU ÷ wall time of one iteration (above 1: threads beside the
    program's ran on the other cores), or None."""
    cpu, wall = median_cpu_time_ms(record), median_time_ms(record)
    if cpu is None:
        ns = timing_counter_median(record, "process_cpu_ns")
        cpu = ns / 1e6 if ns is not None else None
    return cpu / wall if cpu is not None and wall else None


def is_runtime(record):
    """Whether the record is of a runtime that warms up or reports its own
    collector (a JVM): its timing carries warm-up counters or its probe a
    runtime's gc figures."""
    return steady_state(record) is not None or any(
        runtime_gc(p) is not None for p in probe_rounds(record))
