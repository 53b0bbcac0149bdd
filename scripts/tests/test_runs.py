"""scripts/run between runs: no run destroys another (a used --out is
refused, a second run while one holds the machine's lock is refused or
waits), a killed run resumes to the same records as an uninterrupted one,
a resume under other settings is refused; and the environment a run is made
in is part of its result (recorded, labelled, and compared)."""

import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

from support import NO_PORTS, BUILD, FIXTURES, SCRIPTS, error_lines, run_script

from memstrat import environment, results, runner

# The smallest real run: one benchmark, one repetition, one round.
TINY = ["--profile", "quick", "--workloads", "binary_trees", "--strategies", "manual",
        "--allocators", "glibc", "--repetitions", "1", "--rounds", "1"]
# Long enough to be caught half-way: 3 benchmarks x 4 rounds, timing + probe.
HALF = ["--profile", "quick", "--workloads", "binary_trees",
        "--strategies", "manual,gc,arena", "--allocators", "glibc",
        "--repetitions", "4", "--rounds", "4"]
FIXTURE = os.path.join(FIXTURES, "small-results.json")


def run(*args, env=None):
    return run_script("run", "--build-dir", BUILD, *args,
                      env=None if env is None else dict(os.environ, **env))


def popen_run(*args):
    return subprocess.Popen([sys.executable, os.path.join(SCRIPTS, "run"), *NO_PORTS,
                             "--build-dir", BUILD, *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)


class Base(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="memstrat-runs-test-")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def assert_refused(self, proc, says):
        self.assertEqual(proc.returncode, 2, proc.stderr)
        lines = error_lines(proc.stderr)
        self.assertEqual(len(lines), 1, proc.stderr)
        self.assertIn(says, lines[0])
        self.assertNotIn("Traceback", proc.stderr)


class SameDirectory(Base):
    def test_a_used_out_is_refused_and_left_alone(self):
        out = os.path.join(self.dir, "r")
        self.assertEqual(run(*TINY, "--out", out).returncode, 0)
        with open(os.path.join(out, "results.json"), "rb") as f:
            before = f.read()
        self.assert_refused(run(*TINY, "--out", out), "already holds files")
        with open(os.path.join(out, "results.json"), "rb") as f:
            self.assertEqual(f.read(), before)

    def test_replace_replaces_the_whole_run(self):
        out = os.path.join(self.dir, "r")
        self.assertEqual(run(*TINY, "--allocators", "glibc,mimalloc", "--out",
                             out).returncode, 0)
        os.makedirs(os.path.join(out, "charts"))
        open(os.path.join(out, "report.md"), "w").close()
        proc = run(*TINY, "--out", out, "--replace")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        doc = results.load(os.path.join(out, "results.json"))
        self.assertEqual([r["allocator"] for r in doc["records"]], ["glibc"])
        # What described the replaced run is gone with it.
        left = set(os.listdir(out))
        self.assertEqual(left, {"results.json", "gbench-glibc.json", "run.json", "cells"})

    def test_default_directories_are_new_per_run(self):
        saved = runner.ROOT
        runner.ROOT = self.dir
        try:
            first, second = runner.default_out_dir(), runner.default_out_dir()
        finally:
            runner.ROOT = saved
        self.assertNotEqual(first, second)
        self.assertTrue(os.path.isdir(first) and os.path.isdir(second))
        self.assertTrue(second.startswith(first))  # the same second: a suffix


class Lock(Base):
    def test_a_second_run_is_refused_while_the_first_holds_the_lock(self):
        first_out = os.path.join(self.dir, "first")
        first = popen_run(*HALF, "--out", first_out)
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    with open(os.environ["MEMSTRAT_LOCK"], encoding="utf-8") as f:
                        if first_out in f.read():
                            break
                except FileNotFoundError:
                    pass
                time.sleep(0.05)
            proc = run(*TINY, "--out", os.path.join(self.dir, "second"))
            self.assert_refused(proc, f"pid {first.pid}")
            self.assertIn(first_out, proc.stderr)
            self.assertIn("--wait", proc.stderr)
            self.assertFalse(os.path.exists(os.path.join(self.dir, "second")))
        finally:
            first.send_signal(signal.SIGINT)
            first.communicate(timeout=60)

    def test_wait_waits_for_the_holder_and_a_dead_holder_frees_it(self):
        holder = subprocess.Popen(
            [sys.executable, "-c", "import fcntl, os, sys, time\n"
             "fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)\n"
             "fcntl.flock(fd, fcntl.LOCK_EX)\nprint('held', flush=True)\ntime.sleep(120)",
             os.environ["MEMSTRAT_LOCK"]], stdout=subprocess.PIPE, text=True)
        try:
            self.assertEqual(holder.stdout.readline().strip(), "held")
            out = os.path.join(self.dir, "r")
            waiting = popen_run(*TINY, "--out", out, "--wait")
            time.sleep(2)
            self.assertIsNone(waiting.poll(), "the run waits for the lock")
            holder.kill()  # SIGKILL: the kernel drops the holder's flock
            _, err = waiting.communicate(timeout=120)
            self.assertEqual(waiting.returncode, 0, err)
            self.assertIn("waiting for", err)
            results.load(os.path.join(out, "results.json"))
        finally:
            holder.kill()
            holder.wait()
            holder.stdout.close()


def record_keys_and_checksums(doc):
    return [((r["name"], r["allocator"]), r["status"], len(r["timing"]["runs"]),
             [(p["round"], p["checksum"],
               p["counts"]["allocations_per_iteration"]) for p in r["probe_rounds"]])
            for r in doc["records"]]


class Resume(Base):
    def test_a_killed_run_resumes_to_the_records_of_an_uninterrupted_one(self):
        whole = os.path.join(self.dir, "whole")
        self.assertEqual(run(*HALF, "--out", whole).returncode, 0)
        killed = os.path.join(self.dir, "killed")
        proc = popen_run(*HALF, "--out", killed)
        cells = os.path.join(killed, "cells")
        deadline = time.monotonic() + 60
        finished = []
        while time.monotonic() < deadline:
            finished = [c for c in os.listdir(cells)] if os.path.isdir(cells) else []
            if len([c for c in finished if c.startswith(("timing-", "probe-"))]) >= 5:
                break
            time.sleep(0.01)
        proc.kill()
        proc.communicate(timeout=30)
        self.assertFalse(os.path.exists(os.path.join(killed, "results.json")),
                         "killed before it finished")
        kept = {c: os.stat(os.path.join(cells, c)).st_mtime_ns
                for c in os.listdir(cells) if not c.startswith(".tmp-")}

        # Another build, other flags or another environment is another run.
        self.assert_refused(run("--resume", killed, "--repetitions", "3"),
                            "its settings.repetitions was 4, now 3")
        self.assert_refused(run("--resume", killed, "--strategies", "manual"),
                            "its selection.strategies was")
        self.assert_refused(run("--resume", killed, env={"GC_MARKERS": "1"}),
                            "its environment.variables was")
        self.assert_refused(run("--resume", self.dir), "holds no run.json")
        self.assert_refused(run("--out", killed, *HALF), "--resume")

        done = run("--resume", killed)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn(f"resuming {killed}", done.stderr)
        for cell, mtime in kept.items():  # nothing finished was run again
            self.assertEqual(os.stat(os.path.join(cells, cell)).st_mtime_ns, mtime, cell)
        a = results.load(os.path.join(whole, "results.json"))
        b = results.load(os.path.join(killed, "results.json"))
        self.assertEqual(record_keys_and_checksums(a), record_keys_and_checksums(b))
        # The killed session is listed, without the timings it never finished.
        sessions = b["context"]["sessions"]
        self.assertEqual([("total_s" in x) for x in sessions], [False, True])
        self.assertEqual(b["context"]["settings"], a["context"]["settings"])

    def test_a_bad_run_file_or_flags_are_refused(self):
        with open(os.path.join(self.dir, "run.json"), "w", encoding="utf-8") as f:
            f.write("{half")
        self.assert_refused(run("--resume", self.dir), "cannot read")
        self.assert_refused(run("--resume", self.dir, "--out", self.dir), "leave --out out")
        self.assert_refused(run("--resume", self.dir, "--replace"), "--replace")

    def test_another_build_is_another_run(self):
        recorded = {"git_revision": "abc", "binaries": {"memstrat_bench": "1"},
                    "settings": {"size": "small"}}
        self.assertIsNone(runner.identity_mismatch(recorded, dict(recorded)))
        self.assertIn("binaries.memstrat_bench was \"1\", now \"2\"",
                      runner.identity_mismatch(
                          recorded, dict(recorded, binaries={"memstrat_bench": "2"})))
        self.assertIn("git_revision", runner.identity_mismatch(
            recorded, dict(recorded, git_revision="abd")))


class Environment(Base):
    def test_declared_variables_only(self):
        found = environment.variables({"GC_MARKERS": "1", "MIMALLOC_DECOMMIT_DELAY": "1000",
                                       "HOME": "/root", "NODE_EXTRA_CA_CERTS": "x",
                                       "LD_PRELOAD": "libjemalloc.so.2", "GOGC": "50"})
        self.assertEqual(found, {"GC_MARKERS": "1", "GOGC": "50",
                                 "LD_PRELOAD": "libjemalloc.so.2",
                                 "MIMALLOC_DECOMMIT_DELAY": "1000"})

    def test_non_default_items(self):
        machine = {"thp_enabled": "never", "thp_defrag": "madvise", "aslr": "0",
                   "overcommit_memory": "0", "cgroup_memory_max": "1073741824",
                   "cgroup_cpu_max": "max", "cpu_governor": "unknown"}
        items = environment.non_default({"variables": {"GC_MARKERS": "1"},
                                         "machine": machine})
        self.assertEqual(len(items), 4, items)
        self.assertIn("GC_MARKERS=1 in the environment", items)
        self.assertTrue(any("transparent huge pages is never" in i for i in items))
        default = dict(machine, thp_enabled="madvise", aslr="2", cgroup_memory_max="max")
        self.assertEqual(environment.non_default({"variables": {}, "machine": default}), [])

    def test_a_run_records_its_environment_and_is_labelled(self):
        out = os.path.join(self.dir, "r")
        proc = run(*TINY, "--out", out,
                   env={"GC_MARKERS": "1", "MIMALLOC_DECOMMIT_DELAY": "1000"})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        doc = results.load(os.path.join(out, "results.json"))
        context = doc["context"]
        self.assertEqual(context["environment"]["variables"],
                         {"GC_MARKERS": "1", "MIMALLOC_DECOMMIT_DELAY": "1000"})
        self.assertIn("GC_MARKERS=1 in the environment", context["non_default"])
        # The binary records it too, from the same declared list.
        self.assertEqual(context["google_benchmark"]["glibc"]["memstrat_environment"],
                         "GC_MARKERS=1; MIMALLOC_DECOMMIT_DELAY=1000")
        self.assertEqual(run_script("report", os.path.join(out, "results.json"),
                                    "--no-charts").returncode, 0)
        with open(os.path.join(out, "report.md"), encoding="utf-8") as f:
            head = f.read(600)
        self.assertIn("non-default environment", head)
        self.assertIn("MIMALLOC_DECOMMIT_DELAY=1000", head)


class CompareRefusesAnEnvironmentMismatch(Base):
    def other(self, non_default):
        with open(FIXTURE, encoding="utf-8") as f:
            doc = json.load(f)
        doc["context"]["non_default"] = non_default
        path = os.path.join(self.dir, f"doc{len(os.listdir(self.dir))}.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(doc, f)
        return path

    def test_default_against_non_default(self):
        other = self.other(["GC_MARKERS=1 in the environment"])
        self.assert_refused(run_script("compare", FIXTURE, other), "different settings")
        proc = run_script("compare", FIXTURE, other, "--allow-environment-mismatch")
        self.assertEqual(proc.returncode, 0, proc.stderr)

    def test_two_different_non_defaults(self):
        a = self.other(["GC_MARKERS=1 in the environment"])
        b = self.other(["GC_MARKERS=2 in the environment"])
        self.assert_refused(run_script("compare", a, b), "GC_MARKERS=2")
        same = self.other(["GC_MARKERS=1 in the environment"])
        self.assertEqual(run_script("compare", a, same).returncode, 0)


if __name__ == "__main__":
    unittest.main()
