"""What the runner gives a port of collectors (issue 14, the Java port's
contract), with the fake port in its collector modes (fixtures/
fake_port.py): heap units bisected with the port's own binary and shared
by a unit_group, default_selected, the full profile, exit code 4 recorded
as not_applicable (kept on resume, no failure for the run or compare), a
JVM's per-process warm-up counters in the timing, and the Debian package
the README commands install for a port declared in cmake/Ports.cmake."""

import json
import os
import shutil
import subprocess
import tempfile
import unittest

from support import FIXTURES, ROOT, run_script
from test_ports import fake_build, port_entry

from memstrat import results, runner

MIB = 1 << 20
BOX, RC = "fake-box", "fake-rc"


def declaration(name, group="g", default_selected=None):
    d = {"name": name, "heap": {"cap_flag": "--cap", "presize_flag": None,
                                "flag_unit_bytes": 1024, "granularity_bytes": 1024,
                                "unit_group": group}}
    if default_selected is not None:
        d["default_selected"] = default_selected
    return d


def bench(workload, strategy, depth=10):
    return {"name": f"{workload}/{strategy}/depth:{depth}", "workload": workload,
            "strategy": strategy, "params": {"depth": depth}}


class Selection(unittest.TestCase):
    """default_selected and the full profile, without running anything."""

    def test_default_selected_false_is_left_out_but_in_full(self):
        listed = [bench("w", s) for s in ("manual", "j-serial", "j-zgc", "j-g1")]
        declared = [{"name": "manual"}, declaration("j-serial", default_selected=True),
                    declaration("j-zgc", default_selected=False), declaration("j-g1")]
        for profile in ("quick", "default", "curve", "curve-quick"):
            self.assertEqual(runner.default_strategies(listed, declared, profile),
                             ["manual", "j-serial", "j-g1"], profile)
        self.assertEqual(runner.default_strategies(listed, declared, "full"),
                         ["manual", "j-serial", "j-zgc", "j-g1"])

    def test_the_full_profile_runs_every_variant_on_the_default_allocators(self):
        full = runner.PROFILES["full"]
        self.assertEqual(full["size"], "default")
        self.assertTrue(full["variants"])
        self.assertEqual(full["variants_on"], "baseline")
        self.assertEqual(full["builds"], runner.PROFILES["default"]["builds"])
        declared = [{"name": "glibc", "default": True}, {"name": "mimalloc", "default": True},
                    {"name": "jemalloc", "default": False}]
        # Plain records on the default allocators (the curve profiles: the
        # baseline alone), variants on the baseline only.
        self.assertEqual(runner.select_allocators(None, declared, False),
                         ["glibc", "mimalloc"])
        base = [(bench("w", "gc"), "glibc"), (bench("w", "gc"), "mimalloc")]
        self.assertEqual([a for _, a in runner.varied(base, full, "glibc")], ["glibc"])
        self.assertEqual(len(runner.varied(base, runner.PROFILES["curve"], "glibc")), 2)
        matrix, _ = runner.expand_matrix(
            base, [{"name": "gc", "variants": [{"name": "one", "label": "one",
                                                "flags": ["--one"]}]}],
            [2.0], {}, {}, runner.varied(base, full, "glibc"))
        self.assertEqual([(a, v and v["name"]) for _, a, v in matrix],
                         [("glibc", None), ("glibc", "one"), ("mimalloc", None)])
        # The curve flags are the full profile's too.
        args = runner.parse_args(["--profile", "full", "--heap-multiples", "2"])
        runner.check_args(args)


class UnitGroups(unittest.TestCase):
    def test_one_bisection_per_group_and_benchmark_with_its_first_declared(self):
        declared = [declaration("j-serial"), declaration("j-g1"), declaration("j-zgc"),
                    declaration("other", group=None)]
        declared[3]["heap"].pop("unit_group")
        todo = [(bench("w", s, d), a) for s in ("j-zgc", "j-g1", "other")
                for d in (10, 12) for a in ("glibc",)]
        found = runner.unit_groups(todo, declared)
        shape = sorted((b["strategy"], b["params"]["depth"],
                        [m["strategy"] for m, _ in members]) for (b, _), members in found)
        # j-serial is not selected: the first selected of the group, j-g1,
        # is bisected, once per depth; `other` alone.
        self.assertEqual(shape, [("j-g1", 10, ["j-g1", "j-zgc"]),
                                 ("j-g1", 12, ["j-g1", "j-zgc"]),
                                 ("other", 10, ["other"]), ("other", 12, ["other"])])

    def test_a_members_entry_points_at_the_shared_bisection(self):
        entry = {"workload": "w", "params": {"depth": 10}, "strategy": "j-g1",
                 "allocator": "glibc", "status": "ok", "unit_bytes": 5 * MIB}
        shared = runner.shared_unit(runner.shared_unit(entry, bench("w", "j-g1"), "g"),
                                    bench("w", "j-zgc"), "g")
        self.assertEqual((shared["strategy"], shared["unit_group"], shared["bisected_with"],
                          shared["unit_bytes"]), ("j-zgc", "g", "j-g1", 5 * MIB))
        doc = {"heap_units": [runner.shared_unit(entry, bench("w", "j-g1"), "g"), shared]}
        self.assertIs(results.heap_unit(doc, "w", {"depth": 10}, "j-zgc", "glibc"), shared)
        self.assertIsNone(results.heap_unit(doc, "w", {"depth": 12}, "j-zgc", "glibc"))
        self.assertEqual([u["strategy"] for u in results.bisections(doc)], ["j-g1"])


class NotApplicableReason(unittest.TestCase):
    def test_the_reason_is_the_programs_own(self):
        err = ("OpenJDK warning\nmemstrat_java: not applicable: Unrecognized VM option "
               "'UseShenandoahGC'\n")
        self.assertEqual(runner.not_applicable_reason(err),
                         "Unrecognized VM option 'UseShenandoahGC'")
        self.assertEqual(runner.not_applicable_reason("just this\n"), "just this")

    def test_the_schema_takes_the_status_and_no_other(self):
        with open(os.path.join(FIXTURES, "small-results.json"), encoding="utf-8") as f:
            doc = json.load(f)
        record = doc["records"][0]
        record.update(status="not_applicable", timing=None, probe=None, probe_rounds=[],
                      failure={"phase": "timing", "reason": "Too small maximum heap"})
        doc["summary"]["not_applicable"] = 1
        results.check(doc)
        record["status"] = "inapplicable"
        with self.assertRaises(results.ResultsError):
            results.check(doc)


class Runs(unittest.TestCase):
    """scripts/run with the fake port in its collector modes."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="memstrat-collector-test-")
        self.out = os.path.join(self.dir, "out")
        self.build = fake_build(os.path.join(self.dir, "build"), port_entry())

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def run_with(self, mode, *extra, out=None):
        return run_script("run", "--build-dir", self.build, "--workloads", "binary_trees",
                          "--ports", "all", "--out", out or self.out, *extra,
                          env=dict(os.environ, FAKE_PORT_MODE=mode))

    def document(self, out=None):
        return results.load(os.path.join(out or self.out, "results.json"))

    def test_quick_leaves_default_selected_false_out_and_keeps_the_jvm_counters(self):
        proc = self.run_with("collector", "--profile", "quick", "--repetitions", "2",
                             "--rounds", "2")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        doc = self.document()
        strategies = {r["strategy"] for r in doc["records"]}
        self.assertIn(BOX, strategies)
        self.assertIn("manual", strategies)
        self.assertNotIn(RC, strategies)  # default_selected false
        box = next(r for r in doc["records"] if r["strategy"] == BOX)
        timing = box["timing"]
        self.assertEqual([(p["round"], p["repetitions"], p["steady"])
                          for p in timing["processes"]], [(0, 1, True), (1, 1, True)])
        self.assertEqual(timing["processes"][0]["first_iteration_ns"], 9e6)
        self.assertEqual(timing["steady_state"], "steady")
        median = timing["aggregates"]["median"]
        for counter in ("gc_cpu_ns", "jit_cpu_ns", "process_cpu_ns", "heap_max_bytes",
                        "warmup_ns"):
            self.assertIn(counter, median)
        self.assertNotIn("allocations", median)
        self.assertNotIn("allocations_per_iteration", box["probe"]["counts"])
        self.assertEqual(box["probe"]["gc"]["cpu_ns"], 200000)
        manual = next(r for r in doc["records"] if r["strategy"] == "manual")
        self.assertNotIn("processes", manual["timing"])
        path = os.path.join(self.out, "results.json")
        compared = run_script("compare", path, path)
        self.assertEqual(compared.returncode, 0, compared.stderr)

        # Named, it runs; a process that never reached the steady rule says so.
        out = os.path.join(self.dir, "named")
        proc = self.run_with("collector", "--profile", "quick", "--repetitions", "1",
                             "--rounds", "1", "--strategies", f"manual,{RC}", out=out)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        rc = next(r for r in self.document(out)["records"] if r["strategy"] == RC)
        self.assertEqual(rc["timing"]["steady_state"], "no_steady_state")

    def test_a_unit_group_shares_one_bisection_made_with_the_ports_binary(self):
        proc = self.run_with("collector", "--profile", "curve-quick", "--strategies",
                             f"manual,{BOX},{RC}", "--heap-multiples", "1.25,1.5,2")
        # fake-rc needs 3 MiB: at 1.25 x fake-box's 2 MiB it fails, recorded.
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertIn(f"[heap unit 1/1] binary_trees/{BOX}/depth:10 on glibc: bisecting "
                      f"(unit group fake: {BOX}, {RC})", proc.stderr)
        doc = self.document()
        units = {u["strategy"]: u for u in doc["heap_units"]}
        self.assertEqual(sorted(units), [BOX, RC])
        for u in units.values():
            self.assertEqual((u["status"], u["unit_bytes"], u["unit_group"],
                              u["bisected_with"]), ("ok", 2 * MIB, "fake", BOX), u)
            # Bisected with the port's own program and its declared flags.
            self.assertIn("fake_port.py", u["command"])
            self.assertNotIn("memstrat_bench", u["command"])
            self.assertIn("--fake_max_heap_kib={heap_kib}", u["command"])
            self.assertIn("--fake_initial_heap_kib={heap_kib}", u["command"])
        self.assertEqual(units[RC]["probes"], units[BOX]["probes"])
        self.assertEqual(len(results.bisections(doc)), 1)
        by = {(r["strategy"], results.variant_name(r)): r for r in doc["records"]}
        self.assertEqual(by[(RC, "heap_1.25x")]["status"], "failed")
        self.assertIn("out of memory", by[(RC, "heap_1.25x")]["failure"]["reason"])
        for multiple, kib in (("1.5", 3072), ("2", 4096)):
            r = by[(RC, f"heap_{multiple}x")]
            self.assertEqual(r["status"], "ok", r["failure"])
            self.assertEqual(r["variant"]["flags"], [f"--fake_max_heap_kib={kib}",
                                                     f"--fake_initial_heap_kib={kib}"])
        for name in ("heap_1.25x", "heap_1.5x", "heap_2x", "cpus_1"):
            self.assertEqual(by[(BOX, name)]["status"], "ok", name)
        self.assertEqual(by[(BOX, "cpus_1")]["variant"]["flags"], ["--fake_cpus=1"])
        self.assertNotIn((RC, "cpus_1"), by)  # fake-box's variant only
        self.assertEqual(doc["summary"]["failed"], 1)

    def test_exit_4_is_not_applicable_not_failed_and_stays_so_on_resume(self):
        proc = self.run_with("not_applicable", "--profile", "curve-quick", "--strategies",
                             f"manual,{BOX},{RC}", "--heap-multiples", "1.25")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        doc = self.document()
        # In the bisection a refused size is a failure at that size.
        unit = results.heap_unit(doc, "binary_trees", {"depth": 10}, BOX, "glibc")
        self.assertEqual(unit["unit_bytes"], 2 * MIB)
        refused = [p for p in unit["probes"] if p["heap_bytes"] < 2 * MIB]
        self.assertTrue(refused)
        for p in refused:
            self.assertIn("exit code 4: not applicable: Too small maximum heap",
                          p["reason"])
        moot = results.not_applicable_records(doc)
        self.assertEqual(sorted(results.variant_name(r) or "" for r in moot),
                         ["", "heap_1.25x"])
        for r in moot:
            self.assertEqual(r["strategy"], RC)
            self.assertEqual(r["failure"], {"phase": "timing",
                                            "reason": "Unrecognized VM option "
                                                      "'UseFakeRcGC'"})
            self.assertIsNone(r["timing"])
        self.assertEqual((doc["summary"]["failed"], doc["summary"]["not_applicable"]),
                         (0, 2))
        self.assertIn("2 not applicable", proc.stderr)
        path = os.path.join(self.out, "results.json")
        compared = run_script("compare", path, path)
        self.assertEqual(compared.returncode, 0, compared.stderr)

        cells = os.path.join(self.out, "cells")
        failed_cells = sorted(c for c in os.listdir(cells) if c.startswith("failed-"))
        self.assertEqual(len(failed_cells), 2)
        kept = {c: os.stat(os.path.join(cells, c)).st_mtime_ns for c in failed_cells}
        resumed = run_script("run", "--build-dir", self.build, "--ports", "all",
                             "--resume", self.out,
                             env=dict(os.environ, FAKE_PORT_MODE="not_applicable"))
        self.assertEqual(resumed.returncode, 0, resumed.stderr)
        self.assertIn("not applicable, found in an earlier round", resumed.stderr)
        for c, mtime in kept.items():
            self.assertEqual(os.stat(os.path.join(cells, c)).st_mtime_ns, mtime, c)
        again = self.document()
        self.assertEqual(len(results.not_applicable_records(again)), 2)
        self.assertEqual(again["summary"]["failed"], 0)


class Packages(unittest.TestCase):
    """The README commands install every package cmake/Ports.cmake names:
    scripts/lib/common.sh reads the memstrat_port lines."""

    def packages(self, ports_cmake):
        with tempfile.TemporaryDirectory() as d:
            os.makedirs(os.path.join(d, "scripts", "lib"))
            os.makedirs(os.path.join(d, "cmake"))
            shutil.copy(os.path.join(ROOT, "scripts", "lib", "common.sh"),
                        os.path.join(d, "scripts", "lib"))
            shutil.copy(os.path.join(ROOT, "cmake", "Allocators.cmake"),
                        os.path.join(d, "cmake"))
            with open(os.path.join(d, "cmake", "Ports.cmake"), "w", encoding="utf-8") as f:
                f.write(ports_cmake)
            out = subprocess.run(
                ["bash", "-c", 'source scripts/lib/common.sh && '
                               'printf "%s\\n" "${MEMSTRAT_PACKAGES[@]}"'],
                cwd=d, capture_output=True, text=True, check=True)
            return out.stdout.split()

    def test_the_java_ports_line_installs_its_jdk(self):
        with open(os.path.join(ROOT, "cmake", "Ports.cmake"), encoding="utf-8") as f:
            real = f.read()
        java = ("memstrat_port(java Java glibc benchmarks/ports/java memstrat_java "
                "PACKAGES openjdk-17-jdk-headless PROGRAMS java javac jar)\n")
        # Before the file's closing lines, as a port's line goes.
        at = real.index("list(JOIN MEMSTRAT_PORT_ENTRIES")
        packages = self.packages(real[:at] + java + real[at:])
        self.assertIn("openjdk-17-jdk-headless", packages)
        self.assertIn("rustc", packages)
        self.assertIn("cargo", packages)
        self.assertNotIn("java", packages)  # a program, not a package
        # The real file's ports, whatever they are, all come through.
        real_packages = self.packages(real)
        self.assertTrue({"rustc", "cargo"} <= set(real_packages))


if __name__ == "__main__":
    unittest.main()
