"""scripts/run: bad input is refused with one line and exit code 2; a real
quick run writes a valid document; failures are recorded, not fatal; an
interrupted or killed run never replaces a good document."""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

from support import NO_PORTS, BUILD, FIXTURES, SCRIPTS, error_lines, run_script

from memstrat import results, runner, schema

GOOGLE_COMPARE = "/usr/share/benchmark/compare.py"


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
        # The valid names are the build's (allocators.json), "all" among them.
        self.assert_refused("--allocators", "hoard",
                            says="unknown allocator 'hoard'; choose from glibc, mimalloc, "
                                 "jemalloc, tcmalloc, all")

    def test_all_stands_alone(self):
        self.assert_refused("--allocators", "all,glibc", says="--allocators all stands alone")

    def test_bad_profile(self):
        self.assert_refused("--profile", "slow", says="unknown profile 'slow'")

    def test_zero_rounds(self):
        self.assert_refused("--rounds", "0", says="--rounds must be at least 1")

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


def fake_build(directory, manifest, tools):
    """A build directory holding `manifest` as allocators.json and symlinks to
    the real build's benchmarks/<tool> for each of `tools` ({name: real name})."""
    os.makedirs(os.path.join(directory, "benchmarks"))
    with open(os.path.join(directory, "allocators.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f)
    for name, real in tools.items():
        os.symlink(os.path.join(BUILD, "benchmarks", real),
                   os.path.join(directory, "benchmarks", name))
    return directory


class AllocatorSelection(unittest.TestCase):
    """Which binaries a run uses comes from the build's allocators.json: the
    DEFAULT ones unless told, every one for `all`; one the build lacks is
    refused in one line naming its Debian package."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="memstrat-alloc-test-")
        with open(os.path.join(BUILD, "allocators.json"), encoding="utf-8") as f:
            self.real = json.load(f)

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def refused(self, build, *args):
        proc = run_script("run", "--build-dir", build, "--profile", "quick",
                          "--out", os.path.join(self.dir, "out"), *args)
        self.assertEqual(proc.returncode, 2, proc.stderr)
        lines = error_lines(proc.stderr)
        self.assertEqual(len(lines), 1, proc.stderr)
        self.assertNotIn("Traceback", proc.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "out")))
        return lines[0]

    def test_the_build_declares_the_four_in_order(self):
        self.assertEqual([a["name"] for a in self.real["allocators"]],
                         ["glibc", "mimalloc", "jemalloc", "tcmalloc"])
        self.assertEqual([a["name"] for a in self.real["allocators"] if a["default"]],
                         ["glibc", "mimalloc"])
        for a in self.real["allocators"]:
            self.assertTrue(os.access(os.path.join(BUILD, a["binary"]), os.X_OK), a)

    def test_a_missing_binary_names_its_package(self):
        build = fake_build(os.path.join(self.dir, "build"), self.real,
                           {"memstrat_bench": "memstrat_bench",
                            "memstrat_results": "memstrat_results"})
        line = self.refused(build, "--allocators", "glibc,jemalloc")
        self.assertIn("memstrat_bench_jemalloc not found", line)
        self.assertIn("apt-get install libjemalloc-dev", line)
        # The default selection needs mimalloc's binary: the same refusal.
        self.assertIn("libmimalloc-dev", self.refused(build))

    def test_a_missing_system_binary_says_build_first(self):
        build = fake_build(os.path.join(self.dir, "build"), self.real, {})
        self.assertIn("build first", self.refused(build, "--allocators", "glibc"))

    def test_a_bad_manifest_is_refused(self):
        build = fake_build(os.path.join(self.dir, "build"), {"format": 99}, {})
        self.assertIn("not an allocator list", self.refused(build))
        with open(os.path.join(build, "allocators.json"), "w", encoding="utf-8") as f:
            f.write("{")
        self.assertIn("configure again", self.refused(build))
        os.remove(os.path.join(build, "allocators.json"))
        self.assertIn("allocators.json not found; build first", self.refused(build))

    def test_selection_follows_the_declared_order(self):
        declared = self.real["allocators"]
        self.assertEqual(runner.select_allocators(None, declared), ["glibc", "mimalloc"])
        self.assertEqual(runner.select_allocators("all", declared),
                         ["glibc", "mimalloc", "jemalloc", "tcmalloc"])
        self.assertEqual(runner.select_allocators("tcmalloc, glibc", declared),
                         ["glibc", "tcmalloc"])
        context = runner.allocator_context(declared, ["glibc", "tcmalloc"])
        self.assertEqual([(a["name"], a["baseline"]) for a in context],
                         [("glibc", True), ("tcmalloc", False)])
        self.assertEqual(context[1]["package"], "libgoogle-perftools-dev")

    def test_all_runs_every_allocator_the_build_made(self):
        # A real run, as small as it goes: one benchmark, one repetition, one
        # round, on each of the four binaries.
        out = os.path.join(self.dir, "out")
        proc = run_script("run", "--build-dir", BUILD, "--profile", "quick",
                          "--workloads", "binary_trees", "--strategies", "arena",
                          "--allocators", "all", "--repetitions", "1", "--rounds", "1",
                          "--out", out)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        doc = results.load(os.path.join(out, "results.json"))
        names = ["glibc", "mimalloc", "jemalloc", "tcmalloc"]
        self.assertEqual([r["allocator"] for r in doc["records"]], names)
        self.assertEqual([a["name"] for a in doc["allocators"]], names)
        self.assertEqual(len({r["probe"]["checksum"] for r in doc["records"]}), 1)
        # Each binary named, and confirmed, the malloc it ran on.
        for name in names:
            gb = doc["context"]["google_benchmark"][name]
            self.assertEqual(gb["memstrat_allocator"], name)
            self.assertEqual(gb["memstrat_allocator_verified"], "true")
            self.assertIn(name, doc["context"]["versions"])


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
        # Three rounds of one repetition each: 2 benchmarks x 3 rounds.
        self.assertIn("[1/6] round 1/3: ", proc.stderr)
        self.assertIn("[6/6] round 3/3: ", proc.stderr)
        doc = results.load(os.path.join(self.out, "results.json"))
        self.assertEqual([r["strategy"] for r in doc["records"]], ["manual", "gc"])
        for r in doc["records"]:
            self.assertEqual(r["status"], "ok")
            self.assertEqual(len(r["timing"]["runs"]), 3)
            # A probe in every round; the first is also the record's probe.
            self.assertEqual([p["round"] for p in r["probe_rounds"]], [0, 1, 2])
            self.assertEqual(dict(r["probe_rounds"][0], round=None),
                             dict(r["probe"], round=None))
            self.assertEqual({p["checksum"] for p in r["probe_rounds"]},
                             {r["probe"]["checksum"]})
            self.assertIn("median", r["timing"]["aggregates"])
            self.assertGreater(r["probe"]["memory"]["peak_rss_bytes"], 0)
        gc = doc["records"][1]["probe"]
        self.assertGreater(gc["pauses"]["kinds"]["gc_stop_world"]["count"], 0)
        self.assertEqual(doc["records"][0]["probe"]["checksum"], gc["checksum"])
        self.assertEqual(doc["context"]["profile"], "quick")
        self.assertIn("machine", doc["context"]["environment"])
        self.assertEqual(doc["context"]["settings"]["rounds"], 3)
        floor = doc["context"]["noise_floor"]
        self.assertEqual(sorted(floor), ["calibration/compute", "calibration/memory"])
        for loop in floor.values():
            self.assertEqual(loop["repetitions"], 3)
            self.assertGreater(loop["median_ns"], 0)
        self.assertIn("glibc", doc["context"]["google_benchmark"])
        # The declarations, as the binary lists them, and the allocators in
        # the runner's order, the baseline one first.
        listed = subprocess.run([os.path.join(BUILD, "benchmarks", "memstrat_bench"),
                                 "--list_strategies"], capture_output=True, text=True,
                                check=True).stdout
        self.assertEqual(doc["strategies"], json.loads(listed))
        self.assertEqual((doc["allocators"][0]["name"], doc["allocators"][0]["baseline"]),
                         ("glibc", True))
        self.assertFalse(any(a["baseline"] for a in doc["allocators"][1:]))
        base = next(d["name"] for d in doc["strategies"] if d["baseline"])
        self.assertEqual(doc["baseline"], {"strategy": base, "allocator": "glibc"})
        with open(os.path.join(self.out, "gbench-glibc.json"), encoding="utf-8") as f:
            gb = json.load(f)
        self.assertEqual(len([b for b in gb["benchmarks"]
                              if b.get("run_type") == "iteration"]), 6)

    def test_rounds_are_interleaved_and_joined(self):
        proc = self.quick("--strategies", "manual,arena", "--allocators", "glibc",
                          "--repetitions", "5", "--rounds", "2")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        order = [line.split(": ", 1)[1].split("  ")[0]
                 for line in proc.stderr.splitlines() if line.startswith("[")]
        self.assertEqual(len(order), 4)
        self.assertEqual(sorted(order[:2]), sorted(order[2:]))  # each round runs all
        doc = results.load(os.path.join(self.out, "results.json"))
        for r in doc["records"]:
            runs = r["timing"]["runs"]
            self.assertEqual([x["repetition_index"] for x in runs], [0, 1, 2, 3, 4])
            self.assertEqual(r["timing"]["aggregates"]["median"]["repetitions"], 5)
        # Google Benchmark's own compare.py reads the joined rounds as one run
        # of five repetitions per benchmark.
        gb = os.path.join(self.out, "gbench-glibc.json")
        proc = subprocess.run(["/usr/bin/python3", GOOGLE_COMPARE, "benchmarks", gb, gb],
                              capture_output=True, text=True, check=False)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        for r in doc["records"]:
            self.assertRegex(proc.stdout, re.escape(r["name"]) + r"_pvalue.*5 vs 5")

    def test_aggregates_match_google_benchmarks_own(self):
        # One process with three repetitions: Google Benchmark computes the
        # aggregates; memstrat_results recomputes them from the runs.
        bench = os.path.join(BUILD, "benchmarks", "memstrat_bench")
        name = "binary_trees/manual/depth:10"
        gb_file = os.path.join(self.out, "gb.json")
        subprocess.run([bench, "--size=small", f"--benchmark_filter=^{name}$",
                        "--benchmark_repetitions=3", "--benchmark_min_time=0.01",
                        f"--benchmark_out={gb_file}", "--benchmark_out_format=json"],
                       check=True, capture_output=True)
        manifest = os.path.join(self.out, "manifest.json")
        with open(manifest, "w", encoding="utf-8") as f:
            json.dump({"context": {}, "parts": [{
                "name": name, "workload": "binary_trees", "strategy": "manual",
                "allocator": "glibc", "params": {"depth": 10}, "timing": gb_file,
                "probe": None, "failure": None}]}, f)
        subprocess.run([os.path.join(BUILD, "benchmarks", "memstrat_results"), "merge",
                        manifest, self.out], check=True, capture_output=True)
        with open(gb_file, encoding="utf-8") as f:
            theirs = {b["aggregate_name"]: b for b in json.load(f)["benchmarks"]
                      if b.get("run_type") == "aggregate"}
        with open(os.path.join(self.out, "results.json"), encoding="utf-8") as f:
            ours = json.load(f)["records"][0]["timing"]["aggregates"]
        self.assertEqual(sorted(ours), sorted(theirs))
        for label, entry in theirs.items():
            for key in ("real_time", "cpu_time", "allocations", "process_cpu_time"):
                self.assertAlmostEqual(ours[label][key], entry[key],
                                       delta=1e-9 * max(1.0, abs(entry[key])),
                                       msg=f"{label} {key}")
            self.assertEqual(ours[label]["name"], entry["name"])
            self.assertEqual(ours[label]["iterations"], entry["iterations"])

    def test_variants_and_heap_units_are_copied(self):
        # memstrat_results copies a part's variant into its record unchanged
        # (null without one) and the manifest's heap_units into the document,
        # and keeps the variants of one benchmark apart in the Google
        # Benchmark file by their names.
        bench = os.path.join(BUILD, "benchmarks", "memstrat_bench")
        name = "binary_trees/gc/depth:10"
        heap_kib = 8192
        flags = [f"--gc_max_heap_kib={heap_kib}", f"--gc_initial_heap_kib={heap_kib}"]
        variant = {"name": "heap_2x", "label": "heap 2x", "series": "heap",
                   "value": 2.0, "flags": flags, "heap_multiple": 2.0,
                   "heap_bytes": heap_kib * 1024}
        parts = []
        for tag, extra, v in (("plain", [], None), ("heap_2x", flags, variant)):
            gb_file = os.path.join(self.out, f"gb-{tag}.json")
            probe_file = os.path.join(self.out, f"probe-{tag}.json")
            subprocess.run([bench, "--size=small", f"--benchmark_filter=^{name}$",
                            "--benchmark_repetitions=2", "--benchmark_min_time=0.01",
                            f"--benchmark_out={gb_file}", "--benchmark_out_format=json",
                            *extra], check=True, capture_output=True)
            subprocess.run([bench, "--size=small", f"--probe={name}",
                            "--probe_iterations=1", f"--probe_out={probe_file}", *extra],
                           check=True, capture_output=True)
            part = {"name": name, "workload": "binary_trees", "strategy": "gc",
                    "allocator": "glibc", "params": {"depth": 10}, "timing": gb_file,
                    "probe": probe_file, "failure": None}
            if v is not None:
                part["variant"] = v
            parts.append(part)
        unit = {"workload": "binary_trees", "params": {"depth": 10}, "strategy": "gc",
                "allocator": "glibc", "status": "ok", "unit_bytes": 4194304,
                "interval": {"fails_bytes": 4128768, "completes_bytes": 4194304},
                "granularity_bytes": 65536, "trials": 3, "address_randomisation": False,
                "probes": [{"heap_bytes": 4194304, "trials": 3, "completed": 3,
                            "reason": None}],
                "reason": None,
                "command": f"{bench} --probe={name} --gc_max_heap_kib={{heap_kib}}"}
        manifest = os.path.join(self.out, "manifest.json")
        with open(manifest, "w", encoding="utf-8") as f:
            json.dump({"context": {}, "heap_units": [unit], "parts": parts}, f)
        subprocess.run([os.path.join(BUILD, "benchmarks", "memstrat_results"), "merge",
                        manifest, self.out], check=True, capture_output=True)
        with open(os.path.join(self.out, "results.json"), encoding="utf-8") as f:
            doc = json.load(f)
        plain, capped = doc["records"]
        self.assertIsNone(plain["variant"])
        self.assertEqual(capped["variant"], variant)
        self.assertEqual(capped["name"], name)  # the record keeps its name
        self.assertEqual(doc["heap_units"], [unit])
        # What the collector reports it ran with, read back from bdwgc.
        self.assertEqual(plain["probe"]["gc"]["settings"]["max_heap_bytes"], 0)
        self.assertEqual(capped["probe"]["gc"]["settings"]["max_heap_bytes"],
                         heap_kib * 1024)
        self.assertGreaterEqual(capped["probe"]["gc"]["settings"]["initial_heap_bytes"],
                                heap_kib * 1024 - 65536)
        # The records validate against the schema, in a document that is
        # otherwise the fixture's.
        with open(os.path.join(FIXTURES, "small-results.json"), encoding="utf-8") as f:
            whole = json.load(f)
        whole["records"], whole["heap_units"] = doc["records"], doc["heap_units"]
        schema.validate(whole, results.load_schema(3))
        with open(os.path.join(self.out, "gbench-glibc.json"), encoding="utf-8") as f:
            entries = json.load(f)["benchmarks"]
        self.assertEqual({b["run_name"] for b in entries}, {name, name + "[heap_2x]"})
        names = [b["name"] for b in entries]
        self.assertEqual(names.count(name + "[heap_2x]"), 2)  # its repetitions
        self.assertIn(name + "[heap_2x]_median", names)
        self.assertIn(name + "_median", names)

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
            [sys.executable, os.path.join(SCRIPTS, "run"), *NO_PORTS, "--build-dir", BUILD,
             "--profile", "quick", "--out", self.out, "--replace"],
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
