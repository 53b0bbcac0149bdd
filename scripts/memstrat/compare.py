"""Compares two results documents (two machines, two commits, two
allocators' runs...): per benchmark present in both, the change in every
compared measure of the registry (measures.py: median time with a
Mann-Whitney U test over the repetitions, worst pause of the strategy's
reclaim kind, peak memory, ...), and a parity check: the same benchmark must
compute the same checksum with the same allocation count in both, every
strategy the same checksum (and objects, where recorded) as the others
within each document, allocation counts within one family (C++, Rust...),
and no record the run marked as a parity failure. See
`scripts/compare --help`."""

import argparse
import sys

from memstrat import measures, results
from memstrat.cli import UsageError
from memstrat.stats import time_call


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(message)


def parse_args(argv):
    p = _Parser(
        prog="scripts/compare",
        description="Compare two memstrat results documents, benchmark by benchmark.",
        epilog="Calls: a measure with repetitions (time) is 'changed' when its median "
               "moved by at least its threshold and the Mann-Whitney U test over the "
               "repetitions gives p < --alpha, 'noise' when it moved that much but the "
               "test does not support it, 'unchanged' otherwise. The others (worst "
               "pause, peak memory) come from the probe, so they get no test, only "
               "their own thresholds. Exit codes: 0 compared (changes are reported, "
               "not fatal, unless --fail-on-change), 1 a time changed and "
               "--fail-on-change was given, 2 bad input, 3 parity broken (different "
               "checksums, objects, or allocation counts within a family for the same "
               "work, or a record the run marked as a parity failure).")
    p.add_argument("old", help="the baseline results.json")
    p.add_argument("new", help="the results.json to compare with it")
    p.add_argument("--alpha", type=float, default=0.05,
                   help="significance level of the U test (default %(default)s)")
    for m in measures.compared():
        p.add_argument(m.flag, *m.flag_aliases, dest=f"threshold_{m.key}", type=float,
                       default=m.threshold, metavar="FRACTION",
                       help=f"smallest relative change in {m.label} reported as changed "
                            f"(default {m.threshold:g})")
    p.add_argument("--strategies", help="compare only these strategies (comma-separated)")
    p.add_argument("--allocators", help="compare only these allocators (comma-separated)")
    p.add_argument("--fail-on-change", action="store_true",
                   help="exit 1 when any time is 'changed'")
    p.add_argument("--json", action="store_true", help="print the comparison as JSON")
    p.add_argument("--allow-environment-mismatch", action="store_true",
                   help="compare documents made under different non-default settings "
                        "(context.non_default: GC_MARKERS=1, THP off, a cgroup limit...)")
    args = p.parse_args(argv)
    if not 0 < args.alpha < 1:
        raise UsageError(f"--alpha must be in (0, 1), got {args.alpha}")
    for m in measures.compared():
        if threshold(args, m) < 0:
            raise UsageError(f"{m.flag} must be >= 0")
    return args


def threshold(args, measure):
    return getattr(args, f"threshold_{measure.key}", measure.threshold)


def chosen(text, valid, flag, noun):
    """The names of a comma-separated filter, or None for no filter; an
    unknown name is refused in one line naming the valid ones."""
    if text is None:
        return None
    names = [t.strip() for t in text.split(",") if t.strip()]
    if not names:
        raise UsageError(f"--{flag} is empty")
    for n in names:
        if n not in valid:
            raise UsageError(f"unknown {noun} '{n}'; choose from {', '.join(valid)}")
    return set(names)


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
    """Records of one document that disagree on the same work: a record the
    run marked as a parity failure (a port's checksum or objects unlike the
    C++'s), and among the others of the same work and allocator a checksum
    that differs, allocation counts that differ within one family (a
    port's containers allocate differently from C++'s, so families are not
    held to each other's), or objects per iteration that differ where
    present (those are the same across languages)."""
    problems = []
    for r in doc["records"]:
        failure = r.get("failure") or {}
        if r["status"] == "failed" and failure.get("phase") == "parity":
            problems.append(f"{label}: {r['name']} on {r['allocator']}: "
                            f"{failure.get('reason')}")
    catalogue = results.Catalogue(doc)
    by_work = {}
    for r in results.ok_records(doc):
        if not r.get("probe"):
            continue
        by_work.setdefault(results.work_key(r) + (r["allocator"],), []).append(r)
    for (workload, params, allocator), recs in by_work.items():
        counts = [r["probe"]["counts"] for r in recs]
        families = {}
        for r in recs:
            family = catalogue.declaration(r["strategy"]).get("family", "C++")
            # A language without a per-allocation count (Java, JavaScript) has none:
            # its records agree on None.
            families.setdefault(family, set()).add(
                r["probe"]["counts"].get("allocations_per_iteration"))
        objects = {c["objects_per_iteration"] for c in counts
                   if "objects_per_iteration" in c}
        if (len({r["probe"]["checksum"] for r in recs}) > 1 or len(objects) > 1 or
                any(len(v) > 1 for v in families.values())):
            shown = "{" + ", ".join(f'"{k}": {v}' for k, v in params) + "}"
            problems.append(f"{label}: {workload} {shown} on {allocator}: strategies "
                            "disagree on checksum, objects or (within a family) "
                            "allocation count")
    return problems


def compare_measure(m, a, b, old_cat, new_cat, args):
    """The cell of one measure for one benchmark, or None where a document
    lacks it."""
    if m.samples is not None:
        sa, sb = m.samples(a), m.samples(b)
        if not sa or not sb:
            return None
        old, new = m.value(a, old_cat), m.value(b, new_cat)
        call, p = time_call(sa, sb, threshold(args, m), args.alpha)
        return {"old": old, "new": new, "unit": m.unit, "change": relative(old, new),
                "p_value": p, "call": call}
    old, new = m.value(a, old_cat), m.value(b, new_cat)
    change = relative(old, new)
    if change is None:
        return None
    return {"old": old, "new": new, "unit": m.unit, "change": change,
            "call": "changed" if abs(change) >= threshold(args, m) else "unchanged"}


def compare(old_doc, new_doc, args):
    old_cat, new_cat = results.Catalogue(old_doc), results.Catalogue(new_doc)
    both = results.Catalogue([old_doc, new_doc])
    strategies = chosen(getattr(args, "strategies", None), both.strategies, "strategies",
                        "strategy")
    allocators = chosen(getattr(args, "allocators", None), both.allocators, "allocators",
                        "allocator")

    def keep(r):
        return ((strategies is None or r["strategy"] in strategies) and
                (allocators is None or r["allocator"] in allocators))
    old = {results.config_key(r): r for r in results.ok_records(old_doc) if keep(r)}
    new = {results.config_key(r): r for r in results.ok_records(new_doc) if keep(r)}
    rows = []
    problems = parity_problems(old_doc, "old") + parity_problems(new_doc, "new")
    for key in [k for k in old if k in new]:
        a, b = old[key], new[key]
        row = {"name": a["name"], "allocator": a["allocator"]}
        if a.get("variant"):
            row["variant"] = a["variant"]["name"]
        for m in measures.compared():
            cell = compare_measure(m, a, b, old_cat, new_cat, args)
            if cell is not None:
                row[m.key] = cell
        if a.get("probe") and b.get("probe"):
            same = (a["probe"]["checksum"] == b["probe"]["checksum"] and
                    a["probe"]["counts"].get("allocations_per_iteration") ==
                    b["probe"]["counts"].get("allocations_per_iteration"))
            row["parity"] = "ok" if same else "broken"
            if not same:
                problems.append(f"{benchmark(row)} on {a['allocator']}: checksum or "
                                "allocation count differs between the documents")
        rows.append(row)
    return rows, problems


def not_applicable(old_doc, new_doc):
    """The benchmarks (with variant and allocator) either document records as
    not applicable (its program refused the cell by design: a JVM refusing
    its collector or heap size, a workload a port's language cannot express): not compared, and no failure."""
    out = {}
    for label, doc in (("old", old_doc), ("new", new_doc)):
        for r in results.not_applicable_records(doc):
            row = {"name": r["name"], "allocator": r["allocator"]}
            if r.get("variant"):
                row["variant"] = r["variant"]["name"]
            key = (benchmark(row), r["allocator"])
            out.setdefault(key, {"benchmark": key[0], "allocator": key[1], "in": [],
                                 "reason": (r.get("failure") or {}).get("reason", "")})
            out[key]["in"].append(label)
    return list(out.values())


def benchmark(row):
    """The row's benchmark, with its variant: 'binary_trees/gc/depth:18 [heap_2x]'."""
    variant = row.get("variant")
    suffix = f" [{variant}]" if variant else ""
    return row["name"] if row["name"].endswith(suffix) else row["name"] + suffix


def fmt_change(cell):
    return "" if cell is None else f"{cell['change'] * 100:+.1f}% {cell['call']}"


def table(rows):
    """The comparison as lines of cells, the header first: per measure with
    repetitions its old and new values, change and p; per other measure its
    change."""
    header = ["benchmark", "allocator"]
    for m in measures.compared():
        header += ([f"{m.label} old", f"{m.label} new", f"{m.label} change", "p"]
                   if m.samples is not None else [m.label])
    header.append("parity")
    lines = [header]
    for r in rows:
        line = [benchmark(r), r["allocator"]]
        for m in measures.compared():
            cell = r.get(m.key)
            if m.samples is not None:
                line += [m.text(cell["old"]), m.text(cell["new"]), fmt_change(cell),
                         f"{cell['p_value']:.3f}"] if cell else ["", "", "", ""]
            else:
                line.append(fmt_change(cell))
        line.append(r.get("parity", ""))
        lines.append(line)
    return lines


def print_table(rows, out):
    lines = table(rows)
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
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
        rows, problems = compare(old_doc, new_doc, args)
        skipped = not_applicable(old_doc, new_doc)
    except (UsageError, results.ResultsError) as e:
        print(f"{prog}: error: {e}", file=sys.stderr)
        return 2
    if not rows and not problems:
        print(f"{prog}: error: the documents have no benchmark in common (same "
              "workloads, sizes, strategies and allocators are needed)", file=sys.stderr)
        return 2
    sampled = [m for m in measures.compared() if m.samples is not None]
    if args.json:
        import json
        json.dump({"rows": rows, "parity_problems": problems, "not_applicable": skipped},
                  sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        print_table(rows, sys.stdout)
        counts = {}
        for r in rows:
            for m in sampled[:1]:
                if m.key in r:
                    counts[r[m.key]["call"]] = counts.get(r[m.key]["call"], 0) + 1
        thresholds = ", ".join(f"{m.label} {threshold(args, m) * 100:g}%"
                               for m in measures.compared())
        print(f"\n{len(rows)} benchmarks compared: " +
              ", ".join(f"{n} {c}" for c, n in sorted(counts.items())) +
              f" (alpha {args.alpha}; thresholds: {thresholds})")
        if skipped:
            shown = "; ".join(f"{c['benchmark']} on {c['allocator']} ({'/'.join(c['in'])}: "
                              f"{c['reason']})" for c in skipped[:6])
            print(f"{len(skipped)} not applicable, not compared and not failures: {shown}"
                  + (f"; and {len(skipped) - 6} more" if len(skipped) > 6 else ""))
    for problem in problems:
        print(f"{prog}: error: parity: {problem}", file=sys.stderr)
    if problems:
        return 3
    if args.fail_on_change and any(r.get(m.key, {}).get("call") == "changed"
                                   for r in rows for m in sampled):
        return 1
    return 0
