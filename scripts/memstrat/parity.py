"""The cross-language parity test (issue 13): every benchmark a language
port lists at the small sizes must compute what the C++ workload computes,
the same checksum (all 64 bits), the same units and the same objects (make
calls), as this revision's memstrat_test_vectors prints them
(workload_checksums: checksum, units, and objects once the C++ side
records them; until then objects are compared only where both have them,
and the test says so). A benchmark the port's language cannot express
faithfully is listed with a "not_applicable" reason instead of the fields
(JavaScript's producer_consumer: Node's workers share no objects): its
workload counts as covered and a note names it. ctest runs it as
port_parity.<port>; see `scripts/port_parity --help`."""

import argparse
import json
import sys

from memstrat import ports
from memstrat.cli import UsageError

FIELDS = ("checksum", "units", "objects")


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(message)


def parse_args(argv):
    p = _Parser(
        prog="scripts/port_parity",
        description="Check a language port against the C++ workloads: run "
                    "memstrat_test_vectors and PORT --check --size=small, and compare "
                    "every port benchmark's checksum, units and objects with the C++ "
                    "workload's.",
        epilog="A benchmark the port lists as not applicable (a reason instead of "
               "the fields) covers its workload and is named in a note. "
               "Exit codes: 0 every benchmark agrees, 1 some disagree (one line each, "
               "naming benchmark and field), 2 bad input (a program that does not run "
               "or prints what the protocol does not say).")
    p.add_argument("--port", required=True, help="the port's name, for the messages")
    p.add_argument("--binary", required=True, help="the port's program")
    p.add_argument("--test-vectors", required=True,
                   help="the C++ memstrat_test_vectors program of this build")
    p.add_argument("--size", default="small", choices=("small",),
                   help="the sizes compared: the test vectors hold the small ones")
    return p.parse_args(argv)


def run_json(cmd, what):
    return ports.run_json(cmd, what, 240)


def _number(value):
    """A checksum as an integer ("0x..." string or number), else the value."""
    if isinstance(value, str):
        try:
            return int(value, 16)
        except ValueError:
            return value
    return value


def _shown(field, value):
    if field == "checksum" and isinstance(value, int):
        return f"0x{value:016x}"
    return json.dumps(value)


def compare(vectors, checked, port="port"):
    """Problems (one line each) between the C++ test vectors
    ({workload: {params, checksum, units, objects?}}) and a port's --check
    list; and the notes (what was not compared, and why)."""
    if not isinstance(checked, list) or not checked:
        raise UsageError(f"port {port}: --check printed no array of benchmarks")
    problems, notes = [], []
    covered = {}
    no_objects = set()
    for i, b in enumerate(checked):
        if not isinstance(b, dict) or not all(isinstance(b.get(k), str) for k in
                                              ("name", "workload", "strategy")):
            raise UsageError(f"port {port}: --check entry {i} lacks a name, workload or "
                             "strategy")
        name, workload = b["name"], b["workload"]
        covered.setdefault(b["strategy"], set()).add(workload)
        cpp = vectors.get(workload)
        if cpp is None:
            problems.append(f"{name}: workload {workload} has no C++ test vector")
            continue
        if b.get("params") != cpp.get("params"):
            problems.append(f"{name}: params {json.dumps(b.get('params'))} are not the "
                            f"C++ small size's {json.dumps(cpp.get('params'))}")
            continue
        if "not_applicable" in b:
            problems += _not_applicable(b, notes)
            continue
        for field in FIELDS:
            if field not in b:
                problems.append(f"{name}: {field} missing from the port's --check")
                continue
            if field not in cpp:
                no_objects.add(workload)
                continue
            mine, theirs = _number(b[field]), _number(cpp[field])
            if mine != theirs:
                problems.append(f"{name}: {field} {_shown(field, mine)} differs from "
                                f"C++ ({_shown(field, theirs)})")
    for strategy, workloads in covered.items():
        for w in vectors:
            if w not in workloads:
                problems.append(f"{port}: strategy {strategy} has no benchmark of "
                                f"workload {w}")
    if no_objects:
        notes.append(f"objects not compared for {', '.join(sorted(no_objects))}: the C++ "
                     "test vectors do not record them yet")
    return problems, notes


def not_applicable(entry):
    """The reason of a --check entry the port cannot run by design, or None."""
    return entry.get("not_applicable") if isinstance(entry, dict) else None


def _not_applicable(entry, notes):
    """A not-applicable entry: a note naming it and its reason; a problem
    where the reason is empty or the entry also carries results."""
    name, reason = entry["name"], entry["not_applicable"]
    if not isinstance(reason, str) or not reason.strip():
        return [f"{name}: not_applicable without a reason (a non-empty string)"]
    carried = [f for f in FIELDS if f in entry]
    if carried:
        return [f"{name}: not applicable ({reason}) but carries {', '.join(carried)}"]
    notes.append(f"{name}: not applicable: {reason}")
    return []


def main(argv=None):
    prog = "scripts/port_parity"
    try:
        args = parse_args(sys.argv[1:] if argv is None else argv)
        doc = run_json([args.test_vectors], "memstrat_test_vectors")
        vectors = doc.get("workload_checksums") if isinstance(doc, dict) else None
        if not isinstance(vectors, dict) or not vectors:
            raise UsageError("memstrat_test_vectors printed no workload_checksums")
        checked = run_json([args.binary, "--check", f"--size={args.size}"],
                           f"port {args.port}: --check --size={args.size}")
        problems, notes = compare(vectors, checked, args.port)
    except UsageError as e:
        print(f"{prog}: error: {e}", file=sys.stderr)
        return 2
    for note in notes:
        print(f"{prog}: note: {note}")
    for problem in problems:
        print(f"{prog}: error: parity: {args.port}: {problem}", file=sys.stderr)
    if problems:
        print(f"{prog}: port {args.port}: {len(problems)} disagreements over "
              f"{len(checked)} benchmarks", file=sys.stderr)
        return 1
    skipped = sum(1 for b in checked if not_applicable(b) is not None)
    print(f"{prog}: port {args.port}: all {len(checked) - skipped} benchmarks agree with "
          f"C++ ({', '.join(f for f in FIELDS)})"
          + (f"; {skipped} not applicable" if skipped else ""))
    return 0
