"""A hand-made space-time document for the script tests: the small
fixture's binary_trees records on glibc, with the collected strategy (the
one the fixture declares as collecting) given a heap declaration, heap
multiples, a sweep and two declared variants whose times, footprints and
stopped times are set here, so the tests know every figure in advance.
Tests of logic, not of a run."""

import copy
import json
import os

from support import FIXTURES

MIB = 1024 * 1024
FIXTURE = os.path.join(FIXTURES, "small-results.json")

# name: (label, series, value, time ms, peak RSS MiB, stopped ms, stops/run,
# worst stop ms); None for the timing means the record failed.
BASE_MS, BASE_MIB = 90.0, 10.0
PLAIN = (150.0, 20.0, 30.0, 4, 2.0)
VARIANTS = {
    "heap_1.25x": ("heap 1.25x", "heap", 1.25, None),
    "heap_1.5x": ("heap 1.5x", "heap", 1.5, (200.0, 12.0, 80.0, 20, 3.0)),
    "heap_2x": ("heap 2x", "heap", 2.0, (170.0, 14.0, 50.0, 10, 2.5)),
    "heap_3x": ("heap 3x", "heap", 3.0, (140.0, 18.0, 25.0, 5, 2.2)),
    "heap_6x": ("heap 6x", "heap", 6.0, (125.0, 30.0, 10.0, 2, 2.0)),
    "free_space_divisor_1": ("free-space divisor 1", "free_space_divisor", 1,
                             (115.0, 40.0, 5.0, 1, 1.5)),
    "free_space_divisor_30": ("free-space divisor 30", "free_space_divisor", 30,
                              (250.0, 11.0, 120.0, 40, 3.0)),
    "markers_1": ("1 marker", "markers_1", None, (160.0, 20.0, 40.0, 4, 4.0)),
    "incremental": ("incremental", "incremental", None, (180.0, 20.0, 36.0, 30, 1.0)),
}
UNIT_BYTES = 8 * MIB
HEAP = {"cap_flag": "--cap_kib", "presize_flag": "--presize_kib", "flag_unit_bytes": 1024,
        "granularity_bytes": 65536}
SWEEPS = [{"name": "free_space_divisor", "flag": "--divisor", "label": "free-space divisor",
           "default": 3, "min": 1, "max": 1000, "values": [1, 3, 30]}]
DECLARED = [{"name": "markers_1", "label": "1 marker", "flags": ["--markers=1"],
             "summary": "one marker"},
            {"name": "incremental", "label": "incremental", "flags": ["--incremental=1"],
             "summary": "incremental"}]


def collected_strategy(doc):
    return next(d["name"] for d in doc["strategies"] if d.get("collects"))


def set_figures(record, time_ms, rss_mib, stopped_ms, stops, worst_ms, kind):
    """The record's repetitions around time_ms, its counters of stopped time
    (wall, and CPU at 1.5x) and process CPU (1.2x the wall), its probes'
    peak RSS, stop count and worst stop."""
    for i, run in enumerate(record["timing"]["runs"]):
        run["real_time"] = time_ms * (0.99, 1.0, 1.01)[i % 3]
        run["time_unit"] = "ms"
        run["process_cpu_time"] = time_ms * 1.2 / 1e3
        if stopped_ms is not None:
            run[f"{kind}_time"] = stopped_ms / 1e3
            run[f"{kind}_cpu_time"] = stopped_ms * 1.5 / 1e3
    for probe in [record["probe"]] + record["probe_rounds"]:
        probe["memory"]["peak_rss_bytes"] = int(rss_mib * MIB)
        if stops is not None:
            iterations = probe["iterations"]
            probe["pauses"]["kinds"][kind].update(count=stops * iterations,
                                                  max_ns=int(worst_ms * 1e6))


def curve_document(doc=None, workload=None):
    """The fixture (or doc) cut to glibc, as a curve run: heap units, the
    collected strategy's heap declaration, its variants."""
    if doc is None:
        with open(FIXTURE, encoding="utf-8") as f:
            doc = json.load(f)
    doc = copy.deepcopy(doc)
    gc = collected_strategy(doc)
    decl = next(d for d in doc["strategies"] if d["name"] == gc)
    decl.update(heap=HEAP, sweeps=SWEEPS, variants=DECLARED)
    kind = decl["reclaim_kind"]
    doc["records"] = [r for r in doc["records"] if r["allocator"] == "glibc"]
    base = next(r for r in doc["records"] if r["strategy"] == doc["baseline"]["strategy"])
    set_figures(base, BASE_MS, BASE_MIB, None, None, None, kind)
    # The other strategies: a little slower and bigger than the baseline,
    # each by its place.
    others = [r for r in doc["records"] if r["strategy"] not in (gc, base["strategy"])]
    for i, r in enumerate(others, 1):
        set_figures(r, BASE_MS * (1 + 0.02 * i), BASE_MIB * (1 + 0.05 * i), None, None,
                    None, kind)
    plain = next(r for r in doc["records"] if r["strategy"] == gc)
    set_figures(plain, *PLAIN[:3], *PLAIN[3:], kind)
    for name, (label, series, value, figures) in VARIANTS.items():
        r = copy.deepcopy(plain)
        r["variant"] = {"name": name, "label": label, "series": series, "value": value,
                        "flags": [f"--flag-of-{name}"]}
        if series == "heap":
            r["variant"].update(heap_multiple=value, heap_bytes=int(value * UNIT_BYTES))
        if figures is None:
            r.update(status="failed", timing=None, probe=None, probe_rounds=[],
                     failure={"phase": "timing", "reason": "out of memory at the heap cap"})
        else:
            set_figures(r, *figures, kind)
        doc["records"].append(r)
    doc["heap_units"] = [{
        "workload": plain["workload"], "params": plain["params"], "strategy": gc,
        "allocator": "glibc", "status": "ok", "unit_bytes": UNIT_BYTES,
        "interval": {"fails_bytes": UNIT_BYTES - 65536, "completes_bytes": UNIT_BYTES},
        "granularity_bytes": 65536, "trials": 3, "address_randomisation": False,
        "probes": [{"heap_bytes": UNIT_BYTES - 65536, "trials": 3, "completed": 1,
                    "reason": "out of memory"},
                   {"heap_bytes": UNIT_BYTES, "trials": 3, "completed": 3, "reason": None}],
        "reason": None, "command": "setarch x86_64 -R bench --cap_kib={heap_kib}"}]
    doc["summary"]["records"] = len(doc["records"])
    doc["summary"]["failed"] = sum(r["status"] != "ok" for r in doc["records"])
    return doc
