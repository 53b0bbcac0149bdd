"""Java's collectors beside Boehm in the scripts, on the hand-made document of
javadoc.py (figures known in advance): a runtime's pause kinds, warm-up and
CPU readers; the space-time curves of several collectors, their heap unit
shared by group and the lower-bound overhead over a family's candidates
(Epsilon among them); the report's "Garbage collection on its real subject",
"Runtimes" and "Not applicable" sections; the curve figure with every
collector on one panel; compare with not-applicable cells and measures a
JVM lacks. Logic on small records, not figures of a run."""

import json
import os
import tempfile
import unittest

import javadoc
from javadoc import FIGURES, ZGC_REASON

from support import run_script

from memstrat import collectors, measures, metrics, ownership, report, results, spacetime


def record(doc, workload, strategy, variant=None):
    return next(r for r in doc["records"] if r["workload"] == workload
                and r["strategy"] == strategy and results.variant_name(r) == variant)


class Readers(unittest.TestCase):
    def setUp(self):
        self.doc = javadoc.java_document()

    def test_a_runtimes_collector_pauses_are_its_kinds_but_safepoints(self):
        zgc = record(self.doc, "list_churn", "java-zgc")
        kinds = metrics.reclaim_kinds(zgc["probe"], "gc_stop_world")
        self.assertIn("alloc_stall", kinds)
        self.assertNotIn("safepoint", kinds)
        self.assertEqual(metrics.reclaim_max_ns(zgc["probe"], "gc_stop_world"),
                         int(javadoc.ZGC_STALL_MS * 1e6))
        # Epsilon has only safepoints: no reclaim pause at all.
        eps = record(self.doc, "binary_trees", "java-epsilon")
        self.assertIsNone(metrics.reclaim_max_ns(eps["probe"], "gc_stop_world"))
        # A C++ probe without the kind keeps having none.
        manual = record(self.doc, "binary_trees", "manual")
        self.assertEqual(metrics.reclaim_kinds(manual["probe"], "gc_stop_world"), [])

    def test_collections_of_a_runtime_are_its_collections_not_its_pauses(self):
        serial = record(self.doc, "binary_trees", "java-serial")
        self.assertEqual(metrics.collections_per_iteration(serial, "gc_stop_world"),
                         FIGURES["binary_trees"]["java-serial"]["plain"][3])

    def test_steady_state_reader(self):
        g1 = record(self.doc, "list_churn", "java-g1")
        self.assertEqual(metrics.steady_state(g1), "no_steady_state")
        del g1["timing"]["steady_state"]
        self.assertEqual(metrics.steady_state(g1), "no_steady_state")  # processes
        g1["timing"]["processes"][0]["steady"] = True
        self.assertEqual(metrics.steady_state(g1), "mixed")
        del g1["timing"]["processes"]
        self.assertEqual(metrics.steady_state(g1), "no_steady_state")  # run counters
        self.assertIsNone(metrics.steady_state(record(self.doc, "binary_trees", "manual")))

    def test_warm_up_and_cpu(self):
        serial = record(self.doc, "binary_trees", "java-serial")
        time_ms = FIGURES["binary_trees"]["java-serial"]["plain"][0]
        w = metrics.warmup(serial)
        self.assertAlmostEqual(w["first_iteration_ns"], time_ms * javadoc.FIRST_FACTOR * 1e6)
        self.assertEqual((w["processes"], w["steady"]), (3, 3))
        self.assertAlmostEqual(metrics.cpu_share(serial), javadoc.PROCESS_CPU_FACTOR)
        cat = results.Catalogue(self.doc)
        self.assertAlmostEqual(measures.get("first_vs_steady").value(serial, cat),
                               javadoc.FIRST_FACTOR)
        manual = record(self.doc, "binary_trees", "manual")
        for m in measures.runtime():
            if m.key != "cpu_share":
                self.assertIsNone(m.value(manual, cat), m.key)


class Curves(unittest.TestCase):
    def setUp(self):
        self.doc = javadoc.java_document()
        results.check(self.doc)
        self.curves = {(c.workload, c.strategy): c for c in spacetime.curves(self.doc)}

    def test_a_strategy_without_a_unit_of_its_own_uses_its_groups(self):
        eps = self.curves[("binary_trees", "java-epsilon")]
        self.assertEqual(eps.unit["strategy"], "java-serial")
        self.assertEqual(self.curves[("binary_trees", "java-g1")].unit["strategy"], "java-g1")

    def test_a_shared_unit_is_one_row_naming_its_group(self):
        rows = [r for r in spacetime.unit_rows(self.doc) if r[0].startswith("binary_trees")]
        self.assertEqual([r[1] for r in rows],
                         ["gc", "java-serial (group java, shared by java-serial, java-g1, "
                                "java-zgc, java-epsilon)"])

    def test_lower_bound_overhead_over_every_collector_of_the_family(self):
        serial = self.curves[("binary_trees", "java-serial")]
        self.assertEqual(serial.mdc.record["strategy"], "java-epsilon")
        self.assertIn("java-g1", serial.candidates)
        least = FIGURES["binary_trees"]["java-epsilon"]["plain"][0]
        plain = serial.plain
        self.assertAlmostEqual(plain.lbo, plain.time_ms / least)
        # Boehm's stays over its own records: another language's mutator.
        self.assertEqual(self.curves[("binary_trees", "gc")].candidates, ["gc"])
        text = " ".join(spacetime.evidence(serial))
        self.assertIn("java-epsilon made no collection", text)
        self.assertIn("not the truth", text)

    def test_not_applicable_points_are_no_failures(self):
        (p,) = self.curves[("binary_trees", "java-zgc")].points
        self.assertFalse(p.ok)
        self.assertFalse(p.applicable)
        self.assertEqual(p.reason, f"not applicable: {ZGC_REASON}")

    def test_one_panel_per_work_with_every_collector(self):
        from memstrat import plot
        data = plot.gather([("doc", self.doc)])
        panels = plot.curve_panels(data)
        self.assertEqual([t for t, _, _ in panels], ["binary_trees (depth 10)",
                                                     "list_churn (steps 1000)"])
        figures = dict(plot.curve_figures(data))
        self.assertEqual(sorted(figures), ["curve", "curve-binary_trees", "curve-list_churn"])
        gids = {l.get_gid(): l for l in figures["curve"].axes[0].get_lines() if l.get_gid()}
        for s in ("gc", "java-serial", "java-g1"):
            self.assertIn(f"{s}/heap", gids)
            self.assertIn(f"{s}/plain", gids)
        serial = [v for k, v in FIGURES["binary_trees"]["java-serial"].items()
                  if k.startswith("heap_")]
        self.assertEqual(list(gids["java-serial/heap"].get_ydata()),
                         [f[0] / javadoc.BASE_MS for f in serial])
        self.assertEqual(len(data.failed), 0)
        self.assertEqual(len(data.not_applicable), 1)
        self.assertIn("Not applicable, not failures (1)", " ".join(data.footer()))


class Sections(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.doc = javadoc.java_document()
        cls.blocks = collectors.section(cls.doc, report.CLAIMS, report.evaluate)
        cls.md = report.markdown(cls.doc, report.claims(cls.doc),
                                 report.workload_tables(cls.doc), [])

    def tables(self):
        out, title = {}, None
        for b in self.blocks:
            if b[0] == "h3":
                title = b[1]
            elif b[0] == "table":
                out[title] = (b[1], b[2])
        return out

    def test_pairs(self):
        self.assertEqual(collectors.collector_pairs(self.doc),
                         [(s, "gc") for s in ("java-serial", "java-g1", "java-zgc",
                                              "java-epsilon")])
        self.assertEqual(collectors.stand_ins(self.doc), {"raii": ["rust-box"]})
        self.assertEqual(ownership.pairs(self.doc), [("rust-box", "raii")])

    def test_the_time_claim_per_collector_and_heap_multiple(self):
        header, rows = self.tables()[report.CLAIMS[0][1]]
        self.assertEqual(header[:2], ["collector", "defaults"])
        self.assertIn("heap 2x", header)
        cells = {r[0]: dict(zip(header, r)) for r in rows}
        self.assertTrue(cells["gc"]["defaults"].startswith("supported"))
        self.assertTrue(cells["java-serial"]["defaults"].startswith("not supported"))
        self.assertTrue(cells["java-serial"]["heap 1.5x"].startswith("supported"))
        self.assertTrue(cells["java-g1"]["defaults"].startswith("depends"))
        self.assertIn("against rust-box", " ".join(self.tables()))

    def test_disagreements_say_both_figures(self):
        said = [b[1] for b in self.blocks if b[0] == "li"
                and b[1].startswith("gc and java-serial disagree on \"A garbage collector "
                                    "costs")]
        self.assertEqual(len(said), 1)
        self.assertRegex(said[0], r"at defaults gc supported \(1\.\d\dx\), java-serial not "
                                  r"supported \(0\.\d\dx\)")

    def test_where_each_collector_comes_within_ten_percent(self):
        header, rows = next(v for k, v in self.tables().items() if k.startswith("Where each"))
        cells = {r[0]: dict(zip(header, r)) for r in rows}
        bt, lc = cells["binary_trees (depth 10)"], cells["list_churn (steps 1000)"]
        self.assertEqual(bt["java-serial"], "heap 2x: 1.60x the footprint (1.10x the time)")
        self.assertTrue(lc["java-g1"].startswith("never (best defaults: 1.22x"))
        self.assertIn("not applicable", bt["java-zgc"])
        said = " ".join(b[1] for b in self.blocks if b[0] == "li")
        self.assertIn("java-serial comes within 10% of the baseline's time at heap 3x", said)
        self.assertIn("gc never comes within 10%", said)

    def test_unsteady_records_are_named(self):
        text = " ".join(b[1] for b in self.blocks if b[0] == "p")
        self.assertIn("list_churn/java-g1/steps:1000 (no steady state)", text)

    def test_runtime_tables(self):
        md = self.md
        self.assertIn(f"## {collectors.RUNTIMES}", md)
        self.assertIn("| list_churn (steps 1000) | java-g1 | 110 ms | 550 ms | 5.00x | 20 "
                      "| 3.3 s | 0 of 3 | no steady state |", md)
        self.assertIn("| binary_trees (depth 10) | java-serial | 54 ms | 86.4 ms | 1.60x |", md)
        self.assertIn("| binary_trees (depth 10) | java-serial | 1 core | 70 ms | 1.30x | "
                      "1.00x | 1.60x |", md)
        self.assertIn("| list_churn (steps 1000) | java-zgc | 300.0 MiB | 300.0 MiB | "
                      "110.0 MiB | 2.73x | 40.0 MiB | 30.0 MiB |", md)
        self.assertIn("| list_churn (steps 1000) | java-zgc | alloc_stall | 1.5 | 40 ms "
                      "| 40 ms |", md)
        self.assertIn("safepoint (not the collector's)", md)

    def test_not_applicable_is_listed_not_failed(self):
        md = self.md
        self.assertIn(f"## {collectors.NOT_APPLICABLE}", md)
        self.assertIn(f"| binary_trees/java-zgc/depth:10 | glibc |  | timing | {ZGC_REASON} |",
                      md)
        self.assertIn(f"| java-zgc | glibc | not applicable: {ZGC_REASON} |", md)
        self.assertNotIn(f"failed: {ZGC_REASON}", md)
        self.assertIn("1 not applicable", md)
        self.assertIn(f"## {collectors.TITLE}", md)
        self.assertLess(md.index(f"## {ownership.TITLE}"), md.index(f"## {collectors.TITLE}"))

    def test_html_has_the_sections(self):
        page = report.html_doc(self.doc, report.claims(self.doc),
                               report.workload_tables(self.doc), [])
        for title in (collectors.TITLE, collectors.RUNTIMES, collectors.NOT_APPLICABLE):
            self.assertIn(f"<h2>{title}</h2>", page)

    def test_a_document_without_java_has_none_of_them(self):
        import curves
        doc = curves.curve_document()
        self.assertEqual(report.extra_sections(doc), [])


class Scripts(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.tmp.name, "results.json")
        with open(self.path, "w", encoding="utf-8") as f:
            json.dump(javadoc.java_document(), f)

    def tearDown(self):
        self.tmp.cleanup()

    def test_report(self):
        p = run_script("report", self.path, "--no-charts")
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(os.path.join(self.tmp.name, "report.md"), encoding="utf-8") as f:
            self.assertIn(collectors.TITLE, f.read())

    def test_compare_skips_not_applicable_cells_and_what_a_jvm_lacks(self):
        p = run_script("compare", self.path, self.path, "--json")
        self.assertEqual(p.returncode, 0, p.stderr)
        out = json.loads(p.stdout)
        self.assertEqual(out["parity_problems"], [])
        self.assertEqual([c["benchmark"] for c in out["not_applicable"]],
                         ["binary_trees/java-zgc/depth:10"])
        rows = {(r["name"], r.get("variant")): r for r in out["rows"]}
        serial = rows[("binary_trees/java-serial/depth:10", None)]
        self.assertEqual(serial["parity"], "ok")
        self.assertIn("time", serial)
        self.assertIn("worst_pause", serial)   # the collector's kinds, not gc_stop_world
        p = run_script("compare", self.path, self.path)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("1 not applicable, not compared and not failures", p.stdout)


if __name__ == "__main__":
    unittest.main()
