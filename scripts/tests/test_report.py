"""scripts/report: writes report.md and a self-contained report.html beside
the document; the claims' verdicts follow the stated rules on synthetic
data; the questions about further strategies are answered by the same rules
or say "not measured"; owners' overhead is tabled where a strategy declares
or counts one; bad input gives one line and exit code 2."""

import copy
import json
import os
import shutil
import tempfile
import unittest

import curves
from support import FIXTURES, error_lines, run_script

from memstrat import metrics, report, results

FIXTURE = os.path.join(FIXTURES, "small-results.json")


def load_fixture():
    with open(FIXTURE, encoding="utf-8") as f:
        return json.load(f)


def scaled(doc, strategy, factor):
    """doc with `strategy`'s timing runs multiplied by factor."""
    doc = copy.deepcopy(doc)
    for r in doc["records"]:
        if r["strategy"] == strategy:
            for run in r["timing"]["runs"]:
                run["real_time"] *= factor
    return doc


def with_base_times(doc):
    """doc with every strategy's runs set to manual's, per workload/allocator."""
    doc = copy.deepcopy(doc)
    base = {(r["workload"], r["allocator"]): r["timing"]["runs"]
            for r in doc["records"] if r["strategy"] == "manual"}
    for r in doc["records"]:
        r["timing"]["runs"] = copy.deepcopy(base[(r["workload"], r["allocator"])])
    return doc


def tight(doc):
    """doc with ten repetitions of 100 to 109 ms for every record."""
    doc = copy.deepcopy(doc)
    for r in doc["records"]:
        template = r["timing"]["runs"][0]
        r["timing"]["runs"] = [dict(template, real_time=100 + i, time_unit="ms")
                               for i in range(10)]
    return doc


def spread(doc):
    """doc with three repetitions of 70, 100 and 140 ms for every record: a
    few repetitions spread by tens of percent, as a quick run on a noisy
    machine gives."""
    doc = copy.deepcopy(doc)
    for r in doc["records"]:
        template = r["timing"]["runs"][0]
        r["timing"]["runs"] = [dict(template, real_time=t, time_unit="ms")
                               for t in (70, 100, 140)]
    return doc


def verdicts(doc):
    return {c.claim: c.verdict for c in report.claims(doc)}


def with_strategy(doc, name, like, factor=1.0, **declared):
    """doc with a strategy `name` declared (after the others) whose records
    are copies of `like`'s with their times multiplied by factor."""
    doc = copy.deepcopy(doc)
    base = next(d for d in doc["strategies"] if d["name"] == like)
    doc["strategies"].append(dict(base, name=name, baseline=False, **declared))
    for r in [r for r in doc["records"] if r["strategy"] == like]:
        r = copy.deepcopy(r)
        r["strategy"] = name
        r["name"] = r["name"].replace(f"/{like}/", f"/{name}/")
        for run in r["timing"]["runs"]:
            run["real_time"] *= factor
        doc["records"].append(r)
    doc["summary"]["records"] = len(doc["records"])
    return doc


QUESTIONS = {"shared_rc": "Does std::shared_ptr cost run time over std::unique_ptr "
                          "(shared_rc vs raii)?",
             "shared_arc": "Do atomic reference counts cost run time over plain ones "
                           "(shared_arc vs shared_rc)?",
             "pmr": "Are the standard library's arenas (std::pmr) as fast as memstrat's "
                    "arena (pmr vs arena)?"}


class Verdicts(unittest.TestCase):
    def setUp(self):
        self.doc = with_base_times(load_fixture())
        self.claims = [c.claim for c in report.claims(self.doc)]

    def test_equal_times(self):
        v = verdicts(self.doc)
        self.assertEqual(v[self.claims[0]], "not supported")  # gc costs time
        self.assertEqual(v[self.claims[4]], "supported")      # raii costs nothing

    def test_a_slower_collector(self):
        v = verdicts(scaled(tight(self.doc), "gc", 1.5))
        self.assertEqual(v[self.claims[0]], "supported")
        self.assertEqual(v[self.claims[5]], "supported")

    def test_slower_ownership(self):
        v = verdicts(scaled(tight(self.doc), "raii", 1.2))
        self.assertEqual(v[self.claims[4]], "not supported")

    def test_slower_ownership_on_few_spread_repetitions_is_inconclusive(self):
        # The bootstrap interval of 1.2x over such repetitions holds 1.05.
        v = verdicts(scaled(spread(self.doc), "raii", 1.2))
        self.assertTrue(v[self.claims[4]].startswith("inconclusive"), v[self.claims[4]])

    def test_overlapping_samples_are_noise_not_a_difference(self):
        # Ten repetitions each; raii's median is 8% above manual's but the
        # samples interleave, so the rank test cannot tell them apart.
        doc = copy.deepcopy(self.doc)
        base = [100, 130, 95, 120, 104, 98, 125, 101, 118, 99]
        wider = [108, 96, 131, 103, 112, 97, 126, 94, 121, 109]
        for r in doc["records"]:
            template = r["timing"]["runs"][0]
            times = wider if r["strategy"] == "raii" else base
            r["timing"]["runs"] = [dict(template, real_time=t) for t in times]
        manual = metrics.median(base)
        self.assertGreater(metrics.median(wider) / manual, 1.05)
        claim = next(c for c in report.claims(doc) if c.claim == self.claims[4])
        self.assertEqual(claim.verdict, "supported")
        self.assertIn("not distinguishable from noise", claim.measured)

    def test_separated_samples_are_a_difference(self):
        doc = copy.deepcopy(self.doc)
        for r in doc["records"]:
            template = r["timing"]["runs"][0]
            shift = 1.2 if r["strategy"] == "raii" else 1.0
            r["timing"]["runs"] = [dict(template, real_time=(100 + i) * shift)
                                   for i in range(10)]
        self.assertEqual(verdicts(doc)[self.claims[4]], "not supported")

    def test_leaks_are_caught(self):
        doc = copy.deepcopy(self.doc)
        raii = next(r for r in doc["records"] if r["strategy"] == "raii")
        raii["probe"]["counts"]["frees_per_iteration"] -= 1
        self.assertEqual(verdicts(doc)[self.claims[3]], "not supported")

    def test_questions_without_their_strategies_are_not_measured(self):
        doc = copy.deepcopy(self.doc)
        doc["records"] = [r for r in doc["records"] if r["strategy"] not in QUESTIONS]
        v = verdicts(doc)
        for question in QUESTIONS.values():
            self.assertEqual(v[question], "not measured")

    def test_questions_are_answered_by_the_same_rules(self):
        doc = copy.deepcopy(self.doc)
        doc["records"] = [r for r in doc["records"] if r["strategy"] not in QUESTIONS]
        doc["strategies"] = [d for d in doc["strategies"] if d["name"] not in QUESTIONS]
        doc = tight(doc)
        doc = with_strategy(doc, "shared_rc", "raii", 1.3)
        doc = with_strategy(doc, "shared_arc", "shared_rc", 1.0)
        doc = with_strategy(doc, "pmr", "arena", 1.0)
        report_claims = {c.claim: c for c in report.claims(doc)}
        self.assertEqual(report_claims[QUESTIONS["shared_rc"]].verdict, "yes")
        self.assertTrue(report_claims[QUESTIONS["shared_rc"]].rule.startswith("yes if"))
        self.assertEqual(report_claims[QUESTIONS["shared_arc"]].verdict, "no")
        self.assertEqual(report_claims[QUESTIONS["pmr"]].verdict, "yes")
        self.assertIn("shared_rc/raii median time, geometric mean 1.30x",
                      report_claims[QUESTIONS["shared_rc"]].measured)
        # The article's claims keep their words.
        self.assertEqual(report_claims[self.claims[4]].verdict, "supported")

    def test_baseline_and_order_come_from_the_document(self):
        doc = copy.deepcopy(self.doc)
        doc["strategies"].reverse()
        (_, header, rows), = report.workload_tables(doc)
        self.assertEqual(list(dict.fromkeys(row[0] for row in rows)),
                         [d["name"] for d in doc["strategies"]])
        self.assertIn("run time vs manual/glibc", header)
        doc["baseline"] = {"strategy": "raii", "allocator": "glibc"}
        (_, header, rows), = report.workload_tables(doc)
        self.assertIn("run time vs raii/glibc", header)
        col = header.index("run time vs raii/glibc")
        self.assertEqual({row[col] for row in rows if row[:2] == ["raii", "glibc"]},
                         {"1.00x"})

    def test_owner_overhead_is_tabled(self):
        # Only strategies whose owners are wider than a pointer or that
        # count an overhead are tabled.
        pointer = [d["name"] for d in self.doc["strategies"] if d["owner_bytes"] == 8]
        doc = copy.deepcopy(self.doc)
        doc["records"] = [r for r in doc["records"] if r["strategy"] in pointer]
        self.assertEqual(report.owner_table(doc), [])
        doc = with_strategy(doc, "counted", "raii", owner_bytes=16,
                            owner_overhead="16-byte control block per object")
        for r in doc["records"]:
            if r["strategy"] == "counted":
                counts = r["probe"]["counts"]
                counts["overhead_bytes_per_iteration"] = 16 * counts[
                    "allocations_per_iteration"]
                counts["bytes_requested_per_iteration"] += counts[
                    "overhead_bytes_per_iteration"]
        rows = report.owner_table(doc)
        self.assertEqual([(r[1], r[2]) for r in rows],
                         [("counted", "glibc"), ("counted", "mimalloc")])
        header = report.OWNER_HEADER
        row = dict(zip(header, rows[0]))
        self.assertEqual(row["owner bytes"], "16")
        manual = next(r for r in doc["records"] if (r["strategy"], r["allocator"]) ==
                      ("manual", "glibc"))["probe"]["counts"]
        ratio = (manual["bytes_requested_per_iteration"]
                 + 16 * manual["allocations_per_iteration"]) / manual[
                     "bytes_requested_per_iteration"]
        self.assertEqual(row["vs baseline's"], f"{ratio:.2f}x")
        self.assertTrue(row["overhead bytes/run"].endswith("KiB"), row)
        md = report.markdown(doc, report.claims(doc), report.workload_tables(doc), [])
        self.assertIn("## What owners cost", md)

    def test_every_claim_has_a_rule_or_says_not_measured(self):
        for c in report.claims(self.doc):
            self.assertTrue(c.rule or c.verdict == "not measured", c.claim)


def sections(md):
    """{heading: text} of a report's ## sections."""
    out, name = {}, None
    for line in md.splitlines():
        if line.startswith("## "):
            name = line[3:]
            out[name] = []
        elif name:
            out[name].append(line)
    return {k: "\n".join(v) for k, v in out.items()}


def without_variants(doc):
    doc = copy.deepcopy(doc)
    doc["records"] = [r for r in doc["records"] if not r.get("variant")]
    doc.pop("heap_units", None)
    return doc


class SpaceAndTime(unittest.TestCase):
    def setUp(self):
        self.doc = curves.curve_document()

    def md(self, doc):
        return report.markdown(doc, report.claims(doc), report.workload_tables(doc), [])

    def test_a_document_without_variants_has_no_such_section(self):
        self.assertNotIn(report.SPACE_TIME, self.md(load_fixture()))
        self.assertNotIn(report.SPACE_TIME, self.md(without_variants(self.doc)))

    def test_variants_leave_the_other_sections_as_they_were(self):
        # A variant is the same strategy under other settings: the claims,
        # per-workload tables, stalls and owners read the plain records only.
        plain, full = sections(self.md(without_variants(self.doc))), sections(self.md(self.doc))
        self.assertEqual(set(full) - set(plain), {report.SPACE_TIME})
        for name, text in plain.items():
            self.assertEqual(full[name], text, name)
        (_, _, rows), = report.workload_tables(self.doc)
        strategies = [row[0] for row in rows]
        self.assertEqual(len(strategies), len(set(strategies)))

    def test_the_section(self):
        text = sections(self.md(self.doc))[report.SPACE_TIME]
        self.assertIn("### Heap units", text)
        self.assertIn("| binary_trees (depth 10) | gc | ok | 8 MiB | (7.94 MiB, 8 MiB] |", text)
        self.assertIn("- binary_trees (depth 10): gc never comes within 10%", text)
        self.assertIn("### The claims at each heap multiple", text)
        self.assertIn("| claim | defaults | heap 1.25x | heap 1.5x | heap 2x | heap 3x | "
                      "heap 6x |", text)
        self.assertIn("### Against Hertz & Berger", text)
        self.assertIn("| heap multiple | gc time ÷ baseline | gc footprint ÷ baseline |", text)
        self.assertIn("| 6x | 1.39x | 3.00x | 1 | 1.00x (at 4x) | 5.55x (at 4x) |", text)
        self.assertIn("| heap 1.25x | 10 MiB | failed: out of memory at the heap cap |", text)
        self.assertIn("| free-space divisor 1 (least distilled) |", text)
        self.assertIn("no heap size removes it", text)
        self.assertIn("variants (a strategy under other settings", self.md(self.doc))

    def test_a_real_curve_run_keeps_its_variants_in_the_section(self):
        doc = results.load(os.path.join(FIXTURES, "curve-results.json"))
        md = self.md(doc)
        parts = sections(md)
        self.assertIn(report.SPACE_TIME, parts)
        for name, text in parts.items():
            if name != report.SPACE_TIME:
                self.assertNotIn("heap 2x", text, name)
        (_, _, rows), = report.workload_tables(doc)
        self.assertEqual(len(rows), len(results.plain_records(doc)))

    def test_html_has_the_section_too(self):
        doc = self.doc
        page = report.html_doc(doc, report.claims(doc), report.workload_tables(doc), [])
        self.assertIn(f"<h2>{report.SPACE_TIME}</h2>", page)
        self.assertIn("<th>lower-bound overhead</th>", page)
        self.assertIn("<li>binary_trees (depth 10): gc never comes within 10%", page)


class Files(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="memstrat-report-")
        self.results = os.path.join(self.dir, "results.json")
        shutil.copy(FIXTURE, self.results)

    def tearDown(self):
        shutil.rmtree(self.dir)

    def test_writes_markdown_and_html_linking_the_charts(self):
        proc = run_script("report", self.results)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(os.path.join(self.dir, "report.md"), encoding="utf-8") as f:
            md = f.read()
        with open(os.path.join(self.dir, "report.html"), encoding="utf-8") as f:
            page = f.read()
        self.assertIn("## Claims", md)
        self.assertIn("![Summary", md)
        self.assertIn("binary_trees (depth 10)", md)
        self.assertIn("src='charts/summary.png'", page)
        self.assertNotIn("base64", page)
        self.assertTrue(os.path.exists(os.path.join(self.dir, "charts", "summary.png")))

    def test_a_curve_document_gets_its_figure_in_the_section(self):
        with open(self.results, "w", encoding="utf-8") as f:
            json.dump(curves.curve_document(), f)
        proc = run_script("report", self.results)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(os.path.join(self.dir, "report.md"), encoding="utf-8") as f:
            md = f.read()
        with open(os.path.join(self.dir, "report.html"), encoding="utf-8") as f:
            page = f.read()
        text = sections(md)[report.SPACE_TIME]
        self.assertIn("![Time against footprint](charts/curve.png)", text)
        self.assertNotIn("curve", sections(md)["Charts"])
        self.assertIn("<img alt='Time against footprint' src='charts/curve.png'>", page)

    def test_context_names_the_rounds_and_the_noise_floor(self):
        with open(self.results, encoding="utf-8") as f:
            doc = json.load(f)
        doc["context"]["settings"]["rounds"] = 3
        doc["context"]["noise_floor"] = {
            "calibration/memory": {"median_ns": 1e7, "cv": 0.0125, "repetitions": 3},
            "calibration/compute": {"median_ns": 1e6, "cv": 0.002, "repetitions": 3}}
        with open(self.results, "w", encoding="utf-8") as f:
            json.dump(doc, f)
        proc = run_script("report", self.results, "--no-charts")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(os.path.join(self.dir, "report.md"), encoding="utf-8") as f:
            md = f.read()
        self.assertIn("over 3 interleaved rounds", md)
        self.assertIn("**Noise floor**", md)
        self.assertIn("compute 0.2%, memory 1.2%", md)

    def test_bad_input(self):
        empty = os.path.join(self.dir, "empty.json")
        open(empty, "w").close()
        for path in (empty, os.path.join(self.dir, "missing.json")):
            proc = run_script("report", path, "--no-charts")
            self.assertEqual(proc.returncode, 2)
            self.assertEqual(len(error_lines(proc.stderr)), 1, proc.stderr)
            self.assertNotIn("Traceback", proc.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "report.md")))


if __name__ == "__main__":
    unittest.main()


def with_build(doc, strategy, build, factor):
    """doc with copies of strategy's records as a build variant (the
    strategy compiled by another compiler), times multiplied by factor."""
    doc = copy.deepcopy(doc)
    for r in [r for r in doc["records"] if r["strategy"] == strategy and not r.get("variant")]:
        r = copy.deepcopy(r)
        r["variant"] = {"name": build, "label": f"built with {build}", "kind": "build",
                        "flags": []}
        for run in r["timing"]["runs"]:
            run["real_time"] *= factor
        doc["records"].append(r)
    doc["summary"]["records"] = len(doc["records"])
    return doc


class OwnershipSection(unittest.TestCase):
    """The claims on raii are evaluated again on rust-box, its declared
    counterpart's real subject; disagreements are named with both figures."""

    def doc(self, box_factor):
        doc = tight(load_fixture())
        doc = with_strategy(doc, "rust-box", "raii", box_factor, family="Rust",
                            counterpart="raii")
        doc = with_strategy(doc, "rust-arena", "arena", 1.0, family="Rust",
                            counterpart="arena")
        return with_build(doc, "raii", "clang-14", 1.0)

    def test_absent_without_a_declared_counterpart(self):
        self.assertEqual(report.ownership_blocks(tight(load_fixture())), [])

    def test_agreeing_subject(self):
        blocks = report.ownership_blocks(self.doc(1.0))
        tables = [b for b in blocks if b[0] == "table"]
        claims_rows = tables[0][2]
        time_row = next(r for r in claims_rows
                        if r[0] == "Ownership costs no run time over manual management.")
        self.assertEqual(time_row[3], "yes")
        self.assertFalse([b for b in blocks if b[0] == "li" and "rust-box" in b[1]])

    def test_disagreeing_subject_is_named_with_both_figures(self):
        blocks = report.ownership_blocks(self.doc(1.5))
        time_row = next(r for r in blocks[2][2]
                        if r[0] == "Ownership costs no run time over manual management.")
        self.assertEqual(time_row[3], "no")
        self.assertIn("1.50x", time_row[2])
        said = [b[1] for b in blocks if b[0] == "li"]
        self.assertTrue(any("raii and rust-box disagree" in s and "1.50x" in s
                            for s in said), said)

    def test_per_workload_ratios_and_same_backend(self):
        blocks = report.ownership_blocks(self.doc(1.5))
        per_workload = next(b for i, b in enumerate(blocks)
                            if b[0] == "table" and blocks[i - 1] == ("h3", "Per workload"))
        header, rows = per_workload[1], per_workload[2]
        self.assertIn("rust-box/raii [clang-14]", header)
        col = header.index("rust-box/raii")
        self.assertTrue(rows and all(r[col] == "1.50x" for r in rows), rows)
        within = blocks[-1]
        self.assertIn("rust-box/rust-arena vs raii/arena", within[1])

    def test_in_both_reports(self):
        doc = self.doc(1.5)
        md = report.markdown(doc, report.claims(doc), report.workload_tables(doc), [])
        self.assertIn("## Ownership on its real subject", md)
        page = report.html_doc(doc, report.claims(doc), report.workload_tables(doc), [])
        self.assertIn("Ownership on its real subject", page)
