"""The variants a curve run adds to the matrix, from what the strategies
declare (`memstrat_bench --list_strategies`): nothing here names a strategy
or one of its flags.

A strategy may declare
- `heap`: the flags that cap and pre-size its heap, their unit, and the
  granularity its heap grows by. The runner first bisects the smallest heap
  each of its benchmarks completes in (the heap unit, scripts/memstrat/
  minheap.py), then runs it at multiples of that unit: variants heap_<m>x,
  capped and pre-sized to ceil(m x unit / granularity) granules, as Java's
  -Xms = -Xmx.
- `sweeps`: settings swept over values (`<sweep>_<v>`), the heap uncapped;
  the plain record is the sweep's default point.
- `variants`: named settings (`markers_1`), each a record of its own.

Every variant is a record of the same work as the plain one, with
`variant` saying what it is (name, label, series, value, flags, and for the
heap series the multiple and the cap)."""

import json
import math
import os
import re
import shutil
import subprocess
import tempfile
import time

from memstrat import minheap
from memstrat.cli import UsageError

DEFAULT_HEAP_MULTIPLES = (1.25, 1.5, 2.0, 3.0, 4.0, 6.0)
# A trial may take this many times as long as the uncapped run before it
# counts as a failure ("timed out"): near its minimum a collector may spend
# far longer collecting than the program computing, and a size where it
# thrashes that badly is not one it usefully completes in.
TRIAL_TIMEOUT_FACTOR = 20
TRIAL_TIMEOUT_FLOOR_S = 30
# The bisection's first cap is the heap the uncapped run reached; the
# generous cap, where a failure means it never completes, is this many times
# that.
GENEROUS_FACTOR = 64
PLACEHOLDER_FOR_UNIT = {1: "heap_bytes", 1024: "heap_kib", 1024 * 1024: "heap_mib"}
NAME = re.compile(r"^[a-z0-9_.]+$")


def number_text(value):
    """2.0 -> '2', 1.25 -> '1.25': a value as its name and label show it."""
    return f"{value:g}"


def as_number(value):
    return int(value) if float(value).is_integer() else float(value)


def parse_multiples(text):
    """--heap-multiples: comma-separated multiples of the heap unit, each at
    least 1 (below the unit the program does not complete)."""
    if text is None:
        return list(DEFAULT_HEAP_MULTIPLES)
    items = [t.strip() for t in text.split(",") if t.strip()]
    if not items:
        raise UsageError("--heap-multiples is empty; give multiples of the heap unit such "
                         "as 1.25,1.5,2,3,4,6")
    multiples = []
    for t in items:
        try:
            m = float(t)
        except ValueError:
            m = math.nan
        if not math.isfinite(m):
            raise UsageError(f"--heap-multiples: '{t}' is not a number; give multiples of "
                             "the heap unit such as 1.25,1.5,2,3,4,6")
        if m < 1:
            raise UsageError(f"--heap-multiples: {t} is below 1; the heap unit is the "
                             "smallest heap the benchmark completes in, so give multiples "
                             "of at least 1")
        if m in multiples:
            raise UsageError(f"--heap-multiples: {t} is given twice")
        multiples.append(m)
    return multiples


def declared_sweeps(strategies):
    """{sweep name: [its declarations, one per strategy declaring it]}."""
    found = {}
    for d in strategies:
        for s in d.get("sweeps") or []:
            found.setdefault(s["name"], []).append(s)
    return found


def parse_sweeps(items, strategies):
    """--sweep NAME=V,V,... (repeatable): the values replacing a declared
    sweep's, each within its [min, max]. Returns {name: [values]}."""
    declared = declared_sweeps(strategies)
    chosen = {}
    for item in items or []:
        name, eq, values = item.partition("=")
        name = name.strip()
        if not eq or not name:
            raise UsageError(f"--sweep '{item}' is not NAME=V,V,...; for example "
                             f"--sweep {next(iter(declared), 'NAME')}=1,2,5")
        if name not in declared:
            known = ", ".join(declared) or "none"
            raise UsageError(f"--sweep: unknown sweep '{name}'; the strategies declare "
                             f"{known}")
        if name in chosen:
            raise UsageError(f"--sweep {name} is given twice")
        texts = [v.strip() for v in values.split(",") if v.strip()]
        if not texts:
            raise UsageError(f"--sweep {name}= gives no values")
        parsed = []
        for t in texts:
            try:
                v = float(t)
            except ValueError:
                v = math.nan
            for s in declared[name]:
                whole = all(isinstance(s.get(k), int) for k in ("min", "max"))
                if not math.isfinite(v) or (whole and not v.is_integer()):
                    raise UsageError(f"--sweep {name}: '{t}' is not "
                                     f"{'a whole number' if whole else 'a number'}")
                if not s["min"] <= v <= s["max"]:
                    raise UsageError(f"--sweep {name}: {t} is outside [{s['min']}, "
                                     f"{s['max']}], the range of {s['flag']}")
            if as_number(v) in parsed:
                raise UsageError(f"--sweep {name}: {t} is given twice")
            parsed.append(as_number(v))
        chosen[name] = parsed
    return chosen


def unit_step(heap):
    """The step heap sizes are multiples of: the granularity the strategy
    declares, rounded up to the unit its flags take."""
    unit = heap["flag_unit_bytes"]
    return minheap.round_up(max(heap["granularity_bytes"], unit), unit)


def placeholder(heap):
    name = PLACEHOLDER_FOR_UNIT.get(heap["flag_unit_bytes"])
    if name is None:
        raise UsageError(f"a strategy declares heap flags in units of "
                         f"{heap['flag_unit_bytes']} bytes; the runner takes "
                         f"{', '.join(str(u) for u in PLACEHOLDER_FOR_UNIT)}")
    return "{" + name + "}"


def heap_flags(heap, heap_bytes):
    """The flags capping the heap at heap_bytes and pre-sizing it to that
    (when the strategy declares a pre-size flag)."""
    value = str(-(-heap_bytes // heap["flag_unit_bytes"]))
    return [f"{flag}={value}" for flag in (heap["cap_flag"], heap.get("presize_flag"))
            if flag]


def heap_cap(heap, unit_bytes, multiple):
    step = unit_step(heap)
    return max(step, math.ceil(multiple * unit_bytes / step) * step)


def variants_for(declaration, multiples, sweeps, unit):
    """The variants of one benchmark of a strategy, in order: the heap
    series (when it declares `heap`), each sweep's values but its default,
    each declared variant. Returns [(variant, failure reason or None)]: a
    heap variant of a benchmark without a heap unit fails with the unit's
    reason. `unit` is its heap_units entry (None without `heap`)."""
    out = []
    heap = declaration.get("heap")
    if heap:
        ok = unit is not None and unit.get("status") == "ok"
        for m in multiples:
            # Without a unit there is no cap: heap_bytes is left out.
            variant = {"name": f"heap_{number_text(m)}x", "label": f"heap {number_text(m)}x",
                       "series": "heap", "value": as_number(m), "flags": [],
                       "heap_multiple": as_number(m)}
            if ok:
                cap = heap_cap(heap, unit["unit_bytes"], m)
                variant.update(flags=heap_flags(heap, cap), heap_bytes=cap)
                out.append((variant, None))
            else:
                status = unit["status"] if unit else "missing"
                reason = (unit or {}).get("reason") or "no heap unit"
                out.append((variant, f"no heap unit ({status}): {reason}"))
    for s in declaration.get("sweeps") or []:
        values = sweeps.get(s["name"], s.get("values") or [])
        for v in values:
            if v == s.get("default"):
                continue  # the plain record is the default point
            out.append(({"name": f"{s['name']}_{number_text(v)}",
                         "label": f"{s['label']} {number_text(v)}",
                         "series": s["name"], "value": as_number(v),
                         "flags": [f"{s['flag']}={number_text(v)}"]}, None))
    for d in declaration.get("variants") or []:
        out.append(({"name": d["name"], "label": d["label"], "series": d["name"],
                     "value": None, "flags": list(d["flags"])}, None))
    names = [v["name"] for v, _ in out]
    for n in names:
        if not NAME.match(n) or names.count(n) > 1:
            raise UsageError(f"strategy {declaration['name']}: variant name '{n}' is "
                             "not unique or not made of a-z, 0-9, '_' and '.'; fix its "
                             "declaration")
    return out


def cap_arguments(heap):
    size_arg = placeholder(heap)
    return [f"{flag}={size_arg}" for flag in (heap["cap_flag"], heap.get("presize_flag"))
            if flag]


def trial_template(bench, size, name, heap, sample_period_ms, out=None):
    """The probe command of one bisection trial: one measured iteration
    after the warm-up, the heap capped and pre-sized to the size tried; its
    probe written to `out` when given (a port's protocol asks for a file)."""
    return ([bench, f"--size={size}", f"--probe={name}", "--probe_iterations=1",
             f"--sample_period_ms={sample_period_ms}"] +
            ([f"--probe_out={out}"] if out else []) + cap_arguments(heap))


def timing_template(bench, size, name, heap, repetitions, min_time_s, warmup_s,
                    out=None):
    """The timing command of one bisection trial: one round's timing run of
    the benchmark as the profile makes it (Google Benchmark, its share of
    the repetitions, min time, warm-up), capped and pre-sized the same. It
    is a trial's larger demand: the heap a collector needs after dozens of
    iterations in one process can be twice what one iteration after a
    warm-up needs (docs/measurements.md). Its Google Benchmark JSON goes to
    `out` when given, as a record's does."""
    return ([bench, f"--size={size}", f"--benchmark_filter=^{re.escape(name)}$",
             f"--benchmark_repetitions={repetitions}", f"--benchmark_min_time={min_time_s}",
             f"--benchmark_min_warmup_time={warmup_s}"] +
            ([f"--benchmark_out={out}", "--benchmark_out_format=json"] if out else []) +
            cap_arguments(heap))


def reached_bytes(probe):
    """The most memory an uncapped probe saw its heap hold: the largest
    sample of the strategy's own figure on the timeline, else the peak RSS."""
    memory = probe.get("memory") or {}
    samples = [s for s in ((memory.get("timeline") or {}).get("strategy_bytes") or [])
               if isinstance(s, (int, float))]
    return int(max(samples)) if samples else int(memory.get("peak_rss_bytes") or 0)


def uncapped_run(bench, size, name, sample_period_ms, timeout_s, preexec):
    """One probe run without a cap: (heap reached, seconds, None) or
    (None, seconds, failure reason)."""
    fd, path = tempfile.mkstemp(prefix="memstrat-minheap-", suffix=".json")
    os.close(fd)
    began = time.monotonic()
    try:
        proc = subprocess.run([bench, f"--size={size}", f"--probe={name}",
                               "--probe_iterations=1", f"--sample_period_ms={sample_period_ms}",
                               f"--probe_out={path}"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True, timeout=timeout_s,
                              preexec_fn=preexec, check=False)
        seconds = time.monotonic() - began
        if proc.returncode != 0:
            return None, seconds, (f"{minheap.describe_exit(proc.returncode)}: "
                                   f"{minheap.last_line(proc.stderr)}")
        with open(path, encoding="utf-8") as f:
            reached = reached_bytes(json.load(f)["probe"])
        return (reached, seconds, None) if reached > 0 else (
            None, seconds, "the probe reported no memory figure")
    except subprocess.TimeoutExpired:
        return None, time.monotonic() - began, f"timed out after {timeout_s:g} s"
    except (OSError, ValueError, KeyError) as e:
        return None, time.monotonic() - began, f"cannot read the uncapped probe: {e}"
    finally:
        os.remove(path)


def heap_unit(bench, benchmark, allocator, declaration, profile, repetitions, preexec,
              running):
    """Bisects the heap unit of one benchmark: an uncapped probe run gives
    the first size tried (the heap it reached) and the generous cap (64x
    that); then minheap.find_minimum, each size `minheap_trials` trials, a
    trial being what a record runs in one round: its timing run (of
    `repetitions` repetitions) and its probe, both capped and pre-sized to
    the size; it completes when both exit 0. `running` is a one-item list
    holding the running trial's CommandTrial, for the runner's interruption
    to kill. Returns the heap_units entry."""
    heap = declaration["heap"]
    entry = {"workload": benchmark["workload"], "params": benchmark["params"],
             "strategy": benchmark["strategy"], "allocator": allocator}
    # The trials write their outputs, as the protocol's programs (a port)
    # must, into a directory of their own that goes with the bisection.
    scratch = tempfile.mkdtemp(prefix="memstrat-minheap-")
    try:
        return _bisect(bench, benchmark, entry, heap, profile, repetitions, preexec,
                       running, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _bisect(bench, benchmark, entry, heap, profile, repetitions, preexec, running,
            scratch):
    templates = [timing_template(bench, profile["size"], benchmark["name"], heap,
                                 repetitions, profile["min_time_s"], profile["warmup_s"],
                                 out=os.path.join(scratch, "timing.json")),
                 trial_template(bench, profile["size"], benchmark["name"], heap,
                                profile["sample_period_ms"],
                                out=os.path.join(scratch, "probe.json"))]
    reached, seconds, failure = uncapped_run(bench, profile["size"], benchmark["name"],
                                             profile["sample_period_ms"],
                                             profile["timeout_s"], preexec)
    timeout = min(profile["timeout_s"],
                  max(TRIAL_TIMEOUT_FLOOR_S, TRIAL_TIMEOUT_FACTOR * seconds))
    trial = minheap.CommandTrial(templates, timeout, preexec=preexec,
                                 labels=["timing", "probe"])
    if failure is not None:
        return trial.describe(dict(
            entry, status="failed", unit_bytes=None,
            interval={"fails_bytes": None, "completes_bytes": None},
            granularity_bytes=unit_step(heap), trials=profile["minheap_trials"],
            precision=profile["minheap_precision"], max_bytes=None, probes=[],
            reason=f"the uncapped run failed: {failure}", start_bytes=None))
    running[0] = trial
    try:
        found = minheap.find_minimum(trial, unit_step(heap), reached,
                                     profile["minheap_trials"],
                                     GENEROUS_FACTOR * reached,
                                     profile["minheap_precision"])
    finally:
        running[0] = None
    return trial.describe(dict(entry, **found, start_bytes=reached))
