"""The curve profiles of scripts/run: variants expanded from declarations
(a list in the test, with made-up flags: the runner reads, never names,
them), the validation of --heap-multiples and --sweep (one line, exit 2,
nothing written), and a real curve-quick run with its heap units, killed
half-way and resumed."""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

from support import NO_PORTS, BUILD, SCRIPTS, error_lines, run_script

from memstrat import results, runner, variants
from memstrat.cli import UsageError

KIB = 1024
MIB = 1024 * KIB

COLLECTOR = {
    "name": "collector", "baseline": False,
    "heap": {"cap_flag": "--cap_kib", "presize_flag": "--presize_kib",
             "flag_unit_bytes": 1024, "granularity_bytes": 64 * KIB},
    "sweeps": [{"name": "divisor", "flag": "--divisor", "label": "divisor",
                "default": 3, "min": 1, "max": 1000, "values": [1, 2, 3, 5, 30]}],
    "variants": [{"name": "one_marker", "label": "1 marker", "flags": ["--markers=1"],
                  "summary": "one marker thread"},
                 {"name": "incremental", "label": "incremental",
                  "flags": ["--incremental=1"], "summary": "incremental mode"}],
}
PLAIN = {"name": "plain", "baseline": True}
DECLARATIONS = [PLAIN, COLLECTOR]


def unit(status="ok", unit_bytes=12 * MIB + 100 * KIB, reason=None):
    return {"status": status, "unit_bytes": unit_bytes if status == "ok" else None,
            "reason": reason}


class Expansion(unittest.TestCase):
    def test_the_variants_of_one_benchmark_in_order(self):
        found = variants.variants_for(COLLECTOR, [1.25, 2.0, 6.0], {}, unit())
        self.assertTrue(all(f is None for _, f in found))
        names = [v["name"] for v, _ in found]
        self.assertEqual(names, ["heap_1.25x", "heap_2x", "heap_6x", "divisor_1", "divisor_2",
                                 "divisor_5", "divisor_30", "one_marker", "incremental"])
        heap = found[0][0]
        # ceil(1.25 x 12.1 MiB / 64 KiB) granules = 242 x 64 KiB = 15488 KiB.
        self.assertEqual(heap, {"name": "heap_1.25x", "label": "heap 1.25x",
                                "series": "heap", "value": 1.25, "heap_multiple": 1.25,
                                "heap_bytes": 15488 * KIB,
                                "flags": ["--cap_kib=15488", "--presize_kib=15488"]})
        self.assertEqual(found[1][0]["heap_bytes"], 388 * 64 * KIB)  # 24776 KiB, rounded up
        self.assertEqual(found[1][0]["value"], 2)
        self.assertEqual(found[3][0], {"name": "divisor_1", "label": "divisor 1",
                                       "series": "divisor", "value": 1,
                                       "flags": ["--divisor=1"]})
        self.assertEqual(found[7][0], {"name": "one_marker", "label": "1 marker",
                                       "series": "one_marker", "value": None,
                                       "flags": ["--markers=1"]})
        # A strategy that declares nothing has no variants.
        self.assertEqual(variants.variants_for(PLAIN, [2.0], {}, None), [])

    def test_a_sweep_override_replaces_the_declared_values(self):
        found = variants.variants_for(COLLECTOR, [], {"divisor": [3, 10, 100]}, None)
        self.assertEqual([v["name"] for v, _ in found],
                         ["divisor_10", "divisor_100", "one_marker", "incremental"])

    def test_without_a_heap_unit_the_heap_series_fails_with_its_reason(self):
        never = unit("never_completes", reason="failed even at the cap of 1 bytes: oom")
        found = variants.variants_for(COLLECTOR, [1.5, 3.0], {}, never)
        heap = [(v, f) for v, f in found if v["series"] == "heap"]
        self.assertEqual(len(heap), 2)
        for v, failure in heap:
            self.assertEqual(failure, "no heap unit (never_completes): failed even at the "
                                      "cap of 1 bytes: oom")
            self.assertNotIn("heap_bytes", v)  # no cap to give
            self.assertEqual(v["flags"], [])
        self.assertTrue(all(f is None for v, f in found if v["series"] != "heap"))

    def test_the_matrix_puts_the_variants_after_their_plain_entry(self):
        benches = [{"name": "w/plain/n:1", "strategy": "plain"},
                   {"name": "w/collector/n:1", "strategy": "collector"}]
        base = [(b, "malloc") for b in benches]
        matrix, failed = runner.expand_matrix(
            base, DECLARATIONS, [2.0], {}, {("w/collector/n:1", "malloc"): unit()})
        self.assertEqual([(b["strategy"], v and v["name"]) for b, _, v in matrix],
                         [("plain", None), ("collector", None), ("collector", "heap_2x"),
                          ("collector", "divisor_1"), ("collector", "divisor_2"),
                          ("collector", "divisor_5"), ("collector", "divisor_30"),
                          ("collector", "one_marker"), ("collector", "incremental")])
        self.assertEqual(failed, {})
        # A bisection that did not finish fails its heap variants only.
        matrix, failed = runner.expand_matrix(
            base, DECLARATIONS, [2.0, 3.0], {},
            {("w/collector/n:1", "malloc"): unit("unbracketed", reason="r")})
        self.assertEqual(sorted(failed), [2, 3])
        # Profiles without variants: the plain entries, as before.
        plain, failed = runner.expand_matrix(base, DECLARATIONS, None, None, {})
        self.assertEqual([(b["name"], a, v) for b, a, v in plain],
                         [(b["name"], "malloc", None) for b in benches])
        key = runner.cell_key("w/collector/n:1", "malloc", matrix[2][2])
        self.assertEqual(key, "malloc--w--collector--n=1--heap_2x")
        self.assertEqual(runner.cell_key("w/collector/n:1", "malloc"),
                         "malloc--w--collector--n=1")


class Validation(unittest.TestCase):
    def refused(self, call, says):
        with self.assertRaises(UsageError) as caught:
            call()
        message = str(caught.exception)
        self.assertNotIn("\n", message)
        self.assertIn(says, message)

    def test_heap_multiples(self):
        self.assertEqual(variants.parse_multiples(None), [1.25, 1.5, 2, 3, 4, 6])
        self.assertEqual(variants.parse_multiples("1, 2.5"), [1.0, 2.5])
        self.refused(lambda: variants.parse_multiples("2,0.9"), "0.9 is below 1")
        self.refused(lambda: variants.parse_multiples("two"), "'two' is not a number")
        self.refused(lambda: variants.parse_multiples(","), "--heap-multiples is empty")
        self.refused(lambda: variants.parse_multiples("2,2"), "2 is given twice")
        self.refused(lambda: variants.parse_multiples("inf"), "not a number")

    def test_sweeps(self):
        self.assertEqual(variants.parse_sweeps(None, DECLARATIONS), {})
        self.assertEqual(variants.parse_sweeps(["divisor=1,10,1000"], DECLARATIONS),
                         {"divisor": [1, 10, 1000]})
        self.refused(lambda: variants.parse_sweeps(["divisor=0,2"], DECLARATIONS),
                     "--sweep divisor: 0 is outside [1, 1000], the range of --divisor")
        self.refused(lambda: variants.parse_sweeps(["divisor=1001"], DECLARATIONS),
                     "outside [1, 1000]")
        self.refused(lambda: variants.parse_sweeps(["divisor=2.5"], DECLARATIONS),
                     "'2.5' is not a whole number")
        self.refused(lambda: variants.parse_sweeps(["ratio=2"], DECLARATIONS),
                     "unknown sweep 'ratio'; the strategies declare divisor")
        self.refused(lambda: variants.parse_sweeps(["divisor"], DECLARATIONS),
                     "is not NAME=V,V,...")
        self.refused(lambda: variants.parse_sweeps(["divisor="], DECLARATIONS),
                     "gives no values")
        self.refused(lambda: variants.parse_sweeps(["divisor=2", "divisor=5"],
                                                   DECLARATIONS), "given twice")
        self.refused(lambda: variants.parse_sweeps(["divisor=2,2"], DECLARATIONS),
                     "2 is given twice")

    def test_a_flag_unit_the_runner_cannot_write_is_refused(self):
        heap = dict(COLLECTOR["heap"], flag_unit_bytes=512)
        self.refused(lambda: variants.placeholder(heap), "units of 512 bytes")
        self.assertEqual(variants.placeholder(COLLECTOR["heap"]), "{heap_kib}")
        self.assertEqual(variants.trial_template("b", "small", "w/c/n:1", COLLECTOR["heap"],
                                                 5),
                         ["b", "--size=small", "--probe=w/c/n:1", "--probe_iterations=1",
                          "--sample_period_ms=5", "--cap_kib={heap_kib}",
                          "--presize_kib={heap_kib}"])
        self.assertEqual(variants.timing_template("b", "small", "w/c/n:1", COLLECTOR["heap"],
                                                  2, 0.2, 0.05),
                         ["b", "--size=small", "--benchmark_filter=^w/c/n:1$",
                          "--benchmark_repetitions=2", "--benchmark_min_time=0.2",
                          "--benchmark_min_warmup_time=0.05", "--cap_kib={heap_kib}",
                          "--presize_kib={heap_kib}"])
        # A heap without a pre-size flag is only capped.
        cap_only = dict(COLLECTOR["heap"], presize_flag=None)
        self.assertEqual(variants.trial_template("b", "small", "w", cap_only, 5)[-1],
                         "--cap_kib={heap_kib}")
        self.assertEqual(variants.heap_flags(cap_only, 3 * MIB), ["--cap_kib=3072"])

    def test_the_runner_refuses_in_one_line_and_writes_nothing(self):
        out = os.path.join(tempfile.gettempdir(), f"memstrat-curve-refused-{os.getpid()}")
        for args, says in (
                (["--profile", "quick", "--heap-multiples", "2"],
                 "--heap-multiples is for the profiles that run variants (curve, "
                 "curve-quick, full); the quick profile runs none"),
                (["--sweep", "x=1"], "--sweep is for the profiles that run variants"),
                (["--profile", "curve-quick", "--heap-multiples", "1.5,0.5"],
                 "--heap-multiples: 0.5 is below 1"),
                (["--profile", "curve-quick", "--sweep", "no_such_sweep=1"],
                 "unknown sweep 'no_such_sweep'")):
            proc = run_script("run", "--build-dir", BUILD, "--workloads", "binary_trees",
                              "--out", out, *args)
            self.assertEqual(proc.returncode, 2, proc.stderr)
            lines = error_lines(proc.stderr)
            self.assertEqual(len(lines), 1, proc.stderr)
            self.assertIn(says, lines[0])
            self.assertNotIn("Traceback", proc.stderr)
            self.assertFalse(os.path.exists(out))

    def test_a_sweep_value_outside_the_declared_range_is_refused(self):
        # The real declarations: the first sweep the build's strategies declare.
        bench = os.path.join(BUILD, "benchmarks", "memstrat_bench")
        listed = json.loads(subprocess.run([bench, "--list_strategies"], check=True,
                                           capture_output=True, text=True).stdout)
        sweep = next(s for d in listed for s in d.get("sweeps") or [])
        out = os.path.join(tempfile.gettempdir(), f"memstrat-curve-range-{os.getpid()}")
        for bad in (sweep["min"] - 1, sweep["max"] + 1):
            proc = run_script("run", "--build-dir", BUILD, "--profile", "curve-quick",
                              "--workloads", "binary_trees", "--out", out,
                              "--sweep", f"{sweep['name']}={sweep['default']},{bad}")
            self.assertEqual(proc.returncode, 2, proc.stderr)
            lines = error_lines(proc.stderr)
            self.assertEqual(lines, [f"scripts/run: error: --sweep {sweep['name']}: {bad} is "
                                     f"outside [{sweep['min']}, {sweep['max']}], the range "
                                     f"of {sweep['flag']}"])
            self.assertFalse(os.path.exists(out))


CURVE = ["--profile", "curve-quick", "--workloads", "binary_trees"]


class CurveQuickRun(unittest.TestCase):
    """One real curve-quick run of binary_trees, killed half-way through its
    records (after the bisection) and resumed: the document holds the heap
    unit, the plain records and every declared variant, each run with the
    settings it says (as the collector reports them back), and the resume
    ran nothing twice."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="memstrat-curve-test-")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def test_killed_half_way_and_resumed(self):
        out = os.path.join(self.dir, "c")
        proc = subprocess.Popen([sys.executable, os.path.join(SCRIPTS, "run"), *NO_PORTS,
                                 "--build-dir", BUILD, *CURVE, "--out", out],
                                stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)
        cells = os.path.join(out, "cells")
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and proc.poll() is None:
            names = os.listdir(cells) if os.path.isdir(cells) else []
            if any(n.startswith("minheap-") for n in names) and len(
                    [n for n in names if n.startswith("probe-")]) >= 12:
                break
            time.sleep(0.01)
        proc.kill()
        _, err = proc.communicate(timeout=60)
        self.assertFalse(os.path.exists(os.path.join(out, "results.json")),
                         "killed before it finished: " + err[-2000:])
        self.assertIn("[heap unit 1/1] binary_trees/gc/", err)
        kept = {c: os.stat(os.path.join(cells, c)).st_mtime_ns
                for c in os.listdir(cells) if not c.startswith(".tmp-")}
        unit_cell = next(c for c in kept if c.startswith("minheap-"))
        with open(os.path.join(cells, unit_cell), encoding="utf-8") as f:
            unit = json.load(f)

        # Other heap multiples or sweep values are another run.
        refused = run_script("run", "--build-dir", BUILD, "--resume", out,
                             "--heap-multiples", "2")
        self.assertEqual(refused.returncode, 2, refused.stderr)
        self.assertIn("its settings.heap_multiples was [1.25, 1.5, 2.0, 3.0, 4.0, 6.0], "
                      "now [2.0]", error_lines(refused.stderr)[0])

        done = run_script("run", "--build-dir", BUILD, "--resume", out)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn(f"resuming {out}: all 1 heap units found before", done.stderr)
        self.assertNotIn("bisecting", done.stderr)
        for c, mtime in kept.items():  # nothing finished was run again
            self.assertEqual(os.stat(os.path.join(cells, c)).st_mtime_ns, mtime, c)
        doc = results.load(os.path.join(out, "results.json"))
        self.assertEqual(doc["heap_units"], [unit])

        # The heap unit: bisected to the declared granularity, under setarch.
        gc = next(d for d in doc["strategies"] if d.get("heap"))
        heap = gc["heap"]
        self.assertEqual(unit["status"], "ok", unit)
        self.assertEqual((unit["workload"], unit["strategy"], unit["allocator"]),
                         ("binary_trees", gc["name"], "glibc"))
        step = variants.unit_step(heap)
        self.assertEqual(unit["granularity_bytes"], step)
        interval = unit["interval"]
        self.assertEqual(unit["unit_bytes"], interval["completes_bytes"])
        self.assertLess(interval["fails_bytes"], interval["completes_bytes"])
        self.assertLessEqual(interval["completes_bytes"] - interval["fails_bytes"],
                             max(step, doc["context"]["settings"]["minheap_precision"] *
                                 unit["unit_bytes"]))
        self.assertFalse(unit["address_randomisation"])
        self.assertTrue(unit["command"].startswith("setarch "), unit["command"])
        self.assertIn(f"{heap['cap_flag']}={{heap_kib}}", unit["command"])
        # A trial is a round's timing run, then its probe.
        timing, probe = unit["command"].split(" && ")
        self.assertIn("--benchmark_filter=", timing)
        self.assertIn("--probe=", probe)
        for p in unit["probes"]:
            self.assertTrue(p["reason"] is None or
                            p["reason"].startswith(("timing: ", "probe: ")), p)
        trials = doc["context"]["settings"]["minheap_trials"]
        for p in unit["probes"]:
            ok = p["heap_bytes"] >= unit["unit_bytes"]
            self.assertEqual(p["completed"], trials if ok else p["trials"] - 1, p)
        by_size = {p["heap_bytes"]: p for p in unit["probes"]}
        self.assertEqual(by_size[interval["completes_bytes"]]["completed"], trials)
        self.assertEqual(by_size[interval["fails_bytes"]]["completed"],
                         by_size[interval["fails_bytes"]]["trials"] - 1)

        # The records: every strategy's plain one (the baseline allocator
        # only), then the declared variants of the strategy with a heap.
        records = doc["records"]
        self.assertEqual({r["allocator"] for r in records}, {"glibc"})
        plain = [r for r in records if r["variant"] is None]
        self.assertEqual([r["strategy"] for r in plain], [d["name"] for d in doc["strategies"]])
        named = [r["variant"]["name"] for r in records if r["variant"]]
        sweep = gc["sweeps"][0]
        self.assertEqual(named, [f"heap_{m}x" for m in ("1.25", "1.5", "2", "3", "4", "6")] +
                         [f"{sweep['name']}_{v}" for v in sweep["values"]
                          if v != sweep["default"]] +
                         [v["name"] for v in gc["variants"]])
        for r in records:
            self.assertEqual(r["status"], "ok", (r["name"], r["variant"], r.get("failure")))
            self.assertEqual(len(r["probe_rounds"]), doc["context"]["settings"]["rounds"])
        self.assertEqual(len({r["probe"]["checksum"] for r in records}), 1)
        # Each variant ran with what it says, as bdwgc reports it back.
        for r in records:
            if r["strategy"] != gc["name"]:
                continue
            v, settings = r["variant"], r["probe"]["gc"]["settings"]
            if v is None:
                self.assertEqual(settings["max_heap_bytes"], 0)
            elif v["series"] == "heap":
                cap = int(-(-v["heap_multiple"] * unit["unit_bytes"] // step) * step)
                self.assertEqual(v["heap_bytes"], cap)
                self.assertEqual(settings["max_heap_bytes"], cap)
                kib = cap // heap["flag_unit_bytes"]
                self.assertEqual(v["flags"], [f"{heap['cap_flag']}={kib}",
                                              f"{heap['presize_flag']}={kib}"])
            elif v["series"] == sweep["name"]:
                self.assertEqual(settings["free_space_divisor"], v["value"])
                self.assertEqual(settings["max_heap_bytes"], 0)
            else:
                self.assertEqual(v["flags"], next(d["flags"] for d in gc["variants"]
                                                  if d["name"] == v["name"]))
                if v["name"] == "markers_1":
                    self.assertEqual(settings["markers"], 1)
                if v["name"] == "incremental":
                    self.assertTrue(settings["incremental"])
        labels = {results.series_label(r) for r in records}
        self.assertIn(f"{gc['name']} heap 2x", labels)
        self.assertEqual(len({results.config_key(r) for r in records}), len(records))
        # The Google Benchmark file keeps the variants apart by name.
        with open(os.path.join(out, "gbench-glibc.json"), encoding="utf-8") as f:
            run_names = {b["run_name"] for b in json.load(f)["benchmarks"]}
        self.assertEqual(len(run_names), len(records))


if __name__ == "__main__":
    unittest.main()
