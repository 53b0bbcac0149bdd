"""The collector's space-time curve, computed from a results document: for
each workload, the records of the strategy that declares a heap (its plain
record and its variants: heap multiples, each declared sweep, each declared
variant) placed at (footprint ÷ the baseline's, time ÷ the baseline's), the
other strategies as points beside them; where the collector first comes
within 10% of the baseline's time; the lower-bound overhead (Cai et al.,
ISPASS 2022); the claims on the collector at each heap multiple; and how the
curve compares with Hertz & Berger's (OOPSLA 2005). scripts/report writes it
as its "Space and time" section and scripts/plot draws it (curve*.png).

Nothing here names a strategy, a collector or a flag: which strategy has a
curve, its sweeps and variants come from the document's declarations and
the records' `variant` objects; the baseline from the document. The section
is only there for documents with variants or heap units."""

import math
from dataclasses import dataclass, field
from typing import Optional

from memstrat import results
from memstrat.measures import format_bytes, format_ms, format_ns
from memstrat.metrics import (across_rounds, collections_per_iteration, distilled_ms,
                              geomean, median_cpu_time_ms, median_peak_rss_bytes,
                              median_time_ms, probe_rounds, reclaim_max_ns, stopped_ms,
                              timing_counter_median)

# "Comes within 10% of the baseline's time."
TOLERANCE = 0.10
PLAIN = "plain"   # the series of a strategy's plain record (its defaults)

# Hertz & Berger, OOPSLA 2005, Table 4: GenMS against Lea with the
# reachability oracle, geometric means over their 8 benchmarks, by heap size
# as a multiple of the minimum heap: (footprint ÷ Lea's, time ÷ Lea's).
HB_TABLE4 = ((1.0, 2.10, 1.69), (1.5, 2.88, 1.17), (2.0, 3.61, 1.08), (3.0, 4.76, 1.02),
             (3.5, 5.09, 1.00), (4.0, 5.55, 1.00))
# Their headline: footprint (not heap multiple) against explicit management
# at which the collector's time is +70%, +17% and parity.
HB_HEADLINE = ((2.0, 1.70), (3.0, 1.17), (5.0, 1.00))
HB_CITE = "Hertz & Berger, OOPSLA 2005"


def fmt_x(value, digits=2):
    return "" if value is None else f"{value:.{digits}f}x"


def fmt_multiple(m):
    return f"{m:g}x"


@dataclass
class Point:
    """One record of the collected strategy on the curve."""
    record: dict
    label: str              # "defaults", "heap 2x", "free-space divisor 10", "1 marker"
    series: str             # PLAIN, "heap", a sweep's name, or a declared variant's name
    value: Optional[float]  # position on its series (multiple, divisor) or None
    ok: bool
    reason: str = ""
    time_ms: Optional[float] = None
    time_ratio: Optional[float] = None
    footprint: Optional[float] = None
    footprint_ratio: Optional[float] = None
    cpu_ms: Optional[float] = None
    distilled_ms: Optional[float] = None
    distilled_cpu_ms: Optional[float] = None
    stopped_ms: Optional[float] = None
    lbo: Optional[float] = None
    lbo_cpu: Optional[float] = None
    pauses: Optional[float] = None       # reclaim events per run
    worst_pause_ns: Optional[float] = None

    @property
    def multiple(self):
        return self.value if self.series == "heap" else None

    @property
    def placed(self):
        return self.time_ratio is not None and self.footprint_ratio is not None

    def name(self, strategy=None):
        strategy = strategy or self.record["strategy"]
        return strategy if self.series == PLAIN else f"{strategy} {self.label}"

    @property
    def applicable(self):
        """False for a record its program could not run by design (status
        not_applicable): not a failure."""
        return self.record["status"] != "not_applicable"

    @property
    def collections(self):
        """Whether the record collected at all in its runs (a collector that
        never collects, such as Epsilon, has no pause and no collection):
        None where nothing says."""
        if self.pauses is not None:
            return self.pauses > 0
        n = timing_counter_median(self.record, "gc_collections")
        return None if n is None else n > 0


@dataclass
class Series:
    name: str
    label: str
    kind: str               # "heap", "sweep" or "variant"
    points: list = field(default_factory=list)
    default: Optional[float] = None


@dataclass
class Curve:
    """One workload's curve: the collected strategy's records on the baseline
    allocator, related to the baseline's."""
    workload: str
    params: tuple
    strategy: str
    allocator: str
    kind: str                         # the strategy's reclaim kind
    baseline: Optional[dict]          # the baseline record, ok, or None
    points: list                      # [Point], plain first, then in document order
    others: list                      # [(strategy, record, time ratio, footprint ratio)]
    unit: Optional[dict]              # the heap_units entry, or None
    series: list = field(default_factory=list)   # [Series] heap, sweeps, variants
    mdc: Optional[Point] = None       # the point of least distilled wall time
    mdc_cpu: Optional[Point] = None
    # The strategies whose records were the lower-bound overhead's candidates
    # (every collecting strategy of the family with a curve of this work).
    candidates: list = field(default_factory=list)

    @property
    def title(self):
        return self.workload + (" (" + ", ".join(f"{k} {v}" for k, v in self.params) + ")"
                                if self.params else "")

    @property
    def plain(self):
        return next((p for p in self.points if p.series == PLAIN), None)

    def heap(self):
        """The heap series' points, by multiple."""
        s = next((s for s in self.series if s.kind == "heap"), None)
        return s.points if s else []

    def placed(self):
        return [p for p in self.points if p.placed]


def curve_strategies(doc, catalogue=None):
    """The strategies with a curve: those that declare a heap, and those whose
    records carry variants, in declared order."""
    cat = catalogue or results.Catalogue(doc)
    varied = {r["strategy"] for r in doc["records"]
              if r.get("variant") and not results.is_build(r)}
    varied |= {u["strategy"] for u in doc.get("heap_units", [])}
    return [s for s in cat.strategies if "heap" in cat.declaration(s) or s in varied]


def _unit_for(doc, work, strategy, allocator, catalogue=None):
    """The strategy's heap_units entry for the work; where it has none of
    its own, its unit group's (a strategy whose heap declares a unit_group
    runs its multiples of the group's shared unit)."""
    group = ((catalogue or results.Catalogue(doc)).declaration(strategy)
             .get("heap") or {}).get("unit_group")
    shared = None
    for u in doc.get("heap_units", []):
        if ((u["workload"], tuple(sorted(u["params"].items()))) != work
                or u.get("allocator", allocator) != allocator):
            continue
        if u["strategy"] == strategy:
            return u
        if group and shared is None and u.get("unit_group") == group and u.get(
                "bisected_with", u["strategy"]) == u["strategy"]:
            shared = u
    return shared


def _point(record, catalogue, base):
    variant = record.get("variant")
    if variant:
        series = variant["series"]
        value = variant.get("heap_multiple", variant.get("value")) if series == "heap" \
            else variant.get("value")
        label = variant["label"]
    else:
        series, value, label = PLAIN, None, "defaults"
    ok = record["status"] == "ok"
    reason = "" if ok else (record.get("failure") or {}).get("reason", "failed")
    if record["status"] == "not_applicable":
        reason = f"not applicable: {reason}"
    p = Point(record, label, series, value, ok, reason)
    if not ok:
        return p
    kind = catalogue.reclaim_kind(record)
    p.time_ms = median_time_ms(record)
    p.footprint = median_peak_rss_bytes(record)
    p.cpu_ms = median_cpu_time_ms(record)
    p.distilled_ms = distilled_ms(record, kind)
    p.distilled_cpu_ms = distilled_ms(record, kind, cpu=True)
    p.stopped_ms = stopped_ms(record, kind)
    p.pauses = collections_per_iteration(record, kind)
    worst = across_rounds([reclaim_max_ns(pr, catalogue.probe_reclaim_kind(
        pr, record["strategy"])) for pr in probe_rounds(record)])
    p.worst_pause_ns = worst[0] if worst else None
    if base:
        bt, bf = median_time_ms(base), median_peak_rss_bytes(base)
        p.time_ratio = p.time_ms / bt if p.time_ms is not None and bt else None
        p.footprint_ratio = p.footprint / bf if p.footprint and bf else None
    return p


def _series(curve, declaration):
    """The curve's series: the heap multiples, each sweep (the plain record
    at the sweep's default), each declared variant."""
    sweeps = {s["name"]: s for s in declaration.get("sweeps", [])}
    declared = {v["name"]: v for v in declaration.get("variants", [])}
    out = {}
    heap = [p for p in curve.points if p.series == "heap"]
    if heap:
        out["heap"] = Series("heap", "heap multiples", "heap",
                             sorted(heap, key=lambda p: (p.value is None, p.value or 0)))
    for p in curve.points:
        if p.series in (PLAIN, "heap"):
            continue
        own = p.record["variant"]["name"] == p.series and p.series not in sweeps
        if own or p.series in declared:
            out.setdefault(p.series, Series(p.series, p.label, "variant")).points.append(p)
            continue
        d = sweeps.get(p.series, {})
        s = out.setdefault(p.series, Series(p.series, d.get("label", p.series), "sweep",
                                            default=d.get("default")))
        s.points.append(p)
    plain = curve.plain
    for s in out.values():
        if s.kind == "sweep":
            if plain is not None and s.default is not None:
                s.points.append(Point(**{**plain.__dict__, "value": s.default}))
            s.points.sort(key=lambda p: (p.value is None, p.value or 0))
    order = {"heap": 0, "sweep": 1, "variant": 2}
    return sorted(out.values(), key=lambda s: order[s.kind])


def _lower_bound(group):
    """Sets each point's lower-bound overhead: its time ÷ the least distilled
    time of any record of this work among the group's curves (wall and
    CPU). The group is every curve strategy of one family (Cai et al. take
    the minimum over a runtime's collectors and heap sizes: one language's
    code, so the distilled times are of the same mutator); a collector that
    never collects (Epsilon) is one more candidate."""
    points = [p for c in group for p in c.points]
    walls = [p for p in points if p.ok and p.distilled_ms and p.distilled_ms > 0]
    cpus = [p for p in points if p.ok and p.distilled_cpu_ms and p.distilled_cpu_ms > 0]
    mdc = min(walls, key=lambda p: p.distilled_ms, default=None)
    mdc_cpu = min(cpus, key=lambda p: p.distilled_cpu_ms, default=None)
    for curve in group:
        curve.mdc, curve.mdc_cpu = mdc, mdc_cpu
        curve.candidates = [c.strategy for c in group]
        for p in curve.points:
            if mdc and p.time_ms is not None:
                p.lbo = p.time_ms / mdc.distilled_ms
            if mdc_cpu and p.cpu_ms is not None:
                p.lbo_cpu = p.cpu_ms / mdc_cpu.distilled_cpu_ms


def curves(doc):
    """[Curve] per work and curve strategy, on the baseline allocator, in the
    document's order of works; [] for a document without variants."""
    if not results.has_variants(doc):
        return []
    cat = results.Catalogue(doc)
    base_s, allocator = cat.baseline
    strategies = curve_strategies(doc, cat)
    works = {}
    for r in doc["records"]:
        if r["allocator"] == allocator and not results.is_build(r):
            works.setdefault(results.work_key(r), []).append(r)
    for u in doc.get("heap_units", []):
        works.setdefault((u["workload"], tuple(sorted(u["params"].items()))), [])
    out = []
    for work, recs in works.items():
        base = next((r for r in recs if r["strategy"] == base_s and not r.get("variant")
                     and r["status"] == "ok"), None)
        for s in strategies:
            own = [r for r in recs if r["strategy"] == s]
            unit = _unit_for(doc, work, s, allocator, cat)
            if not own and unit is None:
                continue
            own.sort(key=lambda r: r.get("variant") is not None)
            points = [_point(r, cat, base) for r in own]
            others = []
            for r in sorted(recs, key=cat.record_order):
                if r["strategy"] in (s, base_s) or r.get("variant") or r["status"] != "ok":
                    continue
                p = _point(r, cat, base)
                others.append((r["strategy"], r, p.time_ratio, p.footprint_ratio))
            kind = (cat.reclaim_kind(own[0]) if own else
                    cat.declaration(s).get("reclaim_kind", results.DEFAULT_RECLAIM_KIND))
            params = tuple(sorted(work[1], key=lambda kv: _param_order(recs, kv[0])))
            c = Curve(work[0], params, s, allocator, kind, base, points, others, unit)
            c.series = _series(c, cat.declaration(s))
            out.append(c)
    groups = {}
    for c in out:
        family = cat.declaration(c.strategy).get("family", "C++")
        groups.setdefault((c.workload, c.params, family), []).append(c)
    for group in groups.values():
        _lower_bound(group)
    return out


def _param_order(recs, name):
    """A parameter's place in the records' names (binary_trees/gc/depth:18)."""
    for r in recs:
        order = [part.split(":")[0] for part in r["name"].split("/")[2:]]
        if name in order:
            return order.index(name)
    return 0


# What the curve says --------------------------------------------------

def least_within(items, time_ratio, footprint, tolerance=TOLERANCE):
    """(the item of least footprint whose time ratio is within tolerance of
    the baseline's, or None; the item of least time ratio, footprint
    breaking ties, or None): the rule every "within 10%" figure follows."""
    hits = [i for i in items if time_ratio(i) <= 1 + tolerance]
    hit = min(hits, key=footprint, default=None)
    best = min(items, key=lambda i: (time_ratio(i), footprint(i)), default=None)
    return hit, best


def within(curve, tolerance=TOLERANCE):
    """(the placed point of least footprint whose time is within tolerance
    of the baseline's, or None; the point of least time, or None)."""
    return least_within(curve.placed(), lambda p: p.time_ratio,
                        lambda p: p.footprint_ratio, tolerance)


def at_footprint(curve, target):
    """The heap series' time ratio at a footprint ratio, interpolated (in log
    footprint) between the two successive multiples whose footprints bracket
    it: (time ratio, lower point, upper point), or None outside the sweep."""
    pts = [p for p in curve.heap() if p.placed]
    for a, b in zip(pts, pts[1:]):
        lo, hi = sorted((a.footprint_ratio, b.footprint_ratio))
        if lo <= target <= hi:
            if hi == lo:
                return (a.time_ratio + b.time_ratio) / 2, a, b
            t = (math.log(target) - math.log(a.footprint_ratio)) / (
                math.log(b.footprint_ratio) - math.log(a.footprint_ratio))
            return a.time_ratio + t * (b.time_ratio - a.time_ratio), a, b
    return None


def hb_at_multiple(m):
    """Hertz & Berger's (footprint, time) ÷ Lea's at heap multiple m,
    interpolated in Table 4, and whether m is past their largest (4x)."""
    rows = HB_TABLE4
    if m <= rows[0][0]:
        return rows[0][1], rows[0][2], m < rows[0][0]
    for (m0, f0, t0), (m1, f1, t1) in zip(rows, rows[1:]):
        if m0 <= m <= m1:
            k = (m - m0) / (m1 - m0)
            return f0 + k * (f1 - f0), t0 + k * (t1 - t0), False
    return rows[-1][1], rows[-1][2], True


def compared_multiples(curve):
    """The heap multiples Hertz & Berger's comparison looks at: 2x, 3x and the
    largest the run has, those present among the placed heap points."""
    heap = {p.value: p for p in curve.heap() if p.placed}
    if not heap:
        return []
    wanted = [m for m in (2.0, 3.0) if m in heap] + [max(heap)]
    return [heap[m] for m in dict.fromkeys(wanted)]


def evidence(curve):
    """Sentences on where the collector's cost lies, from the distilled
    times: above the baseline's even without the stops means a cost outside
    the pauses, which no heap size removes."""
    s = curve.strategy
    base_ms = curve.baseline and median_time_ms(curve.baseline)
    if not base_ms or curve.mdc is None:
        return []
    out = []
    d = curve.mdc.distilled_ms / base_ms
    where = curve.mdc.name()
    if len(curve.candidates) > 1:
        out.append(f"The least distilled time is taken over every record of "
                   f"{', '.join(curve.candidates)} for this work (one language's code, "
                   f"so one mutator): {where}'s.")
        if curve.mdc.collections is False:
            out.append(f"{where} made no collection in its runs (a collector that never "
                       "collects): it is one more candidate, not the truth, since a heap "
                       "that is never reused pays a page fault for every page it touches "
                       "and loses the cache locality a collector's reuse gives, so the "
                       "least distilled time need not be its.")
    if d > 1 + TOLERANCE:
        out.append(f"Even with every stop-the-world pause taken out, {s}'s least distilled "
                   f"time ({where}) is {d:.2f}x the baseline's: that {d - 1:.0%} lies "
                   "outside the pauses (allocation, and whatever work the collector does "
                   "while the program runs), and no heap size removes it.")
    elif d < 1 - TOLERANCE:
        out.append(f"Without its pauses {s} would be faster than the baseline ({where}: "
                   f"distilled {d:.2f}x): what it costs beyond the baseline is in the "
                   "pauses, which a larger heap makes rarer.")
    else:
        out.append(f"Without its pauses {s} is within {TOLERANCE:.0%} of the baseline "
                   f"({where}: distilled {d:.2f}x): its excess is in the pauses, which a "
                   "larger heap makes rarer.")
    heap = [p for p in curve.heap() if p.placed and p.stopped_ms is not None and p.time_ms]
    if len(heap) >= 2:
        lo, hi = heap[0], heap[-1]
        out.append(f"Stopped time is {lo.stopped_ms / lo.time_ms:.0%} of the run at "
                   f"{fmt_multiple(lo.value)} and {hi.stopped_ms / hi.time_ms:.0%} at "
                   f"{fmt_multiple(hi.value)}; time goes from {lo.time_ratio:.2f}x to "
                   f"{hi.time_ratio:.2f}x the baseline's.")
    return out


def hertz_berger(curve):
    """Sentences comparing the curve with Hertz & Berger's, or []."""
    s = curve.strategy
    out = []
    for p in compared_multiples(curve):
        f, t, past = hb_at_multiple(p.value)
        theirs = (f"at their largest, 4x, GenMS was {t:.2f}x Lea's time at {f:.2f}x its "
                  "footprint" if past else
                  f"GenMS was {t:.2f}x Lea's time at {f:.2f}x its footprint")
        out.append(f"At {fmt_multiple(p.value)} the heap unit {s} takes {p.time_ratio:.2f}x "
                   f"the baseline's time at {p.footprint_ratio:.2f}x its footprint; "
                   f"{theirs}.")
    if not out:
        return []
    by_footprint = []
    for target, theirs in HB_HEADLINE:
        got = at_footprint(curve, target)
        if got:
            ratio, a, b = got
            by_footprint.append(f"at {target:g}x the footprint (theirs {theirs - 1:+.0%}) "
                                f"{s} is {ratio - 1:+.0%} (between {a.label} and {b.label})")
    heap = [p for p in curve.heap() if p.placed]
    span = (f"{min(p.footprint_ratio for p in heap):.2f}x to "
            f"{max(p.footprint_ratio for p in heap):.2f}x")
    if by_footprint:
        out.append("By footprint, as their headline puts it: " + "; ".join(by_footprint)
                   + f". The heap multiples here span {span} the baseline's footprint.")
    else:
        theirs = ", ".join(f"{t - 1:+.0%} at {f:g}x" for f, t in HB_HEADLINE)
        out.append(f"Their headline is by footprint ({theirs}); "
                   f"the heap multiples here span {span} the baseline's footprint, "
                   "which holds none of those.")
    return out


# Claims at each heap multiple ------------------------------------------

def multiples(curve_list):
    """The heap multiples of the curves, ascending."""
    return sorted({p.value for c in curve_list for p in c.heap() if p.value is not None})


def at_multiple(doc, strategy, m):
    """The document with the strategy's plain records on the baseline
    allocator replaced by its heap records at multiple m (as plain ones), so
    the claims read the collector as run at that heap size; a work without
    an ok record at m has none of the strategy."""
    allocator = results.Catalogue(doc).baseline_allocator
    chosen = {}
    for r in doc["records"]:
        v = r.get("variant")
        if (r["strategy"] == strategy and r["allocator"] == allocator and v
                and v.get("series") == "heap" and v.get("heap_multiple", v.get("value")) == m):
            chosen[results.work_key(r)] = dict(r, variant=None)
    records = []
    for r in doc["records"]:
        if r["strategy"] == strategy and r["allocator"] == allocator:
            if not r.get("variant") and results.work_key(r) in chosen:
                records.append(chosen.pop(results.work_key(r)))
            continue
        records.append(r)
    return dict(doc, records=records + list(chosen.values()))


def claims_at_multiples(doc, curve_list, claims):
    """(header, rows): each claim about a curve strategy, its verdict with the
    strategy at its defaults and at each heap multiple. claims(doc, about)
    is the report's: the claims whose subject is `about`."""
    strategies = list(dict.fromkeys(c.strategy for c in curve_list))
    ms = multiples(curve_list)
    header = ["claim", "defaults"] + [f"heap {fmt_multiple(m)}" for m in ms]
    rows = []
    for s in strategies:
        columns = [claims(doc, s)] + [claims(at_multiple(doc, s, m), s) for m in ms]
        for i, c in enumerate(columns[0]):
            rows.append([c.claim] + [_verdict_cell(col[i]) for col in columns])
    return header, rows


def _verdict_cell(claim):
    return claim.verdict + (f" ({claim.figure})" if getattr(claim, "figure", "") else "")


# The report's section --------------------------------------------------

UNIT_HEADER = ["workload", "strategy", "status", "heap unit", "interval", "granularity",
               "trials", "sizes tried", "reason"]
POINT_HEADER = ["setting", "heap cap", "time", "time ÷ baseline", "footprint",
                "footprint ÷ baseline", "pauses/run (probe)", "worst pause (probe)", "stopped",
                "distilled ÷ baseline", "lower-bound overhead", "LBO (CPU)"]


def unit_rows(doc):
    """One row per bisection: a unit group's shared unit once, its strategy
    cell naming the members that run multiples of it."""
    rows = []
    cat = results.Catalogue(doc)
    ran = {(r["workload"], results.params_key(r), r["strategy"]) for r in doc["records"]}
    for u in results.bisections(doc):
        params = ", ".join(f"{k} {v}" for k, v in u["params"].items())
        iv = u.get("interval") or {}
        fails, completes = iv.get("fails_bytes"), iv.get("completes_bytes")
        interval = (f"({format_bytes(fails) if fails else '0'}, "
                    f"{format_bytes(completes)}]" if completes else "")
        tried = "; ".join(
            f"{format_bytes(p['heap_bytes'])} {p['completed']}/{p['trials']}"
            for p in sorted(u.get("probes", []), key=lambda p: p["heap_bytes"]))
        group = u.get("unit_group")
        work = (u["workload"], tuple(sorted(u["params"].items())))
        shared = [s for s in cat.strategies if group and (
            cat.declaration(s).get("heap") or {}).get("unit_group") == group
            and work + (s,) in ran]
        who = u["strategy"] + (f" (group {group}, shared by {', '.join(shared)})"
                               if len(shared) > 1 else "")
        rows.append([f"{u['workload']} ({params})" if params else u["workload"],
                     who, u["status"],
                     format_bytes(u["unit_bytes"]) if u.get("unit_bytes") else "",
                     interval, format_bytes(u["granularity_bytes"])
                     if u.get("granularity_bytes") else "",
                     f"{u.get('trials', '')}" + (
                         "" if u.get("address_randomisation", True) else
                         ", address randomisation off"),
                     tried, u.get("reason") or ""])
    return rows


def point_rows(curve):
    rows = []
    for p in curve.points:
        v = p.record.get("variant") or {}
        cap = format_bytes(v["heap_bytes"]) if v.get("heap_bytes") else ""
        if not p.ok:
            rows.append([p.label, cap, f"failed: {p.reason}"] + [""] * (len(POINT_HEADER) - 3))
            continue
        base_ms = curve.baseline and median_time_ms(curve.baseline)
        rows.append([
            p.label + (" (least distilled)" if p is curve.mdc else ""), cap,
            format_ms(p.time_ms) if p.time_ms is not None else "", fmt_x(p.time_ratio),
            format_bytes(p.footprint) if p.footprint else "", fmt_x(p.footprint_ratio),
            f"{p.pauses:.3g}" if p.pauses is not None else "",
            format_ns(p.worst_pause_ns) if p.worst_pause_ns is not None else "",
            f"{p.stopped_ms / p.time_ms:.1%}" if p.stopped_ms is not None and p.time_ms
            else "",
            fmt_x(p.distilled_ms / base_ms) if p.distilled_ms is not None and base_ms else "",
            fmt_x(p.lbo), fmt_x(p.lbo_cpu)])
    return rows


def within_sentence(curve):
    s, hit_best = curve.strategy, within(curve)
    hit, best = hit_best
    if curve.baseline is None:
        return f"{curve.title}: no baseline record to relate {s} to."
    if hit:
        return (f"{curve.title}: {s} comes within {TOLERANCE:.0%} of the baseline's time "
                f"at {hit.footprint_ratio:.2f}x its footprint ({hit.name(s)}: "
                f"{hit.time_ratio:.2f}x the time).")
    if best:
        return (f"{curve.title}: {s} never comes within {TOLERANCE:.0%} of the baseline's "
                f"time in the sweep (best: {best.name(s)}, {best.time_ratio:.2f}x the time "
                f"at {best.footprint_ratio:.2f}x the footprint).")
    return f"{curve.title}: no {s} record completed."


def others_sentence(curve):
    placed = [(s, t, f) for s, _, t, f in curve.others if t is not None and f is not None]
    if not placed:
        return ""
    return ("The other strategies, for reference (time, footprint ÷ the baseline's): "
            + "; ".join(f"{s} {t:.2f}x, {f:.2f}x" for s, t, f in placed) + ".")


def geomean_rows(curve_list):
    """[multiple, our time, our footprint, workloads, H&B time, H&B footprint]
    per heap multiple: geometric means over the workloads placed there, as
    Hertz & Berger's Table 4 gives theirs."""
    rows = []
    for m in multiples(curve_list):
        pts = [p for c in curve_list for p in c.heap() if p.value == m and p.placed]
        if not pts:
            continue
        f, t, past = hb_at_multiple(m)
        rows.append([fmt_multiple(m), fmt_x(geomean([p.time_ratio for p in pts])),
                     fmt_x(geomean([p.footprint_ratio for p in pts])), str(len(pts)),
                     fmt_x(t) + (" (at 4x)" if past else ""),
                     fmt_x(f) + (" (at 4x)" if past else "")])
    return rows


def section(doc, claims, chart=None):
    """The report's "Space and time" section as blocks: ("p", text),
    ("h3", text), ("table", header, rows), ("img", title, path). [] for a
    document without variants. claims(doc, about) evaluates the report's
    claims about one strategy; chart is the overview figure's path, if
    drawn."""
    curve_list = curves(doc)
    if not curve_list:
        return []
    cat = results.Catalogue(doc)
    base = cat.baseline_label()
    strategies = ", ".join(dict.fromkeys(c.strategy for c in curve_list))
    blocks = [("p", f"The collected strategy ({strategies}) at heap sizes that are multiples "
                    "of its heap unit (the smallest heap in which every trial of the "
                    "benchmark completed; the heap pre-sized to the cap where the strategy declares a pre-size flag), over its declared "
                    "sweeps uncapped, and as its declared variants; every other strategy as "
                    f"one point. Time: median wall-clock time of one run; footprint: median "
                    "over the probe's rounds of the peak RSS; both divided by the "
                    f"baseline's ({base}). Only records on {cat.baseline_allocator}.")]
    if chart:
        blocks.append(("img", "Time against footprint", chart))
    units = unit_rows(doc)
    if units:
        blocks += [("h3", "Heap units"),
                   ("p", "The smallest heap found by bisection: every trial completed at "
                         "the interval's upper end, one failed at its lower end; sizes "
                         "tried with how many of their trials completed."),
                   ("table", UNIT_HEADER, units)]
    blocks += [("h3", f"Where the collector comes within {TOLERANCE:.0%} of {base}")]
    blocks += [("li", within_sentence(c)) for c in curve_list]
    header, rows = claims_at_multiples(doc, curve_list, claims)
    if rows:
        blocks += [("h3", "The claims at each heap multiple"),
                   ("p", "The claims on the collector, by the rules of the Claims table, "
                         "with the collector as run at each heap multiple in place of its "
                         "defaults (a workload whose record at a multiple failed drops out "
                         "of that column). In brackets the claim's figure (the geometric "
                         "mean of the time ratio, or the range of the worst stall)."),
                   ("table", header, rows)]
    by_strategy = {}
    for c in curve_list:
        by_strategy.setdefault(c.strategy, []).append(c)
    hb = {s: geomean_rows(cs) for s, cs in by_strategy.items()}
    if any(hb.values()):
        blocks += [("h3", f"Against {HB_CITE}"),
                   ("p", "Their Table 4: GenMS against the Lea allocator, geometric means "
                         "over 8 Java benchmarks, the heap a multiple of the minimum heap "
                         "(footprint: heap pages touched), interpolated between their "
                         "multiples, and their 4x row past it. Here: the geometric means over "
                         "the workloads at each multiple of the heap unit (footprint: peak "
                         "RSS, which also counts the binary, libraries and non-heap memory). "
                         "Their headline (+70% at twice the footprint, +17% at three times, "
                         "parity at five) is by footprint, not heap multiple.")]
        for s, rows in hb.items():
            blocks.append(("table", ["heap multiple", f"{s} time ÷ baseline",
                                     f"{s} footprint ÷ baseline", "workloads",
                                     "H&B time ÷ Lea", "H&B footprint ÷ Lea"], rows))
    blocks += [("h3", "Every record of the collector, and its lower-bound overhead"),
               ("p", "Per workload, each record of the collected strategy: its heap cap "
                     "(heap series), time and footprint against the baseline's, its "
                     "pauses per run and worst pause (of its reclaim kind, in the probe's "
                     "measured runs, median over its rounds: a probe of few runs may see "
                     "no collection that the timing runs had), the share of the timing "
                     "runs the world was stopped and its distilled time (time less the "
                     "stops) against the baseline's time. Lower-bound overhead, "
                     "Cai et al. (ISPASS 2022): a record's time divided by the least "
                     "distilled time (time less the stop-the-world time) of any of the "
                     "strategy's records of the workload; wall clock, and process CPU less "
                     "the CPU spent while stopped. A lower bound: the work the collector "
                     "does while the program runs (allocation, sweeping done lazily, "
                     "marker threads outside the stops) stays in the distilled time. "
                     "docs/measurements.md says what it includes and misses.")]
    for c in curve_list:
        blocks += [("h3", f"{c.title}: {c.strategy}"),
                   ("table", POINT_HEADER, point_rows(c))]
        text = evidence(c) + hertz_berger(c)
        other = others_sentence(c)
        text += [other] if other else []
        if text:
            blocks.append(("p", " ".join(text)))
    return blocks
