"""spacetime: the collector's curve read from a hand-made document
(tests/curves.py) whose every time, footprint and stopped time is known:
distilled times and the lower-bound overhead (wall and CPU), where the
collector comes within 10% of the baseline or the best point when it never
does, the series (heap by multiple, sweeps through the plain record at their
default, declared variants), failed multiples kept as failed, the claims at
each heap multiple, and the comparison with Hertz & Berger's numbers.
Logic on small records, not figures of a run."""

import copy
import os
import unittest

import curves
from curves import BASE_MS, BASE_MIB, PLAIN, VARIANTS

from support import FIXTURES

from memstrat import metrics, report, results, spacetime

REAL = os.path.join(FIXTURES, "curve-results.json")   # fixtures/README.md


def by_label(curve):
    return {p.label: p for p in curve.points}


class Distilled(unittest.TestCase):
    def setUp(self):
        self.doc = curves.curve_document()
        self.gc = curves.collected_strategy(self.doc)
        self.kind = results.Catalogue(self.doc).declaration(self.gc)["reclaim_kind"]

    def test_time_less_the_stopped_time_wall_and_cpu(self):
        r = next(r for r in self.doc["records"] if r["strategy"] == self.gc
                 and not r.get("variant"))
        time_ms, _, stopped = PLAIN[:3]
        self.assertAlmostEqual(metrics.distilled_ms(r, self.kind), time_ms - stopped)
        self.assertAlmostEqual(metrics.distilled_ms(r, self.kind, cpu=True),
                               time_ms * 1.2 - stopped * 1.5)

    def test_no_stopped_counter_no_distilled_time(self):
        base = next(r for r in self.doc["records"] if r["strategy"] == "manual")
        self.assertIsNone(metrics.distilled_ms(base, self.kind))
        self.assertAlmostEqual(metrics.median_time_ms(base), BASE_MS)

    def test_footprint_is_the_median_over_rounds(self):
        r = copy.deepcopy(next(r for r in self.doc["records"] if r["strategy"] == "manual"))
        for i, p in enumerate(r["probe_rounds"]):
            p["memory"]["peak_rss_bytes"] = [30, 10, 20][i]
        self.assertEqual(metrics.median_peak_rss_bytes(r), 20)


class Curve(unittest.TestCase):
    def setUp(self):
        self.doc = curves.curve_document()
        results.check(self.doc)  # the document is one the schema accepts
        (self.curve,) = spacetime.curves(self.doc)

    def test_only_documents_with_variants_have_curves(self):
        with open(curves.FIXTURE, encoding="utf-8") as f:
            import json
            self.assertEqual(spacetime.curves(json.load(f)), [])

    def test_ratios_to_the_baseline(self):
        p = by_label(self.curve)["heap 2x"]
        time_ms, mib = VARIANTS["heap_2x"][3][:2]
        self.assertAlmostEqual(p.time_ratio, time_ms / BASE_MS)
        self.assertAlmostEqual(p.footprint_ratio, mib / BASE_MIB)
        self.assertEqual(p.multiple, 2.0)

    def test_lower_bound_overhead_is_over_the_least_distilled_time(self):
        # The least distilled wall time: free-space divisor 1 (115 - 5 ms).
        distilled = {n: f[0] - f[2] for n, (*_, f) in VARIANTS.items() if f}
        distilled["plain"] = PLAIN[0] - PLAIN[2]
        least = min(distilled.values())
        self.assertEqual(self.curve.mdc.label, "free-space divisor 1")
        for p in self.curve.points:
            if p.ok:
                self.assertAlmostEqual(p.lbo, p.time_ms / least, msg=p.label)
        cpu = {n: f[0] * 1.2 - f[2] * 1.5 for n, (*_, f) in VARIANTS.items() if f}
        cpu["plain"] = PLAIN[0] * 1.2 - PLAIN[2] * 1.5
        plain = self.curve.plain
        self.assertAlmostEqual(plain.lbo_cpu, PLAIN[0] * 1.2 / min(cpu.values()))
        self.assertGreaterEqual(min(p.lbo for p in self.curve.points if p.ok), 1.0)

    def test_failed_multiple_is_kept_as_failed(self):
        p = by_label(self.curve)["heap 1.25x"]
        self.assertFalse(p.ok)
        self.assertIn("out of memory", p.reason)
        self.assertIsNone(p.time_ratio)
        self.assertIn(p, self.curve.heap())
        self.assertNotIn(p, self.curve.placed())

    def test_series(self):
        kinds = [(s.kind, s.name) for s in self.curve.series]
        self.assertEqual(kinds, [("heap", "heap"), ("sweep", "free_space_divisor"),
                                 ("variant", "markers_1"), ("variant", "incremental")])
        self.assertEqual([p.value for p in self.curve.heap()], [1.25, 1.5, 2.0, 3.0, 6.0])
        sweep = self.curve.series[1]
        # The plain record is the sweep's point at its declared default.
        self.assertEqual([p.value for p in sweep.points], [1, 3, 30])
        self.assertEqual(sweep.points[1].record, self.curve.plain.record)
        self.assertEqual(sweep.label, "free-space divisor")

    def test_never_within_names_the_best_point(self):
        hit, best = spacetime.within(self.curve)
        self.assertIsNone(hit)
        self.assertEqual(best.label, "free-space divisor 1")
        text = spacetime.within_sentence(self.curve)
        self.assertIn("never comes within 10%", text)
        self.assertIn("free-space divisor 1, 1.28x the time at 4.00x the footprint", text)

    def test_within_is_the_smallest_footprint_that_comes_within(self):
        doc = copy.deepcopy(self.doc)
        for r in doc["records"]:
            v = r.get("variant") or {}
            if v.get("name") in ("heap_6x", "free_space_divisor_1"):
                for run in r["timing"]["runs"]:
                    run["real_time"] = BASE_MS * 1.05
        (curve,) = spacetime.curves(doc)
        hit, _ = spacetime.within(curve)
        self.assertEqual(hit.label, "heap 6x")   # 3.0x the footprint, not 4.0x
        self.assertIn("comes within 10% of the baseline's time at 3.00x its footprint "
                      "(gc heap 6x", spacetime.within_sentence(curve))

    def test_stops_per_run_and_worst_stop(self):
        p = by_label(self.curve)["heap 1.5x"]
        self.assertEqual(p.pauses, 20)
        self.assertEqual(p.worst_pause_ns, 3e6)
        self.assertAlmostEqual(p.stopped_ms, 80.0)

    def test_a_strategy_with_only_a_heap_unit_still_has_its_curve(self):
        doc = copy.deepcopy(self.doc)
        gc = curves.collected_strategy(doc)
        doc["records"] = [r for r in doc["records"] if r["strategy"] != gc]
        doc["heap_units"][0].update(status="never_completes", unit_bytes=None,
                                    reason="fails at the 4 GiB cap")
        (curve,) = spacetime.curves(doc)
        self.assertEqual(curve.points, [])
        self.assertIn("no gc record completed", spacetime.within_sentence(curve))
        rows = spacetime.unit_rows(doc)
        self.assertEqual(rows[0][2], "never_completes")
        self.assertEqual(rows[0][-1], "fails at the 4 GiB cap")


class ClaimsAtMultiples(unittest.TestCase):
    def setUp(self):
        self.doc = curves.curve_document()
        self.gc = curves.collected_strategy(self.doc)

    def test_the_claims_about_the_collector_only(self):
        texts = [c.claim for c in report.claims(self.doc, self.gc)]
        subjects = [what for kind, _, what in report.CLAIMS if report.about(what, self.gc)]
        self.assertEqual(len(texts), len(subjects))
        self.assertTrue(texts)

    def test_the_multiple_stands_in_for_the_defaults(self):
        m = 2.0
        doc = spacetime.at_multiple(self.doc, self.gc, m)
        gcs = [r for r in results.plain_records(doc) if r["strategy"] == self.gc]
        self.assertEqual(len(gcs), 1)
        self.assertAlmostEqual(metrics.median_time_ms(gcs[0]), VARIANTS["heap_2x"][3][0])
        # The failed multiple leaves no record of the collector to judge.
        doc = spacetime.at_multiple(self.doc, self.gc, 1.25)
        self.assertEqual([r for r in results.plain_records(doc, ok=True)
                          if r["strategy"] == self.gc], [])

    def test_table_has_a_column_per_multiple(self):
        curve_list = spacetime.curves(self.doc)
        header, rows = spacetime.claims_at_multiples(self.doc, curve_list, report.claims)
        self.assertEqual(header, ["claim", "defaults", "heap 1.25x", "heap 1.5x", "heap 2x",
                                  "heap 3x", "heap 6x"])
        cost = next(r for r in rows if r[0] == report.CLAIMS[0][1])
        # The time claim's figure: gc's time over the baseline's at each.
        self.assertEqual(cost[1], f"supported ({PLAIN[0] / BASE_MS:.2f}x)")
        self.assertEqual(cost[2], "not measured")
        self.assertEqual(cost[4], f"supported ({VARIANTS['heap_2x'][3][0] / BASE_MS:.2f}x)")


class HertzBerger(unittest.TestCase):
    def setUp(self):
        self.doc = curves.curve_document()
        (self.curve,) = spacetime.curves(self.doc)

    def test_their_table_interpolated(self):
        self.assertEqual(spacetime.hb_at_multiple(2.0), (3.61, 1.08, False))
        f, t, past = spacetime.hb_at_multiple(1.25)
        self.assertAlmostEqual(t, (1.69 + 1.17) / 2)
        self.assertFalse(past)
        self.assertEqual(spacetime.hb_at_multiple(6.0), (5.55, 1.00, True))

    def test_compared_at_2x_3x_and_the_largest(self):
        self.assertEqual([p.value for p in spacetime.compared_multiples(self.curve)],
                         [2.0, 3.0, 6.0])
        text = " ".join(spacetime.hertz_berger(self.curve))
        self.assertIn("At 2x the heap unit gc takes 1.89x the baseline's time at 1.40x its "
                      "footprint; GenMS was 1.08x Lea's time at 3.61x its footprint.", text)
        self.assertIn("at their largest, 4x", text)

    def test_by_footprint_interpolates_between_multiples(self):
        # 2x the footprint lies between heap 3x (1.8x) and heap 6x (3.0x).
        ratio, a, b = spacetime.at_footprint(self.curve, 2.0)
        self.assertEqual((a.label, b.label), ("heap 3x", "heap 6x"))
        self.assertTrue(b.time_ratio < ratio < a.time_ratio)
        self.assertIsNone(spacetime.at_footprint(self.curve, 5.0))
        self.assertIn("at 2x the footprint (theirs +70%)",
                      " ".join(spacetime.hertz_berger(self.curve)))

    def test_evidence_from_the_distilled_time(self):
        text = " ".join(spacetime.evidence(self.curve))
        least = (VARIANTS["free_space_divisor_1"][3][0]
                 - VARIANTS["free_space_divisor_1"][3][2]) / BASE_MS
        self.assertIn(f"is {least:.2f}x the baseline's", text)
        self.assertIn("no heap size removes it", text)
        # Stopped share from the smallest placed multiple to the largest.
        self.assertIn("Stopped time is 40% of the run at 1.5x and 8% at 6x", text)

    def test_evidence_when_the_cost_is_in_the_pauses(self):
        doc = copy.deepcopy(self.doc)
        gc = curves.collected_strategy(doc)
        kind = results.Catalogue(doc).declaration(gc)["reclaim_kind"]
        for r in doc["records"]:
            if r["strategy"] == gc and r["status"] == "ok":
                for run in r["timing"]["runs"]:
                    run[f"{kind}_time"] = (run["real_time"] - BASE_MS) / 1e3
        (curve,) = spacetime.curves(doc)
        text = " ".join(spacetime.evidence(curve))
        self.assertIn("its excess is in the pauses", text)


class ARealCurveRun(unittest.TestCase):
    """The fixture from scripts/run --profile curve-quick: its shape, not its
    timings."""

    def setUp(self):
        self.doc = results.load(REAL)
        (self.curve,) = spacetime.curves(self.doc)

    def test_every_record_of_the_collector_is_a_point(self):
        cat = results.Catalogue(self.doc)
        s = self.curve.strategy
        self.assertIn("heap", cat.declaration(s))
        own = [r for r in self.doc["records"] if r["strategy"] == s]
        self.assertEqual(len(self.curve.points), len(own))
        self.assertEqual(self.curve.plain.record["variant"], None)
        self.assertIsNotNone(self.curve.unit)

    def test_series_from_the_declaration(self):
        decl = results.Catalogue(self.doc).declaration(self.curve.strategy)
        names = [s.name for s in self.curve.series]
        self.assertEqual(names, ["heap"] + [s["name"] for s in decl["sweeps"]]
                         + [v["name"] for v in decl["variants"]])
        multiples = [p.value for p in self.curve.heap()]
        self.assertEqual(multiples, sorted(multiples))
        sweep = self.curve.series[1]
        self.assertIn(decl["sweeps"][0]["default"], [p.value for p in sweep.points])

    def test_the_timing_counters_give_distilled_times(self):
        for p in self.curve.points:
            if p.ok:
                self.assertIsNotNone(p.distilled_ms, p.label)
                self.assertLessEqual(p.distilled_ms, p.time_ms, p.label)
                self.assertGreaterEqual(p.lbo, 1.0 - 1e-9, p.label)
                self.assertGreaterEqual(p.lbo_cpu, 1.0 - 1e-9, p.label)

    def test_the_section_names_every_record(self):
        blocks = spacetime.section(self.doc, report.claims)
        tables = [b for b in blocks if b[0] == "table" and b[1] == spacetime.POINT_HEADER]
        (table,) = tables
        self.assertEqual(len(table[2]), len(self.curve.points))


if __name__ == "__main__":
    unittest.main()
