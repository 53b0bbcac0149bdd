"""Language ports (issue 13): programs in other languages that run the same
workloads and speak the C++ benchmark binary's protocol (docs/extending.md,
"Adding a language"). The build declares them in cmake/Ports.cmake and
writes <build>/ports.json; this module reads it, asks each selected port
for its benchmarks and strategy declarations, holds both to the protocol,
and checks a run's port records against the C++ records of the same work
(parity). runner.py names no language: everything it knows of a port comes
from here."""

import json
import os
import re
import subprocess
import sys

from memstrat.cli import UsageError
from memstrat.minheap import describe_exit, last_line

PORTS_FILE = "ports.json"
PORTS_FORMAT = 1
# The family of the strategies a port is checked against.
REFERENCE_FAMILY = "C++"
# What --list_strategies must say of each of a port's strategies (the keys
# a C++ declaration has, plus what only a port says), and of what type.
DECLARATION_KEYS = {"name": str, "family": str, "summary": str, "reclaim_kind": str,
                    "frees": str, "collects": bool, "release_order": str,
                    "owner_bytes": int, "allocator_bytes": int, "owner_overhead": str,
                    "sanitizer_safe": bool, "threads_process": bool,
                    "object_per_new": bool, "colour": str, "baseline": bool,
                    "settings": list, "language": str, "toolchain": str}
FREES = ("every_object", "none", "some")
NAME = re.compile(r"^[a-z0-9_]+(-[a-z0-9_]+)*$")
COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")


class PortError(UsageError):
    """A port whose output is not what the protocol says: one line, naming
    the port; the run stops before anything is written."""


def load_ports(build_dir):
    """The build's ports, in declared order: [{name, language, binary
    (relative to build_dir), packages, allocator, available, missing}]. A
    build without ports.json (a sanitizer build, or one configured before
    ports existed) has none."""
    path = os.path.join(build_dir, PORTS_FILE)
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as e:
        raise UsageError(f"cannot read {path}: {getattr(e, 'strerror', None) or e}; "
                         "configure again (cmake --preset release)") from None
    entries = (doc.get("ports") if isinstance(doc, dict) and
               doc.get("format") == PORTS_FORMAT else None)
    if not isinstance(entries, list) or not all(
            isinstance(e, dict)
            and all(isinstance(e.get(k), str) for k in ("name", "language", "binary",
                                                          "allocator"))
            and isinstance(e.get("available"), bool)
            and isinstance(e.get("packages"), list)
            for e in entries):
        raise UsageError(f"{path} is not a port list this memstrat reads (format "
                         f"{PORTS_FORMAT}); configure again (cmake --preset release)")
    return entries


def select_ports(text, declared):
    """The ports --ports names, in declared order: every declared one for
    None or 'all' (those unavailable are then skipped with a line), none
    for 'none'."""
    names = [p["name"] for p in declared]
    if text is None or text.strip() == "all":
        return names
    if text.strip() == "none":
        return []
    chosen = [t.strip() for t in text.split(",") if t.strip()]
    if not chosen:
        raise UsageError("--ports is empty; give port names, all or none")
    for c in chosen:
        if c in ("all", "none"):
            raise UsageError(f"--ports {c} stands alone; give it without other names")
        if c not in names:
            valid = ", ".join(names + ["all", "none"])
            raise UsageError(f"unknown port '{c}'; choose from {valid}")
    return [n for n in names if n in chosen]


def install_hint(port):
    packages = " ".join(port.get("packages") or [])
    return port.get("missing") or f"sudo apt-get install {packages}"


class Port:
    """A port the run drives: its entry of ports.json, the binary's path,
    and what it listed."""

    def __init__(self, entry, path):
        self.entry = entry
        self.name = entry["name"]
        self.language = entry["language"]
        self.allocator = entry["allocator"]
        self.binary = path
        self.benchmarks = []
        self.strategies = []

    @property
    def toolchain(self):
        return next((d["toolchain"] for d in self.strategies), "unknown")


def run_json(cmd, what, timeout, error=UsageError, hint=""):
    """A program's stdout, parsed as JSON; `error` (one line starting with
    `what`) when it cannot start, does not answer within `timeout` seconds,
    fails, or prints something else."""
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, check=False,
                             timeout=timeout)
    except OSError as e:
        raise error(f"{what}: cannot start {cmd[0]}: {e.strerror}") from None
    except subprocess.TimeoutExpired:
        raise error(f"{what} did not answer within {timeout:g} s") from None
    except UnicodeDecodeError:
        raise error(f"{what} printed text that is not UTF-8") from None
    if out.returncode != 0:
        raise error(f"{what} failed ({describe_exit(out.returncode)}: "
                    f"{last_line(out.stderr)})")
    try:
        return json.loads(out.stdout)
    except ValueError:
        raise error(f"{what} printed no JSON{hint}") from None


def _ask(port, flags):
    """The port's stdout for one listing flag, parsed; PortError otherwise."""
    return run_json([port.binary] + flags, f"port {port.name}: {' '.join(flags)}", 120,
                    PortError, " (the protocol: docs/extending.md)")


def check_strategies(port, listed, taken, reference=()):
    """Holds --list_strategies to the protocol; `taken` are the names already
    declared (the C++ strategies and earlier ports'), `reference` the C++
    strategies' (an optional "counterpart" must name one)."""
    if not isinstance(listed, list) or not listed:
        raise PortError(f"port {port.name}: --list_strategies printed no array of "
                        "declarations")
    for i, d in enumerate(listed):
        label = d.get("name") if isinstance(d, dict) else None
        where = f"port {port.name}: --list_strategies entry {label or i}"
        if not isinstance(d, dict):
            raise PortError(f"{where} is not an object")
        for key, kind in DECLARATION_KEYS.items():
            value = d.get(key)
            if key not in d:
                raise PortError(f"{where} has no \"{key}\"")
            if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
                raise PortError(f"{where}: \"{key}\" is not a {kind.__name__}")
        if not NAME.match(d["name"]):
            raise PortError(f"{where}: the name is not lower-case letters, digits, _ "
                            "and -")
        if d["name"] in taken:
            raise PortError(f"{where}: the name is already a strategy's")
        if d["frees"] not in FREES:
            raise PortError(f"{where}: \"frees\" is {d['frees']!r}, not one of "
                            f"{', '.join(FREES)}")
        if not COLOUR.match(d["colour"]):
            raise PortError(f"{where}: \"colour\" {d['colour']!r} is not #RRGGBB")
        if d["baseline"]:
            raise PortError(f"{where} claims to be the baseline; only a C++ strategy is")
        if d["family"] == REFERENCE_FAMILY:
            raise PortError(f"{where}: family {REFERENCE_FAMILY} is the reference's; a "
                            f"port declares its own ({port.language})")
        if "counterpart" in d and d["counterpart"] not in reference:
            raise PortError(f"{where}: \"counterpart\" {d['counterpart']!r} is not a "
                            f"{REFERENCE_FAMILY} strategy")
        taken.add(d["name"])
    return listed


def check_benchmarks(port, listed, strategies):
    """Holds --list_benchmarks to the protocol: each name is
    workload/strategy/param:value of one of the port's strategies."""
    if not isinstance(listed, list) or not listed:
        raise PortError(f"port {port.name}: --list_benchmarks printed no array of "
                        "benchmarks")
    seen = set()
    for i, b in enumerate(listed):
        where = f"port {port.name}: --list_benchmarks entry {i}"
        if not isinstance(b, dict) or not all(isinstance(b.get(k), str)
                                              for k in ("name", "workload", "strategy")):
            raise PortError(f"{where} lacks a name, workload or strategy")
        params = b.get("params")
        if not isinstance(params, dict) or not all(
                isinstance(v, int) and not isinstance(v, bool) for v in params.values()):
            raise PortError(f"{where} ({b['name']}): params is not an object of integers")
        parts = b["name"].split("/")
        named = dict(p.split(":", 1) for p in parts[2:] if ":" in p)
        if (parts[:2] != [b["workload"], b["strategy"]] or len(named) != len(parts) - 2
                or named != {k: str(v) for k, v in params.items()}):
            raise PortError(f"{where}: the name {b['name']} is not "
                            "workload/strategy/param:value of its fields")
        if b["strategy"] not in strategies:
            raise PortError(f"{where} ({b['name']}): strategy {b['strategy']} is not one "
                            "--list_strategies declares")
        if b["name"] in seen:
            raise PortError(f"{where}: {b['name']} is listed twice")
        seen.add(b["name"])
    return listed


def prepare(build_dir, declared, selected, size, taken, log=sys.stderr):
    """The ports a run drives, and the document's context.ports. Each selected
    port whose toolchain is missing (available false, or its binary not
    built) is skipped with one line; the others are listed and held to the
    protocol (PortError). `taken`: the C++ strategies' names."""
    ports, context = [], []
    reference = set(taken)
    taken = set(taken)
    for entry in declared:
        if entry["name"] not in selected:
            continue
        path = os.path.join(build_dir, entry["binary"])
        record = {"name": entry["name"], "language": entry["language"],
                  "status": "skipped", "reason": None, "toolchain": None}
        if not entry["available"] or not os.access(path, os.X_OK):
            why = ("its toolchain is missing" if not entry["available"]
                   else f"{path} is not built")
            record["reason"] = f"{why}: {install_hint(entry)}"
            print(f"scripts/run: skipping port {entry['name']} ({entry['language']}): "
                  f"{why}; {install_hint(entry)}, then build (cmake --preset release && "
                  "cmake --build --preset release)", file=log, flush=True)
            context.append(record)
            continue
        port = Port(entry, path)
        port.strategies = check_strategies(port, _ask(port, ["--list_strategies"]), taken,
                                           reference)
        port.benchmarks = check_benchmarks(
            port, _ask(port, ["--list_benchmarks", f"--size={size}"]),
            {d["name"] for d in port.strategies})
        record.update(status="ran", toolchain=port.toolchain)
        ports.append(port)
        context.append(record)
    return ports, context


# Parity in a run -----------------------------------------------------------

def _checksum(probe):
    try:
        return int(probe["checksum"], 16)
    except (KeyError, TypeError, ValueError):
        return None


def _objects(probe):
    counts = probe.get("counts") if isinstance(probe, dict) else None
    value = counts.get("objects_per_iteration") if isinstance(counts, dict) else None
    return value if isinstance(value, (int, float)) else None


def parity_failures(entries):
    """The parity of a run's port records. `entries` are (key, work,
    is_port, probe) per record that ran: key identifies it, work is its
    (workload, params), probe its first probe (a dict). Each port record is
    compared with the C++ records of the same work: the checksum always,
    objects_per_iteration where both have it. Returns ({key: reason} for
    those that disagree, number checked, number without a C++ record)."""
    reference = {}
    for _, work, is_port, probe in entries:
        if not is_port and _checksum(probe) is not None:
            reference.setdefault(work, probe)
    failures, checked, alone = {}, 0, 0
    for key, work, is_port, probe in entries:
        if not is_port:
            continue
        cpp = reference.get(work)
        if cpp is None:
            alone += 1
            continue
        checked += 1
        mine, theirs = _checksum(probe), _checksum(cpp)
        if mine != theirs:
            shown = "none" if mine is None else f"0x{mine:016x}"
            failures[key] = f"checksum {shown} differs from C++ (0x{theirs:016x})"
            continue
        mine, theirs = _objects(probe), _objects(cpp)
        if mine is not None and theirs is not None and mine != theirs:
            failures[key] = (f"objects_per_iteration {mine:g} differs from C++ "
                             f"({theirs:g})")
    return failures, checked, alone
