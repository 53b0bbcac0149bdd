"""The registry of measures: a measure added to measures.REGISTRY, and
nothing else, shows in scripts/compare's output (its own threshold flag,
its column and its call), in the report's per-workload tables and in the
summary chart; the one duration formatter writes every duration."""

import copy
import json
import os
import unittest

from support import FIXTURES

from memstrat import compare, measures, metrics, report, results

try:
    from memstrat import plot
except ImportError:  # this python3 has no matplotlib
    plot = None

FIXTURE = os.path.join(FIXTURES, "small-results.json")
COUNTER = "process_cpu_time"  # a timing counter no registered measure reads


def fixture():
    with open(FIXTURE, encoding="utf-8") as f:
        return json.load(f)


def scaled_counter(doc, factor):
    doc = copy.deepcopy(doc)
    for r in doc["records"]:
        r["timing"]["aggregates"]["median"][COUNTER] *= factor
    return doc


class AddingAMeasure(unittest.TestCase):
    def setUp(self):
        self.saved = list(measures.REGISTRY)
        self.measure = measures.Measure(
            "process_cpu", "process CPU", "s", lambda s: f"{s * 1e3:.3f} ms CPU",
            measures.timing_counter(COUNTER), threshold=0.2, summary=True, report=True,
            describe="CPU time of every thread of the process")
        measures.REGISTRY.append(self.measure)
        self.doc = fixture()

    def tearDown(self):
        measures.REGISTRY[:] = self.saved

    def test_compare_calls_it_with_its_own_threshold(self):
        args = compare.parse_args([FIXTURE, FIXTURE])
        self.assertEqual(compare.threshold(args, self.measure), 0.2)
        rows, problems = compare.compare(self.doc, scaled_counter(self.doc, 1.5), args)
        self.assertEqual(problems, [])
        self.assertTrue(rows)
        for r in rows:
            self.assertEqual(r["process_cpu"]["call"], "changed")
            self.assertAlmostEqual(r["process_cpu"]["change"], 0.5)
        lines = compare.table(rows)
        self.assertIn("process CPU", lines[0])
        self.assertTrue(all("+50.0% changed" in line for line in lines[1:]))
        args = compare.parse_args([FIXTURE, FIXTURE, "--process-cpu-threshold", "0.6"])
        rows, _ = compare.compare(self.doc, scaled_counter(self.doc, 1.5), args)
        self.assertTrue(all(r["process_cpu"]["call"] == "unchanged" for r in rows))

    def test_report_table_has_its_column(self):
        (title, header, rows), = report.workload_tables(self.doc)
        self.assertIn("process CPU", header)
        col = header.index("process CPU")
        cat = results.Catalogue(self.doc)
        expected = {(r["strategy"], r["allocator"]):
                    self.measure.format(r["timing"]["aggregates"]["median"][COUNTER])
                    for r in self.doc["records"]}
        self.assertEqual({(row[0], row[1]): row[col] for row in rows}, expected)
        self.assertEqual(list(dict.fromkeys(row[0] for row in rows)), cat.strategies)

    @unittest.skipIf(plot is None, "matplotlib is not importable by this python3")
    def test_summary_chart_has_its_panel(self):
        data = plot.gather([(FIXTURE, results.load(FIXTURE))])
        fig = plot.summary_figure(data)
        self.assertEqual([ax.get_title() for ax in fig.axes],
                         [m.label for m in measures.summarised()])
        self.assertEqual(fig.axes[-1].get_title(), "process CPU")


class Registry(unittest.TestCase):
    def test_keys_are_unique_and_flags_well_formed(self):
        keys = [m.key for m in measures.REGISTRY]
        self.assertEqual(len(keys), len(set(keys)))
        for m in measures.compared():
            self.assertRegex(m.flag, r"^--[a-z-]+-threshold$")
            self.assertGreaterEqual(m.threshold, 0)

    def test_reads_the_fixture(self):
        doc = fixture()
        cat = results.Catalogue(doc)
        manual = next(r for r in doc["records"] if (r["strategy"], r["allocator"]) ==
                      cat.baseline)
        times = [run["real_time"] * metrics.UNIT_MS[run["time_unit"]]
                 for run in manual["timing"]["runs"]]
        self.assertEqual(measures.get("time").value(manual, cat), metrics.median(times))
        self.assertEqual(measures.get("peak_rss").value(manual, cat),
                         manual["probe"]["memory"]["peak_rss_bytes"])
        self.assertEqual(measures.get("allocations").value(manual, cat),
                         manual["probe"]["counts"]["allocations_per_iteration"])
        self.assertEqual(measures.get("worst_pause").value(manual, cat),
                         manual["probe"]["pauses"]["kinds"]["release"]["max_ns"])

    def test_overhead_bytes_from_the_probe_or_the_timing_counter(self):
        read = measures.get("overhead_bytes").read
        record = {"probe": {"counts": {"overhead_bytes_per_iteration": 16.0}},
                  "timing": {"aggregates": {"median": {"overhead_bytes": 8.0}}}}
        self.assertEqual(read(record, None), 16.0)
        del record["probe"]["counts"]["overhead_bytes_per_iteration"]
        self.assertEqual(read(record, None), 8.0)
        self.assertIsNone(read({"probe": None, "timing": None}, None))


class Formatting(unittest.TestCase):
    def test_one_duration_formatter(self):
        cases = {850: "850 ns", 12.5: "12.5 ns", 1000: "1 µs", 12_345: "12.3 µs",
                 1_500_000: "1.5 ms", 2e9: "2 s", 0: "0 ns"}
        for ns, text in cases.items():
            self.assertEqual(measures.format_ns(ns), text)
        self.assertEqual(measures.format_ms(0.26), "260 µs")
        self.assertEqual(measures.format_clock(61.4), "1:01")

    def test_bytes(self):
        self.assertEqual(measures.format_bytes(512), "512 B")
        self.assertEqual(measures.format_bytes(539520), "527 KiB")
        self.assertEqual(measures.format_mib(5 * 2**20), "5.0 MiB")


if __name__ == "__main__":
    unittest.main()
