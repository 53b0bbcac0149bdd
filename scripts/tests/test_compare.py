"""scripts/compare: the U test matches known values (and SciPy where
installed), calls are right on synthetic changes, parity breaks and bad
input give the documented exit codes, and Google Benchmark's compare.py
reads the Google Benchmark files the suite keeps."""

import copy
import json
import os
import random
import shutil
import subprocess
import tempfile
import unittest

import curves
from support import FIXTURES, error_lines, run_script

from memstrat import compare
from memstrat.stats import mann_whitney_u

FIXTURE = os.path.join(FIXTURES, "small-results.json")
GBENCH = os.path.join(FIXTURES, "small-gbench-glibc.json")
GOOGLE_COMPARE = "/usr/share/benchmark/compare.py"


class MannWhitneyU(unittest.TestCase):
    def test_known_values(self):
        # Values from scipy.stats.mannwhitneyu 1.10.1 (method="auto").
        self.assertEqual(mann_whitney_u([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]),
                         (0.0, 0.007936507936507936))
        u, p = mann_whitney_u([1.1, 2.2, 3.3, 4.4, 5.5, 6.6, 7.7, 8.8, 9.9, 10.5],
                              [3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
        self.assertEqual(u, 36.0)
        self.assertAlmostEqual(p, 0.3074894566186813, places=12)
        self.assertEqual(mann_whitney_u([1, 2, 3], [1, 2, 3])[1], 1.0)

    def test_agrees_with_scipy(self):
        try:
            from scipy.stats import mannwhitneyu
        except ImportError:
            self.skipTest("python3-scipy not installed")
        rng = random.Random(3)
        for trial in range(200):
            n1, n2 = rng.randint(1, 12), rng.randint(1, 12)
            if trial % 3 == 0:  # ties: the normal approximation
                x = [rng.randint(0, 4) for _ in range(n1)]
                y = [rng.randint(0, 4) for _ in range(n2)]
            else:
                x = [rng.random() for _ in range(n1)]
                y = [rng.random() + 0.2 for _ in range(n2)]
            u, p = mann_whitney_u(x, y)
            ref = mannwhitneyu(x, y)
            self.assertAlmostEqual(u, ref.statistic)
            self.assertAlmostEqual(p, ref.pvalue, places=12)


class Compare(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="memstrat-compare-")
        with open(FIXTURE, encoding="utf-8") as f:
            self.doc = json.load(f)

    def tearDown(self):
        shutil.rmtree(self.dir)

    def write(self, doc, name):
        path = os.path.join(self.dir, name)
        with open(path, "w", encoding="utf-8") as f:
            json.dump(doc, f)
        return path

    def with_runs(self, scale, copies=4):
        """The fixture with each record's runs repeated and scaled."""
        doc = copy.deepcopy(self.doc)
        rng = random.Random(5)
        for r in doc["records"]:
            runs = r["timing"]["runs"] * copies
            r["timing"]["runs"] = [dict(run, real_time=run["real_time"] * scale *
                                        (1 + rng.uniform(-0.01, 0.01))) for run in runs]
        return doc

    def test_same_document_is_unchanged(self):
        proc = run_script("compare", FIXTURE, FIXTURE, "--json")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        rows = json.loads(proc.stdout)["rows"]
        self.assertEqual(len(rows), len(self.doc["records"]))
        self.assertTrue(all(r["time"]["call"] == "unchanged" for r in rows))
        self.assertTrue(all(r["parity"] == "ok" for r in rows))

    def test_a_real_slowdown_is_changed(self):
        old = self.write(self.with_runs(1.0), "old.json")
        new = self.write(self.with_runs(1.5), "new.json")
        proc = run_script("compare", old, new, "--json")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        rows = json.loads(proc.stdout)["rows"]
        self.assertTrue(all(r["time"]["call"] == "changed" for r in rows))
        self.assertAlmostEqual(rows[0]["time"]["change"], 0.5, delta=0.03)
        self.assertEqual(run_script("compare", old, new, "--fail-on-change").returncode, 1)
        table = run_script("compare", old, new).stdout
        self.assertIn("run time change", table.splitlines()[0])
        self.assertIn("+5", table)  # +50.x% changed
        self.assertIn("changed", table)

    def test_filters_and_unknown_names(self):
        proc = run_script("compare", FIXTURE, FIXTURE, "--json", "--strategies", "gc",
                          "--allocators", "glibc")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        rows = json.loads(proc.stdout)["rows"]
        self.assertEqual([(r["name"].split("/")[1], r["allocator"]) for r in rows],
                         [("gc", "glibc")])
        names = ", ".join(d["name"] for d in self.doc["strategies"])
        for flag, value, says in (
                ("--strategies", "gc,refcount",
                 f"unknown strategy 'refcount'; choose from {names}"),
                ("--allocators", "tcmalloc",
                 "unknown allocator 'tcmalloc'; choose from glibc, mimalloc")):
            proc = run_script("compare", FIXTURE, FIXTURE, flag, value)
            self.assertEqual(proc.returncode, 2, proc.stderr)
            lines = error_lines(proc.stderr)
            self.assertEqual(len(lines), 1, proc.stderr)
            self.assertIn(says, lines[0])
            self.assertNotIn("Traceback", proc.stderr)

    def test_thresholds_come_from_the_registry(self):
        # A 30% worse worst pause is within the default 50% threshold and
        # beyond a --worst-pause-threshold of 0.2 (its older name too).
        doc = copy.deepcopy(self.doc)
        for r in doc["records"]:
            for summary in r["probe"]["pauses"]["kinds"].values():
                summary["max_ns"] = int(summary["max_ns"] * 1.3)
        new = self.write(doc, "new.json")
        for extra, call in (([], "unchanged"), (["--worst-pause-threshold", "0.2"], "changed"),
                            (["--pause-threshold", "0.2"], "changed")):
            proc = run_script("compare", FIXTURE, new, "--json", *extra)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            calls = {r["worst_pause"]["call"] for r in json.loads(proc.stdout)["rows"]
                     if "worst_pause" in r}
            self.assertEqual(calls, {call}, extra)

    def test_too_few_repetitions_is_noise(self):
        doc = copy.deepcopy(self.doc)
        for r in doc["records"]:
            for run in r["timing"]["runs"]:
                run["real_time"] *= 1.5
        proc = run_script("compare", FIXTURE, self.write(doc, "new.json"), "--json")
        rows = json.loads(proc.stdout)["rows"]
        # Three repetitions each: the smallest two-sided p is 0.1.
        self.assertTrue(all(r["time"]["call"] == "noise" for r in rows))

    def test_broken_parity_exits_3(self):
        doc = copy.deepcopy(self.doc)
        doc["records"][0]["probe"]["checksum"] = "0x" + "0" * 16
        proc = run_script("compare", FIXTURE, self.write(doc, "new.json"))
        self.assertEqual(proc.returncode, 3)
        self.assertTrue(any("parity" in l for l in error_lines(proc.stderr)))

    def test_bad_input_exits_2(self):
        empty = os.path.join(self.dir, "empty.json")
        open(empty, "w").close()
        for args in ([FIXTURE, empty], [FIXTURE, "/nonexistent.json"],
                     [FIXTURE, FIXTURE, "--alpha", "2"]):
            proc = run_script("compare", *args)
            self.assertEqual(proc.returncode, 2, args)
            self.assertEqual(len(error_lines(proc.stderr)), 1, proc.stderr)
            self.assertNotIn("Traceback", proc.stderr)

    def test_variants_are_compared_record_by_record(self):
        old = curves.curve_document()
        for r in old["records"]:
            if r["status"] == "ok":
                r["timing"]["runs"] = [dict(r["timing"]["runs"][0],
                                            real_time=r["timing"]["runs"][0]["real_time"]
                                            * (1 + i / 1000)) for i in range(10)]
        new = copy.deepcopy(old)
        for r in new["records"]:
            if (r.get("variant") or {}).get("name") == "heap_2x":
                for run in r["timing"]["runs"]:
                    run["real_time"] *= 1.5
        args = compare.parse_args([FIXTURE, FIXTURE])
        rows, problems = compare.compare(old, new, args)
        self.assertEqual(problems, [])
        ok = [r for r in old["records"] if r["status"] == "ok"]
        self.assertEqual(len(rows), len(ok))
        changed = [compare.benchmark(r) for r in rows if r["time"]["call"] == "changed"]
        gc = curves.collected_strategy(old)
        self.assertEqual(changed, [f"binary_trees/{gc}/depth:10 [heap_2x]"])
        self.assertEqual(sum(1 for r in rows if "variant" not in r),
                         len([r for r in ok if not r.get("variant")]))
        self.assertIn(f"binary_trees/{gc}/depth:10 [heap_2x]",
                      [line[0] for line in compare.table(rows)])

    def test_nothing_in_common_exits_2(self):
        doc = copy.deepcopy(self.doc)
        for r in doc["records"]:  # another size of the same workload
            r["name"] = r["name"].replace("depth:10", "depth:11")
            r["params"] = dict(r["params"], depth=11)
        proc = run_script("compare", FIXTURE, self.write(doc, "other.json"))
        self.assertEqual(proc.returncode, 2)
        self.assertIn("no benchmark in common", proc.stderr)


class GoogleBenchmarkFiles(unittest.TestCase):
    """The files against what Google Benchmark's gbench/util.py and report.py
    (v1.7.1) read, and its compare.py itself (Debian's libbenchmark-tools,
    one of the test packages) run on them."""

    def test_hold_what_compare_py_reads(self):
        with open(GBENCH, encoding="utf-8") as f:
            gb = json.load(f)  # compare.py loads with json.load as well
        self.assertIn("context", gb)
        names = set()
        for b in gb["benchmarks"]:
            for key in ("name", "run_name", "run_type", "real_time", "cpu_time",
                        "time_unit", "repetitions", "family_index",
                        "per_family_instance_index"):
                self.assertIn(key, b)
            self.assertIn(b["time_unit"], ("ns", "us", "ms", "s"))
            if b["run_type"] == "aggregate":
                self.assertIn("aggregate_name", b)
            else:
                self.assertIsInstance(b["real_time"], float)
                names.add(b["run_name"])
        # One family per benchmark, as if one binary had run them all.
        families = {b["run_name"]: b["family_index"] for b in gb["benchmarks"]}
        self.assertEqual(len(set(families.values())), len(names))

    def test_compare_py_reads_them(self):
        self.assertTrue(os.path.exists(GOOGLE_COMPARE),
                        "Google Benchmark's compare.py is missing: apt-get install "
                        "libbenchmark-tools python3-scipy (./scripts/test does)")
        proc = subprocess.run(["/usr/bin/python3", GOOGLE_COMPARE, "benchmarks",
                               GBENCH, GBENCH], capture_output=True, text=True,
                              check=False)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("OVERALL_GEOMEAN", proc.stdout)


if __name__ == "__main__":
    unittest.main()
