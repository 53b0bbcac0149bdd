"""scripts/run: bad input is refused with one line and exit code 2; a real
quick run writes a valid document; failures are recorded, not fatal; an
interrupted or killed run never replaces a good document."""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

from support import BUILD, SCRIPTS, error_lines, run_script

from memstrat import results


class BadInput(unittest.TestCase):
    def assert_refused(self, *args, says):
        proc = run_script("run", "--build-dir", BUILD, *args)
        self.assertEqual(proc.returncode, 2, proc.stderr)
        lines = error_lines(proc.stderr)
        self.assertEqual(len(lines), 1, proc.stderr)
        self.assertIn(says, lines[0])
        self.assertNotIn("Traceback", proc.stderr)

    def test_unknown_workload(self):
        self.assert_refused("--workloads", "no_such_thing", "--out", "/tmp/x",
                            says="unknown workload 'no_such_thing'")

    def test_unknown_strategy(self):
        self.assert_refused("--strategies", "refcount", says="unknown strategy 'refcount'")

    def test_unknown_allocator(self):
        self.assert_refused("--allocators", "tcmalloc", says="unknown allocator 'tcmalloc'")

    def test_bad_profile(self):
        self.assert_refused("--profile", "slow", says="unknown profile 'slow'")

    def test_zero_repetitions(self):
        self.assert_refused("--repetitions", "0", says="--repetitions must be at least 1")

    def test_unwritable_output_directory(self):
        with tempfile.NamedTemporaryFile() as f:
            self.assert_refused("--out", os.path.join(f.name, "sub"),
                                says="cannot create output directory")

    def test_missing_build(self):
        proc = run_script("run", "--build-dir", "/nonexistent/build")
        self.assertEqual(proc.returncode, 2)
        self.assertIn("build first", error_lines(proc.stderr)[0])


class RealRuns(unittest.TestCase):
    def setUp(self):
        self.out = tempfile.mkdtemp(prefix="memstrat-run-test-")

    def tearDown(self):
        shutil.rmtree(self.out, ignore_errors=True)

    def quick(self, *extra, out=None):
        return run_script("run", "--build-dir", BUILD, "--profile", "quick",
                          "--workloads", "binary_trees", "--out", out or self.out, *extra)

    def test_quick_run_writes_a_valid_document(self):
        proc = self.quick("--strategies", "manual,gc", "--allocators", "glibc")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("[1/2] binary_trees/manual/depth:10 on glibc", proc.stderr)
        doc = results.load(os.path.join(self.out, "results.json"))
        self.assertEqual([r["strategy"] for r in doc["records"]], ["manual", "gc"])
        for r in doc["records"]:
            self.assertEqual(r["status"], "ok")
            self.assertEqual(len(r["timing"]["runs"]), 3)
            self.assertIn("median", r["timing"]["aggregates"])
            self.assertGreater(r["probe"]["memory"]["peak_rss_bytes"], 0)
        gc = doc["records"][1]["probe"]
        self.assertGreater(gc["pauses"]["kinds"]["gc_stop_world"]["count"], 0)
        self.assertEqual(doc["records"][0]["probe"]["checksum"], gc["checksum"])
        self.assertEqual(doc["context"]["profile"], "quick")
        self.assertIn("glibc", doc["context"]["google_benchmark"])
        with open(os.path.join(self.out, "gbench-glibc.json"), encoding="utf-8") as f:
            gb = json.load(f)
        self.assertEqual(len([b for b in gb["benchmarks"]
                              if b.get("run_type") == "iteration"]), 6)

    def test_failures_are_recorded_and_the_run_goes_on(self):
        proc = self.quick("--strategies", "arena", "--allocators", "glibc,mimalloc",
                          "--timeout", "0.001")
        self.assertEqual(proc.returncode, 1, proc.stderr)
        doc = results.load(os.path.join(self.out, "results.json"))
        self.assertEqual(doc["summary"], {"records": 2, "failed": 2})
        for r in doc["records"]:
            self.assertEqual(r["status"], "failed")
            self.assertIn("timed out", r["failure"]["reason"])

    def _good_document(self):
        proc = self.quick("--strategies", "arena", "--allocators", "glibc")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(os.path.join(self.out, "results.json"), "rb") as f:
            return f.read()

    def _interrupt(self, sig):
        before = self._good_document()
        proc = subprocess.Popen(
            [sys.executable, os.path.join(SCRIPTS, "run"), "--build-dir", BUILD,
             "--profile", "quick", "--out", self.out],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        time.sleep(1.5)
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=60)
        with open(os.path.join(self.out, "results.json"), "rb") as f:
            self.assertEqual(f.read(), before)
        return proc.returncode, err

    def test_sigint_leaves_the_previous_results(self):
        code, err = self._interrupt(signal.SIGINT)
        self.assertEqual(code, 130)
        self.assertIn("left as it was", err)
        self.assertNotIn("Traceback", err)

    def test_sigkill_leaves_the_previous_results(self):
        code, _ = self._interrupt(signal.SIGKILL)
        self.assertEqual(code, -signal.SIGKILL)


if __name__ == "__main__":
    unittest.main()
