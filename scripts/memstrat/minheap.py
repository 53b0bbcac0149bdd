"""Finding the smallest heap a program completes in: the heap unit.

A collector's cost depends on how much room it is given, so the heap sizes a
curve sweeps are multiples of the smallest heap the program completes in
(Hertz & Berger 2005, and the Java and Go studies after them). That smallest
heap is found by experiment: run the program under a heap cap, many sizes,
bracket the minimum, then bisect. Nothing here knows which collector or
program it measures: `find_minimum` takes a function that runs one trial at a
heap size, and `CommandTrial` makes one from a command template with
`{heap_bytes}`, `{heap_kib}` or `{heap_mib}` in it (a port brings its own:
`java -Xmx{heap_mib}m ...`).

What a size is said to do, and why:
- A size **completes** when every one of `trials` runs exits 0, and **fails**
  when any does (the runs at a size stop at the first failure). Near the
  minimum, whether a run fits depends on where its stacks and mappings land
  and on when the collector happened to run, so one clean run proves little.
  The trials run with address randomisation off (`setarch <machine> -R`),
  which removes one of those sources; the others stay, and the trials are
  there for them.
- The bisection's answer is an interval (fails_bytes, completes_bytes]: the
  largest size seen failing and the smallest seen completing. The unit is
  completes_bytes, and the interval's width is the honest precision: it
  stops at the collector's own growth granularity, or earlier at a stated
  fraction of the heap (`precision`), which saves runs and loses nothing the
  trials' own scatter would not blur anyway.
- "never_completes": the run fails even at the generous cap `max_bytes`.
  "unbracketed": it completes even at one granule, so there is no failing
  size to bracket with. Both are results, recorded with every size tried.

The entry returned has the fields of a results document's `heap_units`
(docs/measurements.md, "The minimum heap and the curve")."""

import math
import os
import platform
import shlex
import shutil
import signal
import subprocess

PLACEHOLDERS = {"heap_bytes": 1, "heap_kib": 1024, "heap_mib": 1024 * 1024}
# How many runs a size gets unless told: see docs/measurements.md for what
# three buys against one on this machine.
DEFAULT_TRIALS = 3


class MinheapError(Exception):
    """Bad input to the bisection or its command; str() is one line."""


def round_up(value, step):
    return -(-int(value) // step) * step


def round_down(value, step):
    return int(value) // step * step


def find_minimum(run_trial, granularity_bytes, start_bytes, trials, max_bytes,
                 precision=0.0):
    """Brackets then bisects the smallest heap size at which `trials` runs of
    run_trial(heap_bytes) all complete (return None; a failure returns a
    one-line reason). Sizes are multiples of granularity_bytes, from one
    granule up to max_bytes (rounded up to a granule). The bisection stops
    once the interval is at most max(granularity, precision x its upper end).
    Returns the heap_units fields: status, unit_bytes, interval,
    granularity_bytes, trials, probes, reason (the caller adds what it knows
    of the command)."""
    step = int(granularity_bytes)
    if step < 1:
        raise MinheapError(f"the granularity must be at least 1 byte, got {granularity_bytes}")
    if trials < 1:
        raise MinheapError(f"trials must be at least 1, got {trials}")
    if not 0 <= precision < 1:
        raise MinheapError(f"the precision must be a fraction in [0, 1), got {precision}")
    top = max(step, round_up(max_bytes, step))
    start = min(top, max(step, round_up(start_bytes, step)))
    probes = []
    seen = {}

    def test(heap):
        """True when all trials at `heap` complete; stops at the first failure."""
        if heap in seen:
            return seen[heap]
        completed, reason = 0, None
        for _ in range(trials):
            reason = run_trial(heap)
            if reason is not None:
                break
            completed += 1
        probes.append({"heap_bytes": heap, "trials": completed + (reason is not None),
                       "completed": completed, "reason": reason})
        seen[heap] = reason is None
        return seen[heap]

    def entry(status, fails, completes, reason=None):
        return {"status": status,
                "unit_bytes": completes if status == "ok" else None,
                "interval": {"fails_bytes": fails, "completes_bytes": completes},
                "granularity_bytes": step, "trials": trials,
                "precision": precision, "max_bytes": top,
                "probes": probes, "reason": reason}

    fails = completes = None
    if test(start):
        completes = start
        while fails is None:  # halve until a size fails
            if completes == step:
                return entry("unbracketed", None, completes,
                             f"completed even at one granule ({step} bytes): no "
                             "failing size to bracket the minimum with")
            heap = max(step, round_down(completes // 2, step))
            if test(heap):
                completes = heap
            else:
                fails = heap
    else:
        fails = start
        while completes is None:  # double until a size completes
            if fails >= top:
                last = probes[-1]["reason"]
                return entry("never_completes", fails, None,
                             f"failed even at the cap of {top} bytes: {last}")
            heap = min(top, round_up(fails * 2, step))
            if test(heap):
                completes = heap
            else:
                fails = heap
    while completes - fails > max(step, precision * completes):
        heap = fails + (completes - fails) // step // 2 * step
        if test(heap):
            completes = heap
        else:
            fails = heap
    return entry("ok", fails, completes)


def machine():
    return platform.machine() or os.uname().machine


def setarch_prefix():
    """['setarch', <machine>, '-R']: runs a command with address
    randomisation off. Refuses in one line if setarch is missing or the
    kernel does not let it change the personality (some containers)."""
    path = shutil.which("setarch")
    if path is None:
        raise MinheapError("setarch not found: the trials run with address randomisation "
                           "off through it; install util-linux (apt-get install util-linux)")
    prefix = ["setarch", machine(), "-R"]
    try:
        proc = subprocess.run(prefix + ["true"], capture_output=True, text=True,
                              check=False, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise MinheapError(f"{' '.join(prefix)} true did not run: {e}") from None
    if proc.returncode != 0:
        err = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise MinheapError(f"{' '.join(prefix)} cannot turn address randomisation off "
                           f"here ({err}); the bisection needs it")
    return prefix


def render(template, heap_bytes):
    """The argv of one trial: each {heap_bytes}, {heap_kib}, {heap_mib} in the
    template replaced by the size in that unit, rounded up."""
    values = {name: str(-(-int(heap_bytes) // unit)) for name, unit in PLACEHOLDERS.items()}
    return [arg.format(**values) for arg in template]


def check_template(template):
    """Refuses a template without a size placeholder, or with a brace that is
    not one, in one line."""
    if not template:
        raise MinheapError("no command given")
    used = False
    for arg in template:
        try:
            arg.format(**{k: "" for k in PLACEHOLDERS})
        except (KeyError, IndexError, ValueError) as e:
            raise MinheapError(f"the command's argument '{arg}' holds a placeholder other "
                               f"than {{heap_bytes}}, {{heap_kib}}, {{heap_mib}} ({e}); "
                               "write a literal brace as {{ or }}") from None
        used = used or any("{" + k + "}" in arg for k in PLACEHOLDERS)
    if not used:
        raise MinheapError("the command names no heap size: put {heap_bytes}, {heap_kib} "
                           "or {heap_mib} where its heap cap goes")


def describe_exit(code):
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


def last_line(text):
    lines = [l.strip() for l in (text or "").splitlines() if l.strip()]
    errors = [l for l in lines if "error" in l.lower() or "memory" in l.lower()]
    return (errors or lines or ["no output"])[-1]


def failure_line(out, err):
    """Why a run failed, in one line: the benchmark's own error when its
    output names one (Google Benchmark prints "ERROR OCCURRED: '<message>'"
    on stdout and only a count on stderr), else stderr's last error line."""
    for line in (out or "").splitlines():
        _, marker, message = line.partition("ERROR OCCURRED: ")
        if marker:
            return message.strip().strip("'")
    return last_line(err)


# The exit code of a program that refuses to run a cell by design (the
# runner records such a cell as not_applicable; docs/extending.md).
NOT_APPLICABLE_EXIT = 4


def not_applicable_line(err):
    """stderr's `<prog>: not applicable: <reason>` line as `not applicable:
    <reason>`, else its last error line."""
    for line in reversed((err or "").splitlines()):
        _, marker, reason = line.partition(": not applicable: ")
        if marker and reason.strip():
            return f"not applicable: {reason.strip()}"
    return last_line(err)


class CommandTrial:
    """run_trial for find_minimum from command templates: runs each rendered
    argv in turn (under setarch -R unless randomise is True) and calls the
    trial a failure at the first that exits non-zero, is killed, or outlives
    timeout_s ("timed out"). One template, or several when a size must
    satisfy more than one kind of run (the runner's: the timing run, then
    the probe), each given a label for the failure reason. `preexec` runs in
    each child (the runner passes one that kills the trial with it)."""

    def __init__(self, templates, timeout_s, randomise=False, env=None, preexec=None,
                 labels=None):
        if templates and all(isinstance(a, str) for a in templates):
            templates = [templates]
        if not templates:
            raise MinheapError("no command given")
        for template in templates:
            check_template(template)
        if timeout_s is not None and timeout_s <= 0:
            raise MinheapError(f"the trial timeout must be positive, got {timeout_s}")
        self.templates = [list(t) for t in templates]
        self.labels = list(labels) if labels else [None] * len(self.templates)
        self.timeout_s = timeout_s
        self.prefix = [] if randomise else setarch_prefix()
        self.env = env
        self.preexec = preexec
        self.current = None
        self.runs = 0

    @property
    def address_randomisation(self):
        return not self.prefix

    def command(self):
        """The templates as run, one shell line (&& between several)."""
        return " && ".join(" ".join(shlex.quote(a) for a in self.prefix + t)
                           for t in self.templates)

    def __call__(self, heap_bytes):
        self.runs += 1
        for template, label in zip(self.templates, self.labels):
            reason = self._run(self.prefix + render(template, heap_bytes))
            if reason is not None:
                return reason if label is None else f"{label}: {reason}"
        return None

    def _run(self, argv):
        try:
            proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    text=True, env=self.env, preexec_fn=self.preexec)
        except OSError as e:
            return f"cannot start {argv[0]}: {e.strerror}"
        self.current = proc
        try:
            out, err = proc.communicate(timeout=self.timeout_s)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            return f"timed out after {self.timeout_s:g} s"
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        finally:
            self.current = None
        if proc.returncode == NOT_APPLICABLE_EXIT:
            # A size the program refuses to run at (a JVM's too small a
            # heap): a failure at that size, named as the program names it.
            return f"{describe_exit(proc.returncode)}: {not_applicable_line(err)}"
        if proc.returncode != 0:
            return f"{describe_exit(proc.returncode)}: {failure_line(out, err)}"
        return None

    def describe(self, entry):
        """The entry with what the command adds: address randomisation, the
        template as run, the timeout."""
        return dict(entry, address_randomisation=self.address_randomisation,
                    command=self.command(), timeout_s=self.timeout_s)


def parse_size(text):
    """'65536', '64KiB', '64k', '16MiB', '2G' -> bytes."""
    units = {"": 1, "b": 1, "k": 1024, "kb": 1024, "kib": 1024, "m": 1 << 20,
             "mb": 1 << 20, "mib": 1 << 20, "g": 1 << 30, "gb": 1 << 30, "gib": 1 << 30}
    t = text.strip().lower()
    number = t.rstrip("abcdefghijklmnopqrstuvwxyz")
    unit = t[len(number):]
    try:
        value = float(number)
    except ValueError:
        value = math.nan
    if unit not in units or not math.isfinite(value) or value <= 0:
        raise MinheapError(f"'{text}' is not a size (examples: 65536, 64KiB, 16MiB, 2GiB)")
    return int(math.ceil(value * units[unit]))


def parse_args(argv):
    import argparse
    p = argparse.ArgumentParser(
        prog="scripts/minheap",
        description="Find the smallest heap one command completes in: bracket, then bisect "
                    "in granules, each size run TRIALS times with address randomisation "
                    "off (setarch <machine> -R). Prints the heap_units entry as JSON "
                    "(docs/measurements.md, \"The minimum heap and the curve\").",
        epilog="Example: scripts/minheap --granularity 4KiB --start 16MiB -- "
               "build/release/benchmarks/memstrat_bench --size=small "
               "--probe=binary_trees/gc/depth:14 --probe_iterations=1 "
               "--gc_max_heap_kib={heap_kib} --gc_initial_heap_kib={heap_kib}   "
               "Exit codes: 0 the minimum was found, 1 it was not (never_completes or "
               "unbracketed: the entry says why), 2 bad input.")
    p.add_argument("--granularity", default="4KiB",
                   help="the step the sizes are multiples of: the collector's heap growth "
                        "granularity (default: 4KiB)")
    p.add_argument("--start", help="the first size tried; halved while it completes, "
                                   "doubled while it fails (default: one granule)")
    p.add_argument("--max", dest="max_heap",
                   help="the generous cap: a command failing there never completes "
                        "(default: 64 x --start, or the machine's memory without --start)")
    p.add_argument("--trials", type=int, default=DEFAULT_TRIALS,
                   help=f"runs per size; a size completes when all do (default: "
                        f"{DEFAULT_TRIALS})")
    p.add_argument("--precision", type=float, default=0.0,
                   help="stop once the interval is at most this fraction of the heap "
                        "(and at most one granule anyway); 0.01 saves a few runs "
                        "(default: 0, bisect to the granule)")
    p.add_argument("--timeout", type=float, default=600.0,
                   help="seconds a trial may run before it counts as a failure "
                        "(default: 600)")
    p.add_argument("--randomise", action="store_true",
                   help="leave address randomisation on (no setarch): for comparison only")
    p.add_argument("command", nargs="+",
                   help="the command, after --, with {heap_bytes}, {heap_kib} or "
                        "{heap_mib} where the heap cap goes (rounded up to that unit)")
    args = p.parse_args(argv)
    return args


def main(argv=None):
    import json
    import sys
    prog = "scripts/minheap"
    argv = sys.argv[1:] if argv is None else argv
    try:
        args = parse_args(argv)
        granularity = parse_size(args.granularity)
        start = parse_size(args.start) if args.start else granularity
        if args.max_heap:
            top = parse_size(args.max_heap)
        elif args.start:
            top = 64 * start
        else:
            top = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        if top < start:
            raise MinheapError(f"--max ({top} bytes) is below --start ({start} bytes)")
        if args.trials < 1:
            raise MinheapError(f"--trials must be at least 1, got {args.trials}")
        if not 0 <= args.precision < 1:
            raise MinheapError(f"--precision must be a fraction in [0, 1), got "
                               f"{args.precision}")
        trial = CommandTrial(args.command, args.timeout, randomise=args.randomise)
        found = find_minimum(trial, granularity, start, args.trials, top, args.precision)
    except MinheapError as e:
        print(f"{prog}: error: {e}", file=sys.stderr)
        return 2
    json.dump(trial.describe(found), sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0 if found["status"] == "ok" else 1
