"""The report of one suite run: report.md and a self-contained report.html
beside the results document, with the run's context, a claims table whose
verdicts are computed from the data with the thresholds stated in it, a
table per workload and the charts (made by scripts/plot). See
`scripts/report --help`."""

import argparse
import base64
import html
import os
import subprocess
import sys
from dataclasses import dataclass

from memstrat import results
from memstrat.cli import UsageError
from memstrat.metrics import (across_rounds, geomean, latency_p99_ns, median_time_ms,
                              mmu_curve, peak_rss_bytes, probe_rounds, reclaim_max_ns,
                              repetition_times_ms, cv, worst_pause_ns, worst_stall_ns)
from memstrat.stats import (BOOTSTRAP_LEVEL, BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED,
                            bootstrap_geomean_ci, smallest_p, time_call)

SCRIPTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STRATEGIES = ("manual", "raii", "gc", "arena")

# Thresholds of the verdicts. A ratio within TIME_TIE of 1 counts as equal
# time; the majority needed for "supported" is MAJORITY of the workloads.
TIME_TIE = 0.05
# A time difference counts only where the Mann-Whitney U test over the two
# strategies' repetitions also rejects "same distribution" at ALPHA: on a
# noisy machine a 6% gap between medians of overlapping samples is weather.
ALPHA = 0.05
MEMORY_TIE = 0.10
MAJORITY = 2 / 3
# A pause a user of an interactive program can notice in a 60 Hz frame.
NOTICEABLE_PAUSE_MS = 1.0
# A collected strategy's tail latency "shows its pauses" when its metered
# p99 is more than this many times the explicit strategies' best.
LATENCY_FACTOR = 2.0
BOOTSTRAP_NOTE = (f"interval: {BOOTSTRAP_LEVEL:.0%} percentile bootstrap over the "
                  f"repetitions ({BOOTSTRAP_RESAMPLES} resamples of every benchmark's "
                  "repetitions with replacement, ratio of medians per workload, "
                  f"geometric mean; seed {BOOTSTRAP_SEED}); a verdict that compares the "
                  "geometric mean with a threshold is inconclusive where the interval "
                  "straddles it")

CHARTS = [("summary", "Summary: each strategy relative to manual (glibc)"),
          ("time", "Run time"), ("pauses", "Pause percentiles"),
          ("pause_cdf", "Pause durations"), ("latency", "Request latency"),
          ("mmu", "Minimum mutator utilisation"), ("memory", "Peak memory")]


@dataclass
class Claim:
    claim: str
    measured: str
    verdict: str
    rule: str


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="scripts/report",
        description="Write report.md and report.html beside a results document: "
                    "context, claims with computed verdicts, a table per workload, "
                    "and the charts (drawn with scripts/plot unless --no-charts).")
    p.add_argument("results", help="a results.json written by scripts/run")
    p.add_argument("--no-charts", action="store_true",
                   help="leave the charts out (no matplotlib needed)")
    return p.parse_args(argv)


def by_key(doc, allocator="glibc"):
    """{(workload, params): {strategy: record}} of the ok records on allocator."""
    table = {}
    for r in results.ok_records(doc):
        if r["allocator"] != allocator:
            continue
        key = (r["workload"], tuple(sorted(r["params"].items())))
        table.setdefault(key, {})[r["strategy"]] = r
    return table


def ratios(table, metric, strategy, base="manual"):
    """{workload: metric(strategy) / metric(base)} where both exist."""
    out = {}
    for (workload, _), recs in table.items():
        if strategy in recs and base in recs:
            a, b = metric(recs[strategy]), metric(recs[base])
            if a is not None and b:
                out[workload] = a / b
    return out


def fmt_ns(ns):
    for unit, scale in (("ms", 1e6), ("us", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.0f} ns"


def fmt_ratios(rs):
    return ", ".join(f"{w} {r:.2f}x" for w, r in sorted(rs.items(), key=lambda x: -x[1]))


def split(rs, tie, distinct=None):
    """Workloads worse and better than 1 by more than tie; with `distinct`,
    only those in it."""
    pool = rs if distinct is None else distinct
    worse = sorted(w for w, r in rs.items() if r > 1 + tie and w in pool)
    better = sorted(w for w, r in rs.items() if r < 1 - tie and w in pool)
    return worse, better


def distinct_times(table, strategy, base):
    """(workloads whose times differ: beyond TIME_TIE with p < ALPHA, the call
    scripts/compare makes; workloads with too few repetitions for any p below
    ALPHA, judged by the ratio alone and let through)."""
    distinct, untestable = set(), set()
    for (workload, _), recs in table.items():
        if strategy not in recs or base not in recs:
            continue
        x, y = repetition_times_ms(recs[base]), repetition_times_ms(recs[strategy])
        if not x or not y:
            continue
        if smallest_p(len(x), len(y)) >= ALPHA:
            untestable.add(workload)
            distinct.add(workload)
        elif time_call(x, y, TIME_TIE, ALPHA)[0] == "changed":
            distinct.add(workload)
    return distinct, untestable


def geomean_interval(table, strategy, base, workloads):
    """The bootstrap interval of the geometric mean of strategy/base median
    times over the workloads, or None."""
    pairs = {}
    for (workload, _), recs in table.items():
        if workload in workloads and strategy in recs and base in recs:
            pairs[workload] = (repetition_times_ms(recs[strategy]),
                               repetition_times_ms(recs[base]))
    return bootstrap_geomean_ci(pairs)


def straddles(ci, threshold):
    return ci is not None and ci[0] <= threshold <= ci[1]


def time_claim(table, claim, strategy, base, expect):
    """expect "slower": strategy is slower than base; "equal": the same time."""
    rs = ratios(table, median_time_ms, strategy, base)
    if not rs:
        return Claim(claim, f"no {strategy} and {base} records on glibc", "not measured", "")
    g = geomean(list(rs.values()))
    ci = geomean_interval(table, strategy, base, set(rs))
    distinct, untestable = distinct_times(table, strategy, base)
    slower, faster = split(rs, TIME_TIE, distinct)
    n = len(rs)
    interval = f" ({BOOTSTRAP_LEVEL:.0%} interval {ci[0]:.2f}x to {ci[1]:.2f}x)" if ci else ""
    measured = (f"{strategy}/{base} median time, geometric mean {g:.2f}x{interval} over "
                f"{n} workloads: {fmt_ratios(rs)}")
    noise = sorted(w for w, r in rs.items() if abs(r - 1) > TIME_TIE and w not in distinct)
    if noise:
        measured += (f"; beyond {TIME_TIE:.0%} but not distinguishable from noise "
                     f"(Mann-Whitney U p >= {ALPHA}): {', '.join(noise)}")
    if untestable:
        measured += (f"; too few repetitions to test, ratio alone: "
                     f"{', '.join(sorted(untestable))}")
    differs = (f"a workload differs when its median is more than {TIME_TIE:.0%} away "
               f"and the Mann-Whitney U test over the repetitions gives p < {ALPHA}")
    if expect == "slower":
        rule = (f"supported if the geometric mean is above {1 + TIME_TIE:.2f} and "
                f"{strategy} is slower on at least {MAJORITY:.0%} of workloads; not "
                f"supported if it is slower on none; {differs}; {BOOTSTRAP_NOTE}")
        if not slower:
            verdict = "not supported"
        elif straddles(ci, 1 + TIME_TIE):
            verdict = (f"inconclusive: the geometric mean's interval straddles "
                       f"{1 + TIME_TIE:.2f}")
        elif g > 1 + TIME_TIE and len(slower) >= MAJORITY * n:
            verdict = "supported"
        else:
            verdict = (f"depends: slower on {', '.join(slower)}; "
                       f"not slower on {', '.join(sorted(set(rs) - set(slower)))}")
    else:
        rule = (f"supported if no workload differs; depends if the geometric mean "
                f"is within {TIME_TIE:.0%} but some workloads differ; not supported "
                f"otherwise; {differs}; {BOOTSTRAP_NOTE}")
        if not slower and not faster:
            verdict = "supported"
        elif straddles(ci, 1 - TIME_TIE) or straddles(ci, 1 + TIME_TIE):
            verdict = (f"inconclusive: the geometric mean's interval straddles "
                       f"{1 - TIME_TIE:.2f} or {1 + TIME_TIE:.2f}")
        elif abs(g - 1) <= TIME_TIE:
            verdict = (f"depends: equal on the whole, but {strategy} is slower on "
                       f"{', '.join(slower) or 'none'} and faster on "
                       f"{', '.join(faster) or 'none'}")
        else:
            verdict = "not supported"
    return Claim(claim, measured, verdict, rule)


def round_figures(record, figure):
    """figure(probe, strategy) for each round of the record's probe."""
    return [figure(p, record["strategy"]) for p in probe_rounds(record)]


def stall_figure(probe, _strategy):
    return worst_stall_ns(probe)


def fmt_spread(spread):
    """'1.2 ms (0.9 ms to 3 ms)' from (median, min, max); one value alone."""
    if spread is None:
        return ""
    m, lo, hi = spread
    return fmt_ns(m) if lo == hi else f"{fmt_ns(m)} ({fmt_ns(lo)} to {fmt_ns(hi)})"


def rounds_verdict(per_round):
    """(verdict of the median, note) from [(verdict, ...)] per round: the
    note says when the rounds do not all reach the same verdict."""
    seen = sorted(set(per_round))
    if len(seen) <= 1:
        return ""
    counts = ", ".join(f"{v} in {per_round.count(v)}" for v in seen)
    return f"; rounds disagree: {counts} of {len(per_round)} rounds"


def pause_claim(table):
    claim = "A garbage collector makes the program wait while it collects."
    # What the program saw (the longest gap between two units of work) where
    # the probes have it; each strategy's own accounting beside it.
    use_stalls = any(worst_stall_ns(p) is not None for recs in table.values()
                     for r in recs.values() for p in probe_rounds(r))
    figure = stall_figure if use_stalls else reclaim_max_ns
    rows, decisions = [], []
    n_rounds = 0
    for (workload, _), recs in sorted(table.items()):
        if "gc" not in recs:
            continue
        gc_rounds = round_figures(recs["gc"], figure)
        gc = across_rounds(gc_rounds)
        if gc is None:
            continue
        explicit_recs = [recs[s] for s in ("manual", "raii") if s in recs]
        explicit_rounds = [round_figures(r, figure) for r in explicit_recs]
        explicit = across_rounds([max([v for v in vals if v is not None], default=None)
                                  for vals in zip(*explicit_rounds)] if explicit_rounds
                                 else [])
        accounting = across_rounds(round_figures(recs["gc"], reclaim_max_ns))
        row = f"{workload} {fmt_spread(gc)}"
        if explicit is not None:
            row += f" vs {fmt_spread(explicit)}"
        if use_stalls and accounting is not None:
            row += f" [gc's own worst stop-the-world pause {fmt_spread(accounting)}]"
        rows.append(row)

        def decide(g, e):
            return g is not None and g >= NOTICEABLE_PAUSE_MS * 1e6 and (
                e is None or g > e)
        per_round = []
        for i, g in enumerate(gc_rounds):
            es = [vals[i] for vals in explicit_rounds if i < len(vals) and vals[i] is not None]
            per_round.append(decide(g, max(es, default=None)))
        n_rounds = max(n_rounds, len(gc_rounds))
        decisions.append((workload, decide(gc[0], explicit and explicit[0]), per_round))
    if not rows:
        return Claim(claim, "no gc record with collections", "not measured", "")
    n = len(rows)
    what = ("the longest gap between two units of work the workload reported (a stall "
            "the program saw, timed the same way under every strategy)" if use_stalls
            else "worst gc stop-the-world pause vs the worst manual/raii release "
                 "(delete or destructor cascade)")
    measured = (f"{what}, gc vs the worst of manual/raii, median over the rounds "
                f"(lowest to highest): {'; '.join(rows)}")
    rule = (f"supported if on at least {MAJORITY:.0%} of workloads gc's figure (median "
            f"over the rounds) is at least {NOTICEABLE_PAUSE_MS:g} ms and longer than the "
            "explicit strategies'; depends if only on some; the verdict is also computed "
            "round by round, and the rounds' disagreement is stated")

    def verdict_of(both):
        if len(both) >= MAJORITY * n:
            return "supported"
        if both:
            return (f"depends: on {', '.join(both)}; elsewhere the explicit strategies "
                    "stalled as long or gc's stalls were short")
        return "not supported"
    return Claim(claim, measured, verdict_over_rounds(decisions, n_rounds, verdict_of),
                 rule)


def verdict_over_rounds(decisions, n_rounds, verdict_of):
    """The verdict on the figures across rounds, and whether the rounds agree.
    decisions: (workload, decided on the medians, decided in each round);
    verdict_of maps the workloads where the claim held to a verdict."""
    verdict = verdict_of(sorted(w for w, d, _ in decisions if d))
    per_round = [verdict_of(sorted(w for w, _, rounds in decisions
                                   if i < len(rounds) and rounds[i])).split(":")[0]
                 for i in range(n_rounds)]
    return verdict + rounds_verdict(per_round)


def latency_claim(table):
    claim = ("A garbage collector's pauses reach the requests queued behind them "
             "(tail latency).")
    rows, decisions, n_rounds = [], [], 0
    for (workload, _), recs in sorted(table.items()):
        if "gc" not in recs:
            continue
        def p99s(r):
            return [latency_p99_ns(p) for p in probe_rounds(r)]
        gc_rounds = p99s(recs["gc"])
        gc = across_rounds(gc_rounds)
        if gc is None:
            continue
        explicit_rounds = [p99s(recs[s]) for s in ("manual", "raii") if s in recs]
        best = [min([v for v in vals if v is not None], default=None)
                for vals in zip(*explicit_rounds)] if explicit_rounds else []
        explicit = across_rounds(best)
        medians = [p["latency"]["simple"]["p50_ns"] for p in probe_rounds(recs["gc"])
                   if p.get("latency")]
        rel = f", {gc[0] / medians[0]:.0f}x its median service time" if medians and \
            medians[0] else ""
        rows.append(f"{workload} {fmt_spread(gc)}{rel}"
                    + (f" vs {fmt_spread(explicit)}" if explicit else ""))

        def decide(g, e):
            return g is not None and e is not None and g > LATENCY_FACTOR * e
        per_round = [decide(g, best[i] if i < len(best) else None)
                     for i, g in enumerate(gc_rounds)]
        n_rounds = max(n_rounds, len(gc_rounds))
        decisions.append((workload, decide(gc[0], explicit and explicit[0]), per_round))
    if not rows:
        return Claim(claim, "no request-shaped gc record", "not measured", "")
    n = len(rows)
    measured = ("metered p99 latency (DaCapo's definition, 100 ms smoothing) of gc vs the "
                "better of manual/raii, median over the rounds (lowest to highest): "
                + "; ".join(rows))
    rule = (f"supported if on at least {MAJORITY:.0%} of request-shaped workloads gc's "
            f"metered p99 (median over the rounds) is more than {LATENCY_FACTOR:g}x the "
            "better explicit strategy's; depends if only on some; the verdict is also "
            "computed round by round, and the rounds' disagreement is stated")

    def verdict_of(both):
        if len(both) >= MAJORITY * n:
            return "supported"
        return f"depends: on {', '.join(both)}" if both else "not supported"
    return Claim(claim, measured, verdict_over_rounds(decisions, n_rounds, verdict_of),
                 rule)


def no_leak_claim(doc):
    claim = ("Ownership frees every object when its owner goes out of scope: no "
             "leaks.")
    recs = [r for r in results.ok_records(doc) if r["strategy"] == "raii" and r["probe"]]
    if not recs:
        return Claim(claim, "no raii records", "not measured", "")
    leaky = [r["name"] for r in recs
             if r["probe"]["counts"]["frees_per_iteration"]
             != r["probe"]["counts"]["allocations_per_iteration"]]
    measured = (f"objects freed vs allocated per iteration under raii, {len(recs)} "
                "benchmarks: " + ("equal in all" if not leaky else
                                  f"different in {', '.join(leaky)}"))
    return Claim(claim, measured, "supported" if not leaky else "not supported",
                 "supported if raii frees exactly what it allocates in every benchmark "
                 "(the ASan tests also find no leak)")


def memory_claim(table):
    claim = ("Ownership makes memory use deterministic: it holds what the program "
             "holds, nothing more.")
    raii = ratios(table, peak_rss_bytes, "raii")
    gc = ratios(table, peak_rss_bytes, "gc")
    if not raii:
        return Claim(claim, "no raii and manual records", "not measured", "")
    off = sorted(w for w, r in raii.items() if abs(r - 1) > MEMORY_TIE)
    measured = (f"peak RSS raii/manual: {fmt_ratios(raii)}"
                + (f"; for contrast gc/manual: {fmt_ratios(gc)}" if gc else ""))
    rule = (f"supported if raii's peak RSS is within {MEMORY_TIE:.0%} of manual's "
            "(which frees at the point of last use) on every workload")
    verdict = "supported" if not off else f"depends: differs on {', '.join(off)}"
    return Claim(claim, measured, verdict, rule)


def claims(doc):
    table = by_key(doc)
    return [
        time_claim(table, "A garbage collector costs run time compared with manual "
                   "memory management.", "gc", "manual", "slower"),
        pause_claim(table),
        Claim("Manual memory management needs care to avoid leaks and dangling "
              "pointers.", "a property of how code is written, not of its run time: "
              "memstrat's own manual code is checked by ASan and the parity tests, "
              "which says nothing about manual management in general",
              "not measured", ""),
        no_leak_claim(doc),
        time_claim(table, "Ownership costs no run time over manual management.",
                   "raii", "manual", "equal"),
        time_claim(table, "Without a collector, ownership is faster than garbage "
                   "collection.", "gc", "raii", "slower"),
        memory_claim(table),
        latency_claim(table),
    ]


def workload_tables(doc):
    """[(title, header, rows)] per workload and params."""
    out = []
    groups = {}
    for r in doc["records"]:
        key = (r["workload"], tuple(sorted(r["params"].items())))
        groups.setdefault(key, []).append(r)
    for (workload, params), recs in groups.items():
        base = next((r for r in recs if r["strategy"] == "manual"
                     and r["allocator"] == "glibc" and r["status"] == "ok"), None)
        base_t = base and median_time_ms(base)
        rows = []
        for r in sorted(recs, key=lambda r: (STRATEGIES.index(r["strategy"])
                                             if r["strategy"] in STRATEGIES else 9,
                                             r["allocator"])):
            if r["status"] != "ok":
                rows.append([r["strategy"], r["allocator"], "failed: " +
                             r["failure"]["reason"], "", "", "", "", ""])
                continue
            t = median_time_ms(r)
            c = cv(repetition_times_ms(r))
            pause = worst_pause_ns(r)
            peak = peak_rss_bytes(r)
            counts = (r["probe"] or {}).get("counts", {})
            rows.append([r["strategy"], r["allocator"],
                         f"{t:.2f}" if t is not None else "",
                         f"{c:.1%}" if c is not None else "",
                         f"{t / base_t:.2f}x" if t and base_t else "",
                         fmt_ns(pause) if pause is not None else "",
                         f"{peak / 2**20:.1f}" if peak else "",
                         f"{counts.get('allocations_per_iteration', 0):,.0f}"])
        title = workload + " (" + ", ".join(f"{k} {v}" for k, v in params) + ")"
        out.append((title, ["strategy", "allocator", "median ms", "cv",
                            "vs manual/glibc", "worst pause", "peak RSS MiB",
                            "allocations/run"], rows))
    return out


ROUNDS_HEADER = ["workload", "strategy", "allocator", "rounds", "worst stall",
                 "stalls", "worst own pause", "metered p99 (100 ms)",
                 "metered p99 / median service", "MMU at 10 ms (stalls)"]


def rounds_table(doc):
    """Rows of the stalls, pauses and latency of every ok record: each
    figure is the median over the probe's rounds with the lowest and the
    highest in brackets."""
    rows = []
    for r in sorted(results.ok_records(doc), key=lambda r: (
            r["workload"], STRATEGIES.index(r["strategy"]) if r["strategy"] in STRATEGIES
            else 9, r["allocator"])):
        rounds = probe_rounds(r)
        if not rounds:
            continue
        stall = across_rounds([worst_stall_ns(p) for p in rounds])
        count = across_rounds([len(p["stalls"]["events"]) for p in rounds
                               if p.get("stalls")])
        own = across_rounds([reclaim_max_ns(p, r["strategy"]) for p in rounds])
        p99 = across_rounds([latency_p99_ns(p) for p in rounds])
        rel = across_rounds([latency_p99_ns(p) / p["latency"]["simple"]["p50_ns"]
                             for p in rounds if latency_p99_ns(p)
                             and p["latency"]["simple"]["p50_ns"]])
        curve = dict(mmu_curve(r, "stalls"))
        mmu10 = curve.get(10_000_000)
        rows.append([r["workload"], r["strategy"], r["allocator"], str(len(rounds)),
                     fmt_spread(stall), f"{count[0]:g}" + (
                         f" ({count[1]:g} to {count[2]:g})" if count and count[1] != count[2]
                         else "") if count else "",
                     fmt_spread(own), fmt_spread(p99),
                     (f"{rel[0]:.1f}" + (f" ({rel[1]:.1f} to {rel[2]:.1f})"
                                         if rel[1] != rel[2] else "")) if rel else "",
                     f"{mmu10:.2f}" if mmu10 is not None else ""])
    return rows


ROUNDS_NOTE = ("Each figure is the median over the probe's rounds, the lowest and the "
               "highest in brackets. worst stall: the longest gap between two units of "
               "work the workload reported (the same measure under every strategy); "
               "stalls: gaps longer than max(1 ms, 10x the median gap); worst own pause: "
               "the strategy's own accounting of its reclaim (collection, release, "
               "rewind); metered p99: DaCapo's metered latency with 100 ms smoothing; "
               "MMU: the smallest share of any 10 ms window free of stalls.")


def context_lines(doc):
    c = doc["context"]
    h = c["host"]
    s = c["settings"]
    gb = c.get("google_benchmark", {})
    allocs = ", ".join(f"{a}: {ctx.get('memstrat_allocator', '?')} "
                       f"{ctx.get('memstrat_allocator_version', '')}".strip()
                       for a, ctx in gb.items())
    return [
        ("Machine", f"{h['name']}: {h['cpu_model']}, {h['cores']} cores, "
                    f"{h['os']}, kernel {h['kernel']}"),
        ("Date", c["date"]),
        ("Command", f"`{c['command']}`"),
        ("Git revision", c["git_revision"]),
        ("Profile", f"{c['profile']}: {s['size']} sizes, {s['repetitions']} "
                    f"repetitions of at least {s['min_time_s']} s"
                    + (f" over {s['rounds']} interleaved rounds" if s.get("rounds", 1) > 1
                       else "")
                    + f", {s['probe_iterations']} measured runs in each round's probe"),
        ("Versions", ", ".join(f"{k} {v}" for k, v in c["versions"].items())),
        ("Allocators (as detected)", allocs),
        ("Environment", ", ".join(f"{k} {v}" for k, v in
                                  c["environment"]["machine"].items()) + "; variables: "
                        + (", ".join(f"{k}={v}" for k, v in
                                     c["environment"]["variables"].items()) or "none")),
        ("Records", f"{doc['summary']['records']}, {doc['summary']['failed']} failed"),
    ] + noise_floor_lines(c)


def noise_floor_lines(context):
    floor = context.get("noise_floor")
    if not floor:
        return []
    loops = ", ".join(f"{name.split('/')[-1]} {v['cv'] * 100:.1f}%"
                      for name, v in sorted(floor.items()))
    reps = max(v["repetitions"] for v in floor.values())
    return [("Noise floor", f"coefficient of variation of loops whose code and data never "
                            f"change, timed in every round ({reps} repetitions): {loops}. "
                            "A benchmark's own cv above this is noise from its "
                            "allocations (page faults, cache and memory traffic) or "
                            "from the machine; differences within either are not "
                            "findings.")]


def make_charts(results_path, charts_dir):
    proc = subprocess.run([sys.executable, os.path.join(SCRIPTS, "plot"), results_path,
                           "--out", charts_dir], capture_output=True, text=True,
                          check=False)
    if proc.returncode != 0:
        lines = [l for l in proc.stderr.splitlines() if "error" in l] or ["plot failed"]
        raise UsageError(lines[-1].split("error: ", 1)[-1])
    return [(name, title) for name, title in CHARTS
            if os.path.exists(os.path.join(charts_dir, name + ".png"))]


def non_default_banner(doc):
    """The run's non-default settings in one sentence, or None: a run made
    under GC_MARKERS=1 or with THP off must not read as a default run."""
    items = doc["context"]["non_default"]
    if not items:
        return None
    return ("This run was made under non-default settings, so its figures are not "
            "those of a default machine: " + "; ".join(items) + ".")


def markdown(doc, claim_list, tables, charts):
    out = ["# memstrat report", ""]
    if non_default_banner(doc):
        out += [f"> **Warning: non-default environment.** {non_default_banner(doc)}", ""]
    out += [f"- **{k}**: {v}" for k, v in context_lines(doc)]
    out += ["", "## Claims", "",
            "Each claim the article makes, paraphrased; the verdict is computed from "
            "this run's glibc records by the stated rule.", "",
            "| claim | measured | verdict | rule |", "|---|---|---|---|"]
    out += [f"| {c.claim} | {c.measured} | **{c.verdict}** | {c.rule} |"
            for c in claim_list]
    rows = rounds_table(doc)
    if rows:
        out += ["", "## Stalls, pauses and latency across rounds", "", ROUNDS_NOTE, "",
                "| " + " | ".join(ROUNDS_HEADER) + " |", "|" + "---|" * len(ROUNDS_HEADER)]
        out += ["| " + " | ".join(row) + " |" for row in rows]
    if charts:
        out += ["", "## Charts", ""]
        out += [f"### {title}\n\n![{title}](charts/{name}.png)\n" for name, title in charts]
    out += ["", "## Per workload", ""]
    for title, header, rows in tables:
        out += [f"### {title}", "", "| " + " | ".join(header) + " |",
                "|" + "---|" * len(header)]
        out += ["| " + " | ".join(row) + " |" for row in rows]
        out.append("")
    return "\n".join(out) + "\n"


def html_doc(doc, claim_list, tables, charts, charts_dir):
    e = html.escape
    parts = ["<!doctype html><html><head><meta charset='utf-8'><title>memstrat report"
             "</title><style>body{font-family:sans-serif;max-width:1100px;margin:2em "
             "auto;padding:0 1em;line-height:1.4}table{border-collapse:collapse;"
             "margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;"
             "vertical-align:top}th{background:#f3f3f3}img{max-width:100%}"
             ".v{font-weight:bold}</style></head><body><h1>memstrat report</h1>"]
    if non_default_banner(doc):
        parts.append("<p style='border:2px solid #c00;padding:8px'><b>Warning: "
                     f"non-default environment.</b> {e(non_default_banner(doc))}</p>")
    parts.append("<ul>")
    parts += [f"<li><b>{e(k)}</b>: {e(v.strip('`'))}</li>" for k, v in context_lines(doc)]
    parts += ["</ul><h2>Claims</h2><p>Each claim the article makes, paraphrased; the "
              "verdict is computed from this run's glibc records by the stated rule.</p>"
              "<table><tr><th>claim</th><th>measured</th><th>verdict</th><th>rule</th>"
              "</tr>"]
    parts += [f"<tr><td>{e(c.claim)}</td><td>{e(c.measured)}</td><td class='v'>"
              f"{e(c.verdict)}</td><td>{e(c.rule)}</td></tr>" for c in claim_list]
    parts.append("</table>")
    rows = rounds_table(doc)
    if rows:
        parts.append(f"<h2>Stalls, pauses and latency across rounds</h2><p>{e(ROUNDS_NOTE)}"
                     "</p><table><tr>" + "".join(f"<th>{e(h)}</th>" for h in ROUNDS_HEADER)
                     + "</tr>")
        parts += ["<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in rows]
        parts.append("</table>")
    if charts:
        parts.append("<h2>Charts</h2>")
        for name, title in charts:
            with open(os.path.join(charts_dir, name + ".png"), "rb") as f:
                data = base64.b64encode(f.read()).decode("ascii")
            parts.append(f"<h3>{e(title)}</h3><img alt='{e(title)}' "
                         f"src='data:image/png;base64,{data}'>")
    parts.append("<h2>Per workload</h2>")
    for title, header, rows in tables:
        parts.append(f"<h3>{e(title)}</h3><table><tr>" +
                     "".join(f"<th>{e(h)}</th>" for h in header) + "</tr>")
        parts += ["<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>"
                  for row in rows]
        parts.append("</table>")
    parts.append("</body></html>\n")
    return "".join(parts)


def write_atomically(path, text):
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def main(argv=None):
    prog = "scripts/report"
    try:
        args = parse_args(sys.argv[1:] if argv is None else argv)
        doc = results.load(args.results)
        if not results.ok_records(doc):
            raise UsageError(f"{args.results} has no successful record to report")
        out_dir = os.path.dirname(os.path.abspath(args.results))
        if not os.access(out_dir, os.W_OK):
            raise UsageError(f"cannot write into {out_dir}")
        charts_dir = os.path.join(out_dir, "charts")
        charts = [] if args.no_charts else make_charts(args.results, charts_dir)
        claim_list = claims(doc)
        tables = workload_tables(doc)
        md = os.path.join(out_dir, "report.md")
        page = os.path.join(out_dir, "report.html")
        write_atomically(md, markdown(doc, claim_list, tables, charts))
        write_atomically(page, html_doc(doc, claim_list, tables, charts, charts_dir))
    except (UsageError, results.ResultsError) as e:
        print(f"{prog}: error: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"{prog}: error: {e.filename}: {e.strerror}", file=sys.stderr)
        return 2
    print(md)
    print(page)
    return 0
