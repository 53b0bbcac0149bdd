"""A hand-made document with Java's collectors beside Boehm, for the script
tests: the curve document of curves.py (binary_trees; gc with its heap
multiples, sweep and variants) and a clone of its work as list_churn, plus
a rust-box port strategy and the Java port's strategies as the runner
writes them (docs/measurements.md; benchmarks/ports/java): java-serial,
java-g1 and java-epsilon with their default heap, heap multiples of the
group's shared unit and the cpus_1 variant; java-zgc refused on
binary_trees (not_applicable) and run on list_churn with allocation
stalls; java-g1 on list_churn without a steady state. Every time,
footprint and pause is set here, so the tests know the figures in advance.
Tests of logic, not of a run."""

import copy

import curves
from curves import BASE_MS, MIB, UNIT_BYTES, set_figures

JAVA = ("java-serial", "java-g1", "java-zgc", "java-epsilon")
COLOURS = {"java-serial": "#117733", "java-g1": "#EE7733", "java-zgc": "#0077BB",
           "java-epsilon": "#BBBBBB", "rust-box": "#AA3377"}
# The clone of binary_trees' work.
CLONE = ("list_churn", {"steps": 1000})
GC_TIME = {"binary_trees": 150.0, "list_churn": 140.0}
RUST_MS = 92.0
ZGC_REASON = "Unrecognized VM option 'UseZGC'"
EPSILON_OOM = "out of memory (Java heap space, -Xmx12m under java-epsilon): it never collects"

# workload: strategy: setting: (time ms, peak RSS MiB, stopped ms, collections
# per run, worst pause ms); None: the record failed (out of memory). The
# setting "plain" is the default heap; "cpus_1" the one-core variant.
FIGURES = {
    "binary_trees": {
        "java-serial": {"plain": (54.0, 60.0, 4.0, 2, 3.0), "heap_1.5x": (120.0, 14.0, 40.0, 30, 2.0),
                        "heap_2x": (99.0, 16.0, 20.0, 12, 2.0), "heap_3x": (80.0, 20.0, 10.0, 6, 2.0),
                        "heap_6x": (60.0, 32.0, 5.0, 2, 2.0), "cpus_1": (70.0, 60.0, 6.0, 2, 4.0)},
        "java-g1": {"plain": (72.0, 80.0, 3.0, 3, 2.0), "heap_1.5x": None,
                    "heap_2x": (130.0, 18.0, 30.0, 20, 1.5), "heap_3x": (110.0, 22.0, 15.0, 10, 1.5),
                    "heap_6x": (95.0, 35.0, 8.0, 4, 1.2), "cpus_1": (100.0, 80.0, 5.0, 3, 2.5)},
        "java-epsilon": {"plain": (45.0, 400.0, 0.0, 0, 0.0), "heap_1.5x": None, "heap_2x": None,
                         "heap_3x": None, "heap_6x": (66.0, 50.0, 0.0, 0, 0.0),
                         "cpus_1": (46.0, 400.0, 0.0, 0, 0.0)},
    },
    "list_churn": {
        "java-serial": {"plain": (80.0, 60.0, 5.0, 2, 3.0), "heap_1.5x": (150.0, 14.0, 50.0, 30, 2.0),
                        "heap_2x": (120.0, 16.0, 30.0, 12, 2.0), "heap_3x": (100.0, 20.0, 12.0, 6, 2.0),
                        "heap_6x": (97.0, 32.0, 6.0, 2, 2.0), "cpus_1": (95.0, 60.0, 7.0, 2, 4.0)},
        "java-g1": {"plain": (110.0, 80.0, 4.0, 3, 2.0), "heap_1.5x": (160.0, 15.0, 40.0, 25, 2.0),
                    "heap_2x": (140.0, 18.0, 30.0, 20, 1.5), "heap_3x": (125.0, 22.0, 15.0, 10, 1.5),
                    "heap_6x": (115.0, 35.0, 8.0, 4, 1.2), "cpus_1": (150.0, 80.0, 6.0, 3, 2.5)},
        "java-zgc": {"plain": (85.0, 300.0, 0.5, 2, 0.2)},
        "java-epsilon": {"plain": (60.0, 400.0, 0.0, 0, 0.0), "heap_1.5x": None, "heap_2x": None,
                         "heap_3x": None, "heap_6x": None, "cpus_1": (61.0, 400.0, 0.0, 0, 0.0)},
    },
}
MULTIPLES = {"heap_1.5x": 1.5, "heap_2x": 2.0, "heap_3x": 3.0, "heap_6x": 6.0}
# Collector pause kinds per strategy (the first gets the collections).
KINDS = {"java-serial": ("young", "full"), "java-g1": ("young", "mixed", "remark"),
         "java-zgc": ("mark_start", "mark_end", "relocate_start", "alloc_stall"),
         "java-epsilon": ()}
ZGC_STALL_MS = 40.0
ZGC_RSS_MIB, ZGC_PSS_MIB = 300.0, 110.0
RESTING_RSS_MIB, RESTING_PSS_MIB = 40.0, 30.0
FIRST_FACTOR = 5.0          # first iteration ÷ steady time
WARMUP_ITERATIONS = 20
PROCESS_CPU_FACTOR = 1.6    # process CPU ÷ wall
GC_CPU_FACTOR, JIT_CPU_FACTOR = 0.2, 0.1
TWO_CORES_CPU_FACTOR = 1.0  # cpus_1: CPU ÷ wall


def summary(count, max_ns):
    return {"count": count, "total_ns": count * max_ns // 2, "p50_ns": max_ns // 2,
            "p90_ns": max_ns, "p99_ns": max_ns, "p999_ns": max_ns, "max_ns": max_ns}


def declaration(doc, name, family, **extra):
    gc = next(d for d in doc["strategies"] if d["name"] == "gc")
    d = copy.deepcopy(gc)
    for key in ("sweeps", "variants", "heap"):
        d.pop(key, None)
    d.update(name=name, family=family, language=family, toolchain=f"{family} 1.0",
             colour=COLOURS.get(name), baseline=False, summary=f"{name} (a test's)")
    d.update(extra)
    return d


def java_record(template, strategy, workload, figures, variant=None, steady=True,
                kinds=None):
    """The template record as the Java port's: JVM counters, no allocation
    counts, pause kinds of the JVM's log (kinds: another runtime's), a
    runtime gc object, PSS."""
    r = copy.deepcopy(template)
    r["strategy"] = strategy
    r["name"] = r["name"].replace("/gc/", f"/{strategy}/")
    r["variant"] = variant
    if figures is None:
        r.update(status="failed", timing=None, probe=None, probe_rounds=[],
                 failure={"phase": "timing", "reason": EPSILON_OOM})
        return r
    time_ms, rss, stopped, stops, worst = figures
    r.update(status="ok", failure=None)
    set_figures(r, time_ms, rss, stopped, stops, worst, "gc_stop_world")
    one_core = variant is not None and variant["name"] == "cpus_1"
    cpu = TWO_CORES_CPU_FACTOR if one_core else PROCESS_CPU_FACTOR
    for run in r["timing"]["runs"]:
        for key in ("allocations", "frees", "gc_stop_world_cpu_time", "page_faults",
                    "system_cpu_time"):
            run.pop(key, None)
        run.update(first_iteration_ns=time_ms * FIRST_FACTOR * 1e6,
                   warmup_iterations=WARMUP_ITERATIONS,
                   warmup_ns=time_ms * WARMUP_ITERATIONS * 1.5e6, steady=1 if steady else 0,
                   process_cpu_ns=time_ms * cpu * 1e6, process_cpu_time=time_ms * cpu / 1e3,
                   gc_cpu_ns=time_ms * GC_CPU_FACTOR * 1e6,
                   jit_cpu_ns=time_ms * JIT_CPU_FACTOR * 1e6,
                   heap_max_bytes=float(4096 * MIB if variant is None or one_core
                                        else variant.get("heap_bytes", 4096 * MIB)),
                   gc_collections=float(stops))
    r["timing"]["aggregates"] = {}
    r["timing"]["processes"] = [
        {"round": i, "repetitions": 1, "steady": steady,
         "first_iteration_ns": time_ms * FIRST_FACTOR * 1e6,
         "warmup_iterations": WARMUP_ITERATIONS,
         "warmup_ns": time_ms * WARMUP_ITERATIONS * 1.5e6}
        for i in range(len(r["timing"]["runs"]))]
    r["timing"]["steady_state"] = "steady" if steady else "no_steady_state"
    kinds = KINDS[strategy] if kinds is None else kinds
    for probe in [r["probe"]] + r["probe_rounds"]:
        n = probe["iterations"]
        table = {k: summary(0, 0) for k in kinds}
        if kinds:
            table[kinds[0]] = summary(stops * n, int(worst * 1e6))
        if "alloc_stall" in kinds:
            table["alloc_stall"] = summary(3, int(ZGC_STALL_MS * 1e6))
        table["safepoint"] = summary(5, 200_000)
        probe["pauses"] = {"kinds": table, "events": [], "events_threshold_ns": 10000,
                           "events_overflow": 0}
        probe["reclaim_kind"] = "gc_stop_world"
        for key in ("allocations_per_iteration", "frees_per_iteration"):
            probe["counts"].pop(key, None)
        probe["gc"] = {"collections": stops * n, "cpu_ns": time_ms * GC_CPU_FACTOR * 1e6 * n,
                       "jit_cpu_ns": time_ms * JIT_CPU_FACTOR * 1e6 * n,
                       "process_cpu_ns": time_ms * cpu * 1e6 * n,
                       "wall_ns": time_ms * 1e6 * n, "steady": steady}
        probe["strategy_stats"] = {}
        zgc = strategy == "java-zgc"
        probe["memory"].update(
            baseline_rss_bytes=int(RESTING_RSS_MIB * MIB),
            baseline_pss_bytes=int(RESTING_PSS_MIB * MIB),
            final_rss_bytes=int((ZGC_RSS_MIB if zgc else rss) * MIB),
            final_pss_bytes=int((ZGC_PSS_MIB if zgc else rss * 0.9) * MIB))
        if probe.get("stalls"):
            probe["stalls"]["gaps"]["max_ns"] = int(
                (ZGC_STALL_MS + 2 if zgc else worst + 0.5) * 1e6)
    return r


def clone_work(records, workload, params):
    out = []
    for r in records:
        c = copy.deepcopy(r)
        c["workload"] = workload
        c["params"] = dict(params)
        parts = c["name"].split("/")
        c["name"] = "/".join([workload, parts[1]] + [f"{k}:{v}" for k, v in params.items()])
        out.append(c)
    return out


def java_document():
    doc = curves.curve_document()
    cpp = list(doc["records"])
    clone = clone_work(cpp, *CLONE)
    for r in clone:
        if r["strategy"] == "gc" and not r.get("variant") and r["status"] == "ok":
            set_figures(r, GC_TIME["list_churn"], 20.0, 30.0, 4, 2.0, "gc_stop_world")
    records = cpp + clone
    raii = [r for r in records if r["strategy"] == "raii"]
    for r in raii:
        rb = copy.deepcopy(r)
        rb["strategy"] = "rust-box"
        rb["name"] = rb["name"].replace("/raii/", "/rust-box/")
        set_figures(rb, RUST_MS, 10.5, None, None, None, "gc_stop_world")
        records.append(rb)
    doc["strategies"].append(declaration(doc, "rust-box", "Rust", counterpart="raii",
                                         collects=False, reclaim_kind="release"))
    heap = {"cap_flag": "--java_max_heap_mib", "presize_flag": "--java_initial_heap_mib",
            "flag_unit_bytes": MIB, "granularity_bytes": MIB, "unit_group": "java"}
    variants = [{"name": "cpus_1", "label": "1 core", "flags": ["--java_cpus=1"],
                 "summary": "pinned to one core (taskset): what the second core buys"}]
    for s in JAVA:
        doc["strategies"].append(declaration(
            doc, s, "Java", counterpart="gc", collects=True, reclaim_kind="gc_stop_world",
            frees="none", heap=dict(heap), variants=copy.deepcopy(variants),
            default_selected=s == "java-g1"))
    templates = {r["workload"]: r for r in records
                 if r["strategy"] == "gc" and not r.get("variant")}
    for workload, per in FIGURES.items():
        for s, settings in per.items():
            for setting, figures in settings.items():
                variant = None
                if setting in MULTIPLES:
                    m = MULTIPLES[setting]
                    variant = {"name": setting, "label": f"heap {m:g}x", "series": "heap",
                               "value": m, "heap_multiple": m,
                               "heap_bytes": int(m * UNIT_BYTES),
                               "flags": [f"--java_max_heap_mib={int(m * 8)}",
                                         f"--java_initial_heap_mib={int(m * 8)}"]}
                elif setting == "cpus_1":
                    variant = {"name": "cpus_1", "label": "1 core", "series": "cpus_1",
                               "value": None, "flags": ["--java_cpus=1"]}
                steady = not (workload == "list_churn" and s == "java-g1")
                records.append(java_record(templates[workload], s, workload, figures,
                                           variant, steady))
    na = copy.deepcopy(templates["binary_trees"])
    na.update(strategy="java-zgc", name=na["name"].replace("/gc/", "/java-zgc/"),
              status="not_applicable", timing=None, probe=None, probe_rounds=[],
              failure={"phase": "timing", "reason": ZGC_REASON}, variant=None)
    records.append(na)
    doc["records"] = records
    units = []
    for workload, params in (("binary_trees", templates["binary_trees"]["params"]), CLONE):
        for u in doc["heap_units"][:1]:
            if workload != "binary_trees":
                u = dict(copy.deepcopy(u), workload=workload, params=dict(params))
                units.append(u)
        base = copy.deepcopy(doc["heap_units"][0])
        base.update(workload=workload, params=dict(params), strategy="java-serial",
                    unit_group="java", bisected_with="java-serial",
                    granularity_bytes=MIB,
                    command="memstrat_java --java_max_heap_mib={heap_mib}")
        units.append(base)
        # java-g1 carries a copy; java-epsilon and java-zgc have none of their
        # own (looked up by group).
        units.append(dict(copy.deepcopy(base), strategy="java-g1"))
    doc["heap_units"] += units
    doc["summary"] = {"records": len(records),
                      "failed": sum(r["status"] == "failed" for r in records),
                      "not_applicable": sum(r["status"] == "not_applicable" for r in records)}
    return doc
