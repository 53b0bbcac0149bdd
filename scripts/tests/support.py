"""Shared by the script tests: where the scripts and the build are, and how
to run a script and read its one-line error."""

import atexit
import os
import subprocess
import sys
import tempfile

SCRIPTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(SCRIPTS)
BUILD = os.environ.get("MEMSTRAT_BUILD_DIR", os.path.join(ROOT, "build", "release"))
FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")

sys.path.insert(0, SCRIPTS)

# Each test process runs its benchmarks under its own run lock: ctest runs
# the test modules in parallel, and under the machine-wide one they would
# refuse each other. Every child (scripts/run) inherits it.
LOCK = os.path.join(tempfile.gettempdir(), f"memstrat-test-{os.getpid()}.lock")
if os.environ.setdefault("MEMSTRAT_LOCK", LOCK) == LOCK:
    atexit.register(lambda: os.path.exists(LOCK) and os.remove(LOCK))


# The tests of the C++ runner run without the build's language ports (a port
# being built, or ahead of or behind the protocol, must not move them);
# test_ports.py drives ports, with a fake one, and names --ports itself.
NO_PORTS = ("--ports", "none")


def run_script(name, *args, timeout=600, **kwargs):
    """Runs scripts/<name> with this interpreter; returns CompletedProcess.
    scripts/run gets --ports none unless the test gives --ports."""
    if name == "run" and "--ports" not in args:
        args = NO_PORTS + args
    return subprocess.run([sys.executable, os.path.join(SCRIPTS, name), *args],
                          capture_output=True, text=True, timeout=timeout, **kwargs)


def error_lines(stderr):
    return [l for l in stderr.splitlines() if "error:" in l]
