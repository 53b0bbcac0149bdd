"""The report of one suite run: report.md and report.html (charts linked from charts/)
beside the results document, with the run's context, a claims table whose
verdicts are computed from the data with the thresholds stated in it, a
table per workload (its columns: the report measures of measures.REGISTRY),
owners' overhead where a strategy's owners cost more than a pointer, for a
curve run the "Space and time" section (spacetime.py: the collector at each
heap multiple, sweep and variant, its lower-bound overhead, the claims at
each multiple, Hertz & Berger's curve beside it), and the charts (made by
scripts/plot). Every section but "Space and time" reads the plain records
only (no variant). Strategies, their order and the baseline come
from the document (results.Catalogue); the strategies each claim is about
are data, in CLAIMS. See `scripts/report --help`."""

import argparse
import html
import os
import subprocess
import sys
from dataclasses import dataclass

from memstrat import collectors, measures, ownership, results, spacetime, xlang
from memstrat.cli import UsageError
from memstrat.measures import format_ns
from memstrat.metrics import (across_rounds, geomean, latency_p99_ns, median_time_ms,
                              mmu_curve, peak_rss_bytes, probe_rounds, reclaim_max_ns,
                              repetition_times_ms, worst_stall_ns)
from memstrat.stats import (BOOTSTRAP_LEVEL, BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED,
                            bootstrap_geomean_ci, smallest_p, time_call)

SCRIPTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

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

CHARTS = [("summary", "Summary: each strategy relative to the baseline"),
          ("time", "Run time"), ("pauses", "Pause percentiles"),
          ("pause_cdf", "Pause durations"), ("latency", "Request latency"),
          ("mmu", "Minimum mutator utilisation"), ("memory", "Peak memory")]


@dataclass
class Claim:
    claim: str
    measured: str
    verdict: str
    rule: str
    figure: str = ""   # the measured figure in a few characters ("1.52x"), for a cell


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


def by_key(doc, allocator=None):
    """{work key: {strategy: record}} of the ok plain records on allocator
    (the baseline allocator by default)."""
    allocator = allocator or results.Catalogue(doc).baseline_allocator
    table = {}
    for r in results.plain_records(doc, ok=True):
        if r["allocator"] != allocator:
            continue
        table.setdefault(results.work_key(r), {})[r["strategy"]] = r
    return table


def ratios(table, metric, strategy, base):
    """{workload: metric(strategy) / metric(base)} where both exist."""
    out = {}
    for (workload, _), recs in table.items():
        if strategy in recs and base in recs:
            a, b = metric(recs[strategy]), metric(recs[base])
            if a is not None and b:
                out[workload] = a / b
    return out


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


# The verdicts' words: a claim of the article is supported or not; a
# question (what the strategies beyond the article's let the reader check)
# is answered yes or no, by the same rules.
CLAIM_WORDS = ("supported", "not supported")
QUESTION_WORDS = ("yes", "no")


def time_claim(table, claim, strategy, base, expect, allocator, words=CLAIM_WORDS):
    """expect "slower": strategy is slower than base; "equal": the same time."""
    yes, no = words
    rs = ratios(table, median_time_ms, strategy, base)
    if not rs:
        return Claim(claim, f"no {strategy} and {base} records on {allocator}",
                     "not measured", "")
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
        rule = (f"{yes} if the geometric mean is above {1 + TIME_TIE:.2f} and "
                f"{strategy} is slower on at least {MAJORITY:.0%} of workloads; "
                f"{no} if it is slower on none; {differs}; {BOOTSTRAP_NOTE}")
        noisy = [w for w in noise if rs[w] > 1]
        if not slower and noisy:
            # Slower by its medians, but its repetitions scatter too much to
            # tell (a JVM that never settled): not evidence against.
            verdict = (f"inconclusive: slower by the medians on {', '.join(noisy)}, "
                       "but not distinguishable from noise")
        elif not slower:
            verdict = no
        elif straddles(ci, 1 + TIME_TIE):
            verdict = (f"inconclusive: the geometric mean's interval straddles "
                       f"{1 + TIME_TIE:.2f}")
        elif g > 1 + TIME_TIE and len(slower) >= MAJORITY * n:
            verdict = yes
        else:
            verdict = (f"depends: slower on {', '.join(slower)}; "
                       f"not slower on {', '.join(sorted(set(rs) - set(slower)))}")
    else:
        rule = (f"{yes} if no workload differs; depends if the geometric mean "
                f"is within {TIME_TIE:.0%} but some workloads differ; {no} "
                f"otherwise; {differs}; {BOOTSTRAP_NOTE}")
        if not slower and not faster:
            verdict = yes
        elif straddles(ci, 1 - TIME_TIE) or straddles(ci, 1 + TIME_TIE):
            verdict = (f"inconclusive: the geometric mean's interval straddles "
                       f"{1 - TIME_TIE:.2f} or {1 + TIME_TIE:.2f}")
        elif abs(g - 1) <= TIME_TIE:
            verdict = (f"depends: equal on the whole, but {strategy} is slower on "
                       f"{', '.join(slower) or 'none'} and faster on "
                       f"{', '.join(faster) or 'none'}")
        else:
            verdict = no
    return Claim(claim, measured, verdict, rule, f"{g:.2f}x")


def round_figures(record, figure):
    """figure(probe, record) for each round of the record's probe."""
    return [figure(p, record) for p in probe_rounds(record)]


def stall_figure(probe, _record):
    return worst_stall_ns(probe)


def reclaim_figure(catalogue):
    """figure(probe, record): the probe's longest pause of its reclaim kind."""
    def figure(probe, record):
        return reclaim_max_ns(probe, catalogue.probe_reclaim_kind(probe, record["strategy"]))
    return figure


def fmt_spread(spread):
    """'1.2 ms (0.9 ms to 3 ms)' from (median, min, max); one value alone."""
    if spread is None:
        return ""
    m, lo, hi = spread
    return format_ns(m) if lo == hi else f"{format_ns(m)} ({format_ns(lo)} to {format_ns(hi)})"


def rounds_verdict(per_round):
    """(verdict of the median, note) from [(verdict, ...)] per round: the
    note says when the rounds do not all reach the same verdict."""
    seen = sorted(set(per_round))
    if len(seen) <= 1:
        return ""
    counts = ", ".join(f"{v} in {per_round.count(v)}" for v in seen)
    return f"; rounds disagree: {counts} of {len(per_round)} rounds"


def pause_claim(table, catalogue, claim, collected, explicit):
    """Does the collected strategy stall the program longer than the worst
    of the explicit ones, and noticeably?"""
    gc_name, explicit_names = collected, "/".join(explicit)
    own = reclaim_figure(catalogue)
    # What the program saw (the longest gap between two units of work) where
    # the probes have it; each strategy's own accounting beside it.
    use_stalls = any(worst_stall_ns(p) is not None for recs in table.values()
                     for r in recs.values() for p in probe_rounds(r))
    figure = stall_figure if use_stalls else own
    rows, decisions, medians = [], [], []
    n_rounds = 0
    for (workload, _), recs in sorted(table.items()):
        if collected not in recs:
            continue
        gc_rounds = round_figures(recs[collected], figure)
        gc = across_rounds(gc_rounds)
        if gc is None:
            continue
        medians.append(gc[0])
        explicit_recs = [recs[s] for s in explicit if s in recs]
        explicit_rounds = [round_figures(r, figure) for r in explicit_recs]
        worst_explicit = across_rounds(
            [max([v for v in vals if v is not None], default=None)
             for vals in zip(*explicit_rounds)] if explicit_rounds else [])
        accounting = across_rounds(round_figures(recs[collected], own))
        row = f"{workload} {fmt_spread(gc)}"
        if worst_explicit is not None:
            row += f" vs {fmt_spread(worst_explicit)}"
        if use_stalls and accounting is not None:
            kind = catalogue.reclaim_kind(recs[collected])
            what = "stop-the-world pause" if kind == "gc_stop_world" else f"{kind} pause"
            row += f" [{gc_name}'s own worst {what} {fmt_spread(accounting)}]"
        rows.append(row)

        def decide(g, e):
            return g is not None and g >= NOTICEABLE_PAUSE_MS * 1e6 and (
                e is None or g > e)
        per_round = []
        for i, g in enumerate(gc_rounds):
            es = [vals[i] for vals in explicit_rounds if i < len(vals) and vals[i] is not None]
            per_round.append(decide(g, max(es, default=None)))
        n_rounds = max(n_rounds, len(gc_rounds))
        decisions.append((workload, decide(gc[0], worst_explicit and worst_explicit[0]),
                          per_round))
    if not rows:
        return Claim(claim, f"no {gc_name} record with collections", "not measured", "")
    n = len(rows)
    what = ("the longest gap between two units of work the workload reported (a stall "
            "the program saw, timed the same way under every strategy)" if use_stalls
            else f"worst {gc_name} reclaim pause vs the worst {explicit_names} release "
                 "(delete or destructor cascade)")
    measured = (f"{what}, {gc_name} vs the worst of {explicit_names}, median over the "
                f"rounds (lowest to highest): {'; '.join(rows)}")
    rule = (f"supported if on at least {MAJORITY:.0%} of workloads {gc_name}'s figure (median "
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
                 rule, fmt_range(medians))


def fmt_range(values):
    """'1.2 ms' or '0.9 ms to 3 ms': the lowest and highest of durations."""
    if not values:
        return ""
    lo, hi = min(values), max(values)
    return format_ns(lo) if lo == hi else f"{format_ns(lo)} to {format_ns(hi)}"


def verdict_over_rounds(decisions, n_rounds, verdict_of):
    """The verdict on the figures across rounds, and whether the rounds agree.
    decisions: (workload, decided on the medians, decided in each round);
    verdict_of maps the workloads where the claim held to a verdict."""
    verdict = verdict_of(sorted(w for w, d, _ in decisions if d))
    per_round = [verdict_of(sorted(w for w, _, rounds in decisions
                                   if i < len(rounds) and rounds[i])).split(":")[0]
                 for i in range(n_rounds)]
    return verdict + rounds_verdict(per_round)


def latency_claim(table, claim, collected, explicit):
    """Is the collected strategy's metered p99 far above the best explicit
    strategy's?"""
    rows, decisions, n_rounds, medians = [], [], 0, []
    for (workload, _), recs in sorted(table.items()):
        if collected not in recs:
            continue
        def p99s(r):
            return [latency_p99_ns(p) for p in probe_rounds(r)]
        gc_rounds = p99s(recs[collected])
        gc = across_rounds(gc_rounds)
        if gc is None:
            continue
        medians.append(gc[0])
        explicit_rounds = [p99s(recs[s]) for s in explicit if s in recs]
        best = [min([v for v in vals if v is not None], default=None)
                for vals in zip(*explicit_rounds)] if explicit_rounds else []
        best_explicit = across_rounds(best)
        medians = [p["latency"]["simple"]["p50_ns"] for p in probe_rounds(recs[collected])
                   if p.get("latency")]
        rel = f", {gc[0] / medians[0]:.0f}x its median service time" if medians and \
            medians[0] else ""
        rows.append(f"{workload} {fmt_spread(gc)}{rel}"
                    + (f" vs {fmt_spread(best_explicit)}" if best_explicit else ""))

        def decide(g, e):
            return g is not None and e is not None and g > LATENCY_FACTOR * e
        per_round = [decide(g, best[i] if i < len(best) else None)
                     for i, g in enumerate(gc_rounds)]
        n_rounds = max(n_rounds, len(gc_rounds))
        decisions.append((workload, decide(gc[0], best_explicit and best_explicit[0]),
                          per_round))
    if not rows:
        return Claim(claim, f"no request-shaped {collected} record", "not measured", "")
    n = len(rows)
    measured = (f"metered p99 latency (DaCapo's definition, 100 ms smoothing) of "
                f"{collected} vs the better of {'/'.join(explicit)}, median over the "
                "rounds (lowest to highest): " + "; ".join(rows))
    rule = (f"supported if on at least {MAJORITY:.0%} of request-shaped workloads "
            f"{collected}'s "
            f"metered p99 (median over the rounds) is more than {LATENCY_FACTOR:g}x the "
            "better explicit strategy's; depends if only on some; the verdict is also "
            "computed round by round, and the rounds' disagreement is stated")

    def verdict_of(both):
        if len(both) >= MAJORITY * n:
            return "supported"
        return f"depends: on {', '.join(both)}" if both else "not supported"
    return Claim(claim, measured, verdict_over_rounds(decisions, n_rounds, verdict_of),
                 rule, fmt_range(medians))


def no_leak_claim(doc, claim, strategy):
    recs = [r for r in results.plain_records(doc, ok=True)
            if r["strategy"] == strategy and r["probe"]]
    if not recs:
        return Claim(claim, f"no {strategy} records", "not measured", "")
    leaky = [r["name"] for r in recs
             if r["probe"]["counts"].get("frees_per_iteration")
             != r["probe"]["counts"].get("allocations_per_iteration")]
    measured = (f"objects freed vs allocated per iteration under {strategy}, {len(recs)} "
                "benchmarks: " + ("equal in all" if not leaky else
                                  f"different in {', '.join(leaky)}"))
    return Claim(claim, measured, "supported" if not leaky else "not supported",
                 f"supported if {strategy} frees exactly what it allocates in every benchmark "
                 "(the ASan tests also find no leak)")


def memory_claim(table, claim, strategy, base, contrast):
    own = ratios(table, peak_rss_bytes, strategy, base)
    other = ratios(table, peak_rss_bytes, contrast, base)
    if not own:
        return Claim(claim, f"no {strategy} and {base} records", "not measured", "")
    off = sorted(w for w, r in own.items() if abs(r - 1) > MEMORY_TIE)
    measured = (f"peak RSS {strategy}/{base}: {fmt_ratios(own)}"
                + (f"; for contrast {contrast}/{base}: {fmt_ratios(other)}" if other else ""))
    rule = (f"supported if {strategy}'s peak RSS is within {MEMORY_TIE:.0%} of {base}'s "
            "(which frees at the point of last use) on every workload")
    verdict = "supported" if not off else f"depends: differs on {', '.join(off)}"
    return Claim(claim, measured, verdict, rule)


# The claims table: the article's claims, then the questions the further
# strategies let a reader check. Each names the strategies it is about (a
# claim is about those strategies, whatever else the run holds); a claim
# whose strategies the run lacks says "not measured". (kind, text, what the
# kind needs.)
CLAIMS = (
    ("time", "A garbage collector costs run time compared with manual memory "
             "management.", {"strategy": "gc", "base": "manual", "expect": "slower"}),
    ("pause", "A garbage collector makes the program wait while it collects.",
     {"collected": "gc", "explicit": ("manual", "raii")}),
    ("unmeasured", "Manual memory management needs care to avoid leaks and dangling "
                   "pointers.",
     {"why": "a property of how code is written, not of its run time: memstrat's own "
             "manual code is checked by ASan and the parity tests, which says nothing "
             "about manual management in general"}),
    ("no_leak", "Ownership frees every object when its owner goes out of scope: no "
                "leaks.", {"strategy": "raii"}),
    ("time", "Ownership costs no run time over manual management.",
     {"strategy": "raii", "base": "manual", "expect": "equal"}),
    ("time", "Without a collector, ownership is faster than garbage collection.",
     {"strategy": "gc", "base": "raii", "expect": "slower"}),
    ("memory", "Ownership makes memory use deterministic: it holds what the program "
               "holds, nothing more.",
     {"strategy": "raii", "base": "manual", "contrast": "gc"}),
    ("latency", "A garbage collector's pauses reach the requests queued behind them "
                "(tail latency).", {"collected": "gc", "explicit": ("manual", "raii")}),
    ("question", "Does std::shared_ptr cost run time over std::unique_ptr "
                 "(shared_rc vs raii)?",
     {"strategy": "shared_rc", "base": "raii", "expect": "slower"}),
    ("question", "Do atomic reference counts cost run time over plain ones "
                 "(shared_arc vs shared_rc)?",
     {"strategy": "shared_arc", "base": "shared_rc", "expect": "slower"}),
    ("question", "Are the standard library's arenas (std::pmr) as fast as memstrat's "
                 "arena (pmr vs arena)?",
     {"strategy": "pmr", "base": "arena", "expect": "equal"}),
)


def about(what, strategy):
    """Whether a claim's subject is the strategy (the one measured, or the
    collected one), not its base or a contrast."""
    return strategy in (what.get("strategy"), what.get("collected"))


def evaluate(doc, kind, text, what):
    """One claim of CLAIMS (kind, text, what) on the document's plain records
    on the baseline allocator."""
    cat = results.Catalogue(doc)
    allocator = cat.baseline_allocator
    table = by_key(doc, allocator)
    if kind in ("time", "question"):
        return time_claim(table, text, what["strategy"], what["base"], what["expect"],
                          allocator, QUESTION_WORDS if kind == "question" else CLAIM_WORDS)
    if kind == "pause":
        return pause_claim(table, cat, text, what["collected"], what["explicit"])
    if kind == "latency":
        return latency_claim(table, text, what["collected"], what["explicit"])
    if kind == "memory":
        return memory_claim(table, text, what["strategy"], what["base"], what["contrast"])
    if kind == "no_leak":
        return no_leak_claim(doc, text, what["strategy"])
    return Claim(text, what["why"], "not measured", "")


def claims(doc, subject=None):
    """The claims' verdicts on the document's plain records; with subject,
    only the claims whose subject is that strategy."""
    return [evaluate(doc, kind, text, what) for kind, text, what in CLAIMS
            if subject is None or about(what, subject)]


def ownership_blocks(doc):
    """The "Ownership on its real subject" section's blocks; [] without a
    port strategy that declares a C++ counterpart."""
    return ownership.section(doc, CLAIMS, evaluate)


def extra_sections(doc):
    """[(title, blocks)] of the sections after "Ownership on its real
    subject" that a document may have: every runtime side by side, collectors
    of other runtimes, the runtimes' own figures, the cells not applicable."""
    out = [(xlang.TITLE, xlang.section(doc)),
           (collectors.TITLE, collectors.section(doc, CLAIMS, evaluate)),
           (collectors.RUNTIMES, collectors.runtime_section(doc)),
           (collectors.NOT_APPLICABLE, collectors.not_applicable_blocks(doc))]
    return [(title, blocks) for title, blocks in out if blocks]


def workload_tables(doc):
    """[(title, header, rows)] per workload and params: one row per record,
    one column per report measure of the registry (with its ratio to the
    baseline's where the measure asks for one)."""
    cat = results.Catalogue(doc)
    base_s, base_a = cat.baseline
    shown = measures.reported()
    header = ["strategy", "allocator"]
    for m in shown:
        header.append(m.label)
        if m.relative:
            header.append(f"{m.label} vs {cat.baseline_label('/')}")
    out = []
    groups = {}
    for r in results.plain_records(doc):
        groups.setdefault(results.work_key(r), []).append(r)
    for (workload, params), recs in groups.items():
        base = next((r for r in recs if (r["strategy"], r["allocator"]) == cat.baseline
                     and r["status"] == "ok"), None)
        rows = []
        for r in sorted(recs, key=cat.record_order):
            if r["status"] != "ok":
                what = ("not applicable" if r["status"] == "not_applicable"
                        else "failed")
                rows.append([r["strategy"], r["allocator"], f"{what}: " +
                             r["failure"]["reason"]] + [""] * (len(header) - 3))
                continue
            row = [r["strategy"], r["allocator"]]
            for m in shown:
                v = m.value(r, cat)
                row.append(m.text(v))
                if m.relative:
                    b = base and m.value(base, cat)
                    row.append(f"{v / b:.2f}x" if v is not None and b else "")
            rows.append(row)
        title = workload + " (" + ", ".join(f"{k} {v}" for k, v in params) + ")"
        out.append((title, header, rows))
    return out


OWNER_HEADER = ["workload", "strategy", "allocator", "owner bytes", "owner overhead",
                "bytes requested/run", "vs baseline's", "overhead bytes/run",
                "overhead share"]


def owner_table(doc):
    """Rows of what owners cost, for the strategies whose owners are not one
    pointer wide (declared owner_bytes other than the baseline's) or whose
    records count overhead bytes: bytes requested per run against the
    baseline strategy's on the same allocator, and the overhead counted.
    A shared_ptr's control block is real memory, so it is shown, not
    netted out."""
    cat = results.Catalogue(doc)
    base_s = cat.baseline_strategy
    pointer = cat.declaration(base_s).get("owner_bytes", 8)
    requested = measures.get("bytes_requested")
    overhead = measures.get("overhead_bytes")
    ok = results.plain_records(doc, ok=True)
    base = {results.work_key(r) + (r["allocator"],): r for r in ok if r["strategy"] == base_s}
    rows = []
    for r in sorted(ok, key=cat.record_order):
        d = cat.declaration(r["strategy"])
        extra = overhead.value(r, cat)
        if d.get("owner_bytes", pointer) == pointer and not extra:
            continue
        req = requested.value(r, cat)
        b = base.get(results.work_key(r) + (r["allocator"],))
        breq = b and requested.value(b, cat)
        rows.append([r["workload"], r["strategy"], r["allocator"],
                     str(d["owner_bytes"]) if "owner_bytes" in d else "",
                     d.get("owner_overhead", ""), requested.text(req),
                     f"{req / breq:.2f}x" if req is not None and breq else "",
                     overhead.text(extra),
                     f"{extra / req:.1%}" if extra is not None and req else ""])
    return rows


def owner_note(doc):
    cat = results.Catalogue(doc)
    return (f"Strategies whose owners cost more than {cat.baseline_strategy}'s pointer. "
            "bytes requested/run: what the workload asked the strategy for, per run, "
            "control blocks included; vs baseline's: divided by "
            f"{cat.baseline_strategy}'s on the same allocator (the same objects); "
            "overhead bytes/run: the part the strategy counts as its owners' cost "
            "(overhead_bytes); overhead share: of the bytes requested.")


ROUNDS_HEADER = ["workload", "strategy", "allocator", "rounds", "worst stall",
                 "stalls", "worst own pause", "metered p99 (100 ms)",
                 "metered p99 / median service", "MMU at 10 ms (stalls)"]


def rounds_table(doc):
    """Rows of the stalls, pauses and latency of every ok record: each
    figure is the median over the probe's rounds with the lowest and the
    highest in brackets."""
    cat = results.Catalogue(doc)
    own_pause = reclaim_figure(cat)
    rows = []
    for r in sorted(results.plain_records(doc, ok=True), key=lambda r: (
            r["workload"], cat.order(r["strategy"]), cat.allocator_order(r["allocator"]))):
        rounds = probe_rounds(r)
        if not rounds:
            continue
        stall = across_rounds([worst_stall_ns(p) for p in rounds])
        count = across_rounds([len(p["stalls"]["events"]) for p in rounds
                               if p.get("stalls")])
        own = across_rounds([own_pause(p, r) for p in rounds])
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
        ("Records", f"{doc['summary']['records']}, {doc['summary']['failed']} failed"
                    + (f", {len(results.not_applicable_records(doc))} not applicable "
                       f"(listed in {collectors.NOT_APPLICABLE})"
                       if results.not_applicable_records(doc) else "")
                    + variants_note(doc)),
    ] + noise_floor_lines(c) + programs_lines(c)


def programs_lines(context):
    """What ran beside the C++ binary: each language port and other build,
    with its toolchain, or why it was skipped."""
    out = []
    for key, label, what in (("ports", "Language ports", "toolchain"),
                             ("builds", "Other C++ builds", "compiler")):
        entries = context.get(key) or []
        if entries:
            out.append((label, "; ".join(
                f"{e['name']}: {e.get(what) or 'unknown'}" if e["status"] == "ran"
                else f"{e['name']}: skipped ({e['reason']})" for e in entries)))
    return out


def variants_note(doc):
    """'; 30 of them variants ...' where the document holds variants, else ''."""
    n = sum(1 for r in doc["records"] if r.get("variant") and not results.is_build(r))
    builds = sum(1 for r in doc["records"] if results.is_build(r))
    note = (f"; {builds} of them other builds of a strategy (for the same-backend "
            f"comparison), shown only in {ownership.TITLE}") if builds else ""
    if not n:
        return note
    return (f"; {n} of them variants (a strategy under other settings: heap multiples, "
            f"sweeps), shown only in {SPACE_TIME}") + note


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


def claims_intro(doc):
    allocator = results.Catalogue(doc).baseline_allocator
    return ("Each claim the article makes, paraphrased, then the questions the further "
            "strategies let a reader check; the verdict is computed from this run's "
            f"{allocator} records by the stated rule (a question's yes or no by the same "
            "rule as a claim's supported or not).")


SPACE_TIME = "Space and time"


def space_time_blocks(doc, charts_dir=None):
    """The "Space and time" section's blocks (spacetime.section), with the
    overview curve figure where scripts/plot drew it; [] for a document
    without variants."""
    chart = ("curve" if charts_dir and os.path.exists(os.path.join(charts_dir, "curve.png"))
             else None)
    return spacetime.section(doc, claims, chart)


def blocks_markdown(blocks):
    out = []
    for block in blocks:
        kind = block[0]
        if kind != "li" and out and out[-1].startswith("- "):
            out.append("")
        if kind == "h3":
            out += [f"### {block[1]}", ""]
        elif kind == "p":
            out += [block[1], ""]
        elif kind == "li":
            out.append(f"- {block[1]}")
        elif kind == "img":
            out += [f"![{block[1]}](charts/{block[2]}.png)", ""]
        elif kind == "table":
            _, header, rows = block
            out += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
            out += ["| " + " | ".join(row) + " |" for row in rows]
            out.append("")
    return out


def chart_src(name):
    """A chart's address in report.html: charts/ beside it, as report.md
    links them (embedding them made a committed report several MiB)."""
    return f"charts/{name}.png"


def blocks_html(blocks):
    e = html.escape
    parts, in_list = [], False
    for block in blocks:
        kind = block[0]
        if kind != "li" and in_list:
            parts.append("</ul>")
            in_list = False
        if kind == "h3":
            parts.append(f"<h3>{e(block[1])}</h3>")
        elif kind == "p":
            parts.append(f"<p>{e(block[1])}</p>")
        elif kind == "li":
            if not in_list:
                parts.append("<ul>")
                in_list = True
            parts.append(f"<li>{e(block[1])}</li>")
        elif kind == "img":
            parts.append(f"<img alt='{e(block[1])}' src='{chart_src(block[2])}'>")
        elif kind == "table":
            _, header, rows = block
            parts.append("<table><tr>" + "".join(f"<th>{e(h)}</th>" for h in header)
                         + "</tr>")
            parts += ["<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>"
                      for row in rows]
            parts.append("</table>")
    if in_list:
        parts.append("</ul>")
    return parts


def markdown(doc, claim_list, tables, charts, space_time=None, extras=None):
    space_time = space_time_blocks(doc) if space_time is None else space_time
    extras = extra_sections(doc) if extras is None else extras
    out = ["# memstrat report", ""]
    if non_default_banner(doc):
        out += [f"> **Warning: non-default environment.** {non_default_banner(doc)}", ""]
    out += [f"- **{k}**: {v}" for k, v in context_lines(doc)]
    out += ["", "## Claims", "",
            claims_intro(doc), "",
            "| claim | measured | verdict | rule |", "|---|---|---|---|"]
    out += [f"| {c.claim} | {c.measured} | **{c.verdict}** | {c.rule} |"
            for c in claim_list]
    owned = ownership_blocks(doc)
    if owned:
        out += ["", f"## {ownership.TITLE}", ""] + blocks_markdown(owned)
        while out[-1] == "":
            out.pop()
    for title, blocks in extras:
        out += ["", f"## {title}", ""] + blocks_markdown(blocks)
        while out[-1] == "":
            out.pop()
    rows = rounds_table(doc)
    if rows:
        out += ["", "## Stalls, pauses and latency across rounds", "", ROUNDS_NOTE, "",
                "| " + " | ".join(ROUNDS_HEADER) + " |", "|" + "---|" * len(ROUNDS_HEADER)]
        out += ["| " + " | ".join(row) + " |" for row in rows]
    owners = owner_table(doc)
    if owners:
        out += ["", "## What owners cost", "", owner_note(doc), "",
                "| " + " | ".join(OWNER_HEADER) + " |", "|" + "---|" * len(OWNER_HEADER)]
        out += ["| " + " | ".join(row) + " |" for row in owners]
    if space_time:
        out += ["", f"## {SPACE_TIME}", ""] + blocks_markdown(space_time)
        while out[-1] == "":
            out.pop()
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


def html_doc(doc, claim_list, tables, charts, space_time=None, extras=None):
    space_time = space_time_blocks(doc) if space_time is None else space_time
    extras = extra_sections(doc) if extras is None else extras
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
    parts += [f"</ul><h2>Claims</h2><p>{e(claims_intro(doc))}</p>"
              "<table><tr><th>claim</th><th>measured</th><th>verdict</th><th>rule</th>"
              "</tr>"]
    parts += [f"<tr><td>{e(c.claim)}</td><td>{e(c.measured)}</td><td class='v'>"
              f"{e(c.verdict)}</td><td>{e(c.rule)}</td></tr>" for c in claim_list]
    parts.append("</table>")
    owned = ownership_blocks(doc)
    if owned:
        parts.append(f"<h2>{e(ownership.TITLE)}</h2>")
        parts += blocks_html(owned)
    for title, blocks in extras:
        parts.append(f"<h2>{e(title)}</h2>")
        parts += blocks_html(blocks)
    rows = rounds_table(doc)
    if rows:
        parts.append(f"<h2>Stalls, pauses and latency across rounds</h2><p>{e(ROUNDS_NOTE)}"
                     "</p><table><tr>" + "".join(f"<th>{e(h)}</th>" for h in ROUNDS_HEADER)
                     + "</tr>")
        parts += ["<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in rows]
        parts.append("</table>")
    owners = owner_table(doc)
    if owners:
        parts.append(f"<h2>What owners cost</h2><p>{e(owner_note(doc))}</p><table><tr>"
                     + "".join(f"<th>{e(h)}</th>" for h in OWNER_HEADER) + "</tr>")
        parts += ["<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>"
                  for row in owners]
        parts.append("</table>")
    if space_time:
        parts.append(f"<h2>{e(SPACE_TIME)}</h2>")
        parts += blocks_html(space_time)
    if charts:
        parts.append("<h2>Charts</h2>")
        for name, title in charts:
            parts.append(f"<h3>{e(title)}</h3><img alt='{e(title)}' "
                         f"src='{chart_src(name)}'>")
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
        space_time = space_time_blocks(doc, None if args.no_charts else charts_dir)
        extras = extra_sections(doc)
        md = os.path.join(out_dir, "report.md")
        page = os.path.join(out_dir, "report.html")
        write_atomically(md, markdown(doc, claim_list, tables, charts, space_time, extras))
        write_atomically(page, html_doc(doc, claim_list, tables, charts, space_time,
                                        extras))
    except (UsageError, results.ResultsError) as e:
        print(f"{prog}: error: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"{prog}: error: {e.filename}: {e.strerror}", file=sys.stderr)
        return 2
    print(md)
    print(page)
    return 0
