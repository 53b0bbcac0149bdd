"""The report's "Runtimes side by side" section, for a reader choosing a
language for a latency-sensitive service: per workload, every strategy of
the document (C++ on the baseline allocator, each port's, grouped by the
family its declaration names) with its p99 and worst pause, its p99
request latency, its time against the baseline's, and for each collected
strategy the least footprint at which it came within 10% of the baseline's
time (over its plain record, its heap multiples and its sweeps' points);
then one summary row per runtime, geometric means over the workloads where
a figure exists. docs/measurements.md, "Runtimes side by side", says what
each figure is and where it stops.

Nothing here names a strategy or a language: families, what collects, the
sweeps and the baseline come from the document's declarations; only the
records of the document are read. The section is there only when the
document holds more than one family (a C++-only run has its own tables)."""

import math

from memstrat import results
from memstrat.measures import MIB, format_ns
from memstrat.metrics import (geomean, latency_p99_ns, median, median_peak_rss_bytes,
                              median_time_ms, probe_rounds)
from memstrat.spacetime import TOLERANCE, least_within

TITLE = "Runtimes side by side"
HEAP_SERIES = "heap"      # a heap multiple's variant series (variants.py)
# The latency the table shows: DaCapo's metered latency, as the claims' latency verdict.
LATENCY_MODE = "metered_100ms"
LATENCY_WORDS = "metered p99 (100 ms smoothing)"
PERCENTILE = 0.99
HEADER = ["family", "runtime", "p99 pause", "worst pause (kind)",
          "p99 request latency (metered, 100 ms)", "time ÷ baseline (defaults)",
          f"footprint within {TOLERANCE:.0%} of the baseline's time"]
SUMMARY_HEADER = ["family", "runtime", "p99 pause", "worst pause", "p99 request latency",
                  "time ÷ baseline", f"footprint within {TOLERANCE:.0%}"]
NEVER = f"never within {TOLERANCE:.0%} at the sizes run"


# One record's figures ---------------------------------------------------

def pause_p99_ns(probe):
    """(p99 of the probe's pauses of every kind that reached its raw-event
    threshold, nearest rank, 0 where none did; whether the events were cut
    at the probe's event limit). A C++ strategy times every release (a
    pointer store under gc: the timer's floor), a runtime only its
    collector's operations: below the threshold the counts are not of the
    same things, above it every pause is one the program waited for."""
    pauses = probe["pauses"]
    durations = sorted(e["duration_ns"] for e in pauses["events"]
                       if e["duration_ns"] >= pauses["events_threshold_ns"])
    if not durations:
        return 0, False
    rank = max(1, math.ceil(PERCENTILE * len(durations)))
    return durations[rank - 1], pauses["events_overflow"] > 0


def worst_pause(probe):
    """(the longest pause of any kind the probe lists, its kind), (0, None)
    where it has none."""
    kinds = [(s["max_ns"], k) for k, s in probe["pauses"]["kinds"].items()
             if s and s.get("count")]
    return max(kinds) if kinds else (0, None)


def pause_figures(record):
    """{p99_ns, cut, worst_ns, worst_kinds, threshold_ns}: medians over the
    probe's rounds, a round without a pause at or above the threshold (or
    without any) counting as 0, so that the median p99 never exceeds the
    median worst; worst_kinds the kinds that were the worst in some round,
    the most frequent first. None without a probe."""
    rounds = probe_rounds(record)
    if not rounds:
        return None
    p99s = [pause_p99_ns(p) for p in rounds]
    worsts = [worst_pause(p) for p in rounds]
    kinds = [k for _, k in worsts if k]
    return {"p99_ns": median([v for v, _ in p99s]), "cut": any(c for _, c in p99s),
            "worst_ns": median([v for v, _ in worsts]),
            "worst_kinds": sorted(set(kinds), key=lambda k: (-kinds.count(k), k)),
            "threshold_ns": max(p["pauses"]["events_threshold_ns"] for p in rounds)}


def latency_ns(record):
    """The median over the probe's rounds of the request latency's p99
    (LATENCY_MODE), or None for a workload that is not request-shaped."""
    return median([v for v in (latency_p99_ns(p, LATENCY_MODE) for p in probe_rounds(record))
                   if v is not None])


# Where a collected strategy comes within 10% ---------------------------

def _sweep_names(declaration):
    return {s["name"] for s in declaration.get("sweeps") or []}


def footprint_candidates(records, declaration):
    """The records a collected strategy's footprint is chosen among: its
    plain record, its heap multiples and its sweeps' points (not its
    declared variants, such as one core, nor other builds)."""
    sweeps = _sweep_names(declaration)
    return [r for r in records if not r.get("variant") or (
        not results.is_build(r) and r["variant"].get("series") in ({HEAP_SERIES} | sweeps))]


def _setting(record):
    return record["variant"]["label"] if record.get("variant") else "defaults"


def within(records, declaration, base):
    """{status, footprint, ratio, time_ratio, setting, best}: over the
    candidates (footprint_candidates), the one of least median peak RSS
    whose median time is at most 1 + TOLERANCE times the baseline record's.
    status "ok"; "never" (none is: best is the (time ratio, setting) of
    least time); "not applicable", "failed", "not run"; "no baseline"."""
    cands = footprint_candidates(records, declaration)
    if not cands:
        return {"status": "not run"}
    bt, bf = (median_time_ms(base), median_peak_rss_bytes(base)) if base else (None, None)
    if not bt or not bf:
        return {"status": "no baseline"}
    placed = []
    for r in cands:
        if r["status"] != "ok":
            continue
        t, f = median_time_ms(r), median_peak_rss_bytes(r)
        if t is not None and f:
            placed.append((r, t / bt, f))
    if not placed:
        # Its defaults refused by design, the settings after them have no
        # heap unit to run at: the whole cell is not applicable.
        refused = [r for r in cands if r["status"] == "not_applicable"]
        plain_refused = any(not r.get("variant") for r in refused)
        return {"status": "not applicable" if plain_refused or len(refused) == len(cands)
                else "failed"}
    hit, best = least_within(placed, lambda p: p[1], lambda p: p[2])
    if hit is None:
        r, t, _ = best
        return {"status": "never", "best": (t, _setting(r)), "only_defaults": len(cands) == 1}
    r, t, f = hit
    return {"status": "ok", "footprint": f, "ratio": f / bf, "time_ratio": t,
            "setting": _setting(r), "only_defaults": len(cands) == 1}


# The table --------------------------------------------------------------

def runtimes(doc):
    """[(family, strategy)] of every strategy with a record, grouped by
    family in the order the families are first declared."""
    cat = results.Catalogue(doc)
    ran = {r["strategy"] for r in doc["records"]}
    strategies = [s for s in cat.strategies if s in ran]
    families = list(dict.fromkeys(cat.declaration(s).get("family", "C++") for s in strategies))
    return [(f, s) for f in families for s in strategies
            if cat.declaration(s).get("family", "C++") == f]


def works(doc):
    """{(workload, params): [records]} on the baseline allocator, other
    builds left out, in the document's order."""
    allocator = results.Catalogue(doc).baseline_allocator
    out = {}
    for r in doc["records"]:
        if r["allocator"] == allocator and not results.is_build(r):
            out.setdefault(results.work_key(r), []).append(r)
    return out


def _title(work):
    workload, params = work
    return workload + (" (" + ", ".join(f"{k} {v}" for k, v in params) + ")" if params else "")


def _reason(record):
    return (record.get("failure") or {}).get("reason", "")


def _cell_pauses(fig):
    if fig is None:
        return "", ""
    if not fig["p99_ns"]:
        p99 = f"< {format_ns(fig['threshold_ns'])}"
    else:
        p99 = format_ns(fig["p99_ns"]) + (" (events cut)" if fig["cut"] else "")
    worst = "none" if not fig["worst_ns"] else (
        f"{format_ns(fig['worst_ns'])} ({', '.join(fig['worst_kinds'])})")
    return p99, worst


def _cell_within(w):
    status = w["status"]
    if status == "ok":
        note = "; defaults only: no curve run" if w["only_defaults"] else ""
        return (f"{w['footprint'] / MIB:.1f} MiB, {w['ratio']:.2f}x ({w['setting']}, "
                f"{w['time_ratio']:.2f}x the time{note})")
    if status == "never":
        t, setting = w["best"]
        note = "; defaults only: no curve run" if w.get("only_defaults") else ""
        return f"{NEVER} (best: {t:.2f}x the time, {setting}{note})"
    return status


def row(strategy, family, records, declaration, base):
    """The table row of one strategy on one work, and its figures for the
    summary: {p99_ns, worst_ns, latency_ns, time_ratio, within}."""
    plain = next((r for r in records if not r.get("variant")), None)
    collects = bool(declaration.get("collects"))
    w = within(records, declaration, base) if collects else None
    figures = {"within": w}
    if not records:
        cells = ["not run"] * 4
    elif plain is None:
        cells = ["not run (no record at its defaults)", "", "", ""]
    elif plain["status"] != "ok":
        what = "not applicable" if plain["status"] == "not_applicable" else "failed"
        cells = [f"{what}: {_reason(plain)}", "", "", ""]
    else:
        fig = pause_figures(plain)
        lat = latency_ns(plain)
        bt = base and median_time_ms(base)
        t = median_time_ms(plain)
        ratio = t / bt if t is not None and bt else None
        # The summary's pause means are over the works with a pause at or
        # above the threshold, both of them, so that each mean of p99s stays
        # below the mean of the worst.
        figures.update(p99_ns=fig and fig["p99_ns"],
                       worst_ns=fig and fig["p99_ns"] and fig["worst_ns"],
                       latency_ns=lat, time_ratio=ratio)
        cells = [*_cell_pauses(fig), format_ns(lat) if lat is not None else "",
                 f"{ratio:.2f}x" if ratio is not None else ""]
    if not collects:
        footprint = "no collector"
    elif not records:
        footprint = "not run"
    else:
        footprint = _cell_within(w)
    return [family, strategy] + cells + [footprint], figures


def tables(doc):
    """[(title, rows)] per work, and {strategy: [figures per work]}."""
    cat = results.Catalogue(doc)
    base_s = cat.baseline_strategy
    out, per = [], {}
    order = runtimes(doc)
    for work, recs in works(doc).items():
        base = next((r for r in recs if r["strategy"] == base_s and not r.get("variant")
                     and r["status"] == "ok"), None)
        rows = []
        for family, s in order:
            cells, figures = row(s, family, [r for r in recs if r["strategy"] == s],
                                 cat.declaration(s), base)
            rows.append(cells)
            per.setdefault(s, []).append(figures)
        out.append((_title(work), rows))
    return out, per


def _geo(values, fmt):
    vals = [v for v in values if v is not None and v > 0]
    if not vals:
        return ""
    return f"{fmt(geomean(vals))} over {len(vals)}"


def summary_rows(doc, per):
    """One row per runtime: geometric means over the works where the figure
    exists (how many after "over"); for the footprint, how many works never
    came within the tolerance."""
    rows = []
    for family, s in runtimes(doc):
        figs = per.get(s, [])
        ws = [f["within"] for f in figs if f["within"]]
        never = sum(1 for w in ws if w["status"] == "never")
        foot = _geo([w.get("ratio") for w in ws if w["status"] == "ok"],
                    lambda v: f"{v:.2f}x")
        if never:
            foot += ("; " if foot else "") + f"never on {never}"
        rows.append([family, s, _geo([f.get("p99_ns") for f in figs], format_ns),
                     _geo([f.get("worst_ns") for f in figs], format_ns),
                     _geo([f.get("latency_ns") for f in figs], format_ns),
                     _geo([f.get("time_ratio") for f in figs], lambda v: f"{v:.2f}x"),
                     foot if ws else "no collector"])
    return rows


def kinds_seen(doc):
    """[(family, [pause kinds with a pause in some plain record's probe])],
    in the families' order."""
    cat = results.Catalogue(doc)
    allocator = cat.baseline_allocator
    seen = {}
    for r in results.plain_records(doc, ok=True):
        if r["allocator"] != allocator:
            continue
        family = cat.declaration(r["strategy"]).get("family", "C++")
        for p in probe_rounds(r):
            for k, summary in p["pauses"]["kinds"].items():
                if summary and summary.get("count"):
                    seen.setdefault(family, []).append(k)
    return [(f, list(dict.fromkeys(seen[f]))) for f in dict.fromkeys(f for f, _ in runtimes(doc))
            if f in seen]


def section(doc):
    """The section's blocks (report.blocks_markdown/blocks_html), [] for a
    document of one family."""
    if len({f for f, _ in runtimes(doc)}) < 2:
        return []
    cat = results.Catalogue(doc)
    base = cat.baseline_label()
    per_work, per = tables(doc)
    if not per_work:
        return []
    threshold = max(((pause_figures(r) or {}).get("threshold_ns", 0)
                     for r in results.ok_records(doc)), default=0)
    blocks = [
        ("p", "Every runtime of this run on each workload, for choosing a language for a "
              "latency-sensitive service: the C++ strategies on "
              f"{cat.baseline_allocator}, then each language port's, grouped by family; "
              "each at its defaults (its plain record: heap multiples, sweeps and variants "
              "are left out of these columns). Pauses are the strategy's own accounting, "
              "every kind its probe lists: a collector's stop-the-world phases, the "
              "runtime's other stops (a JVM's safepoints), the stalls a runtime counts "
              "as its own (allocation stalls, a mutator's mark assists: the program "
              "waits in them too), and a C++ strategy's timed releases (a delete "
              "cascade, an arena rewind). p99 pause: the 99th percentile (nearest rank) "
              f"of the pauses of {format_ns(threshold)} or more, the ones the probe keeps "
              "one by one (below that, a C++ strategy times every single release, a "
              "runtime none of its allocations: the counts are not of the same things); "
              "worst pause: the longest of any kind, with its kind. Both are medians over "
              "the probe's rounds (a round without such a pause counts as 0); \"events "
              "cut\": the probe kept only its first pauses one by one. "
              f"p99 request latency: {LATENCY_WORDS}, DaCapo's "
              "metered latency (a request's end against its evenly spaced start in a "
              "100 ms window, so the requests queued behind a pause count it), median "
              "over the rounds, request-shaped workloads only. Time: median "
              f"run time ÷ {base}'s."),
        ("p", f"Footprint within {TOLERANCE:.0%}: for each collected strategy, among its "
              "plain record, its heap multiples and its sweeps' points on this workload, "
              f"the least peak RSS (median over the probe's rounds, as the space-time "
              f"figure plots it) of those whose median time is at most "
              f"{1 + TOLERANCE:.2f}x {base}'s, in MiB and as a multiple of {base}'s own "
              f"peak RSS, with the setting and its time. \"{NEVER}\" where none is "
              "(the best time in brackets): a larger heap might get there, none was run. "
              "A strategy whose curve was not run has only its defaults to offer. "
              "Declared variants (one core, GOMAXPROCS=1) change the machine, not the "
              "memory, and are left out here; the space-time figure's ring and the "
              "collectors' table of where they come within 10% count them. A "
              "runtime's footprint is its whole process's RSS, its resting runtime "
              "included."),
        ("p", "The pause kinds counted, by family (those with a pause in this run):")]
    blocks += [("li", f"{family}: {', '.join(kinds)}") for family, kinds in kinds_seen(doc)]
    for title, rows in per_work:
        blocks += [("h3", title), ("table", HEADER, rows)]
    blocks += [("h3", "Per runtime, over the workloads"),
               ("p", "Geometric means over the workloads where the figure exists (how "
                     "many after \"over\"); a workload with no pause at or above the "
                     "threshold is left out of both pause means, one not request-shaped "
                     "out of the latency's. "
                     f"Footprint: the multiple of {base}'s peak RSS found above; \"never "
                     f"on k\": the workloads where no setting run came within "
                     f"{TOLERANCE:.0%}."),
               ("table", SUMMARY_HEADER, summary_rows(doc, per))]
    return blocks
