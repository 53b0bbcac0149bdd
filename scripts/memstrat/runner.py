"""The suite runner: runs the matrix workload x strategy x allocator, each
benchmark in its own processes (timing runs under Google Benchmark, then a
measurement run with --probe), and merges the parts into one results
document with memstrat_results. See `scripts/run --help`.

Timing runs in rounds: each round runs every benchmark once, for its share
of the repetitions, in a shuffled order (a fixed seed per round). On a
shared machine noise comes in bursts lasting seconds to minutes; run all of
one benchmark's repetitions back to back and a burst lands on one strategy
and becomes a "result". Interleaved, every strategy sees the same weather.
Each round also times two calibration loops (memstrat_micro) whose code and
data never change: their spread is the run's noise floor. Every round also
probes every benchmark, so a worst pause or a p99 is not a single sample.

A run never destroys another and survives interruption: each run writes its
own directory (results/<date>-<time>-<host>, or an empty or --replace'd
--out), holds a machine-wide lock (flock, released by the kernel if the run
dies) so two runs never share the machine, and keeps each finished cell
(benchmark x round, timing and probe) in DIR/cells/ as it completes, so
--resume DIR runs only what is missing, with the same seeds. DIR/run.json
records what the run is (revision, binaries, profile, settings, selection,
environment); a resume that differs in any of them is refused."""

import argparse
import ctypes
import datetime
import fcntl
import hashlib
import json
import os
import platform
import random
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from memstrat import builds, environment, minheap, ports, variants
from memstrat.cli import UsageError, prepare_out_dir
from memstrat.measures import format_clock
from memstrat.metrics import cv, median

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

# What each profile runs. Raising repetitions or min_time narrows the spread
# of the medians and lengthens the run about proportionally; the warm-up
# (run and discarded before each round's repetitions) keeps heap growth and
# cold caches out of the first repetition. More rounds spread the
# repetitions over more of the run's duration, at the cost of one process
# start and one warm-up per benchmark per round. Every round also probes
# every benchmark (a warm-up run, then probe_iterations measured runs): the
# default profile measures one run per probe, over three rounds, rather than
# three runs in one process, and each repetition lasts at least 0.4 s, not
# 0.5 s, to pay for it (docs/measurements.md: what that trades). Seven C++
# strategies on two allocators are 140 benchmarks, the Rust port's three
# strategies 30 more, and the clang-14 build's baseline and the Rust
# strategies' counterparts 40 more: 6 repetitions (3 rounds of 2) keep the
# default run within 20 minutes on a 2-core machine (8 over 4 rounds took
# 17 minutes for the 140 alone). The JavaScript and Go ports' 20 more (a
# JIT's warm-up and a child process per part: 198 s and 108 s of a 24 min
# 40 s run at 0.4 s) are paid for by 0.25 s a repetition instead of 0.4,
# nearer the curve and full profiles' 0.2.
PROFILES = {
    "quick": {"size": "small", "repetitions": 3, "rounds": 3, "min_time_s": 0.05,
              "warmup_s": 0.02, "probe_iterations": 2, "sample_period_ms": 5,
              "timeout_s": 120},
    "default": {"size": "default", "repetitions": 6, "rounds": 3, "min_time_s": 0.25,
                "warmup_s": 0.1, "probe_iterations": 1, "sample_period_ms": 10,
                "timeout_s": 900, "builds": ["release-clang"]},
    # The curve profiles add every strategy's declared variants (the heap
    # series after a bisection of each benchmark's heap unit, the sweeps,
    # the named variants: scripts/memstrat/variants.py) to the plain
    # records, on the baseline allocator unless told: about 20 records per
    # workload instead of 14 (docs/measurements.md, "The minimum heap and
    # the curve", for the budget: all workloads within 30 minutes).
    "curve": {"size": "default", "repetitions": 6, "rounds": 3, "min_time_s": 0.2,
              "warmup_s": 0.05, "probe_iterations": 1, "sample_period_ms": 10,
              "timeout_s": 600, "variants": True, "minheap_trials": 3,
              "minheap_precision": 0.0},
    "curve-quick": {"size": "small", "repetitions": 2, "rounds": 2, "min_time_s": 0.02,
                    "warmup_s": 0.01, "probe_iterations": 1, "sample_period_ms": 5,
                    "timeout_s": 120, "variants": True, "minheap_trials": 2,
                    "minheap_precision": 0.0},
    # Everything: every strategy (those declaring default_selected false
    # too), every port, the default allocators and the other builds as in
    # the default profile, and every declared variant (heap series after
    # each heap unit's bisection, sweeps, named variants such as a port's
    # one-core run) on the baseline allocator, at the default size. Each
    # record costs a process start per round and part (a JVM's start and
    # warm-up included), so it trades repetitions for coverage: the curve
    # profile's 6 repetitions over 3 rounds (3 processes per record: a
    # port's several invocations) at 0.2 s, and 2 trials per bisected size,
    # stopping within 2% of the unit. Its cost, estimated in
    # docs/measurements.md ("The full profile") from a measured subset
    # (4.0 s per C++ record, 3.2 s a record a round in a Java-heavy
    # subset): about half an hour for the C++ and Rust records, about
    # 2 h 30 min with the Java port's 480 records and the bisections; run it
    # overnight, with --resume after a stop.
    "full": {"size": "default", "repetitions": 6, "rounds": 3, "min_time_s": 0.2,
             "warmup_s": 0.05, "probe_iterations": 1, "sample_period_ms": 10,
             "timeout_s": 900, "builds": ["release-clang"], "variants": True,
             "variants_on": "baseline", "minheap_trials": 2,
             "minheap_precision": 0.02},
}
# The profile that runs every declared strategy, those declaring
# `default_selected: false` too (the others leave them out unless
# --strategies names them).
ALL_STRATEGIES_PROFILES = ("full",)
# What a profile with variants records in its settings beside the others.
VARIANT_SETTINGS = ("minheap_trials", "minheap_precision")
CALIBRATION_FILTER = "^calibration/"
# One run at a time on the machine: a second would take cores and memory
# bandwidth from the first and move its figures. MEMSTRAT_LOCK names another
# file (the tests use their own so they can run in parallel).
LOCK_PATH = "/tmp/memstrat-run.lock"
RUN_FILE = "run.json"
RUN_FILE_FORMAT = 1
# The flags that change the work, and so must match on --resume.
WORK_FLAGS = ("profile", "workloads", "strategies", "allocators", "ports", "builds",
              "repetitions",
              "rounds", "timeout", "heap_multiples", "sweep")

# The allocators are the build's: cmake/Allocators.cmake declares them, one
# line each, and the build writes ALLOCATORS_FILE (name, binary, Debian
# package, whether the default selection runs it) in the declared order.
ALLOCATORS_FILE = "allocators.json"
ALLOCATORS_FORMAT = 1
# Debian packages whose versions the context records, beside each allocator's.
PACKAGES = {"google_benchmark": "libbenchmark-dev", "bdwgc": "libgc-dev",
            "nlohmann_json": "nlohmann-json3-dev", "gcc": "g++"}


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="scripts/run",
        description="Run memstrat's benchmark matrix (workload x strategy x allocator), "
                    "each benchmark in its own process, and write one results document.",
        epilog="Example: scripts/run --profile quick --workloads binary_trees,lru_cache "
               "--allocators glibc --out /tmp/r   (writes /tmp/r/results.json); "
               "scripts/run --profile curve-quick --workloads binary_trees --out /tmp/c   "
               "(the heap unit of each benchmark whose strategy declares a heap, found "
               "first by bisection, then the plain records and every declared variant: "
               "heap_<M>x, <sweep>_<V>, named ones; the document's heap_units holds the "
               "units). "
               "A benchmark whose program exits 4 (`<prog>: not applicable: <reason>`, "
               "e.g. a JVM refusing a collector or heap size) is recorded as "
               "not_applicable with that reason, which is no failure. "
               "Exit codes: 0 all ran (or were not applicable), 1 some benchmarks "
               "failed (recorded in the document), 2 bad input, 130 interrupted "
               "(nothing replaced).")
    p.add_argument("--profile",
                   help="quick (small sizes, ~2 min, for CI), default (measured sizes, "
                        "trustworthy medians), curve (the collector's space-time curve: "
                        "every strategy's declared variants besides the plain records, "
                        "each heap unit bisected first; all workloads within 30 min), "
                        "curve-quick (the same at small sizes, for tests) or full "
                        "(everything: every strategy, port, default allocator and "
                        "declared variant, at the default sizes; hours); default: "
                        "default")
    p.add_argument("--workloads", help="comma-separated workloads (default: all)")
    p.add_argument("--strategies",
                   help="comma-separated strategies (default: all, but those declaring "
                        "default_selected false outside the full profile)")
    p.add_argument("--allocators",
                   help="comma-separated allocators, or all: every one the build made "
                        "(its allocators.json lists them; cmake/Allocators.cmake declares "
                        "them); default: those declared DEFAULT, for the curve profiles "
                        "the baseline allocator (the first declared)")
    p.add_argument("--builds", metavar="DIR,DIR,...|none",
                   help="other builds of the C++ suite to run beside the run's own, for "
                        "the same-backend comparison with the ports (scripts/memstrat/"
                        "builds.py): each runs the baseline strategy and the C++ "
                        "counterparts the port strategies declare, on the baseline "
                        "allocator, as a variant named after its compiler (e.g. "
                        "raii [clang-14]); a directory that holds no build is skipped "
                        "with one line; relative names are beside --build-dir "
                        "(default: the default profile's release-clang, other "
                        "profiles none)")
    p.add_argument("--ports", metavar="NAMES|all|none",
                   help="comma-separated language ports to run beside the C++ strategies "
                        "(the build's ports.json lists them; cmake/Ports.cmake declares "
                        "them), all or none; a port's benchmarks run on the allocator "
                        "ports.json names, when that allocator is selected; a port whose "
                        "toolchain is missing is skipped with one line (default: all)")
    p.add_argument("--heap-multiples", metavar="M,M,...",
                   help="curve profiles: the heap sizes of the heap series, as multiples "
                        "(each at least 1) of each benchmark's heap unit, the smallest "
                        "heap it completes in; each variant heap_<M>x is capped and "
                        "pre-sized to M x the unit, rounded up to the declared "
                        "granularity (default: 1.25,1.5,2,3,4,6)")
    p.add_argument("--sweep", action="append", metavar="NAME=V,V,...",
                   help="curve profiles: the values of a declared sweep instead of its "
                        "declared ones, each within the sweep's declared range (e.g. "
                        "free_space_divisor=1,2,5,10,30); the plain record is the "
                        "sweep's default point; repeatable, one per sweep")
    p.add_argument("--repetitions", type=int,
                   help="timing repetitions per benchmark (default: the profile's)")
    p.add_argument("--rounds", type=int,
                   help="interleaved rounds the repetitions are spread over; 1 runs "
                        "each benchmark's repetitions back to back (default: the "
                        "profile's)")
    p.add_argument("--out", help="output directory, which must be empty or new; the "
                                 "document is OUT/results.json (default: a new "
                                 "results/<date>-<time>-<host>)")
    p.add_argument("--replace", action="store_true",
                   help="let --out be a directory that already holds a run: its files "
                        "are replaced as the new ones are written (its results.json only "
                        "by a complete new one)")
    p.add_argument("--resume", metavar="DIR",
                   help="finish the interrupted run in DIR: run only the cells missing "
                        "from DIR/cells, with the same seeds; flags not given are taken "
                        "from DIR/run.json, and flags that differ from it are refused")
    p.add_argument("--wait", action="store_true",
                   help=f"wait for another run holding the machine's lock ({LOCK_PATH}) "
                        "instead of refusing to start")
    p.add_argument("--build-dir", default=os.path.join(ROOT, "build", "release"),
                   help="where the Release build is (default: build/release)")
    p.add_argument("--report", action="store_true",
                   help="then draw the charts and write the report beside the document "
                        "(scripts/report; needs python3-matplotlib)")
    p.add_argument("--timeout", type=float,
                   help="seconds before a benchmark process is killed and recorded as "
                        "failed (default: the profile's)")
    args = p.parse_args(argv)
    if args.resume is not None and args.out is not None:
        raise UsageError("--resume DIR writes into DIR; leave --out out")
    if args.resume is not None and args.replace:
        raise UsageError("--resume keeps what DIR holds; --replace would discard it")
    return args


def check_args(args):
    if args.profile is None:
        args.profile = "default"
    if args.profile not in PROFILES:
        raise UsageError(f"unknown profile '{args.profile}'; choose one of "
                         f"{', '.join(PROFILES)}")
    if args.repetitions is not None and args.repetitions < 1:
        raise UsageError(f"--repetitions must be at least 1, got {args.repetitions}")
    if args.rounds is not None and args.rounds < 1:
        raise UsageError(f"--rounds must be at least 1, got {args.rounds}")
    if args.timeout is not None and args.timeout <= 0:
        raise UsageError(f"--timeout must be positive, got {args.timeout}")
    if not PROFILES[args.profile].get("variants"):
        for flag, value in (("--heap-multiples", args.heap_multiples),
                            ("--sweep", args.sweep)):
            if value is not None:
                curves = ", ".join(n for n, p in PROFILES.items() if p.get("variants"))
                raise UsageError(f"{flag} is for the profiles that run variants "
                                 f"({curves}); the {args.profile} profile runs none")


def split_list(text, valid, flag, noun, default=None):
    if text is None:
        return list(valid if default is None else default)
    chosen = [t.strip() for t in text.split(",") if t.strip()]
    if not chosen:
        raise UsageError(f"--{flag} is empty")
    for c in chosen:
        if c not in valid:
            raise UsageError(f"unknown {noun} '{c}'; choose from {', '.join(valid)}")
    return chosen


def default_strategies(listed, declared, profile_name):
    """The strategies a run without --strategies runs, in the order of the
    listed benchmarks: every one in the full profile; in the others, all
    but those declaring `default_selected: false` (a port's costly or
    redundant ones: docs/extending.md)."""
    names = dict.fromkeys(b["strategy"] for b in listed)
    if profile_name in ALL_STRATEGIES_PROFILES:
        return list(names)
    left_out = {d["name"] for d in declared if d.get("default_selected") is False}
    return [n for n in names if n not in left_out]


BUILD_FIRST = ("build first (cmake --preset release && cmake --build --preset release) "
               "or use ./scripts/bench")


def load_allocators(build_dir):
    """The build's allocators, in their declared order: [{name, binary (relative
    to build_dir), package, default, system}]. The first is the baseline."""
    path = os.path.join(build_dir, ALLOCATORS_FILE)
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except FileNotFoundError:
        raise UsageError(f"{path} not found; {BUILD_FIRST}") from None
    except (OSError, ValueError) as e:
        raise UsageError(f"cannot read {path}: {getattr(e, 'strerror', None) or e}; "
                         "configure again (cmake --preset release)") from None
    entries = (doc.get("allocators") if isinstance(doc, dict) and
               doc.get("format") == ALLOCATORS_FORMAT else None)
    if not isinstance(entries, list) or not entries or not all(
            isinstance(e, dict) and all(isinstance(e.get(k), str)
                                        for k in ("name", "binary", "package"))
            for e in entries):
        raise UsageError(f"{path} is not an allocator list this memstrat reads (format "
                         f"{ALLOCATORS_FORMAT}); configure again (cmake --preset release)")
    return entries


def select_allocators(text, declared, baseline_only=False):
    """The allocators --allocators names, in the declared order: the DEFAULT
    ones when it is not given (the baseline, first declared, alone when
    baseline_only), every one for 'all'."""
    names = [a["name"] for a in declared]
    if text is not None and text.strip() == "all":
        return names
    if text is None and baseline_only:
        return names[:1]
    if text is None:
        chosen = [a["name"] for a in declared if a.get("default")] or names[:1]
    else:
        chosen = split_list(text, names + ["all"], "allocators", "allocator")
        if "all" in chosen:
            raise UsageError("--allocators all stands alone; give it without other names")
    return [n for n in names if n in chosen]


def binary(build_dir, allocator):
    """The path of one allocator's benchmark binary (an entry of
    load_allocators); refuses in one line if it was not built."""
    path = os.path.join(build_dir, allocator["binary"])
    if os.access(path, os.X_OK):
        return path
    if not allocator.get("system"):  # the C library's malloc needs no package
        package = allocator["package"]
        raise UsageError(f"{path} not found: {allocator['name']} needs the Debian package "
                         f"{package} (sudo apt-get install {package}); then build "
                         f"(cmake --preset release && cmake --build --preset release) "
                         "or use ./scripts/bench")
    raise UsageError(f"{path} not found; {BUILD_FIRST}")


def allocator_context(declared, selected):
    """What the results document says about the allocators it holds
    (its top-level allocators): the selected ones in the declared order, each with its
    Debian package and that package's version; baseline marks the first
    declared one (the system malloc) when it ran."""
    return [{"name": a["name"], "package": a["package"],
             "version": package_version(a["package"]),
             "baseline": a["name"] == declared[0]["name"]}
            for a in declared if a["name"] in selected]


def list_benchmarks(bench, size):
    out = subprocess.run([bench, "--list_benchmarks", f"--size={size}"],
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise UsageError(f"{bench} --list_benchmarks failed: {last_line(out.stderr)}")
    return json.loads(out.stdout)


def list_strategies(bench):
    """The strategies' declarations, in order, as the binary prints them
    (--list_strategies): the document carries them, so the scripts need no
    list of strategies of their own."""
    out = subprocess.run([bench, "--list_strategies"], capture_output=True, text=True,
                         check=False)
    try:
        listed = json.loads(out.stdout) if out.returncode == 0 else None
    except ValueError:
        listed = None
    if isinstance(listed, dict):  # a later binary may wrap them with a version
        listed = listed.get("strategies")
    if not isinstance(listed, list) or not all(isinstance(d, dict) and "name" in d
                                               for d in listed):
        raise UsageError(f"{bench} --list_strategies gave no declarations "
                         f"({last_line(out.stderr)}); rebuild it (cmake --build "
                         "--preset release)")
    return listed


def declarations(strategies, allocators):
    """The document's declarations: the strategies (as listed), the
    allocators it holds (allocator_context: in declared order, the system
    malloc the baseline), and the baseline pair."""
    base = next((d["name"] for d in strategies if d.get("baseline")), strategies[0]["name"])
    base_allocator = next((a["name"] for a in allocators if a["baseline"]),
                          allocators[0]["name"])
    return {"strategies": strategies, "allocators": allocators,
            "baseline": {"strategy": base, "allocator": base_allocator}}


# A process's last error line and its exit, in words: the same for every
# process the runner and the bisection start.
last_line = minheap.last_line
describe_exit = minheap.describe_exit


try:
    _LIBC = ctypes.CDLL(None, use_errno=True)
except OSError:
    _LIBC = None


def _die_with_the_runner():
    """In the child: SIGKILL when the runner dies (PR_SET_PDEATHSIG), so a
    killed run leaves no benchmark running on into the next one's figures."""
    if _LIBC is not None:
        _LIBC.prctl(1, signal.SIGKILL)


def benchmark_error(path):
    """The first error_message in a Google Benchmark output file, or None:
    the binary's stderr only counts the failed benchmarks."""
    try:
        with open(path, encoding="utf-8") as f:
            entries = json.load(f).get("benchmarks", [])
    except (OSError, ValueError, AttributeError):
        return None
    return next((b["error_message"] for b in entries
                 if isinstance(b, dict) and b.get("error_message")), None)


# A program's exit code for "this cell cannot be measured here, by
# design" (docs/extending.md: a JVM that refuses its collector or heap
# size), with `<prog>: not applicable: <reason>` on stderr.
NOT_APPLICABLE_EXIT = minheap.NOT_APPLICABLE_EXIT
NOT_APPLICABLE = ": not applicable: "


class NotApplicable(str):
    """The reason of a part that exited NOT_APPLICABLE_EXIT: the cell is
    recorded with status not_applicable, which is no failure."""


def not_applicable_reason(err):
    """The reason after `<prog>: not applicable: ` on stderr (its last such
    line), else stderr's last line."""
    for line in reversed((err or "").splitlines()):
        _, marker, reason = line.partition(NOT_APPLICABLE)
        if marker and reason.strip():
            return reason.strip()
    return last_line(err)


def run_part(cmd, timeout, current, gbench_out=None):
    """Runs one benchmark process; returns None or a failure reason (the
    benchmark's own error message when its Google Benchmark output
    file, gbench_out, holds one), a NotApplicable one when it exited
    NOT_APPLICABLE_EXIT."""
    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                text=True, preexec_fn=_die_with_the_runner)
    except OSError as e:
        return f"cannot start {cmd[0]}: {e.strerror}"
    current[0] = proc
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return f"timed out after {timeout:g} s"
    except BaseException:  # Ctrl-C or SIGTERM: take the benchmark down too
        proc.kill()
        proc.wait()
        raise
    finally:
        current[0] = None
    if proc.returncode == NOT_APPLICABLE_EXIT:
        return NotApplicable(not_applicable_reason(err))
    if proc.returncode != 0:
        message = benchmark_error(gbench_out) if gbench_out else None
        return f"{describe_exit(proc.returncode)}: {message or last_line(err)}"
    return None


class Eta:
    """Remaining time from what timing repetitions and probes have cost so
    far, counted apart: a round's timing share differs from round to round
    (3, 3, 2, 2), a probe's cost does not."""

    def __init__(self):
        self.timing_s, self.reps, self.probe_s, self.probes = 0.0, 0, 0.0, 0

    def add_timing(self, seconds, reps):
        self.timing_s += seconds
        self.reps += reps

    def add_probe(self, seconds):
        self.probe_s += seconds
        self.probes += 1

    def remaining(self, reps_left, probes_left):
        if self.reps == 0:
            return None
        probe_each = self.probe_s / self.probes if self.probes else 0.0
        return self.timing_s / self.reps * reps_left + probe_each * probes_left


def split_repetitions(repetitions, rounds):
    """Each round's share of the repetitions, as even as they go: 10 over 3
    rounds is [4, 3, 3]. Never more rounds than repetitions."""
    rounds = min(rounds, repetitions)
    return [repetitions // rounds + (1 if i < repetitions % rounds else 0)
            for i in range(rounds)]


def noise_floor(files):
    """Median and coefficient of variation of each calibration loop over every
    round's repetitions, from the Google Benchmark files of the rounds."""
    times = {}
    for path in files:
        try:
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, ValueError):
            continue
        for b in doc.get("benchmarks", []):
            if b.get("run_type") == "iteration":
                times.setdefault(b["run_name"], []).append(b["real_time"])
    return {name: {"median_ns": median(values), "cv": cv(values),
                   "repetitions": len(values)}
            for name, values in times.items() if cv(values) is not None}


def read_first(path, pattern):
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                m = re.match(pattern, line)
                if m:
                    return m.group(1).strip().strip('"')
    except OSError:
        pass
    return "unknown"


def package_version(package):
    try:
        out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package],
                             capture_output=True, text=True, check=False)
        return out.stdout.strip() or "unknown"
    except OSError:
        return "unknown"


def git_revision():
    try:
        out = subprocess.run(["git", "-C", ROOT, "describe", "--always", "--dirty",
                              "--abbrev=12"], capture_output=True, text=True, check=False)
        return out.stdout.strip() or "unknown"
    except OSError:
        return "unknown"


def gather_context(argv, profile_name, settings):
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "command": command_line(argv),
        "profile": profile_name,
        "git_revision": git_revision(),
        "host": {
            "name": platform.node(),
            "cpu_model": read_first("/proc/cpuinfo", r"model name\s*:\s*(.*)"),
            "cores": os.cpu_count() or 1,
            "kernel": platform.release(),
            "os": read_first("/etc/os-release", r"PRETTY_NAME=(.*)"),
        },
        "versions": {k: package_version(p) for k, p in PACKAGES.items()},
        "settings": settings,
    }


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def command_line(argv):
    return " ".join(["scripts/run"] + [shlex.quote(a) for a in argv])


class RunLock:
    """The machine-wide lock of a run: flock on LOCK_PATH, which the kernel
    drops when the holder dies however it dies, so a stale lock cannot
    exist. The file holds who has it (pid, output directory, start time) for
    the refusal to name."""

    def __init__(self):
        self.path = os.environ.get("MEMSTRAT_LOCK", LOCK_PATH)
        try:
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError:
            try:  # another user's lock file: reading is enough to flock it
                self.fd = os.open(self.path, os.O_RDONLY)
            except OSError as e:
                raise UsageError(f"cannot open the run lock {self.path}: "
                                 f"{e.strerror}") from None
        try:  # let the next user's runs take it too
            os.fchmod(self.fd, 0o666)
        except OSError:
            pass

    def holder(self):
        try:
            info = json.loads(os.pread(self.fd, 4096, 0).decode("utf-8"))
            return (f"pid {info['pid']}, writing {info['out']}, started "
                    f"{info['started']}")
        except (OSError, ValueError, KeyError, TypeError):
            return "a run that has not said yet which it is"

    def acquire(self, wait):
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        holder = self.holder()
        if not wait:
            raise UsageError(f"another run holds {self.path} ({holder}); let it finish, "
                             "or start this one with --wait")
        print(f"scripts/run: waiting for {self.path}: {holder}", file=sys.stderr,
              flush=True)
        fcntl.flock(self.fd, fcntl.LOCK_EX)

    def describe(self, out, started):
        try:
            os.ftruncate(self.fd, 0)
            os.pwrite(self.fd, json.dumps({"pid": os.getpid(), "out": out,
                                           "started": started}).encode("utf-8"), 0)
        except OSError:
            pass  # a read-only lock file still locks; only the name is missing


def default_out_dir():
    """A new directory per run: results/<date>-<time>-<host>, then -2, -3...
    if two runs start within the same second."""
    stamp = datetime.datetime.now().strftime("%Y-%m-%d-%H%M%S")
    base = os.path.join(ROOT, "results", f"{stamp}-{platform.node().split('.')[0]}")
    for n in range(1, 1000):
        candidate = base if n == 1 else f"{base}-{n}"
        try:
            os.makedirs(candidate)
            return candidate
        except FileExistsError:
            continue
        except OSError as e:
            raise UsageError(f"cannot create output directory {candidate}: "
                             f"{e.strerror}") from None
    raise UsageError(f"cannot find a free output directory beside {base}")


def refuse_used_out(out, replace):
    if os.path.isdir(out) and os.listdir(out) and not replace:
        hint = (f", or --resume {out}" if os.path.exists(os.path.join(out, RUN_FILE))
                else "")
        raise UsageError(f"{out} already holds files; choose a new --out, or give "
                         f"--replace to replace them{hint}")


def write_json_atomically(path, value):
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(value, f, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def settle(tmp, final):
    """Moves a finished part's file into its cell: fsync, then rename, so a
    cell on disk is always a whole file."""
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, final)


def file_digest(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def load_run_file(directory):
    path = os.path.join(directory, RUN_FILE)
    try:
        with open(path, encoding="utf-8") as f:
            run = json.load(f)
    except FileNotFoundError:
        raise UsageError(f"{directory} holds no {RUN_FILE}: not a run scripts/run can "
                         "resume") from None
    except (OSError, ValueError) as e:
        raise UsageError(f"cannot read {path}: {getattr(e, 'strerror', None) or e}"
                         ) from None
    if not isinstance(run, dict) or run.get("format") != RUN_FILE_FORMAT:
        raise UsageError(f"{path} is not a run file this memstrat reads (format "
                         f"{RUN_FILE_FORMAT})")
    return run


def resumed_args(args, run):
    """The flags of the run to resume: those given now, the rest from the
    run's own command line."""
    try:
        recorded = parse_args(run["argv"])
    except (UsageError, SystemExit, KeyError, TypeError):
        raise UsageError(f"{RUN_FILE} in {args.resume} holds no usable command "
                         "line") from None
    for flag in WORK_FLAGS:
        if getattr(args, flag) is None:
            setattr(args, flag, getattr(recorded, flag))


def describe_value(value):
    text = json.dumps(value, sort_keys=True)
    return text if len(text) <= 120 else text[:117] + "..."


def identity_mismatch(recorded, current):
    """The first item of the run's identity that differs, in words, or None."""
    for key in ("git_revision", "binaries", "profile", "selection", "settings",
                "environment"):
        a, b = recorded.get(key), current.get(key)
        if key in ("selection", "settings", "environment", "binaries") and \
                isinstance(a, dict) and isinstance(b, dict):
            for sub in sorted(set(a) | set(b)):
                if a.get(sub) != b.get(sub):
                    return (f"{key}.{sub} was {describe_value(a.get(sub))}, now "
                            f"{describe_value(b.get(sub))}")
        elif a != b:
            return f"{key} was {describe_value(a)}, now {describe_value(b)}"
    return None


def remove_replaced(out, allocators):
    """Once a --replace'd run's results.json is in place: the replaced run's
    charts, report and Google Benchmark files, which describe the old run,
    go (--report draws the new ones)."""
    for name in os.listdir(out):
        stale = name in ("report.md", "report.html") or (
            name.startswith("gbench-") and name.endswith(".json") and
            name[len("gbench-"):-len(".json")] not in allocators)
        if stale:
            os.remove(os.path.join(out, name))
    shutil.rmtree(os.path.join(out, "charts"), ignore_errors=True)


def cell_key(name, allocator, variant=None):
    key = f"{allocator}--{name.replace('/', '--').replace(':', '=')}"
    return key if variant is None else f"{key}--{variant['name']}"


def expand_matrix(base, strategies, multiples, sweeps, units, only=None):
    """The matrix of a run: each (benchmark, allocator) of `base` as its plain
    entry (variant None), and for a profile with variants (multiples is not
    None) each of its strategy's variants after it (only those of `only`'s
    pairs, when given: runner.varied). `units` maps (name,
    allocator) to the benchmark's heap_units entry. Returns the entries
    [(benchmark, allocator, variant)] and {index: failure reason} for the
    variants that cannot run (a heap series without a heap unit)."""
    declared = {d["name"]: d for d in strategies}
    matrix, failed = [], {}
    keep = None if only is None else {(b["name"], a) for b, a in only}
    for bench, allocator in base:
        matrix.append((bench, allocator, None))
        if multiples is None or (keep is not None and (bench["name"], allocator) not in keep):
            continue
        for variant, failure in variants.variants_for(
                declared.get(bench["strategy"], {"name": bench["strategy"]}), multiples,
                sweeps, units.get((bench["name"], allocator))):
            if failure is not None:
                failed[len(matrix)] = failure
            matrix.append((bench, allocator, variant))
    return matrix, failed


def unit_groups(todo, strategies):
    """The bisections a run makes: [(bisected, members)], one per benchmark
    of `todo` ((benchmark, allocator) pairs whose strategy declares `heap`)
    whose strategy names no `heap.unit_group`, and one per (unit group,
    workload, params, allocator) for those that do: its members in the
    strategies' declared order, the first of them bisected (DaCapo's one
    minimum heap per benchmark, measured with the most compact collector,
    which the port declares first)."""
    declared = {d["name"]: d for d in strategies}
    order = {d["name"]: i for i, d in enumerate(strategies)}
    groups = {}
    for bench, allocator in todo:
        group = declared[bench["strategy"]]["heap"].get("unit_group")
        key = ((group, bench["workload"], tuple(sorted(bench["params"].items())),
                allocator) if group else (None, bench["name"], allocator))
        groups.setdefault(key, []).append((bench, allocator))
    out = []
    for members in groups.values():
        members.sort(key=lambda m: order.get(m[0]["strategy"], len(order)))
        out.append((members[0], members))
    return out


def shared_unit(entry, bench, group):
    """The heap_units entry of a unit group's member: the group's bisection
    (its interval, trials, command) under the member's strategy, with
    `unit_group` and `bisected_with` saying whose it is."""
    return dict(entry, strategy=bench["strategy"], unit_group=group,
                bisected_with=entry["strategy"])


def heap_units(base, strategies, program_of, profile, repetitions, cells, trial, out):
    """The heap unit of every benchmark of `base` whose strategy declares
    `heap`, bisected one after another before any timing with the program
    that runs the strategy (`program_of(benchmark, allocator)`: a port's
    own binary for a port's strategy), each bisection a cell,
    cells/minheap-<benchmark>.json, so a resumed run bisects only those it
    had not finished. The strategies of one `heap.unit_group` share one
    unit per benchmark (unit_groups). Returns {(name, allocator):
    heap_units entry}, one entry per benchmark: a member of a group has the
    group's entry under its own strategy (shared_unit)."""
    declared = {d["name"]: d for d in strategies}
    todo = [(b, a) for b, a in base if declared.get(b["strategy"], {}).get("heap")]
    bisections = unit_groups(todo, strategies)
    units, cached = {}, 0
    for i, ((bench, allocator), members) in enumerate(bisections):
        group = declared[bench["strategy"]]["heap"].get("unit_group")
        path = os.path.join(cells, f"minheap-{cell_key(bench['name'], allocator)}.json")
        entry = None
        try:
            with open(path, encoding="utf-8") as f:
                entry = json.load(f)
            cached += 1
        except (OSError, ValueError):
            pass
        if entry is None:
            if cached:
                print(f"resuming {out}: {cached} of {len(bisections)} heap units found "
                      "before", file=sys.stderr, flush=True)
                cached = 0
            shared = (f" (unit group {group}: "
                      f"{', '.join(m['strategy'] for m, _ in members)})"
                      if group else "")
            print(f"[heap unit {i + 1}/{len(bisections)}] {bench['name']} on {allocator}: "
                  f"bisecting{shared}", file=sys.stderr, flush=True)
            began = time.monotonic()
            entry = variants.heap_unit(program_of(bench, allocator), bench, allocator,
                                       declared[bench["strategy"]], profile, repetitions,
                                       _die_with_the_runner, trial)
            if group:
                entry = shared_unit(entry, bench, group)
            runs = sum(p["trials"] for p in entry["probes"])
            interval = entry["interval"]
            found = (f"{format_bytes(entry['unit_bytes'])}, in "
                     f"({format_bytes(interval['fails_bytes'])}, "
                     f"{format_bytes(interval['completes_bytes'])}]"
                     if entry["status"] == "ok"
                     else f"{entry['status']}: {entry['reason']}")
            print(f"  {found}; {len(entry['probes'])} sizes, {runs} runs, "
                  f"{time.monotonic() - began:.1f} s", file=sys.stderr, flush=True)
            write_json_atomically(path, entry)
        for member, member_allocator in members:
            units[(member["name"], member_allocator)] = (
                shared_unit(entry, member, group) if group else entry)
    if cached:
        print(f"resuming {out}: all {len(bisections)} heap units found before",
              file=sys.stderr, flush=True)
    return units


def varied(base, profile, baseline_allocator):
    """The (benchmark, allocator) pairs of `base` whose variants a profile
    with variants runs: all of them, or (variants_on: baseline, the full
    profile) those on the baseline allocator, where the curves are drawn."""
    if profile.get("variants_on") == "baseline":
        return [(b, a) for b, a in base if a == baseline_allocator]
    return list(base)


def results_build(variant):
    return bool(variant) and variant.get("kind") == "build"


def prepare_builds(args, profile, declarations, strategies, baseline_selected):
    """The other builds the run drives ([(build, binary)]), the document's
    context.builds, and the strategies they run (builds.py): the profile's
    or --builds' directories, relative ones beside --build-dir."""
    names = (profile.get("builds", []) if args.builds is None
             else [] if args.builds.strip() == "none"
             else [d.strip() for d in args.builds.split(",") if d.strip()])
    if not names:
        return [], [], []
    beside = os.path.dirname(os.path.abspath(args.build_dir))
    dirs = [d if os.path.isabs(d) else os.path.join(beside, d) for d in names]
    chosen = [d for d in declarations if d["name"] in strategies]
    wanted = [s for s in builds.strategies_for(chosen + [d for d in declarations
                                                         if d.get("baseline")])
              if s in strategies]
    if not wanted or not baseline_selected:
        why = ("no port strategy with a C++ counterpart is selected" if not wanted
               else "the baseline allocator is not selected")
        return [], [{"name": os.path.basename(d.rstrip("/")), "build_dir": d,
                     "compiler": None, "status": "skipped", "reason": why}
                    for d in dirs], []
    ready, context = builds.prepare(dirs, builds.describe(args.build_dir))
    return ready, context, wanted if ready else []


def check_parity(matrix, failures, port_of, cell):
    """{matrix index: reason} for each port record whose first probe's
    checksum (or objects per iteration, where both have it) differs from
    the C++ records' of the same work in this run (ports.parity_failures);
    one line says how many were checked."""
    entries = []
    for j, (bench, allocator, variant) in enumerate(matrix):
        if j in failures:
            continue
        try:
            with open(cell("probe", j, 0), encoding="utf-8") as f:
                probe = json.load(f).get("probe")
        except (OSError, ValueError, AttributeError):
            continue
        work = (bench["workload"], tuple(sorted(bench["params"].items())))
        entries.append((j, work, bench["name"] in port_of, probe or {}))
    found, checked, alone = ports.parity_failures(entries)
    if checked or alone:
        print(f"parity: {checked} port records checked against C++, {len(found)} differ"
              + (f", {alone} without a C++ record of the same work (not checked)"
                 if alone else ""), file=sys.stderr, flush=True)
    for j, reason in found.items():
        print(f"  parity failed: {matrix[j][0]['name']}: {reason}", file=sys.stderr,
              flush=True)
    return found


def format_bytes(n):
    if n is None:
        return "-"
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size:
            return f"{n / size:.2f} {unit}"
    return f"{n} B"


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    prog = "scripts/run"
    lock = None
    try:
        args = parse_args(argv)
        run_file = None
        if args.resume is not None:
            run_file = load_run_file(args.resume)
            resumed_args(args, run_file)
        check_args(args)
        profile = dict(PROFILES[args.profile])
        if args.repetitions is not None:
            profile["repetitions"] = args.repetitions
        if args.rounds is not None:
            profile["rounds"] = args.rounds
        if args.timeout is not None:
            profile["timeout_s"] = args.timeout
        declared = load_allocators(args.build_dir)
        runs_variants = bool(profile.get("variants"))
        allocators = select_allocators(args.allocators, declared,
                                       runs_variants and "variants_on" not in profile)
        benches = {a["name"]: binary(args.build_dir, a) for a in declared
                   if a["name"] in allocators}
        listed = list_benchmarks(benches[allocators[0]], profile["size"])
        cpp_strategies = list_strategies(benches[allocators[0]])
        declared_ports = ports.load_ports(args.build_dir)
        port_runs, port_context = ports.prepare(
            args.build_dir, declared_ports, ports.select_ports(args.ports, declared_ports),
            profile["size"], {d["name"] for d in cpp_strategies})
        # Which program runs a benchmark: the allocator's C++ binary, or the
        # port that listed it (on the port's allocator only).
        port_of = {}
        for port in port_runs:
            for b in port.benchmarks:
                port_of[b["name"]] = port
            listed = listed + port.benchmarks
        document_declarations = declarations(
            cpp_strategies + [d for port in port_runs for d in port.strategies],
            allocator_context(declared, allocators))
        workloads = split_list(args.workloads, dict.fromkeys(b["workload"] for b in listed),
                               "workloads", "workload")
        strategies = split_list(args.strategies,
                                dict.fromkeys(b["strategy"] for b in listed), "strategies",
                                "strategy",
                                default=default_strategies(
                                    listed, document_declarations["strategies"],
                                    args.profile))
        other_builds, build_context, build_strategies = prepare_builds(
            args, profile, document_declarations["strategies"], strategies,
            declared[0]["name"] in allocators)
        results_tool = os.path.join(args.build_dir, "benchmarks", "memstrat_results")
        if not os.access(results_tool, os.X_OK):
            raise UsageError(f"{results_tool} not found; build first")
        micro = os.path.join(args.build_dir, "benchmarks", "memstrat_micro")
        shares = split_repetitions(profile["repetitions"], profile["rounds"])
        settings = {k: profile[k] for k in ("size", "repetitions", "min_time_s",
                                            "warmup_s", "probe_iterations",
                                            "sample_period_ms", "timeout_s")}
        settings["rounds"] = len(shares)
        multiples = sweeps = None
        if runs_variants:
            strategy_list = document_declarations["strategies"]
            multiples = variants.parse_multiples(args.heap_multiples)
            sweeps = variants.parse_sweeps(args.sweep, strategy_list)
            for d in strategy_list:
                if d.get("heap") and d["name"] in strategies:
                    variants.placeholder(d["heap"])  # a unit the runner can write
            settings.update({k: profile[k] for k in VARIANT_SETTINGS})
            settings["heap_multiples"] = multiples
            settings["sweeps"] = sweeps
            if any(d.get("heap") for d in strategy_list if d["name"] in strategies):
                minheap.setarch_prefix()  # refused now, not half-way
        # The environment as the runner has it, before anything per record.
        env_record, non_default = environment.gather()
        identity = {
            "git_revision": git_revision(),
            "binaries": dict({os.path.basename(p): file_digest(p)
                              for p in list(benches.values()) + [micro] +
                              [port.binary for port in port_runs]
                              if os.access(p, os.X_OK)},
                             **{f"{b['name']}/{os.path.basename(p)}": file_digest(p)
                                for b, p in other_builds}),
            "profile": args.profile,
            "selection": {"workloads": workloads, "strategies": strategies,
                          "allocators": allocators,
                          # Only when some port ran: a run without ports keeps
                          # the identity it had before ports existed.
                          **({"ports": [port.name for port in port_runs]}
                             if port_runs else {})},
            "settings": settings,
            "environment": env_record,
        }
        if run_file is not None:
            out = args.resume
            mismatch = identity_mismatch(run_file.get("identity", {}), identity)
            if mismatch:
                raise UsageError(f"cannot resume {out}: its {mismatch}; resume with the "
                                 "same build, flags and environment, or start a new run")
        elif args.out is not None:
            out = args.out
            refuse_used_out(out, args.replace)
        lock = RunLock()
        lock.acquire(args.wait)
        started = now_iso()
        if run_file is None:
            if args.out is None:
                out = default_out_dir()
            else:
                refuse_used_out(out, args.replace)  # again: a waited-for run may have used it
                prepare_out_dir(out)
        lock.describe(os.path.abspath(out), started)
    except (UsageError, minheap.MinheapError) as e:
        print(f"{prog}: error: {e}", file=sys.stderr)
        return 2

    base = [(b, a) for b in listed if b["workload"] in workloads
            and b["strategy"] in strategies for a in allocators
            if b["name"] not in port_of or a == port_of[b["name"]].allocator]
    for port, record in ((p, next(c for c in port_context if c["name"] == p.name))
                         for p in port_runs):
        if not any(b["name"] in port_of and port_of[b["name"]] is port for b, _ in base):
            record["status"] = "skipped"
            record["reason"] = (f"its allocator {port.allocator} is not selected"
                                if port.allocator not in allocators else
                                "none of its benchmarks is selected")
    cells = os.path.join(out, "cells")
    session = {"date": started, "command": command_line(argv)}
    if run_file is None:
        # A fresh run (or a --replace'd one): nothing of an earlier run's
        # cells may be joined to this one's.
        shutil.rmtree(cells, ignore_errors=True)
        context = gather_context(argv, args.profile, settings)
        context["ports"] = port_context
        if build_context:
            context["builds"] = build_context
        for a in document_declarations["allocators"]:
            context["versions"].setdefault(a["name"], a["version"])
        context["environment"] = env_record
        context["non_default"] = non_default
        run_file = {"format": RUN_FILE_FORMAT, "argv": argv, "identity": identity,
                    "context": context, "sessions": []}
    else:
        context = run_file["context"]
    # Each invocation is listed as it starts: one killed half-way stays in
    # the record, without its timings.
    run_file["sessions"].append(session)
    os.makedirs(cells, exist_ok=True)
    for name in os.listdir(cells):
        if name.startswith(".tmp-"):  # a killed run's unfinished parts
            os.remove(os.path.join(cells, name))
    write_json_atomically(os.path.join(out, RUN_FILE), run_file)
    current = [None]
    trial = [None]  # the bisection's running CommandTrial

    def interrupted(signum, _frame):
        for running in (current[0], trial[0] and trial[0].current):
            if running is not None:
                running.kill()
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    matrix = []

    def cell(kind, j, r=None):
        bench, allocator, variant = matrix[j]
        suffix = "" if r is None else f"-r{r}"
        return os.path.join(cells, f"{kind}-{cell_key(bench['name'], allocator, variant)}"
                                   f"{suffix}.json")

    def tmp(path):
        return os.path.join(cells, f".tmp-{os.getpid()}-{os.path.basename(path)}")

    phases = {"timing_s": 0.0, "probe_s": 0.0, "calibration_s": 0.0}
    if runs_variants:
        phases["minheap_s"] = 0.0
    start = time.monotonic()
    try:
        units = {}
        if runs_variants:
            began = time.monotonic()
            units = heap_units(varied(base, profile, declared[0]["name"]),
                               document_declarations["strategies"],
                               lambda b, a: (port_of[b["name"]].binary
                                             if b["name"] in port_of else benches[a]),
                               profile, max(shares), cells, trial, out)
            phases["minheap_s"] += time.monotonic() - began
        matrix[:], failures = expand_matrix(base, document_declarations["strategies"],
                                            multiples, sweeps, units,
                                            varied(base, profile, declared[0]["name"]))
        failures = {j: {"phase": "minheap", "reason": reason, "round": 0}
                    for j, reason in failures.items()}
        # The other builds' records: each C++ benchmark of build_strategies
        # on the baseline allocator again, by that build's binary.
        build_binary = {b["name"]: path for b, path in other_builds}
        for bench, allocator, variant in list(matrix):
            if (variant is None and bench["name"] not in port_of
                    and bench["strategy"] in build_strategies
                    and allocator == declared[0]["name"]):
                matrix.extend((bench, allocator, builds.variant(b)) for b, _ in other_builds)
        failed_before = 0
        for j in range(len(matrix)):
            try:
                with open(cell("failed", j), encoding="utf-8") as f:
                    failures[j] = json.load(f)
                failed_before += 1
            except (OSError, ValueError):
                pass
        done_before = sum(os.path.exists(cell("probe", j, r)) for j in range(len(matrix))
                          for r in range(len(shares)))
        if done_before or failed_before:
            print(f"resuming {out}: {done_before} of {len(matrix) * len(shares)} cells "
                  f"done, {failed_before} benchmarks failed before", file=sys.stderr,
                  flush=True)
        total_steps = len(matrix) * len(shares)
        step = 0
        spent = Eta()
        for r, share in enumerate(shares):
            order = list(range(len(matrix)))
            random.Random(r).shuffle(order)
            timing_args = [f"--benchmark_repetitions={share}",
                           f"--benchmark_min_time={profile['min_time_s']}",
                           f"--benchmark_min_warmup_time={profile['warmup_s']}",
                           "--benchmark_out_format=json"]
            calibration = os.path.join(cells, f"calibration-r{r}.json")
            if os.access(micro, os.X_OK) and not os.path.exists(calibration):
                began = time.monotonic()
                if run_part([micro, f"--benchmark_filter={CALIBRATION_FILTER}",
                             f"--benchmark_out={tmp(calibration)}"] + timing_args,
                            profile["timeout_s"], current) is None:
                    settle(tmp(calibration), calibration)
                phases["calibration_s"] += time.monotonic() - began
            for idx, j in enumerate(order):
                step += 1
                bench, allocator, variant = matrix[j]
                label = bench["name"] + (f" [{variant['name']}]" if variant else "")
                timing, probe = cell("timing", j, r), cell("probe", j, r)
                if j not in failures and os.path.exists(probe):
                    continue  # finished before the interruption
                elapsed = time.monotonic() - start
                left_here = len(order) - idx
                remaining = spent.remaining(
                    left_here * share + sum(shares[r + 1:]) * len(matrix),
                    left_here + (len(shares) - r - 1) * len(matrix))
                print(f"[{step}/{total_steps}] round {r + 1}/{len(shares)}: "
                      f"{label} on {allocator}  elapsed {format_clock(elapsed)}"
                      + (f"  remaining ~{format_clock(remaining)}"
                         if remaining is not None else ""),
                      file=sys.stderr, flush=True)
                if j in failures:
                    print("  skipped: " + (
                        failures[j]["reason"] if failures[j]["phase"] == "minheap"
                        else "not applicable, found in an earlier round"
                        if failures[j].get("status") == "not_applicable"
                        else "failed in an earlier round"), file=sys.stderr, flush=True)
                    continue
                program = (port_of[bench["name"]].binary if bench["name"] in port_of
                           else build_binary[variant["name"]] if results_build(variant)
                           else benches[allocator])
                command = [program, f"--size={profile['size']}"] + (
                    variant["flags"] if variant else [])
                failure, phase = None, "timing"
                if not os.path.exists(timing):
                    began = time.monotonic()
                    failure = run_part(command + [
                        f"--benchmark_filter=^{re.escape(bench['name'])}$",
                        f"--benchmark_out={tmp(timing)}"] + timing_args,
                        profile["timeout_s"], current, gbench_out=tmp(timing))
                    phases["timing_s"] += time.monotonic() - began
                    spent.add_timing(time.monotonic() - began, share)
                    if failure is None:
                        settle(tmp(timing), timing)
                if failure is None:
                    phase = "probe"
                    began = time.monotonic()
                    failure = run_part(command + [
                        f"--probe={bench['name']}",
                        f"--probe_iterations={profile['probe_iterations']}",
                        f"--sample_period_ms={profile['sample_period_ms']}",
                        f"--probe_out={tmp(probe)}"], profile["timeout_s"], current)
                    phases["probe_s"] += time.monotonic() - began
                    spent.add_probe(time.monotonic() - began)
                    if failure is None:
                        settle(tmp(probe), probe)
                if failure is not None:
                    moot = isinstance(failure, NotApplicable)
                    print(f"  {'not applicable' if moot else 'failed'} ({phase}): "
                          f"{failure}", file=sys.stderr, flush=True)
                    failures[j] = dict({"phase": phase, "reason": str(failure), "round": r},
                                       **({"status": "not_applicable"} if moot else {}))
                    write_json_atomically(cell("failed", j), failures[j])
        parity = check_parity(matrix, failures, port_of, cell)
        parts = []
        for j, (bench, allocator, variant) in enumerate(matrix):
            failure = failures.get(j)
            parts.append(dict({
                "name": bench["name"], "workload": bench["workload"],
                "strategy": bench["strategy"], "allocator": allocator,
                "params": bench["params"],
                "timing": None if failure else [cell("timing", j, r)
                                                for r in range(len(shares))],
                "probe": None if failure else [cell("probe", j, r)
                                               for r in range(len(shares))],
                "failure": None if failure is None else
                {"phase": failure["phase"], "reason": failure["reason"]}},
                **({"variant": variant} if variant else {}),
                # memstrat_results records such a part as not_applicable.
                **({"status": "not_applicable"}
                   if failure and failure.get("status") == "not_applicable" else {})))
            if j in parity:
                # Measured, but not the same work as the C++: kept, and failed.
                parts[-1]["failure"] = {"phase": "parity", "reason": parity[j]}
        moot = sum(f.get("status") == "not_applicable" for f in failures.values())
        failed = len(failures) - moot + len(parity)
        floor = noise_floor([os.path.join(cells, f"calibration-r{r}.json")
                             for r in range(len(shares))])
        if floor:
            context["noise_floor"] = floor
        total = time.monotonic() - start
        session.update({k: round(v, 1) for k, v in phases.items()})
        session["total_s"] = round(total, 1)
        context["sessions"] = run_file["sessions"]
        write_json_atomically(os.path.join(out, RUN_FILE), run_file)
        manifest = os.path.join(out, f".manifest-{os.getpid()}.json")
        extra = {"heap_units": [units[k] for k in units]} if runs_variants else {}
        write_json_atomically(manifest, dict(document_declarations, context=context,
                                             parts=parts, **extra))
        try:
            merged = subprocess.run([results_tool, "merge", manifest, out],
                                    capture_output=True, text=True, check=False)
        finally:
            os.remove(manifest)
        if merged.returncode != 0:
            print(f"{prog}: error: merging failed: {last_line(merged.stderr)}",
                  file=sys.stderr)
            return 2
        if args.replace:
            remove_replaced(out, {p["allocator"] for p in parts if p["timing"]})
    except KeyboardInterrupt:
        print(f"{prog}: error: interrupted; {os.path.join(out, 'results.json')} left as "
              f"it was; finished cells are kept: scripts/run --resume {out}",
              file=sys.stderr)
        return 130

    document = os.path.join(out, "results.json")
    print(f"wrote {document}: {len(matrix)} benchmarks, {failed} failed, "
          + (f"{moot} not applicable, " if moot else "") +
          f"{format_clock(total)} ("
          + (f"heap units {phases['minheap_s']:.1f} s, " if "minheap_s" in phases else "")
          + f"timing {phases['timing_s']:.1f} s, probes "
          f"{phases['probe_s']:.1f} s, calibration "
          f"{phases['calibration_s']:.1f} s)", file=sys.stderr)
    if args.report:
        made = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "report"),
                               document], check=False)
        if made.returncode != 0:
            return made.returncode
    return 1 if failed else 0
