"""The registry of measures: every quantity the scripts show, declared once
with its key, label, unit, formatter, how to read it from a record, whether
lower is better, and the relative change scripts/compare counts as a change.
The summary chart, the report's tables and scripts/compare iterate over
REGISTRY; none of them names a measure's getter or header itself.

Adding a measure is one Measure(...) in REGISTRY (and, if it comes from a
new field, a fixture refresh: scripts/tests/fixtures/README.md). Its place
in REGISTRY is its place in tables and charts.

The formatters live here too, one per kind of value: a duration is always
written by format_ns, whatever its source unit."""

from dataclasses import dataclass, field
from typing import Callable, Optional, Sequence

from memstrat.metrics import (cpu_share, cv, median_time_ms, peak_rss_bytes,
                              reclaim_summary, repetition_times_ms, timing_counter_median,
                              warmup)

MIB = 1024 * 1024


# Formatters -------------------------------------------------------------

def format_ns(ns, digits=3):
    """A duration in ns as '850 ns', '12 µs', '1.5 ms', '2 s': the one
    duration formatter of charts, report and compare."""
    # Rounded first, so that 999.9 µs reads 1 ms, not 1e+03 µs.
    ns = float(f"{ns:.{digits}g}")
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if abs(ns) >= scale:
            break
    else:
        unit, scale = "ns", 1.0
    return f"{ns / scale:.{digits}g} {unit}"


def format_ms(ms):
    return format_ns(ms * 1e6)


def format_clock(seconds):
    """A wall-clock span as m:ss (the runner's progress line)."""
    seconds = int(round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def format_mib(nbytes):
    return f"{nbytes / MIB:.1f} MiB"


def format_bytes(nbytes):
    """'512 B', '3.2 KiB', '12.5 MiB'."""
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if abs(nbytes) >= scale:
            return f"{nbytes / scale:.3g} {unit}"
    return f"{nbytes:,.0f} B"


def format_count(n):
    return f"{n:,.0f}"


def format_percent(fraction):
    return f"{fraction:.1%}"


def format_ratio(value):
    return f"{value:.2f}x"


# Readers ----------------------------------------------------------------
# Each returns fn(record, catalogue) -> number or None; catalogue is a
# results.Catalogue (what the documents declare about the strategies).

def probe_count(key):
    """A per-iteration count of the record's probe (probe.counts[key])."""
    def read(record, _catalogue):
        probe = record.get("probe")
        return probe["counts"].get(key) if probe else None
    return read


def timing_counter(name, aggregate="median"):
    """A Google Benchmark counter of the record's timing, from an aggregate
    over the repetitions (median by default)."""
    def read(record, _catalogue):
        timing = record.get("timing")
        entry = (timing or {}).get("aggregates", {}).get(aggregate)
        value = entry.get(name) if entry else None
        return value if isinstance(value, (int, float)) else None
    return read


def counter(name):
    """A counter the harness writes both ways: the probe's per-iteration
    count (probe.counts.<name>_per_iteration) where there is one, else the
    timing runs' median counter <name>."""
    from_probe, from_timing = probe_count(f"{name}_per_iteration"), timing_counter(name)

    def read(record, catalogue):
        value = from_probe(record, catalogue)
        return value if value is not None else from_timing(record, catalogue)
    return read


def _median_time(record, _catalogue):
    return median_time_ms(record)


def _time_cv(record, _catalogue):
    return cv(repetition_times_ms(record))


def _worst_pause(record, catalogue):
    summary = reclaim_summary(record, catalogue.reclaim_kind(record))
    return summary["max_ns"] if summary else None


def _peak_rss(record, _catalogue):
    return peak_rss_bytes(record)


def _final_pss(record, _catalogue):
    probe = record.get("probe")
    return probe["memory"].get("final_pss_bytes") if probe else None


def _memory(key):
    """A figure of the record's probe memory (probe.memory.<key>)."""
    def read(record, _catalogue):
        probe = record.get("probe")
        return probe["memory"].get(key) if probe else None
    return read


def _rss_over_pss(record, _catalogue):
    probe = record.get("probe")
    if not probe:
        return None
    rss, pss = probe["memory"].get("final_rss_bytes"), probe["memory"].get("final_pss_bytes")
    return rss / pss if rss and pss else None


def _warmup(key):
    def read(record, _catalogue):
        w = warmup(record)
        return w[key] if w else None
    return read


def _first_over_steady(record, _catalogue):
    w, steady = warmup(record), median_time_ms(record)
    first = w and w["first_iteration_ns"]
    return first / 1e6 / steady if first and steady else None


def _cpu_share(record, _catalogue):
    return cpu_share(record)


def _cpu_counter(name):
    def read(record, _catalogue):
        return timing_counter_median(record, name)
    return read


# The registry -----------------------------------------------------------

@dataclass(frozen=True)
class Measure:
    key: str                          # JSON key in compare's output
    label: str                        # column header, chart title
    unit: str                         # of what read returns: ms, ns, bytes, count, fraction
    format: Callable[[float], str]
    read: Callable                    # (record, catalogue) -> number or None
    # Relative change scripts/compare calls "changed" (|new - old| / old at
    # least this); None leaves the measure out of compare.
    threshold: Optional[float] = None
    lower_is_better: bool = True
    # (record) -> the measure's value in each repetition: compare adds the
    # Mann-Whitney U test over them (a change must also be significant).
    samples: Optional[Callable] = None
    summary: bool = False             # a panel of the summary chart (ratio to the baseline)
    report: bool = False              # a column of the report's per-workload tables
    relative: bool = False            # the report also gives it ÷ the baseline's
    runtime: bool = False             # a column of the report's runtime tables (JVM)
    describe: str = ""                # what it is, for chart notes
    flag_aliases: Sequence[str] = field(default_factory=tuple)  # compare's older flags

    @property
    def flag(self):
        """compare's flag for this measure's threshold."""
        return f"--{self.key.replace('_', '-')}-threshold"

    def value(self, record, catalogue):
        return self.read(record, catalogue)

    def text(self, value):
        return "" if value is None else self.format(value)


REGISTRY = [
    Measure("time", "run time", "ms", format_ms, _median_time, threshold=0.05,
            samples=repetition_times_ms, summary=True, report=True, relative=True,
            describe="median wall-clock time of one run of the workload",
            flag_aliases=("--threshold",)),
    Measure("time_cv", "cv", "fraction", format_percent, _time_cv, report=True,
            describe="coefficient of variation of the repetitions' times"),
    Measure("worst_pause", "worst pause", "ns", format_ns, _worst_pause, threshold=0.5,
            summary=True, report=True,
            describe="the longest of the strategy's own reclaim pauses",
            flag_aliases=("--pause-threshold",)),
    Measure("peak_rss", "peak RSS", "bytes", format_mib, _peak_rss, threshold=0.1,
            summary=True, report=True, describe="peak resident set of the probe run",
            flag_aliases=("--memory-threshold",)),
    Measure("final_pss", "resting PSS", "bytes", format_mib, _final_pss, report=True,
            describe="proportional set size after the probe's runs (smaps_rollup: "
                     "shared pages split among their sharers, each page once however "
                     "often it is mapped)"),
    Measure("allocations", "allocations/run", "count", format_count,
            probe_count("allocations_per_iteration"), report=True,
            describe="heap allocations per run of the workload: objects and container "
                     "buffers"),
    Measure("objects", "objects/run", "count", format_count,
            probe_count("objects_per_iteration"), report=True,
            describe="objects made per run (one per C++ make<T>): the same in every "
                     "strategy and language"),
    Measure("buffers", "buffers/run", "count", format_count,
            probe_count("buffers_per_iteration"), report=True,
            describe="container buffers allocated per run (vector growth, strings, "
                     "hash tables; an arena's chunks): how a language lays out and grows "
                     "its containers"),
    Measure("buffer_bytes", "buffer bytes/run", "bytes", format_bytes,
            probe_count("buffer_bytes_per_iteration"),
            describe="bytes of those buffers, per run"),
    Measure("bytes_requested", "bytes requested/run", "bytes", format_bytes,
            probe_count("bytes_requested_per_iteration"),
            describe="bytes the workload asked its strategy for, per run"),
    Measure("overhead_bytes", "owner overhead/run", "bytes", format_bytes,
            counter("overhead_bytes"),
            describe="bytes owners cost beyond the objects (a shared_ptr's control "
                     "block), per run"),
    # A runtime that warms up or runs threads beside the program (a JVM, V8,
    # Go's runtime).
    Measure("first_iteration", "first iteration", "ns", format_ns,
            _warmup("first_iteration_ns"), runtime=True,
            describe="the first iteration of each process, wall (median over the "
                     "processes): what a program run once pays"),
    Measure("first_vs_steady", "first ÷ steady", "ratio", format_ratio,
            _first_over_steady, runtime=True,
            describe="the first iteration over the steady-state median run time"),
    Measure("warmup_iterations", "warm-up iterations", "count", format_count,
            _warmup("warmup_iterations"), runtime=True,
            describe="iterations run and discarded before the repetitions, per process"),
    Measure("warmup_time", "warm-up time", "ns", format_ns, _warmup("warmup_ns"),
            runtime=True, describe="all of a process's warm-up, wall"),
    Measure("cpu_share", "CPU ÷ wall", "ratio", format_ratio, _cpu_share, runtime=True,
            describe="process CPU time of one run (every thread) over its wall time: "
                     "above 1, threads beside the program (collector, JIT) used the "
                     "other core"),
    Measure("gc_cpu", "collector CPU/run", "ns", format_ns, _cpu_counter("gc_cpu_ns"),
            runtime=True, describe="CPU of the collector's threads per run"),
    Measure("jit_cpu", "JIT CPU/run", "ns", format_ns, _cpu_counter("jit_cpu_ns"),
            runtime=True, describe="CPU of the JIT compiler's threads per run"),
    Measure("heap_max", "max heap", "bytes", format_bytes, _cpu_counter("heap_max_bytes"),
            runtime=True, describe="the heap the runtime may grow to (a JVM's "
                                   "Runtime.maxMemory(): -Xmx, or its default; V8's "
                                   "heap size limit; Go's memory limit)"),
    Measure("start_rss", "RSS before the runs", "bytes", format_mib,
            _memory("baseline_rss_bytes"),
            describe="RSS before the measured runs (a runtime's, such as a JVM's: "
                     "the runtime as it came up, before the workload)"),
    Measure("start_pss", "PSS before the runs", "bytes", format_mib,
            _memory("baseline_pss_bytes"),
            describe="proportional set size before the measured runs"),
    Measure("final_rss", "final RSS", "bytes", format_mib, _memory("final_rss_bytes"),
            describe="RSS after the probe's runs"),
    Measure("rss_over_pss", "RSS ÷ PSS", "ratio", format_ratio, _rss_over_pss,
            describe="final RSS over final PSS: above 1, pages counted more than once "
                     "in RSS (a heap mapped several times, ZGC's) or shared with "
                     "other processes"),
]


def get(key):
    """The registered measure of that key."""
    return next(m for m in REGISTRY if m.key == key)


def compared():
    return [m for m in REGISTRY if m.threshold is not None]


def summarised():
    return [m for m in REGISTRY if m.summary]


def reported():
    return [m for m in REGISTRY if m.report]


def runtime():
    return [m for m in REGISTRY if m.runtime]
