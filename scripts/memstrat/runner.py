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
data never change: their spread is the run's noise floor."""

import argparse
import datetime
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

from memstrat.cli import UsageError, prepare_out_dir
from memstrat.metrics import cv, median

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

# What each profile runs. Raising repetitions or min_time narrows the spread
# of the medians and lengthens the run about proportionally; the warm-up
# (run and discarded before each round's repetitions) keeps heap growth and
# cold caches out of the first repetition. More rounds spread the
# repetitions over more of the run's duration, at the cost of one process
# start and one warm-up per benchmark per round.
PROFILES = {
    "quick": {"size": "small", "repetitions": 3, "rounds": 3, "min_time_s": 0.05,
              "warmup_s": 0.02, "probe_iterations": 2, "sample_period_ms": 5,
              "timeout_s": 120},
    "default": {"size": "default", "repetitions": 10, "rounds": 4, "min_time_s": 0.5,
                "warmup_s": 0.1, "probe_iterations": 3, "sample_period_ms": 10,
                "timeout_s": 900},
}
CALIBRATION_FILTER = "^calibration/"

ALLOCATORS = {"glibc": "memstrat_bench", "mimalloc": "memstrat_bench_mimalloc"}
PACKAGES = {"google_benchmark": "libbenchmark-dev", "bdwgc": "libgc-dev",
            "mimalloc": "libmimalloc-dev", "nlohmann_json": "nlohmann-json3-dev",
            "glibc": "libc6", "gcc": "g++"}


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="scripts/run",
        description="Run memstrat's benchmark matrix (workload x strategy x allocator), "
                    "each benchmark in its own process, and write one results document.",
        epilog="Example: scripts/run --profile quick --workloads binary_trees,lru_cache "
               "--allocators glibc --out /tmp/r   (writes /tmp/r/results.json). "
               "Exit codes: 0 all ran, 1 some benchmarks failed (recorded in the "
               "document), 2 bad input, 130 interrupted (nothing replaced).")
    p.add_argument("--profile", default="default",
                   help="quick (small sizes, ~2 min, for CI) or default (measured sizes, "
                        "trustworthy medians); default: %(default)s")
    p.add_argument("--workloads", help="comma-separated workloads (default: all)")
    p.add_argument("--strategies", help="comma-separated strategies (default: all)")
    p.add_argument("--allocators", help="comma-separated allocators: glibc, mimalloc "
                                        "(default: both)")
    p.add_argument("--repetitions", type=int,
                   help="timing repetitions per benchmark (default: the profile's)")
    p.add_argument("--rounds", type=int,
                   help="interleaved rounds the repetitions are spread over; 1 runs "
                        "each benchmark's repetitions back to back (default: the "
                        "profile's)")
    p.add_argument("--out", help="output directory; the document is OUT/results.json "
                                 "(default: results/<date>-<host>)")
    p.add_argument("--build-dir", default=os.path.join(ROOT, "build", "release"),
                   help="where the Release build is (default: build/release)")
    p.add_argument("--report", action="store_true",
                   help="then draw the charts and write the report beside the document "
                        "(scripts/report; needs python3-matplotlib)")
    p.add_argument("--timeout", type=float,
                   help="seconds before a benchmark process is killed and recorded as "
                        "failed (default: the profile's)")
    args = p.parse_args(argv)
    if args.profile not in PROFILES:
        raise UsageError(f"unknown profile '{args.profile}'; choose one of "
                         f"{', '.join(PROFILES)}")
    if args.repetitions is not None and args.repetitions < 1:
        raise UsageError(f"--repetitions must be at least 1, got {args.repetitions}")
    if args.rounds is not None and args.rounds < 1:
        raise UsageError(f"--rounds must be at least 1, got {args.rounds}")
    if args.timeout is not None and args.timeout <= 0:
        raise UsageError(f"--timeout must be positive, got {args.timeout}")
    return args


def split_list(text, valid, flag, noun):
    if text is None:
        return list(valid)
    chosen = [t.strip() for t in text.split(",") if t.strip()]
    if not chosen:
        raise UsageError(f"--{flag} is empty")
    for c in chosen:
        if c not in valid:
            raise UsageError(f"unknown {noun} '{c}'; choose from {', '.join(valid)}")
    return chosen


def binary(build_dir, allocator):
    path = os.path.join(build_dir, "benchmarks", ALLOCATORS[allocator])
    if not os.access(path, os.X_OK):
        raise UsageError(f"{path} not found; build first (cmake --preset release && "
                         "cmake --build --preset release) or use ./scripts/bench")
    return path


def list_benchmarks(bench, size):
    out = subprocess.run([bench, "--list_benchmarks", f"--size={size}"],
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise UsageError(f"{bench} --list_benchmarks failed: {last_line(out.stderr)}")
    return json.loads(out.stdout)


def last_line(text):
    lines = [l for l in (text or "").splitlines() if l.strip()]
    errors = [l for l in lines if "error" in l.lower()]
    return (errors or lines or ["no output"])[-1].strip()


def describe_exit(code):
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


def run_part(cmd, timeout, current):
    """Runs one benchmark process; returns None or a failure reason."""
    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                text=True)
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
    if proc.returncode != 0:
        return f"{describe_exit(proc.returncode)}: {last_line(err)}"
    return None


class Eta:
    """Remaining time from what timing repetitions and probes have cost so
    far, counted apart: the first round also runs every probe, so a plain
    average over steps would overstate the later rounds."""

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


def fmt_duration(seconds):
    seconds = int(round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


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
        "command": " ".join(["scripts/run"] + [shlex.quote(a) for a in argv]),
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


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    prog = "scripts/run"
    try:
        args = parse_args(argv)
        profile = dict(PROFILES[args.profile])
        if args.repetitions is not None:
            profile["repetitions"] = args.repetitions
        if args.rounds is not None:
            profile["rounds"] = args.rounds
        if args.timeout is not None:
            profile["timeout_s"] = args.timeout
        allocators = split_list(args.allocators, ALLOCATORS, "allocators", "allocator")
        benches = {a: binary(args.build_dir, a) for a in allocators}
        listed = list_benchmarks(benches[allocators[0]], profile["size"])
        workloads = split_list(args.workloads, dict.fromkeys(b["workload"] for b in listed),
                               "workloads", "workload")
        strategies = split_list(args.strategies,
                                dict.fromkeys(b["strategy"] for b in listed), "strategies",
                                "strategy")
        results_tool = os.path.join(args.build_dir, "benchmarks", "memstrat_results")
        if not os.access(results_tool, os.X_OK):
            raise UsageError(f"{results_tool} not found; build first")
        out = args.out or os.path.join(
            ROOT, "results",
            f"{datetime.date.today().isoformat()}-{platform.node().split('.')[0]}")
        prepare_out_dir(out)
    except UsageError as e:
        print(f"{prog}: error: {e}", file=sys.stderr)
        return 2

    matrix = [(b, a) for b in listed if b["workload"] in workloads
              and b["strategy"] in strategies for a in allocators]
    shares = split_repetitions(profile["repetitions"], profile["rounds"])
    settings = {k: profile[k] for k in ("size", "repetitions", "min_time_s",
                                        "warmup_s", "probe_iterations",
                                        "sample_period_ms", "timeout_s")}
    settings["rounds"] = len(shares)
    context = gather_context(argv, args.profile, settings)
    micro = os.path.join(args.build_dir, "benchmarks", "memstrat_micro")
    current = [None]

    def interrupted(signum, _frame):
        if current[0] is not None:
            current[0].kill()
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    work = tempfile.mkdtemp(prefix=".memstrat-run-", dir=out)
    parts = [{"name": bench["name"], "workload": bench["workload"],
              "strategy": bench["strategy"], "allocator": allocator,
              "params": bench["params"], "timing": [], "probe": None, "failure": None}
             for bench, allocator in matrix]
    calibration = []
    total_steps = len(matrix) * len(shares)
    step = 0
    spent = Eta()
    start = time.monotonic()
    try:
        for r, share in enumerate(shares):
            order = list(range(len(matrix)))
            random.Random(r).shuffle(order)
            timing_args = [f"--benchmark_repetitions={share}",
                           f"--benchmark_min_time={profile['min_time_s']}",
                           f"--benchmark_min_warmup_time={profile['warmup_s']}",
                           "--benchmark_out_format=json"]
            if os.access(micro, os.X_OK):
                out_file = os.path.join(work, f"calibration-{r}.json")
                if run_part([micro, f"--benchmark_filter={CALIBRATION_FILTER}",
                             f"--benchmark_out={out_file}"] + timing_args,
                            profile["timeout_s"], current) is None:
                    calibration.append(out_file)
            for idx, j in enumerate(order):
                step += 1
                bench, allocator = matrix[j]
                part = parts[j]
                elapsed = time.monotonic() - start
                left_here = len(order) - idx
                remaining = spent.remaining(
                    left_here * share + sum(shares[r + 1:]) * len(matrix),
                    left_here if r == 0 else 0)
                print(f"[{step}/{total_steps}] round {r + 1}/{len(shares)}: "
                      f"{bench['name']} on {allocator}  elapsed {fmt_duration(elapsed)}"
                      + (f"  remaining ~{fmt_duration(remaining)}"
                         if remaining is not None else ""),
                      file=sys.stderr, flush=True)
                if part["failure"] is not None:
                    print("  skipped: failed in an earlier round", file=sys.stderr,
                          flush=True)
                    continue
                tag = f"{j:04d}-{r}"
                timing = os.path.join(work, f"timing-{tag}.json")
                base = [benches[allocator], f"--size={profile['size']}"]
                began = time.monotonic()
                failure = run_part(base + [
                    f"--benchmark_filter=^{re.escape(bench['name'])}$",
                    f"--benchmark_out={timing}"] + timing_args,
                    profile["timeout_s"], current)
                spent.add_timing(time.monotonic() - began, share)
                phase = "timing"
                if failure is None:
                    part["timing"].append(timing)
                if failure is None and r == 0:
                    phase = "probe"
                    probe = os.path.join(work, f"probe-{j:04d}.json")
                    began = time.monotonic()
                    failure = run_part(base + [
                        f"--probe={bench['name']}",
                        f"--probe_iterations={profile['probe_iterations']}",
                        f"--sample_period_ms={profile['sample_period_ms']}",
                        f"--probe_out={probe}"], profile["timeout_s"], current)
                    spent.add_probe(time.monotonic() - began)
                    part["probe"] = probe
                if failure is not None:
                    print(f"  failed ({phase}): {failure}", file=sys.stderr, flush=True)
                    part["failure"] = {"phase": phase, "reason": failure}
        for part in parts:
            if part["failure"] is not None:
                part["timing"], part["probe"] = None, None
        failed = sum(part["failure"] is not None for part in parts)
        floor = noise_floor(calibration)
        if floor:
            context["noise_floor"] = floor
        manifest = os.path.join(work, "manifest.json")
        with open(manifest, "w", encoding="utf-8") as f:
            json.dump({"context": context, "parts": parts}, f)
        merged = subprocess.run([results_tool, "merge", manifest, out],
                                capture_output=True, text=True, check=False)
        if merged.returncode != 0:
            print(f"{prog}: error: merging failed: {last_line(merged.stderr)}",
                  file=sys.stderr)
            return 2
    except KeyboardInterrupt:
        print(f"{prog}: error: interrupted; {os.path.join(out, 'results.json')} left as "
              "it was", file=sys.stderr)
        return 130
    finally:
        shutil.rmtree(work, ignore_errors=True)

    total = time.monotonic() - start
    document = os.path.join(out, "results.json")
    print(f"wrote {document}: {len(matrix)} benchmarks, {failed} failed, "
          f"{fmt_duration(total)}", file=sys.stderr)
    if args.report:
        made = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "report"),
                               document], check=False)
        if made.returncode != 0:
            return made.returncode
    return 1 if failed else 0
