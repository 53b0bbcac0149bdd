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
from memstrat.metrics import (geomean, median_time_ms, peak_rss_bytes,
                              repetition_times_ms, cv, worst_pause_ns)
from memstrat.stats import smallest_p, time_call

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

CHARTS = [("summary", "Summary: each strategy relative to manual (glibc)"),
          ("time", "Run time"), ("pauses", "Pause percentiles"),
          ("pause_cdf", "Pause durations"), ("latency", "Request latency"),
          ("memory", "Peak memory")]


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


def time_claim(table, claim, strategy, base, expect):
    """expect "slower": strategy is slower than base; "equal": the same time."""
    rs = ratios(table, median_time_ms, strategy, base)
    if not rs:
        return Claim(claim, f"no {strategy} and {base} records on glibc", "not measured", "")
    g = geomean(list(rs.values()))
    distinct, untestable = distinct_times(table, strategy, base)
    slower, faster = split(rs, TIME_TIE, distinct)
    n = len(rs)
    measured = (f"{strategy}/{base} median time, geometric mean {g:.2f}x over {n} "
                f"workloads: {fmt_ratios(rs)}")
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
                f"supported if it is slower on none; {differs}")
        if g > 1 + TIME_TIE and len(slower) >= MAJORITY * n:
            verdict = "supported"
        elif not slower:
            verdict = "not supported"
        else:
            verdict = (f"depends: slower on {', '.join(slower)}; "
                       f"not slower on {', '.join(sorted(set(rs) - set(slower)))}")
    else:
        rule = (f"supported if no workload differs; depends if the geometric mean "
                f"is within {TIME_TIE:.0%} but some workloads differ; not supported "
                f"otherwise; {differs}")
        if not slower and not faster:
            verdict = "supported"
        elif abs(g - 1) <= TIME_TIE:
            verdict = (f"depends: equal on the whole, but {strategy} is slower on "
                       f"{', '.join(slower) or 'none'} and faster on "
                       f"{', '.join(faster) or 'none'}")
        else:
            verdict = "not supported"
    return Claim(claim, measured, verdict, rule)


def pause_claim(table):
    claim = "A garbage collector makes the program wait while it collects."
    rows = []
    gc_worse, noticeable = [], []
    for (workload, _), recs in sorted(table.items()):
        if "gc" not in recs:
            continue
        gc = worst_pause_ns(recs["gc"])
        if gc is None:
            continue
        explicit = [worst_pause_ns(recs[s]) for s in ("manual", "raii") if s in recs]
        explicit = max([e for e in explicit if e is not None], default=None)
        rows.append(f"{workload} {fmt_ns(gc)}"
                    + (f" vs {fmt_ns(explicit)}" if explicit is not None else ""))
        if gc >= NOTICEABLE_PAUSE_MS * 1e6:
            noticeable.append(workload)
        if explicit is not None and gc > explicit:
            gc_worse.append(workload)
    if not rows:
        return Claim(claim, "no gc record with collections", "not measured", "")
    n = len(rows)
    measured = ("worst gc stop-the-world pause vs the worst manual/raii release "
                f"(delete or destructor cascade): {'; '.join(rows)}")
    rule = (f"supported if on at least {MAJORITY:.0%} of workloads gc's worst pause is "
            f"at least {NOTICEABLE_PAUSE_MS:g} ms and longer than the explicit "
            "strategies' worst release; depends if only on some")
    both = sorted(set(gc_worse) & set(noticeable))
    if len(both) >= MAJORITY * n:
        verdict = "supported"
    elif both:
        verdict = (f"depends: on {', '.join(both)}; elsewhere a release cascade was as "
                   "long or the collections short")
    else:
        verdict = "not supported"
    return Claim(claim, measured, verdict, rule)


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
