"""Other builds of the C++ suite a run measures beside its own (issue 13: the
same-backend comparison). rustc 1.63 generates code with LLVM 14 and the
suite's release build is GCC 12's, so a difference between rust-box and raii
may be the compiler's; the release-clang build (clang 14, LLVM 14) runs the
C++ strategies a port's strategies are compared with, and the report divides
by those too.

A build is a CMake build directory whose build.json (written by every
configure: the compiler's id and version, and a short name such as
"clang-14") says what compiled it. Its records are the C++ benchmarks of the
run's own binary, run by that build's binary on the baseline allocator, as a
variant of kind "build" ({"name": "clang-14", "label": "built with clang
14.0.6", "kind": "build", "series": "build", "value": null, "compiler": ...,
"flags": []}): the same strategy
and work, another compiler. Which strategies: the baseline and every C++
counterpart a port strategy of the run declares; nothing when no port runs.
A build that is missing is skipped with one line saying how to make it, and
the document's context.builds says so."""

import json
import os
import sys

BUILD_FILE = "build.json"
BUILD_FORMAT = 1
BENCH = os.path.join("benchmarks", "memstrat_bench")


def describe(build_dir):
    """The build's build.json ({name, compiler, ...}), or None."""
    try:
        with open(os.path.join(build_dir, BUILD_FILE), encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError):
        return None
    if not (isinstance(doc, dict) and doc.get("format") == BUILD_FORMAT
            and all(isinstance(doc.get(k), str) for k in ("name", "compiler"))):
        return None
    return doc


def variant(build):
    return {"name": build["name"], "label": f"built with {build['compiler']}",
            "kind": "build", "series": "build", "value": None,
            "compiler": build["compiler"], "flags": []}


def strategies_for(declarations):
    """The C++ strategies another build runs: the baseline and the declared
    counterparts of the port strategies, in declared order. A port strategy
    declaring `same_backend_build: false` (its code is compiled by a JIT,
    which no C++ build shares) adds no counterpart: another C++ build of it
    would say nothing about the port."""
    wanted = {d["counterpart"] for d in declarations
              if d.get("counterpart") and d.get("same_backend_build", True)}
    if not wanted:
        return []
    return [d["name"] for d in declarations
            if d.get("family") == "C++" and (d.get("baseline") or d["name"] in wanted)]


def prepare(dirs, own, log=sys.stderr):
    """[(build, binary path)] of the build directories that exist, and the
    context entries ({name, build_dir, compiler, status, reason}); each
    missing one is skipped with one line. `own` is the run's build.json
    (or None): a build with the same name as the run's adds nothing."""
    ready, context = [], []
    for d in dirs:
        build = describe(d)
        path = os.path.join(d, BENCH)
        entry = {"name": build["name"] if build else os.path.basename(d.rstrip("/")),
                 "build_dir": d, "compiler": build["compiler"] if build else None,
                 "status": "skipped", "reason": None}
        if build is None or not os.access(path, os.X_OK):
            preset = os.path.basename(d.rstrip("/"))
            entry["reason"] = (f"{path} is not built: apt-get install clang-14, then "
                               f"cmake --preset {preset} && cmake --build --preset {preset}")
            print(f"scripts/run: skipping the C++ build in {d}: {entry['reason']}",
                  file=log, flush=True)
        elif own is not None and build["name"] == own.get("name"):
            entry["reason"] = f"the run's own build is {build['name']} too"
        else:
            entry["status"] = "ran"
            ready.append((build, path))
        context.append(entry)
    return ready, context
