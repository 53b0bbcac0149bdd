"""The report's "Ownership on its real subject" section: the article's claims
about ownership evaluated on a port's strategy beside the C++ strategy that
stands in for it, and the per-workload ratios a reader needs to tell memory
management from code generation.

Which strategies meet is declared, not named here: a port's strategy
declares its C++ `counterpart` (rust-box's is raii, rust-arena's arena). For
each such pair the report's claims that are about the counterpart are
evaluated again with the port's strategy in its place, by the same rules;
where the two verdicts differ the section says so, with both figures. The
ratios: the port's strategy over its counterpart, over the baseline, and
over its counterpart built by the same compiler backend (a record of the
counterpart whose variant is of kind "build", e.g. clang 14 where rustc
uses LLVM 14); and within a language before across (rust-box/rust-arena
beside raii/arena). Only records on the baseline allocator."""

from memstrat import results
from memstrat.metrics import median_time_ms

TITLE = "Ownership on its real subject"


def pairs(doc):
    """[(port strategy, its declared counterpart)] where both ran and the
    counterpart does not collect, in the declarations' order."""
    declared = {d["name"]: d for d in results.strategy_declarations(doc)}
    ran = {r["strategy"] for r in results.ok_records(doc)}
    # A collector's counterpart is a collector: its claims are re-judged in
    # "Garbage collection on its real subject" (collectors.py), not here.
    return [(name, d["counterpart"]) for name, d in declared.items()
            if d.get("counterpart") in declared and name in ran
            and d["counterpart"] in ran and not declared[d["counterpart"]].get("collects")]


def _table(doc, allocator):
    """{work key: {(strategy, variant name or None): record}} of the ok
    records on allocator: plain ones and build variants."""
    table = {}
    for r in results.ok_records(doc):
        variant = r.get("variant")
        if r["allocator"] != allocator or (variant and variant.get("kind") != "build"):
            continue
        table.setdefault(results.work_key(r), {})[(r["strategy"],
                                                   results.variant_name(r))] = r
    return table


def _ratio(recs, a, b):
    if a not in recs or b not in recs:
        return None
    x, y = median_time_ms(recs[a]), median_time_ms(recs[b])
    return x / y if x is not None and y else None


def _fmt(r):
    return "" if r is None else f"{r:.2f}x"


def _builds(table, strategy):
    """The build variants (names) of strategy present anywhere in table."""
    return sorted({v for recs in table.values() for (s, v) in recs if s == strategy and v})


# The keys of a claim's `what` that name strategies.
STRATEGY_KEYS = ("strategy", "base", "collected", "explicit", "contrast")


def _names(what):
    return [v for k in STRATEGY_KEYS if k in what
            for v in (what[k] if isinstance(what[k], tuple) else (what[k],))]


def _substituted(what, mapping):
    return {k: (v if k not in STRATEGY_KEYS
                else tuple(mapping.get(x, x) for x in v) if isinstance(v, tuple)
                else mapping.get(v, v)) for k, v in what.items()}


def rejudged(doc, claims_table, evaluate, stand_in, subject, mapping):
    """[(claim text, stand-in's Claim, subject's Claim)] for each claim whose
    `what` names stand_in, evaluated as written and with every C++ strategy
    of `mapping` (counterpart: port strategy, for the subject's language)
    in its place: "shared_rc vs raii" becomes "rust-rc vs rust-box". A
    question (kind "question") that would still name a C++ strategy with no
    counterpart in that language compares across languages and is left out."""
    out = []
    for kind, text, what in claims_table:
        names = _names(what)
        if stand_in not in names:
            continue
        if kind == "question" and not all(n in mapping for n in names):
            continue
        out.append((text, evaluate(doc, kind, text, what),
                    evaluate(doc, kind, text, _substituted(what, mapping))))
    return out


def _cell(c):
    return c.verdict + (f" ({c.figure})" if c.figure else "")


def section(doc, claims_table, evaluate):
    """The section as blocks (see spacetime.section), [] when no port
    strategy with a declared counterpart ran. evaluate(doc, kind, text,
    what) is the report's evaluation of one claim."""
    found = pairs(doc)
    if not found:
        return []
    cat = results.Catalogue(doc)
    allocator = cat.baseline_allocator
    base = cat.baseline_strategy
    table = _table(doc, allocator)
    blocks = [("p", "Each port strategy beside the C++ strategy it corresponds to (its "
                    "declared counterpart): the article's claims about that C++ stand-in "
                    "evaluated again with the port's strategy in its place, by the same "
                    "rules, then the ratios of median run times per workload on "
                    f"{allocator}. A difference between the two can come from memory "
                    "management or from code generation; the same-backend column "
                    "divides by the counterpart built with the port compiler's backend, "
                    "and the within-language table compares strategies of one language "
                    "before comparing languages.")]
    for subject, stand_in in found:
        family = cat.declaration(subject).get("family")
        mapping = {c: p for p, c in found if cat.declaration(p).get("family") == family}
        verdicts = rejudged(doc, claims_table, evaluate, stand_in, subject, mapping)
        if not verdicts:
            continue
        renamed = ", ".join(f"{c} by {p}" for c, p in mapping.items() if c != stand_in)
        blocks += [("h3", f"The claims on {stand_in}, again on {subject}"
                          + (f" (and {renamed})" if renamed else "")),
                   ("table", ["claim", f"{stand_in} (C++ stand-in)",
                              f"{subject} (real subject)", "agree"],
                    [[text, _cell(a), _cell(b),
                      "yes" if a.verdict == b.verdict else "no"]
                     for text, a, b in verdicts])]
        for text, a, b in verdicts:
            if a.verdict != b.verdict:
                blocks.append(("li", f"{stand_in} and {subject} disagree on \"{text}\": "
                                     f"{stand_in} {_cell(a)}, {subject} {_cell(b)}."))
    header = ["workload"]
    columns = []
    for subject, stand_in in found:
        columns.append((f"{subject}/{stand_in}", (subject, None), (stand_in, None)))
        for build in _builds(table, stand_in):
            columns.append((f"{subject}/{stand_in} [{build}]", (subject, None),
                            (stand_in, build)))
        columns.append((f"{subject}/{base}", (subject, None), (base, None)))
    header += [c[0] for c in columns]
    rows = []
    for key in sorted(table, key=lambda k: k[0]):
        recs = table[key]
        row = [key[0]] + [_fmt(_ratio(recs, a, b)) for _, a, b in columns]
        if any(row[1:]):
            rows.append(row)
    blocks += [("h3", "Per workload"), ("table", header, rows)]
    within = [(p, q) for i, p in enumerate(found) for q in found[i + 1:]
              if cat.declaration(p[0]).get("family") == cat.declaration(q[0]).get("family")]
    if within:
        header = ["workload"] + [f"{p[0]}/{q[0]} vs {p[1]}/{q[1]}" for p, q in within]
        rows = []
        for key in sorted(table, key=lambda k: k[0]):
            recs = table[key]
            cells = []
            for p, q in within:
                port = _ratio(recs, (p[0], None), (q[0], None))
                cpp = _ratio(recs, (p[1], None), (q[1], None))
                cells.append("" if port is None and cpp is None
                             else f"{_fmt(port) or '-'} vs {_fmt(cpp) or '-'}")
            if any(cells):
                rows.append([key[0]] + cells)
        blocks += [("h3", "Within a language, then across"),
                   ("p", "Each cell: the ratio of two port strategies' median times, "
                         "then the ratio of their C++ counterparts'."),
                   ("table", header, rows)]
    return blocks
