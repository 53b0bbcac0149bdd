"""Compares two results documents (two machines, two commits, two
allocators' runs...): per benchmark present in both, the change in median
time with a Mann-Whitney U test over the repetitions, and the change in worst
pause (of the strategy's reclaim kind, see metrics.py) and peak memory; and a parity check: the same benchmark must compute
the same checksum with the same allocation count in both, and every strategy
the same as the others within each document. See `scripts/compare --help`."""

import argparse
import json
import sys

from memstrat import results
from memstrat.cli import UsageError
from memstrat.metrics import median, peak_rss_bytes, repetition_times_ms, worst_pause_ns
from memstrat.stats import time_call

def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="scripts/compare",
        description="Compare two memstrat results documents, benchmark by benchmark.",
        epilog="Calls: 'changed' when the median time moved by at least --threshold "
               "and the Mann-Whitney U test over the repetitions gives p < --alpha; "
               "'noise' when it moved that much but the test does not support it; "
               "'unchanged' otherwise. Worst pause and peak memory come from one "
               "measurement run each, so they get no test, only their own thresholds. "
               "Exit codes: 0 compared (changes are reported, not fatal, unless "
               "--fail-on-change), 1 a time changed and --fail-on-change was given, "
               "2 bad input, 3 parity broken (different checksums or allocation counts "
               "for the same work).")
    p.add_argument("old", help="the baseline results.json")
    p.add_argument("new", help="the results.json to compare with it")
    p.add_argument("--alpha", type=float, default=0.05,
                   help="significance level of the U test (default %(default)s)")
    p.add_argument("--threshold", type=float, default=0.05,
                   help="smallest relative time change worth a call (default %(default)s)")
    p.add_argument("--pause-threshold", type=float, default=0.5,
                   help="relative change in worst pause reported as changed "
                        "(default %(default)s: pauses are noisy)")
    p.add_argument("--memory-threshold", type=float, default=0.1,
                   help="relative change in peak RSS reported as changed "
                        "(default %(default)s)")
    p.add_argument("--fail-on-change", action="store_true",
                   help="exit 1 when any time is 'changed'")
    p.add_argument("--json", action="store_true", help="print the comparison as JSON")
    p.add_argument("--allow-environment-mismatch", action="store_true",
                   help="compare documents made under different non-default settings "
                        "(context.non_default: GC_MARKERS=1, THP off, a cgroup limit...)")
    args = p.parse_args(argv)
    if not 0 < args.alpha < 1:
        raise UsageError(f"--alpha must be in (0, 1), got {args.alpha}")
    for flag in ("threshold", "pause_threshold", "memory_threshold"):
        if getattr(args, flag) < 0:
            raise UsageError(f"--{flag.replace('_', '-')} must be >= 0")
    return args


def environment_mismatch(old_doc, new_doc):
    """None, or in one line how the two runs' non-default settings differ: a
    run under MIMALLOC_DECOMMIT_DELAY=1000 measured another allocator setup,
    and its differences are not the code's."""
    old = sorted(old_doc["context"]["non_default"])
    new = sorted(new_doc["context"]["non_default"])
    if old == new:
        return None
    def say(items):
        return "; ".join(items) if items else "default"
    return (f"the documents were made under different settings (old: {say(old)}; new: "
            f"{say(new)}); give --allow-environment-mismatch to compare them anyway")


def relative(old, new):
    if old is None or new is None or old == 0:
        return None
    return (new - old) / old


def parity_problems(doc, label):
    """Records of one document whose strategies disagree on the same work."""
    problems = []
    by_work = {}
    for r in results.ok_records(doc):
        if not r.get("probe"):
            continue
        key = (r["workload"], json.dumps(r["params"], sort_keys=True), r["allocator"])
        by_work.setdefault(key, []).append(r)
    for (workload, params, allocator), recs in by_work.items():
        sums = {(r["probe"]["checksum"],
                 r["probe"]["counts"]["allocations_per_iteration"]) for r in recs}
        if len(sums) > 1:
            problems.append(f"{label}: {workload} {params} on {allocator}: strategies "
                            "disagree on checksum or allocation count")
    return problems


def compare(old_doc, new_doc, args):
    old = {(r["name"], r["allocator"]): r for r in results.ok_records(old_doc)}
    new = {(r["name"], r["allocator"]): r for r in results.ok_records(new_doc)}
    rows = []
    problems = parity_problems(old_doc, "old") + parity_problems(new_doc, "new")
    for key in [k for k in old if k in new]:
        a, b = old[key], new[key]
        row = {"name": key[0], "allocator": key[1]}
        ta, tb = repetition_times_ms(a), repetition_times_ms(b)
        if ta and tb:
            call, p = time_call(ta, tb, args.threshold, args.alpha)
            change = relative(median(ta), median(tb))
            row["time"] = {"old_ms": median(ta), "new_ms": median(tb), "change": change,
                           "p_value": p, "call": call}
        for field, getter, threshold in (("worst_pause", worst_pause_ns,
                                          args.pause_threshold),
                                         ("peak_rss", peak_rss_bytes,
                                          args.memory_threshold)):
            change = relative(getter(a), getter(b))
            if change is not None:
                row[field] = {"old": getter(a), "new": getter(b), "change": change,
                              "call": "changed" if abs(change) >= threshold
                              else "unchanged"}
        if a.get("probe") and b.get("probe"):
            same = (a["probe"]["checksum"] == b["probe"]["checksum"] and
                    a["probe"]["counts"]["allocations_per_iteration"] ==
                    b["probe"]["counts"]["allocations_per_iteration"])
            row["parity"] = "ok" if same else "broken"
            if not same:
                problems.append(f"{key[0]} on {key[1]}: checksum or allocation count "
                                "differs between the documents")
        rows.append(row)
    return rows, problems


def fmt_change(cell):
    return "" if cell is None else f"{cell['change'] * 100:+.1f}% {cell['call']}"


def print_table(rows, out):
    header = ["benchmark", "allocator", "time old ms", "time new ms", "time change",
              "p", "worst pause", "peak RSS", "parity"]
    lines = [header]
    for r in rows:
        t = r.get("time")
        lines.append([r["name"], r["allocator"],
                      f"{t['old_ms']:.3f}" if t else "", f"{t['new_ms']:.3f}" if t else "",
                      fmt_change(t), f"{t['p_value']:.3f}" if t else "",
                      fmt_change(r.get("worst_pause")), fmt_change(r.get("peak_rss")),
                      r.get("parity", "")])
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for line in lines:
        out.write("  ".join(c.ljust(w) for c, w in zip(line, widths)).rstrip() + "\n")


def main(argv=None):
    prog = "scripts/compare"
    try:
        args = parse_args(sys.argv[1:] if argv is None else argv)
        old_doc = results.load(args.old)
        new_doc = results.load(args.new)
        mismatch = environment_mismatch(old_doc, new_doc)
        if mismatch and not args.allow_environment_mismatch:
            raise UsageError(mismatch)
    except (UsageError, results.ResultsError) as e:
        print(f"{prog}: error: {e}", file=sys.stderr)
        return 2
    rows, problems = compare(old_doc, new_doc, args)
    if not rows:
        print(f"{prog}: error: the documents have no benchmark in common (same "
              "workloads, sizes and allocators are needed)", file=sys.stderr)
        return 2
    if args.json:
        json.dump({"rows": rows, "parity_problems": problems}, sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        print_table(rows, sys.stdout)
        counts = {}
        for r in rows:
            if "time" in r:
                counts[r["time"]["call"]] = counts.get(r["time"]["call"], 0) + 1
        print(f"\n{len(rows)} benchmarks compared: " +
              ", ".join(f"{n} {c}" for c, n in sorted(counts.items())) +
              f" (alpha {args.alpha}, threshold {args.threshold * 100:g}%)")
    for problem in problems:
        print(f"{prog}: error: parity: {problem}", file=sys.stderr)
    if problems:
        return 3
    if args.fail_on_change and any(r.get("time", {}).get("call") == "changed" for r in rows):
        return 1
    return 0
