"""The report's sections on collectors of other runtimes: "Garbage collection
on its real subject" (the article's claims about garbage collection judged
again with each port collector, a JVM's, V8's or Go's, in the C++ collector's place, at
its default heap and at each heap multiple, against the explicit strategies
and their port stand-ins; where each collector first comes within 10% of
explicit management) and "Runtimes" (a warming-up runtime's first iteration
against its steady state, CPU beside wall time, what each declared variant
such as one core changes, PSS beside RSS, every pause kind) and the list of
cells a program could not run (not applicable).

Nothing here names a strategy: a port strategy declares its C++
`counterpart`; one whose counterpart collects is a collector re-judging the
counterpart's claims (the Java port's six, js-v8, go: counterpart gc), one whose
counterpart does not is an explicit strategy's stand-in (rust-box: raii).
The heap multiples and the curves come from spacetime.py; the figures from
measures.py's registry and metrics.py. Only records on the baseline
allocator, plain ones unless a column says otherwise."""

from memstrat import measures, results, spacetime
from memstrat.measures import format_ms, format_ns
from memstrat.metrics import (NON_RECLAIM_PAUSE_KINDS, across_rounds, geomean, is_runtime,
                              median, median_cpu_time_ms, median_time_ms, probe_rounds,
                              steady_state, timing_counter_median, warmup, worst_stall_ns)

TITLE = "Garbage collection on its real subject"
RUNTIMES = "Runtimes: warm-up, CPU, memory and pauses"
NOT_APPLICABLE = "Not applicable"
# The claims' kinds whose subject is a collector's time or its waits.
COLLECTOR_KINDS = ("time", "pause", "latency")
STEADY_WORDS = {"steady": "steady", "no_steady_state": "no steady state",
                "mixed": "mixed"}


def _ran(doc):
    return {r["strategy"] for r in results.ok_records(doc)}


def collector_pairs(doc):
    """[(port strategy, its counterpart)] where both ran and the counterpart
    collects (the Java collectors and Boehm's gc), in declared order."""
    cat = results.Catalogue(doc)
    ran = _ran(doc)
    return [(s, cat.declaration(s)["counterpart"]) for s in cat.strategies
            if cat.declaration(s).get("counterpart") in ran and s in ran
            and cat.declaration(cat.declaration(s)["counterpart"]).get("collects")]


def stand_ins(doc):
    """{C++ strategy: [port strategies that stand for it]} for counterparts
    that do not collect (raii: rust-box), among those that ran."""
    cat = results.Catalogue(doc)
    ran = _ran(doc)
    out = {}
    for s in cat.strategies:
        c = cat.declaration(s).get("counterpart")
        if c and s in ran and c in ran and not cat.declaration(c).get("collects"):
            out.setdefault(c, []).append(s)
    return out


def _verdict_word(claim):
    return claim.verdict.split(":")[0].split(";")[0]


def _cell(claim):
    return claim.verdict + (f" ({claim.figure})" if claim.figure else "")


def claim_rows(claims_table, stand_in, others):
    """[(label, kind, what)] of the claims about stand_in that concern a
    collector's time or waits, with the explicit strategies widened by
    their port stand-ins (others: {C++ strategy: [ports]}), and for a time
    claim against an explicit strategy, one more row against each of its
    port stand-ins."""
    out = []
    for kind, text, what in claims_table:
        if kind not in COLLECTOR_KINDS or stand_in not in (what.get("strategy"),
                                                            what.get("collected")):
            continue
        what = dict(what)
        if "explicit" in what:
            what["explicit"] = tuple(what["explicit"]) + tuple(
                p for e in what["explicit"] for p in others.get(e, []))
        out.append((text, kind, what))
        for port in others.get(what.get("base"), []):
            out.append((f"{text} (against {port})", kind, dict(what, base=port)))
    return out


def _substitute(what, stand_in, subject):
    return {k: (subject if v == stand_in else v) for k, v in what.items()}


def settings(doc, subjects):
    """[(column title, m or None)]: the defaults, then every heap multiple
    of the subjects' curves."""
    curve_list = [c for c in spacetime.curves(doc) if c.strategy in subjects]
    return [("defaults", None)] + [(f"heap {spacetime.fmt_multiple(m)}", m)
                                   for m in spacetime.multiples(curve_list)]


def judged(doc, evaluate, claims_table):
    """(columns, [(claim label, {subject: [Claim per column]})], stand_in,
    subjects): every collector claim for the stand-in and each port
    collector, at its defaults and at each heap multiple."""
    pairs = collector_pairs(doc)
    if not pairs:
        return None
    stand_in = pairs[0][1]
    subjects = [stand_in] + [p for p, c in pairs if c == stand_in]
    columns = settings(doc, subjects)
    docs = {(s, m): doc if m is None else spacetime.at_multiple(doc, s, m)
            for s in subjects for _, m in columns}
    out = []
    for text, kind, what in claim_rows(claims_table, stand_in, stand_ins(doc)):
        per = {}
        for s in subjects:
            w = _substitute(what, stand_in, s)
            per[s] = [evaluate(docs[(s, m)], kind, text, w) for _, m in columns]
        if any(c.verdict != "not measured" for cs in per.values() for c in cs):
            out.append((text, per))
    return columns, out, stand_in, subjects


def disagreements(columns, rows, stand_in, subjects):
    """One sentence per claim and port collector whose verdict differs from
    the stand-in's at some setting, with both figures at each."""
    out = []
    for text, per in rows:
        for s in subjects[1:]:
            differ = []
            for (title, _), a, b in zip(columns, per[stand_in], per[s]):
                if "not measured" in (a.verdict, b.verdict):
                    continue
                if _verdict_word(a) != _verdict_word(b):
                    differ.append(f"at {title} {stand_in} {_cell(a)}, {s} {_cell(b)}")
            if differ:
                out.append(f"{stand_in} and {s} disagree on \"{text}\": "
                           + "; ".join(differ) + ".")
    return out


def _within_cell(curve):
    if curve is None:
        return ""
    hit, best = spacetime.within(curve)
    if curve.baseline is None:
        return "no baseline"
    if hit:
        return (f"{hit.label}: {hit.footprint_ratio:.2f}x the footprint "
                f"({hit.time_ratio:.2f}x the time)")
    if best:
        return (f"never (best {best.label}: {best.time_ratio:.2f}x the time at "
                f"{best.footprint_ratio:.2f}x the footprint)")
    reasons = {p.reason for p in curve.points if not p.ok}
    return "no record completed" + (f" ({'; '.join(sorted(reasons))})" if reasons else "")


def within_table(doc, subjects):
    """(header, rows): per workload, for each collector the point of least
    footprint within 10% of the baseline's time."""
    curve_list = [c for c in spacetime.curves(doc) if c.strategy in subjects]
    by_work = {}
    for c in curve_list:
        by_work.setdefault(c.title, {})[c.strategy] = c
    header = ["workload"] + subjects
    rows = [[title] + [_within_cell(cs.get(s)) for s in subjects]
            for title, cs in by_work.items()]
    return header, rows


def _workloads(n):
    return f"{n} workload" + ("" if n == 1 else "s")


def within_sentences(doc, subjects):
    """Per collector: the smallest heap multiple whose geometric mean time
    over the workloads placed there is within 10% of the baseline's, with
    its geometric mean footprint; or that none is."""
    curve_list = [c for c in spacetime.curves(doc) if c.strategy in subjects]
    out = []
    for s in subjects:
        mine = [c for c in curve_list if c.strategy == s]
        rows = []
        plain = [c.plain for c in mine if c.plain and c.plain.placed]
        if plain:
            rows.append(("its default heap", plain))
        for m in spacetime.multiples(mine):
            pts = [p for c in mine for p in c.heap() if p.value == m and p.placed]
            if pts:
                rows.append((f"heap {spacetime.fmt_multiple(m)}", pts))
        if not rows:
            continue
        figures = [(label, geomean([p.time_ratio for p in pts]),
                    geomean([p.footprint_ratio for p in pts]), len(pts))
                   for label, pts in rows]
        hits = [f for f in figures if f[1] <= 1 + spacetime.TOLERANCE]
        if hits:
            label, t, f, n = min(hits, key=lambda f: f[2])
            out.append(f"{s} comes within {spacetime.TOLERANCE:.0%} of the baseline's time "
                       f"at {label}: geometric mean over {_workloads(n)} {t:.2f}x the time at "
                       f"{f:.2f}x the footprint.")
        else:
            label, t, f, n = min(figures, key=lambda f: f[1])
            out.append(f"{s} never comes within {spacetime.TOLERANCE:.0%} of the "
                       f"baseline's time in the sweep (geometric means; best {label}: "
                       f"{t:.2f}x the time at {f:.2f}x the footprint over {_workloads(n)}).")
    return out


def section(doc, claims_table, evaluate):
    """The "Garbage collection on its real subject" blocks (see
    spacetime.section), [] without a port collector."""
    got = judged(doc, evaluate, claims_table)
    if not got:
        return []
    columns, rows, stand_in, subjects = got
    cat = results.Catalogue(doc)
    base = cat.baseline_label()
    blocks = [("p", f"The article's claims about garbage collection, judged first on "
                    f"{stand_in} (the C++ stand-in) and then with each port collector in "
                    f"its place ({', '.join(subjects[1:])}), by the rules of the Claims "
                    "table: at each collector's default heap (what a user gets) and with "
                    "the collector as run at each multiple of its heap unit in place of "
                    "its defaults (a workload whose record at a multiple failed or was "
                    "not applicable drops out of that column). Claims against an explicit "
                    "strategy are judged against its port stand-ins too, and the pause "
                    "and latency claims take the explicit strategies' ports among the "
                    "explicit ones. In brackets the claim's figure: the geometric mean "
                    "of the time ratio, or the range of the worst stall or metered p99. "
                    f"Only records on {cat.baseline_allocator}.")]
    for text, per in rows:
        blocks += [("h3", text),
                   ("table", ["collector"] + [t for t, _ in columns],
                    [[s] + [_cell(c) for c in per[s]] for s in subjects])]
    sentences = disagreements(columns, rows, stand_in, subjects)
    if sentences:
        blocks += [("h3", f"Where {stand_in} and the port collectors disagree")]
        blocks += [("li", s) for s in sentences]
    header, table = within_table(doc, subjects)
    if table:
        blocks += [("h3", f"Where each collector comes within {spacetime.TOLERANCE:.0%} "
                          f"of explicit management ({base})"),
                   ("p", "Per workload, the record of least footprint (peak RSS ÷ the "
                         "baseline's) whose median time is within "
                         f"{spacetime.TOLERANCE:.0%} of the baseline's, among the "
                         "collector's default heap, its heap multiples and its declared "
                         "variants; else the record of least time. Then, per collector, "
                         "the same over the geometric means of the workloads at each "
                         "setting."),
                   ("table", header, table)]
        blocks += [("li", s) for s in within_sentences(doc, subjects)]
    unsteady = [r for r in results.ok_records(doc) if r["strategy"] in subjects
                and steady_state(r) in ("no_steady_state", "mixed")]
    if unsteady:
        blocks.append(("p", "Without a steady state (the warm-up cap ended the warm-up "
                            "before the steady rule held, in every process or some): "
                            + ", ".join(sorted(f"{r['name']}"
                                               + (f" [{r['variant']['label']}]"
                                                  if r.get("variant") else "")
                                               + f" ({STEADY_WORDS[steady_state(r)]})"
                                               for r in unsteady))
                            + ". Their times are medians of runs that were still "
                              "changing: the verdicts above count them, read them "
                              "with that in mind."))
    return blocks


# Runtimes ---------------------------------------------------------------

def _runtime_strategies(doc):
    """The strategies with records of a runtime that warms up or reports
    its own collector, in declared order."""
    cat = results.Catalogue(doc)
    found = {r["strategy"] for r in results.ok_records(doc) if is_runtime(r)}
    return [s for s in cat.strategies if s in found]


def _plain(doc, strategies):
    cat = results.Catalogue(doc)
    return sorted([r for r in results.plain_records(doc, ok=True)
                   if r["strategy"] in strategies
                   and r["allocator"] == cat.baseline_allocator], key=cat.record_order)


def _title(record):
    params = ", ".join(f"{k} {v}" for k, v in results.params_key(record))
    return f"{record['workload']} ({params})" if params else record["workload"]


def _text(key, record, cat):
    m = measures.get(key)
    return m.text(m.value(record, cat))


WARMUP_HEADER = ["workload", "strategy", "steady-state time", "first iteration",
                 "first ÷ steady", "warm-up iterations", "warm-up time",
                 "processes steady", "warm-up"]
CPU_HEADER = ["workload", "strategy", "wall/run", "process CPU/run", "CPU ÷ wall",
              "collector CPU/run", "JIT CPU/run", "max heap"]
VARIANT_HEADER = ["workload", "strategy", "variant", "time", "time ÷ plain",
                  "CPU ÷ wall", "plain's CPU ÷ wall", "process CPU ÷ plain's"]
MEMORY_HEADER = ["workload", "strategy", "peak RSS", "final RSS", "final PSS", "RSS ÷ PSS",
                 "RSS before the runs", "PSS before the runs"]
PAUSE_HEADER = ["workload", "strategy", "kind", "pauses/run", "p99", "worst",
                "worst stall (program)"]


def warmup_rows(doc, strategies):
    cat = results.Catalogue(doc)
    rows = []
    for r in _plain(doc, strategies):
        w = warmup(r)
        if w is None:
            continue
        state = steady_state(r)
        procs = (f"{w['steady']} of {w['processes']}" if w["processes"] else "")
        rows.append([_title(r), r["strategy"], format_ms(median_time_ms(r)),
                     _text("first_iteration", r, cat), _text("first_vs_steady", r, cat),
                     _text("warmup_iterations", r, cat), _text("warmup_time", r, cat),
                     procs, STEADY_WORDS.get(state, "")])
    return rows


def _cpu_ms(record):
    cpu = median_cpu_time_ms(record)
    if cpu is None:
        ns = timing_counter_median(record, "process_cpu_ns")
        cpu = ns / 1e6 if ns is not None else None
    return cpu


def cpu_rows(doc, strategies):
    cat = results.Catalogue(doc)
    rows = []
    for r in _plain(doc, strategies + [cat.baseline_strategy]):
        cpu = _cpu_ms(r)
        rows.append([_title(r), r["strategy"], format_ms(median_time_ms(r)),
                     format_ms(cpu) if cpu is not None else "", _text("cpu_share", r, cat),
                     _text("gc_cpu", r, cat), _text("jit_cpu", r, cat),
                     _text("heap_max", r, cat)])
    return rows


def variant_rows(doc):
    """Each declared variant (not a heap multiple, a sweep or a build)
    against its strategy's plain record of the same work: one core against
    two, one marker thread against several."""
    cat = results.Catalogue(doc)
    plain = {(results.work_key(r), r["strategy"]): r
             for r in results.plain_records(doc, ok=True)
             if r["allocator"] == cat.baseline_allocator}
    rows = []
    for r in sorted(results.ok_records(doc), key=cat.record_order):
        v = r.get("variant")
        declared = {d["name"] for d in cat.declaration(r["strategy"]).get("variants", [])}
        if not v or v["name"] not in declared or r["allocator"] != cat.baseline_allocator:
            continue
        p = plain.get((results.work_key(r), r["strategy"]))
        t, pt = median_time_ms(r), p and median_time_ms(p)
        cpu, pcpu = _cpu_ms(r), p and _cpu_ms(p)
        rows.append([_title(r), r["strategy"], v["label"], format_ms(t) if t else "",
                     f"{t / pt:.2f}x" if t and pt else "", _text("cpu_share", r, cat),
                     _text("cpu_share", p, cat) if p else "",
                     f"{cpu / pcpu:.2f}x" if cpu and pcpu else ""])
    return rows


def memory_rows(doc, strategies):
    cat = results.Catalogue(doc)
    rows = []
    for r in _plain(doc, strategies + [cat.baseline_strategy]):
        if not r.get("probe"):
            continue
        rows.append([_title(r), r["strategy"], _text("peak_rss", r, cat),
                     _text("final_rss", r, cat), _text("final_pss", r, cat),
                     _text("rss_over_pss", r, cat), _text("start_rss", r, cat),
                     _text("start_pss", r, cat)])
    return rows


def pause_rows(doc, strategies):
    """Every pause kind a runtime's probes list with pauses in them, median
    over the rounds of pauses per run and of the worst; the program's worst
    stall beside the first."""
    rows = []
    for r in _plain(doc, strategies):
        rounds = probe_rounds(r)
        kinds = list(dict.fromkeys(k for p in rounds for k in p["pauses"]["kinds"]))
        stall = across_rounds([worst_stall_ns(p) for p in rounds])
        first = True
        for k in kinds:
            counts = [p["pauses"]["kinds"][k]["count"] / p["iterations"] for p in rounds
                      if k in p["pauses"]["kinds"] and p.get("iterations")]
            if not counts or not any(counts):
                continue
            seen = [p["pauses"]["kinds"][k] for p in rounds
                    if p["pauses"]["kinds"].get(k, {}).get("count")]
            label = k + (" (not the collector's)" if k in NON_RECLAIM_PAUSE_KINDS else "")
            rows.append([_title(r), r["strategy"], label, f"{median(counts):.3g}",
                         format_ns(median([s["p99_ns"] for s in seen])),
                         format_ns(median([s["max_ns"] for s in seen])),
                         format_ns(stall[0]) if first and stall else ""])
            first = False
    return rows


def runtime_section(doc):
    """The "Runtimes" blocks, [] without a runtime's record."""
    strategies = _runtime_strategies(doc)
    if not strategies:
        return []
    cat = results.Catalogue(doc)
    base = cat.baseline_strategy
    blocks = [("p", f"The strategies of a runtime that compiles while it runs or runs "
                    f"threads of its own beside the program ({', '.join(strategies)}); "
                    f"{base} beside them where a figure is comparable. Plain records on "
                    f"{cat.baseline_allocator}.")]
    rows = warmup_rows(doc, strategies)
    if rows:
        blocks += [("h3", "Warm-up: the first iteration and the steady state"),
                   ("p", "Each process warms up until its port's steady rule holds (or its "
                         "cap ends the warm-up first), then runs its repetitions. "
                         "steady-state time: the median repetition; first iteration, "
                         "warm-up iterations and time: medians over the processes; "
                         "processes steady: how many reached the rule; warm-up: steady "
                         "(all did), no steady state (none did: the times are of runs "
                         "still changing, classified rather than averaged into a steady "
                         "figure), mixed."),
                   ("table", WARMUP_HEADER, rows)]
    blocks += [("h3", "CPU beside wall time"),
               ("p", "Per run: process CPU (every thread) against wall time; above 1x, "
                     "threads beside the program (concurrent collector threads, the JIT "
                     "compiler) ran on the other core, which the C++ strategies leave "
                     "idle. Collector CPU and JIT CPU: their threads' CPU per run. Max "
                     "heap: what the runtime may grow to at its defaults."),
               ("table", CPU_HEADER, cpu_rows(doc, strategies))]
    rows = variant_rows(doc)
    if rows:
        blocks += [("h3", "What a declared variant changes (one core: what the second "
                          "core bought)"),
                   ("p", "Each declared variant against its strategy's plain record of "
                         "the same work: a variant pinned to one core shows what the "
                         "second core bought (its time ÷ the plain's above 1x) and how "
                         "much of the plain record's CPU ran beside the program."),
                   ("table", VARIANT_HEADER, rows)]
    blocks += [("h3", "Memory: PSS beside RSS, and the resting footprint"),
               ("p", "RSS counts a page once for every mapping of it; PSS once, shared "
                     "pages split among their sharers. A collector that maps its heap "
                     "several times (ZGC on JDK 17: three views of one heap) can show "
                     "RSS above PSS, by the pages it has touched through more than one "
                     "view. Before the runs: the process as it came up, before the "
                     "workload (the runtime's own footprint, separate from the "
                     "workload's)."),
               ("table", MEMORY_HEADER, memory_rows(doc, strategies))]
    rows = pause_rows(doc, strategies)
    if rows:
        blocks += [("h3", "Pause kinds"),
                   ("p", "Every kind the runtime's log names, median over the probe's "
                         "rounds: stop-the-world operations of the collector, allocation "
                         "stalls, pacing and mark assists (a thread stopped or made to "
                         "help the collector outside any stop-the-world phase) and "
                         "the safepoints that are not the collector's. The pause verdicts "
                         "rest on the program's worst stall, beside the first row."),
                   ("table", PAUSE_HEADER, rows)]
    return blocks


def not_applicable_blocks(doc):
    """The cells whose program refused them by design, with its reason."""
    recs = results.not_applicable_records(doc)
    if not recs:
        return []
    cat = results.Catalogue(doc)
    rows = [[r["name"], r["allocator"], (r.get("variant") or {}).get("label", ""),
             (r.get("failure") or {}).get("phase", ""),
             (r.get("failure") or {}).get("reason", "")]
            for r in sorted(recs, key=cat.record_order)]
    return [("p", f"{len(recs)} cell{'' if len(recs) == 1 else 's'} their program could "
                  "not run by design (it exited 4: "
                  "a runtime refusing its collector or a heap size, or a workload its "
                  "language cannot express faithfully), with its own reason. "
                  "Not failures: they are in no verdict, table or chart."),
            ("table", ["benchmark", "allocator", "variant", "found in", "reason"], rows)]
