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

from support import BUILD, SCRIPTS, error_lines, run_script

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
                 "curve-quick); the quick profile runs none"),
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


if __name__ == "__main__":
    unittest.main()
