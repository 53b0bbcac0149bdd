"""Language ports (issue 13) with a fake port that speaks the protocol
(fixtures/fake_port.py): the runner drives it like the C++ binary (its
records on its allocator, family from its declarations, parity with the
C++ records checked), skips it with one line when its toolchain is
missing, refuses it in one line when its listing is not the protocol's,
records its crash; scripts/compare exits 3 on a parity failure; the
cross-language parity test (scripts/port_parity) passes an agreeing port
and fails a disagreeing one naming benchmark and field."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

from support import BUILD, FIXTURES, error_lines, run_script

from memstrat import builds, compare, parity, ports, report, results
from memstrat.cli import UsageError

FAKE_PORT = os.path.join(FIXTURES, "fake_port.py")
VECTORS = os.path.join(os.path.dirname(FIXTURES), "..", "..", "benchmarks", "workloads",
                       "test_vectors.json")


def port_entry(**changes):
    entry = {"name": "fake", "language": "Rust", "binary": FAKE_PORT,
             "packages": ["rustc", "cargo"], "allocator": "glibc", "available": True,
             "missing": None}
    entry.update(changes)
    return entry


def fake_build(directory, port):
    """A build directory of the real build's glibc binary and memstrat_results,
    with one port: `port` as its ports.json entry."""
    os.makedirs(os.path.join(directory, "benchmarks"))
    with open(os.path.join(directory, "allocators.json"), "w", encoding="utf-8") as f:
        json.dump({"format": 1, "allocators": [
            {"name": "glibc", "binary": "benchmarks/memstrat_bench", "package": "libc6",
             "default": True, "system": True}]}, f)
    with open(os.path.join(directory, "ports.json"), "w", encoding="utf-8") as f:
        json.dump({"format": 1, "ports": [port]}, f)
    for tool in ("memstrat_bench", "memstrat_results"):
        os.symlink(os.path.join(BUILD, "benchmarks", tool),
                   os.path.join(directory, "benchmarks", tool))
    return directory


class Selection(unittest.TestCase):
    def test_names_all_and_none(self):
        declared = [port_entry(), port_entry(name="other")]
        self.assertEqual(ports.select_ports(None, declared), ["fake", "other"])
        self.assertEqual(ports.select_ports("all", declared), ["fake", "other"])
        self.assertEqual(ports.select_ports("none", declared), [])
        self.assertEqual(ports.select_ports("other", declared), ["other"])
        with self.assertRaisesRegex(UsageError, "unknown port 'java'; choose from fake, "
                                                "other, all, none"):
            ports.select_ports("java", declared)
        with self.assertRaisesRegex(UsageError, "stands alone"):
            ports.select_ports("fake,none", declared)

    def test_a_build_without_ports_json_has_none(self):
        with tempfile.TemporaryDirectory() as d:
            self.assertEqual(ports.load_ports(d), [])
            with open(os.path.join(d, "ports.json"), "w", encoding="utf-8") as f:
                json.dump({"format": 7}, f)
            with self.assertRaisesRegex(UsageError, "not a port list"):
                ports.load_ports(d)


class RunParity(unittest.TestCase):
    """ports.parity_failures: a port record against the C++ ones of its work."""

    def probe(self, checksum, objects=None):
        counts = {} if objects is None else {"objects_per_iteration": objects}
        return {"checksum": f"0x{checksum:016x}", "counts": counts}

    def test_checksum_always_objects_where_both_have_them(self):
        w, v = ("binary_trees", (("depth", 10),)), ("list_churn", ())
        entries = [("cpp", w, False, self.probe(5)), ("ok", w, True, self.probe(5, 9)),
                   ("bad", w, True, self.probe(6)),
                   ("cppv", v, False, self.probe(1, 3)),
                   ("objects", v, True, self.probe(1, 4)),
                   ("alone", ("lru_cache", ()), True, self.probe(1))]
        failed, checked, alone = ports.parity_failures(entries)
        self.assertEqual(set(failed), {"bad", "objects"})
        self.assertEqual(failed["bad"], "checksum 0x0000000000000006 differs from C++ "
                                        "(0x0000000000000005)")
        self.assertEqual(failed["objects"], "objects_per_iteration 4 differs from C++ (3)")
        self.assertEqual((checked, alone), (3, 1))


class ParityTest(unittest.TestCase):
    """scripts/port_parity: the port's --check against the C++ test vectors."""

    def vectors(self):
        with open(VECTORS, encoding="utf-8") as f:
            return json.load(f)["workload_checksums"]

    def check(self, mode="agree"):
        out = subprocess.run([sys.executable, FAKE_PORT, "--check", "--size=small"],
                             capture_output=True, text=True, check=True,
                             env=dict(os.environ, FAKE_PORT_MODE=mode))
        return json.loads(out.stdout)

    def test_an_agreeing_port_passes_and_says_what_it_did_not_compare(self):
        vectors = {w: {k: v for k, v in e.items() if k != "objects"}
                   for w, e in self.vectors().items()}
        problems, notes = parity.compare(vectors, self.check(), "fake")
        self.assertEqual(problems, [])
        self.assertEqual(len(notes), 1)
        self.assertIn("objects not compared for binary_trees", notes[0])

    def test_each_field_that_differs_is_named(self):
        for mode, field in (("disagree", "checksum"), ("units", "units"),
                            ("objects", "objects")):
            checked = self.check(mode)
            problems, _ = parity.compare(self.vectors(), checked, "fake")
            # Both strategies of the one workload the mode spoils.
            self.assertEqual(len(problems), 2, (mode, problems))
            for p in problems:
                self.assertIn(f": {field} ", p)
                self.assertIn("differs from C++", p)
        problems, _ = parity.compare(self.vectors(), self.check("disagree"), "fake")
        self.assertTrue(problems[0].startswith(
            "binary_trees/fake-box/depth:10: checksum 0x7e43fe3ac1c1623f differs from "
            "C++ (0x7e43fe3ac1c1623e)"), problems[0])

    def test_a_missing_workload_fails(self):
        checked = [b for b in self.check() if b["workload"] != "lru_cache"]
        problems, _ = parity.compare(self.vectors(), checked, "fake")
        self.assertIn("fake: strategy fake-box has no benchmark of workload lru_cache",
                      problems)

    def test_a_not_applicable_entry_covers_its_workload_with_a_note(self):
        checked = self.check("check_not_applicable")
        na = [b for b in checked if "not_applicable" in b]
        self.assertEqual({b["workload"] for b in na}, {"producer_consumer"})
        self.assertTrue(all("checksum" not in b for b in na))
        problems, notes = parity.compare(self.vectors(), checked, "fake")
        self.assertEqual(problems, [])
        for b in na:
            self.assertIn(f"{b['name']}: not applicable: {b['not_applicable']}", notes)

    def test_an_entry_with_neither_fields_nor_a_reason_fails(self):
        checked = self.check("check_not_applicable")
        for spoil, expected in (
                (lambda b: b.pop("not_applicable"), "checksum missing from the port's "
                                                    "--check"),
                (lambda b: b.update(not_applicable=""), "not_applicable without a reason"),
                (lambda b: b.update(not_applicable=None), "not_applicable without a reason"),
                (lambda b: b.update(checksum="0x0"), "but carries checksum")):
            entries = [dict(b) for b in checked]
            victim = next(b for b in entries if "not_applicable" in b)
            spoil(victim)
            problems, _ = parity.compare(self.vectors(), entries, "fake")
            self.assertTrue(problems, expected)
            self.assertIn(expected, problems[0])
            self.assertTrue(problems[0].startswith(victim["name"]), problems[0])

    def script(self, mode):
        vectors = os.path.join(BUILD, "benchmarks", "memstrat_test_vectors")
        return run_script("port_parity", "--port", "fake", "--binary", FAKE_PORT,
                          "--test-vectors", vectors,
                          env=dict(os.environ, FAKE_PORT_MODE=mode))

    def test_the_script_against_this_build(self):
        proc = self.script("agree")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("all 20 benchmarks agree with C++", proc.stdout)
        proc = self.script("disagree")
        self.assertEqual(proc.returncode, 1, proc.stderr)
        lines = error_lines(proc.stderr)
        self.assertEqual(len(lines), 2, proc.stderr)
        self.assertIn("binary_trees/fake-box/depth:10: checksum", lines[0])
        proc = self.script("junk_benchmarks")  # --check still fine: passes
        self.assertEqual(proc.returncode, 0, proc.stderr)
        proc = self.script("check_not_applicable")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("all 18 benchmarks agree with C++ (checksum, units, objects); 2 not "
                      "applicable", proc.stdout)
        self.assertIn("producer_consumer/fake-box/", proc.stdout)
        self.assertIn("not applicable: producer_consumer hands objects", proc.stdout)


class Runs(unittest.TestCase):
    """scripts/run with the fake port beside the real C++ binary."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="memstrat-ports-test-")
        self.out = os.path.join(self.dir, "out")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def run_with(self, port, mode="agree", *extra):
        build = fake_build(os.path.join(self.dir, "build"), port)
        if "--ports" not in extra:
            extra = ("--ports", "all") + extra
        return run_script("run", "--build-dir", build, "--profile", "quick",
                          "--workloads", "binary_trees", "--repetitions", "2", "--rounds",
                          "2", "--out", self.out, *extra,
                          env=dict(os.environ, FAKE_PORT_MODE=mode))

    def document(self):
        return results.load(os.path.join(self.out, "results.json"))

    def test_port_records_join_the_document(self):
        proc = self.run_with(port_entry(), "agree", "--strategies", "manual,fake-box")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        doc = self.document()
        by = {r["strategy"]: r for r in doc["records"]}
        self.assertEqual(sorted(by), ["fake-box", "manual"])
        fake = by["fake-box"]
        self.assertEqual((fake["status"], fake["allocator"]), ("ok", "glibc"))
        self.assertEqual(len(fake["timing"]["runs"]), 2)
        self.assertEqual(len(fake["probe_rounds"]), 2)
        self.assertEqual(fake["probe"]["checksum"], by["manual"]["probe"]["checksum"])
        declared = {d["name"]: d for d in doc["strategies"]}
        self.assertEqual(declared["fake-box"]["family"], "Rust")
        self.assertEqual(declared["fake-box"]["language"], "Rust")
        self.assertEqual(declared["manual"]["family"], "C++")
        self.assertEqual(doc["context"]["ports"],
                         [{"name": "fake", "language": "Rust", "status": "ran",
                           "reason": None, "toolchain": "fakec 1.0.0"}])
        self.assertIn("parity: 1 port records checked against C++, 0 differ", proc.stderr)
        # Shuffled rounds interleave the port's cells with the C++ ones.
        self.assertIn("[4/4] round 2/2", proc.stderr)
        compared = run_script("compare", os.path.join(self.out, "results.json"),
                              os.path.join(self.out, "results.json"))
        self.assertEqual(compared.returncode, 0, compared.stderr)

    def test_a_disagreeing_port_fails_parity_and_compare_exits_3(self):
        proc = self.run_with(port_entry(), "disagree", "--strategies", "manual,fake-box")
        self.assertEqual(proc.returncode, 1, proc.stderr)
        fake = next(r for r in self.document()["records"] if r["strategy"] == "fake-box")
        self.assertEqual(fake["status"], "failed")
        self.assertEqual(fake["failure"]["phase"], "parity")
        self.assertRegex(fake["failure"]["reason"],
                         r"^checksum 0x7e43fe3ac1c1623f differs from C\+\+ "
                         r"\(0x7e43fe3ac1c1623e\)$")
        self.assertIsNotNone(fake["probe"])  # measured, kept
        doc = os.path.join(self.out, "results.json")
        compared = run_script("compare", doc, doc)
        self.assertEqual(compared.returncode, 3, compared.stderr)
        self.assertIn("fake-box/depth:10 on glibc: checksum", compared.stderr)

    def test_a_missing_toolchain_is_skipped_in_one_line(self):
        proc = self.run_with(port_entry(available=False,
                                        missing="apt-get install rustc cargo"),
                             "agree", "--strategies", "manual")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        skipped = [l for l in proc.stderr.splitlines() if "skipping port" in l]
        self.assertEqual(len(skipped), 1, proc.stderr)
        self.assertIn("apt-get install rustc cargo", skipped[0])
        doc = self.document()
        self.assertEqual([r["strategy"] for r in doc["records"]], ["manual"])
        self.assertEqual(doc["context"]["ports"][0]["status"], "skipped")
        self.assertIn("toolchain is missing", doc["context"]["ports"][0]["reason"])

    def test_an_unbuilt_binary_is_skipped_too(self):
        proc = self.run_with(port_entry(binary="no/such/port"), "agree",
                             "--strategies", "manual")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("is not built", self.document()["context"]["ports"][0]["reason"])

    def test_junk_listings_are_refused_in_one_line(self):
        for mode, says in (("junk_benchmarks", "--list_benchmarks --size=small printed "
                                               "no JSON"),
                           ("junk_strategies", "entry fake-rc has no \"colour\"")):
            proc = self.run_with(port_entry(), mode)
            self.assertEqual(proc.returncode, 2, proc.stderr)
            lines = error_lines(proc.stderr)
            self.assertEqual(len(lines), 1, proc.stderr)
            self.assertIn("port fake", lines[0])
            self.assertIn(says, lines[0])
            self.assertNotIn("Traceback", proc.stderr)
            self.assertFalse(os.path.exists(self.out))
            shutil.rmtree(os.path.join(self.dir, "build"))

    def test_a_crash_is_a_recorded_failure(self):
        proc = self.run_with(port_entry(), "crash", "--strategies", "manual,fake-rc")
        self.assertEqual(proc.returncode, 1, proc.stderr)
        by = {r["strategy"]: r for r in self.document()["records"]}
        self.assertEqual(by["manual"]["status"], "ok")
        self.assertEqual(by["fake-rc"]["failure"]["phase"], "timing")
        self.assertIn("killed by SIGSEGV", by["fake-rc"]["failure"]["reason"])

    def test_a_panic_in_the_probe_keeps_its_line(self):
        proc = self.run_with(port_entry(), "panic", "--strategies", "fake-box")
        self.assertEqual(proc.returncode, 1, proc.stderr)
        failure = self.document()["records"][0]["failure"]
        self.assertEqual(failure["phase"], "probe")
        self.assertIn("exit code 1: fake_port: error: panicked", failure["reason"])

    def test_ports_none_and_allocators_without_the_ports(self):
        proc = self.run_with(port_entry(), "agree", "--strategies", "manual",
                             "--ports", "none")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(self.document()["context"]["ports"], [])
        shutil.rmtree(self.dir)
        os.makedirs(self.dir)
        proc = self.run_with(port_entry(), "agree", "--ports", "fakeport")
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertIn("unknown port 'fakeport'", error_lines(proc.stderr)[0])


def document_with_a_port():
    """The small fixture with a Rust strategy beside the C++ ones: a copy of
    each manual record on glibc as rust-box, declared as a port declares it."""
    with open(os.path.join(FIXTURES, "small-results.json"), encoding="utf-8") as f:
        doc = json.load(f)
    doc["strategies"].append(dict(
        next(d for d in doc["strategies"] if d["name"] == "manual"), name="rust-box",
        family="Rust", language="Rust", toolchain="rustc 1.63.0", colour="#AA3377",
        baseline=False, summary="Box, Vec and String owners"))
    for r in [r for r in doc["records"] if r["strategy"] == "manual"
              and r["allocator"] == "glibc"]:
        copy = json.loads(json.dumps(r))
        copy["strategy"] = "rust-box"
        copy["name"] = r["name"].replace("/manual/", "/rust-box/")
        doc["records"].append(copy)
    doc["context"]["ports"] = [{"name": "rust", "language": "Rust", "status": "ran",
                                "reason": None, "toolchain": "rustc 1.63.0"}]
    return doc


class OtherBuilds(unittest.TestCase):
    """--builds: another build of the C++ suite runs the baseline and the
    C++ counterparts the port strategies declare, as build variants; a
    directory without a build is skipped in one line and said so."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="memstrat-builds-test-")
        self.out = os.path.join(self.dir, "out")
        build = fake_build(os.path.join(self.dir, "build"), port_entry())
        self.other = os.path.join(self.dir, "other")
        os.makedirs(os.path.join(self.other, "benchmarks"))
        os.symlink(os.path.join(BUILD, "benchmarks", "memstrat_bench"),
                   os.path.join(self.other, "benchmarks", "memstrat_bench"))
        with open(os.path.join(self.other, "build.json"), "w", encoding="utf-8") as f:
            json.dump({"format": 1, "name": "other-1", "compiler": "other 1.0"}, f)
        self.args = ("run", "--build-dir", build, "--profile", "quick", "--workloads",
                     "binary_trees", "--repetitions", "1", "--rounds", "1", "--ports",
                     "all", "--out", self.out)

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def test_a_jit_port_adds_no_counterpart_to_the_other_builds(self):
        decl = [{"name": "manual", "family": "C++", "baseline": True},
                {"name": "raii", "family": "C++"}, {"name": "gc", "family": "C++"},
                {"name": "x-box", "family": "X", "counterpart": "raii"},
                {"name": "x-gc", "family": "X", "counterpart": "gc",
                 "same_backend_build": False}]
        self.assertEqual(builds.strategies_for(decl), ["manual", "raii"])

    def test_the_counterparts_and_the_baseline_run_in_the_other_build(self):
        proc = run_script(*self.args, "--strategies", "manual,raii,arena,fake-box",
                          "--builds", f"{self.other},missing")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(len([l for l in proc.stderr.splitlines()
                              if "skipping the C++ build" in l]), 1, proc.stderr)
        doc = results.load(os.path.join(self.out, "results.json"))
        builds = sorted((r["strategy"], r["variant"]["name"]) for r in doc["records"]
                        if results.is_build(r))
        self.assertEqual(builds, [("manual", "other-1"), ("raii", "other-1")])
        self.assertTrue(all(r["status"] == "ok" for r in doc["records"]))
        ran = {b["name"]: b["status"] for b in doc["context"]["builds"]}
        self.assertEqual(ran, {"other-1": "ran", "missing": "skipped"})
        blocks = report.ownership_blocks(doc)
        header = next(b[1] for b in blocks if b[0] == "table" and "workload" in b[1])
        self.assertIn("fake-box/raii [other-1]", header)

    def test_no_build_runs_without_a_port_strategy(self):
        proc = run_script(*self.args, "--strategies", "manual,raii", "--builds", self.other)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        doc = results.load(os.path.join(self.out, "results.json"))
        self.assertFalse([r for r in doc["records"] if r.get("variant")])
        self.assertEqual(doc["context"]["builds"][0]["status"], "skipped")


class OtherFamilies(unittest.TestCase):
    """The schema, the report and the summary chart take a port's records."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="memstrat-ports-report-")
        self.path = os.path.join(self.dir, "results.json")
        with open(self.path, "w", encoding="utf-8") as f:
            json.dump(document_with_a_port(), f)

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def test_valid_and_reported(self):
        doc = results.load(self.path)
        cat = results.Catalogue(doc)
        self.assertEqual(cat.colour("rust-box"), "#AA3377")
        self.assertEqual(cat.strategies[-1], "rust-box")
        proc = run_script("report", self.path, "--no-charts")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(os.path.join(self.dir, "report.md"), encoding="utf-8") as f:
            self.assertIn("rust-box", f.read())
        # Allocation counts differ across families: not a parity problem.
        doc["records"][-1]["probe"]["counts"]["allocations_per_iteration"] += 7
        self.assertEqual(compare.parity_problems(doc, "doc"), [])
        doc["records"][-1]["probe"]["checksum"] = "0x0000000000000001"
        self.assertEqual(len(compare.parity_problems(doc, "doc")), 1)

    def test_the_summary_shows_the_port_against_manual(self):
        try:
            from memstrat import plot
        except ImportError:
            self.skipTest("this python3 has no matplotlib")
        data = plot.gather([(self.path, results.load(self.path))])
        self.assertEqual(data.baseline, ("manual", "glibc"))
        for per in plot.summary_values(data).values():
            self.assertIn("rust-box", per)
            self.assertAlmostEqual(per["rust-box"][0], 1.0)


class TheBuildsPorts(unittest.TestCase):
    """The real ports of this build, where they speak the whole protocol:
    one quick run of one workload beside the C++ baseline, and parity."""

    def test_each_available_port_runs_and_agrees(self):
        declared = [p for p in ports.load_ports(BUILD) if p["available"]]
        if not declared:
            self.skipTest("this build has no available port (ports.json)")
        for port in declared:
            binary = os.path.join(BUILD, port["binary"])
            asked = subprocess.run([binary, "--list_strategies"], capture_output=True,
                                   text=True, check=False)
            if asked.returncode != 0:
                self.skipTest(f"port {port['name']} does not list its strategies yet")
            strategies = [d["name"] for d in json.loads(asked.stdout)]
            with tempfile.TemporaryDirectory() as out:
                proc = run_script("run", "--build-dir", BUILD, "--profile", "quick",
                                  "--workloads", "binary_trees", "--allocators",
                                  port["allocator"], "--ports", port["name"],
                                  "--strategies", ",".join(["manual"] + strategies),
                                  "--repetitions", "1", "--rounds", "1",
                                  "--out", os.path.join(out, "r"))
                self.assertEqual(proc.returncode, 0, proc.stderr)
                doc = results.load(os.path.join(out, "r", "results.json"))
                self.assertEqual(sorted(r["strategy"] for r in doc["records"]),
                                 sorted(["manual"] + strategies))
                self.assertEqual({r["probe"]["checksum"] for r in doc["records"]},
                                 {doc["records"][0]["probe"]["checksum"]})


if __name__ == "__main__":
    unittest.main()
