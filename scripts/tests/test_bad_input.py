"""Every script that reads results documents (plot, report, compare) refuses
every kind of bad file with one line and exit code 2, never a traceback,
and writes nothing; the runner records a crashing benchmark as failed and
goes on; the CI workflow is valid YAML that runs the README's commands."""

import json
import os
import shutil
import stat
import tempfile
import unittest

from support import FIXTURES, ROOT, BUILD, error_lines, run_script

from memstrat import results

FIXTURE = os.path.join(FIXTURES, "small-results.json")


def bad_documents(directory):
    """{kind: path} of the bad inputs every script must refuse."""
    with open(FIXTURE, encoding="utf-8") as f:
        text = f.read()
    doc = json.loads(text)
    docs = {
        "empty": "",
        "truncated": text[: len(text) // 3],
        "malformed": text.replace(":", "::", 1),
        "nan": text.replace('"wall_ns": ', '"wall_ns": NaN, "w": ', 1),
        "wrong_version": json.dumps(dict(doc, schema_version=1)),
        "wrong_schema": json.dumps(dict(doc, records=[{"name": 1}])),
        "not_results": json.dumps({"benchmarks": []}),
        "binary": "\x00\xff\xfe garbage",
    }
    paths = {}
    for kind, content in docs.items():
        paths[kind] = os.path.join(directory, kind + ".json")
        with open(paths[kind], "w", encoding="utf-8", errors="surrogateescape") as f:
            f.write(content)
    paths["missing"] = os.path.join(directory, "missing.json")
    return paths


class EveryScriptRefusesBadFiles(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="memstrat-bad-")
        self.bad = bad_documents(self.dir)

    def tearDown(self):
        shutil.rmtree(self.dir)

    def check(self, script, *args):
        proc = run_script(script, *args)
        self.assertEqual(proc.returncode, 2, f"{script} {args}: {proc.stderr}")
        self.assertEqual(len(error_lines(proc.stderr)), 1, proc.stderr)
        self.assertNotIn("Traceback", proc.stderr)

    def test_matrix(self):
        for kind, path in self.bad.items():
            with self.subTest(kind=kind):
                self.check("plot", path, "--out", os.path.join(self.dir, "charts"))
                self.check("report", path, "--no-charts")
                self.check("compare", FIXTURE, path)
                self.check("compare", path, FIXTURE)
        written = set(os.listdir(self.dir)) - {os.path.basename(p) for p in self.bad.values()}
        self.assertEqual(written, set(), "nothing is written for bad input")

    def test_loader_names_each_problem(self):
        for kind, path in self.bad.items():
            with self.assertRaises(results.ResultsError, msg=kind):
                results.load(path)


class RunnerSurvivesACrash(unittest.TestCase):
    """A benchmark process that dies of SIGSEGV is recorded as failed with
    the signal's name, and the run goes on to the next one."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="memstrat-crash-")
        fake = os.path.join(self.dir, "build", "benchmarks")
        os.makedirs(fake)
        real = os.path.join(BUILD, "benchmarks")
        for tool in ("memstrat_bench_mimalloc", "memstrat_results"):
            os.symlink(os.path.join(real, tool), os.path.join(fake, tool))
        os.symlink(os.path.join(BUILD, "allocators.json"),
                   os.path.join(self.dir, "build", "allocators.json"))
        # memstrat_bench that crashes on the raii benchmark's timing run.
        wrapper = os.path.join(fake, "memstrat_bench")
        with open(wrapper, "w", encoding="utf-8") as f:
            f.write("#!/bin/sh\ncase \"$*\" in *filter=*raii*) kill -SEGV $$;; esac\n"
                    f"exec {os.path.join(real, 'memstrat_bench')} \"$@\"\n")
        os.chmod(wrapper, os.stat(wrapper).st_mode | stat.S_IEXEC)
        self.build = os.path.join(self.dir, "build")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def test_crash_is_recorded(self):
        out = os.path.join(self.dir, "out")
        proc = run_script("run", "--build-dir", self.build, "--profile", "quick",
                          "--workloads", "binary_trees", "--strategies", "manual,raii",
                          "--allocators", "glibc", "--out", out)
        self.assertEqual(proc.returncode, 1, proc.stderr)
        doc = results.load(os.path.join(out, "results.json"))
        status = {r["strategy"]: r for r in doc["records"]}
        self.assertEqual(status["manual"]["status"], "ok")
        self.assertEqual(status["raii"]["status"], "failed")
        self.assertEqual(status["raii"]["failure"]["phase"], "timing")
        self.assertIn("SIGSEGV", status["raii"]["failure"]["reason"])


class Workflow(unittest.TestCase):
    def test_is_valid_and_runs_the_readme_commands(self):
        try:
            import yaml  # Debian's python3-yaml
        except ImportError:
            self.skipTest("python3-yaml not installed")
        path = os.path.join(ROOT, ".github", "workflows", "ci.yml")
        with open(path, encoding="utf-8") as f:
            wf = yaml.safe_load(f)
        self.assertIn("jobs", wf)
        steps = [s for job in wf["jobs"].values() for s in job["steps"]]
        commands = " ".join(s.get("run", "") for s in steps)
        self.assertIn("./scripts/test", commands)
        self.assertIn("./scripts/bench", commands)
        self.assertIn("scripts/compare", commands)
        for job in wf["jobs"].values():
            self.assertIn("runs-on", job)
            for s in job["steps"]:
                self.assertTrue("run" in s or "uses" in s, s)
        with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
            readme = f.read()
        self.assertIn("./scripts/test", readme)
        self.assertIn("./scripts/bench", readme)


if __name__ == "__main__":
    unittest.main()
