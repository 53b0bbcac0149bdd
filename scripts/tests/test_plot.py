"""scripts/plot: every chart comes out of the small fixture as PNG and SVG;
the figures hold the fixture's own numbers, in fixed strategy colours;
failed records, a single allocator, several workloads or documents and a
missing baseline are handled; bad input gets one line and exit code 2,
never a traceback."""

import copy
import json
import math
import os
import shutil
import subprocess
import tempfile
import unittest

import curves
from support import FIXTURES, SCRIPTS, error_lines, run_script

from memstrat import results

try:
    from memstrat import plot
except ImportError:  # this python3 has no matplotlib; the script re-execs
    plot = None

FIXTURE = os.path.join(FIXTURES, "small-results.json")
with open(FIXTURE, encoding="utf-8") as _f:
    _DECLARED = json.load(_f)["strategies"]
# As the fixture declares them (memstrat_bench --list_strategies).
STRATEGIES = [d["name"] for d in _DECLARED]
RECLAIM = {d["name"]: d["reclaim_kind"] for d in _DECLARED}
COLOURS = {d["name"]: d["colour"] for d in _DECLARED}
MIB = 1024 * 1024
UNIT_MS = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}
CHARTS = ["time", "pauses", "pause_cdf", "mmu", "memory", "timeline_binary_trees", "summary"]

# Latency of a real quick run of request_server on glibc (scripts/run
# --profile quick --workloads request_server): count, total, p50, p90, p99,
# p99.9, max in ns. The fixture has no request-shaped workload.
LATENCY = {
    "manual": {"simple": [2000, 7050097, 1459, 2263, 2567, 4975, 4101693],
               "metered": [2000, 557413672, 1555, 2375, 4087807, 4104191, 4104897]},
    "raii": {"simple": [2000, 7831662, 1475, 2279, 2695, 27071, 4812678],
             "metered": [2000, 338045047, 1739, 7247, 4822136, 4822136, 4822136]},
    "gc": {"simple": [2000, 3652975, 1371, 2119, 2695, 121599, 138545],
           "metered": [2000, 11197121, 1419, 2359, 104703, 127743, 138545]},
    "arena": {"simple": [2000, 2226168, 1123, 1691, 1859, 2119, 5828],
              "metered": [2000, 2315429, 1147, 1715, 2019, 5551, 5828]},
}
SUMMARY_KEYS = ["count", "total_ns", "p50_ns", "p90_ns", "p99_ns", "p999_ns", "max_ns"]


def fixture():
    with open(FIXTURE, encoding="utf-8") as f:
        return json.load(f)


def renamed(doc, workload):
    """doc with every record moved to another workload name."""
    doc = copy.deepcopy(doc)
    for r in doc["records"]:
        r["name"] = workload + r["name"][len(r["workload"]):]
        r["workload"] = workload
    return doc


def with_latency(doc):
    """doc as request_server, its probes filled with LATENCY."""
    doc = renamed(doc, "request_server")
    for r in doc["records"]:
        # Strategies beyond the four measured here borrow manual's figures.
        lat = LATENCY.get(r["strategy"], LATENCY["manual"])
        r["probe"]["latency"] = {
            "requests": 2000, "requests_dropped": 0, "smoothing_window_ns": 100000000,
            "simple": dict(zip(SUMMARY_KEYS, lat["simple"])),
            **{mode: dict(zip(SUMMARY_KEYS, lat["metered"]))
               for mode in ("metered_100ms", "metered_full")}}
    return doc


def find(doc, strategy, allocator):
    return next(r for r in doc["records"]
                if r["strategy"] == strategy and r["allocator"] == allocator)


def median_ms(record):
    median = record["timing"]["aggregates"]["median"]
    return median["real_time"] * UNIT_MS[median["time_unit"]]


def bar_tops(ax):
    """{gid: top of the bar} for the bars of ax."""
    return {p.get_gid(): p.get_y() + p.get_height() for p in ax.patches if p.get_gid()}


def lines(ax):
    return {l.get_gid(): l for l in ax.get_lines() if l.get_gid()}


def legend_labels(fig, title):
    legend = next(lg for lg in fig.legends if lg.get_title().get_text() == title)
    return [t.get_text() for t in legend.get_texts()]


def all_text(fig):
    return "\n".join(t.get_text() for t in fig.texts)


class Script(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="memstrat-plot-test-")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def write(self, doc, name="results.json"):
        path = os.path.join(self.dir, name)
        with open(path, "w", encoding="utf-8") as f:
            json.dump(doc, f)
        return path

    def plot_ok(self, *paths, cwd=None):
        out = os.path.join(self.dir, "charts")
        proc = run_script("plot", *paths, "--out", out, cwd=cwd)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertNotIn("Traceback", proc.stderr)
        return out, proc

    def test_writes_every_chart_as_png_and_svg(self):
        out, proc = self.plot_ok(FIXTURE)
        expected = [os.path.join(out, f"{c}.{ext}") for c in CHARTS for ext in ("png", "svg")]
        self.assertEqual(proc.stdout.splitlines(), expected)
        for path in expected:
            with open(path, "rb") as f:
                head = f.read(4096)
            self.assertGreater(os.path.getsize(path), 1000, path)
            if path.endswith(".png"):
                self.assertTrue(head.startswith(b"\x89PNG\r\n\x1a\n"), path)
            else:
                self.assertIn(b"<svg", head, path)
        self.assertFalse(os.path.exists(os.path.join(out, "latency.png")))

    def test_same_document_gives_the_same_bytes(self):
        # Committed charts must be reproducible from the committed JSON:
        # no date, random id or run-dependent ordering may leak into a file.
        first, _ = self.plot_ok(FIXTURE)
        second = os.path.join(self.dir, "again")
        proc = run_script("plot", FIXTURE, "--out", second)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        names = sorted(os.listdir(first))
        self.assertEqual(names, sorted(os.listdir(second)))
        for name in names:
            with open(os.path.join(first, name), "rb") as a, \
                    open(os.path.join(second, name), "rb") as b:
                self.assertEqual(a.read(), b.read(), name)

    def test_default_output_is_charts_beside_the_document(self):
        run_dir = os.path.join(self.dir, "run")
        elsewhere = os.path.join(self.dir, "elsewhere")
        os.makedirs(run_dir)
        os.makedirs(elsewhere)
        doc = shutil.copy(FIXTURE, os.path.join(run_dir, "results.json"))
        proc = run_script("plot", doc, cwd=elsewhere)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertTrue(os.path.isfile(os.path.join(run_dir, "charts", "summary.svg")))
        self.assertEqual(os.listdir(elsewhere), [])

    def test_latency_chart_for_request_shaped_workloads(self):
        out, proc = self.plot_ok(self.write(with_latency(fixture())))
        self.assertIn(os.path.join(out, "latency.png"), proc.stdout.splitlines())
        self.assertIn(os.path.join(out, "timeline_request_server.svg"),
                      proc.stdout.splitlines())

    def test_failed_records_are_left_out_and_named(self):
        doc = fixture()
        r = find(doc, "gc", "mimalloc")
        r.update(status="failed", failure={"phase": "probe", "reason": "heap cap reached"},
                 timing=None, probe=None, probe_rounds=[])
        doc["summary"]["failed"] = 1
        out, _ = self.plot_ok(self.write(doc))
        with open(os.path.join(out, "time.svg"), encoding="utf-8") as f:
            svg = f.read()
        self.assertIn('id="gc/glibc"', svg)
        self.assertNotIn('id="gc/mimalloc"', svg)

    def test_missing_baseline_skips_the_relative_charts_with_a_note(self):
        doc = fixture()
        doc["records"] = [r for r in doc["records"]
                          if (r["strategy"], r["allocator"]) != ("manual", "glibc")]
        out, proc = self.plot_ok(self.write(doc))
        self.assertIn("time chart skipped", proc.stderr)
        self.assertIn("summary chart skipped", proc.stderr)
        written = [os.path.basename(p) for p in proc.stdout.splitlines()]
        self.assertNotIn("time.png", written)
        self.assertNotIn("summary.png", written)
        self.assertIn("memory.png", written)
        self.assertIn("pauses.png", written)

    def test_two_documents(self):
        other = fixture()
        other["context"]["date"] = "2026-12-01T09:30:00+00:00"
        out, proc = self.plot_ok(FIXTURE, self.write(other, "other.json"))
        self.assertIn(os.path.join(out, "timeline_binary_trees_run2.png"),
                      proc.stdout.splitlines())


class BadInput(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="memstrat-plot-test-")
        with open(FIXTURE, encoding="utf-8") as f:
            self.text = f.read()

    def tearDown(self):
        shutil.rmtree(self.dir)

    def write(self, text):
        path = os.path.join(self.dir, "r.json")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def assert_refused(self, *args, says, env=None):
        proc = run_script("plot", *args, env=env)
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertNotIn("Traceback", proc.stderr)
        self.assertEqual(len(proc.stderr.splitlines()), 1, proc.stderr)
        lines = error_lines(proc.stderr)
        self.assertEqual(len(lines), 1, proc.stderr)
        self.assertTrue(lines[0].startswith("scripts/plot: error: "), lines[0])
        self.assertIn(says, lines[0])
        self.assertEqual(proc.stdout, "")
        return proc

    def refused(self, text, says):
        self.assert_refused(self.write(text), "--out", os.path.join(self.dir, "c"), says=says)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "c")))

    def test_missing_file(self):
        self.assert_refused(os.path.join(self.dir, "nope.json"), says="cannot read")

    def test_empty(self):
        self.refused("", "is empty")

    def test_truncated(self):
        self.refused(self.text[: len(self.text) // 2], "is truncated")

    def test_malformed(self):
        self.refused("{\"kind\": \"memstrat-results\",, }", "not valid JSON")

    def test_wrong_schema_version(self):
        self.refused(json.dumps(dict(json.loads(self.text), schema_version=1)),
                     "schema version 1")

    def test_nan(self):
        self.refused(self.text.replace('"wall_ns": ', '"wall_ns": NaN, "x": ', 1), "NaN value")

    def test_schema_violation(self):
        doc = json.loads(self.text)
        del doc["records"][0]["probe"]["memory"]["peak_rss_bytes"]
        self.refused(json.dumps(doc), "does not match the results schema")

    def test_every_record_failed(self):
        doc = json.loads(self.text)
        for r in doc["records"]:
            r.update(status="failed", failure={"phase": "timing", "reason": "timeout"},
                     timing=None, probe=None, probe_rounds=[])
        self.refused(json.dumps(doc), f"all {len(doc['records'])} records failed")

    def test_not_json_at_all(self):
        self.refused("\x89PNG not a document", "not valid JSON")

    def test_unwritable_output_directory(self):
        with tempfile.NamedTemporaryFile() as f:
            self.assert_refused(FIXTURE, "--out", os.path.join(f.name, "sub"),
                                says="cannot create output directory")

    def test_no_document(self):
        self.assert_refused(says="the following arguments are required")

    def test_matplotlib_missing(self):
        fake = os.path.join(self.dir, "fake")
        os.makedirs(os.path.join(fake, "matplotlib"))
        with open(os.path.join(fake, "matplotlib", "__init__.py"), "w") as f:
            f.write("raise ImportError('no matplotlib here')\n")
        env = dict(os.environ, PYTHONPATH=fake)
        self.assert_refused(FIXTURE, says="matplotlib is missing: apt-get install "
                                          "python3-matplotlib", env=env)


class ReExec(unittest.TestCase):
    def test_from_a_python_without_matplotlib(self):
        debian = "/usr/bin/python3"
        other = shutil.which("python3")
        if not os.path.exists(debian) or not other:
            self.skipTest("needs /usr/bin/python3 and another python3 on PATH")
        probe = subprocess.run([other, "-c", "import matplotlib"], capture_output=True)
        if probe.returncode == 0:
            self.skipTest(f"{other} has matplotlib: nothing to re-exec")
        with tempfile.TemporaryDirectory() as out:
            proc = subprocess.run([other, os.path.join(SCRIPTS, "plot"), FIXTURE,
                                   "--out", out], capture_output=True, text=True,
                                  timeout=300)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            self.assertTrue(os.path.isfile(os.path.join(out, "summary.png")))


@unittest.skipIf(plot is None, "matplotlib is not importable by this python3")
class Figures(unittest.TestCase):
    """The figures hold the document's numbers, computed here independently."""

    @classmethod
    def setUpClass(cls):
        cls.doc = results.load(FIXTURE)
        cls.data = plot.gather([(FIXTURE, cls.doc)])

    def gathered(self, *docs):
        for doc in docs:
            results.check(doc)
        return plot.gather([(f"doc{i}.json", d) for i, d in enumerate(docs)])

    def test_one_panel_per_workload(self):
        for make in (plot.time_figure, plot.pauses_figure, plot.pause_cdf_figure,
                     plot.memory_figure):
            self.assertEqual(len(make(self.data).axes), 1, make.__name__)
        two = self.gathered(self.doc, renamed(self.doc, "other_trees"))
        for make in (plot.time_figure, plot.pauses_figure, plot.pause_cdf_figure,
                     plot.memory_figure):
            self.assertEqual(len(make(two).axes), 2, make.__name__)
        self.assertEqual(len(plot.timeline_figures(two)), 2)
        self.assertEqual(len(plot.summary_figure(two).axes), 3)

    def test_time_bars_are_ratios_to_manual_on_glibc(self):
        ax = plot.time_figure(self.data).axes[0]
        base = median_ms(find(self.doc, "manual", "glibc"))
        tops = bar_tops(ax)
        self.assertEqual(len(tops), len(self.doc["records"]))
        for r in self.doc["records"]:
            self.assertAlmostEqual(tops[f"{r['strategy']}/{r['allocator']}"],
                                   median_ms(r) / base, places=9)

    def test_time_whiskers_span_the_repetitions(self):
        ax = plot.time_figure(self.data).axes[0]
        base = median_ms(find(self.doc, "manual", "glibc"))
        centres = {p.get_gid(): p.get_x() + p.get_width() / 2
                   for p in ax.patches if p.get_gid()}
        whiskers = {}
        for c in ax.containers:
            if hasattr(c, "has_yerr") and c.has_yerr:
                (x, lo), (_, hi) = c.lines[2][0].get_segments()[0]
                whiskers[round(x, 9)] = (lo, hi)
        for r in self.doc["records"]:
            times = [e["real_time"] * UNIT_MS[e["time_unit"]] for e in r["timing"]["runs"]]
            lo, hi = whiskers[round(centres[f"{r['strategy']}/{r['allocator']}"], 9)]
            self.assertAlmostEqual(lo, min(times) / base, places=9)
            self.assertAlmostEqual(hi, max(times) / base, places=9)

    def test_legends_and_colours_are_fixed(self):
        colours = COLOURS
        figs = [plot.time_figure(self.data), plot.pauses_figure(self.data),
                plot.pause_cdf_figure(self.data), plot.memory_figure(self.data),
                plot.summary_figure(self.data)] + [f for _, f in
                                                   plot.timeline_figures(self.data)]
        for fig in figs:
            self.assertEqual(legend_labels(fig, "strategy"), STRATEGIES)
        from matplotlib.colors import to_hex
        for fig in (plot.time_figure(self.data), plot.memory_figure(self.data)):
            for p in fig.axes[0].patches:
                if not p.get_gid():
                    continue
                strategy, allocator = p.get_gid().split("/")
                self.assertEqual(to_hex(p.get_edgecolor()).upper(), colours[strategy])
                if allocator == "glibc":
                    self.assertEqual(to_hex(p.get_facecolor()).upper(), colours[strategy])
                    self.assertFalse(p.get_hatch())
                else:
                    self.assertEqual(to_hex(p.get_facecolor()), "#ffffff")
                    self.assertTrue(p.get_hatch())
        for gid, line in lines(plot.pauses_figure(self.data).axes[0]).items():
            strategy, allocator = gid.split("/")
            self.assertEqual(to_hex(line.get_color()).upper(), colours[strategy])
            filled = to_hex(line.get_markerfacecolor()).upper() == colours[strategy]
            self.assertEqual(filled, allocator == "glibc")

    def test_pause_lines_are_the_reclaim_percentiles(self):
        drawn = lines(plot.pauses_figure(self.data).axes[0])
        expected = {}
        for r in self.doc["records"]:
            kind = r["probe"]["pauses"]["kinds"].get(RECLAIM[r["strategy"]])
            if kind and kind["count"]:
                expected[f"{r['strategy']}/{r['allocator']}"] = [
                    kind[k] for k in ("p50_ns", "p90_ns", "p99_ns", "p999_ns", "max_ns")]
        self.assertEqual(set(drawn), set(expected))
        for gid, ys in expected.items():
            self.assertEqual(list(drawn[gid].get_ydata()), ys)

    def test_pause_survival_counts_every_pause(self):
        drawn = lines(plot.pause_cdf_figure(self.data).axes[0])
        for r in self.doc["records"]:
            gid = f"{r['strategy']}/{r['allocator']}"
            pauses = r["probe"]["pauses"]
            events = sorted(e["duration_ns"] for e in pauses["events"])
            if not events:
                self.assertNotIn(gid, drawn)
                continue
            total = sum(k["count"] for k in pauses["kinds"].values())
            xs, ys = drawn[gid].get_data()
            self.assertEqual(list(xs), events)
            self.assertAlmostEqual(ys[0], len(events) / total)
            self.assertAlmostEqual(ys[-1], 1 / total)

    def test_memory_bars_are_peak_rss_in_mib(self):
        tops = bar_tops(plot.memory_figure(self.data).axes[0])
        for r in self.doc["records"]:
            self.assertAlmostEqual(tops[f"{r['strategy']}/{r['allocator']}"],
                                   r["probe"]["memory"]["peak_rss_bytes"] / MIB)

    def test_timeline_is_the_glibc_probe_run(self):
        (panel, fig), = plot.timeline_figures(self.data)
        self.assertEqual(panel.slug, "binary_trees")
        drawn = lines(fig.axes[0])
        for s in STRATEGIES:
            tl = find(self.doc, s, "glibc")["probe"]["memory"]["timeline"]
            if not tl["t_ms"]:
                self.assertNotIn(f"{s}/rss", drawn)
                continue
            self.assertEqual(list(drawn[f"{s}/rss"].get_xdata()), tl["t_ms"])
            self.assertEqual(list(drawn[f"{s}/rss"].get_ydata()),
                             [b / MIB for b in tl["rss_bytes"]])
            if tl["strategy_bytes"]:
                own = drawn[f"{s}/{tl['strategy_bytes_label']}"]
                self.assertEqual(own.get_linestyle(), "--")

    def test_summary_is_ratio_to_manual_for_one_workload(self):
        fig = plot.summary_figure(self.data)
        time_ax, pause_ax, memory_ax = fig.axes
        manual = find(self.doc, "manual", "glibc")
        for s in STRATEGIES:
            r = find(self.doc, s, "glibc")
            self.assertAlmostEqual(bar_tops(time_ax)[s], median_ms(r) / median_ms(manual))
            worst = r["probe"]["pauses"]["kinds"][RECLAIM[s]]["max_ns"]
            self.assertAlmostEqual(bar_tops(pause_ax)[s],
                                   worst / manual["probe"]["pauses"]["kinds"]["release"]["max_ns"])
            self.assertAlmostEqual(bar_tops(memory_ax)[s],
                                   r["probe"]["memory"]["peak_rss_bytes"]
                                   / manual["probe"]["memory"]["peak_rss_bytes"])
        values = [t.get_text() for t in time_ax.texts]
        self.assertEqual(len(values), len(STRATEGIES))
        self.assertTrue(all(v.endswith("×") for v in values), values)

    def test_summary_is_a_geometric_mean_over_workloads(self):
        slow = renamed(self.doc, "slow_trees")
        for r in slow["records"]:
            if r["strategy"] == "gc":
                for entry in r["timing"]["runs"] + list(r["timing"]["aggregates"].values()):
                    if entry.get("aggregate_name") != "cv" and entry["real_time"] is not None:
                        entry["real_time"] *= 4
        fig = plot.summary_figure(self.gathered(self.doc, slow))
        ratio = median_ms(find(self.doc, "gc", "glibc")) / median_ms(
            find(self.doc, "manual", "glibc"))
        self.assertAlmostEqual(bar_tops(fig.axes[0])["gc"], math.sqrt(ratio * ratio * 4))

    def test_latency_panels_simple_and_metered(self):
        self.assertIsNone(plot.latency_figure(self.data))
        doc = with_latency(self.doc)
        fig = plot.latency_figure(self.gathered(doc))
        simple, window, full = fig.axes
        self.assertTrue(simple.get_title().endswith("simple"))
        self.assertTrue(window.get_title().endswith("metered, 100 ms smoothing"))
        self.assertTrue(full.get_title().endswith("metered, full smoothing"))
        self.assertEqual(simple.get_yscale(), "log")
        for ax, mode in ((simple, "simple"), (window, "metered"), (full, "metered")):
            drawn = lines(ax)
            self.assertEqual(len(drawn), len(doc["records"]))
            for s in STRATEGIES:
                self.assertEqual(list(drawn[f"{s}/glibc"].get_ydata()),
                                 LATENCY.get(s, LATENCY["manual"])[mode][2:])

    def test_mmu_from_stalls_and_from_pauses(self):
        doc = copy.deepcopy(self.doc)
        for r in doc["records"]:  # only the stall injected below
            for probe in [r["probe"]] + r.get("probe_rounds", []):
                probe.pop("stalls", None)
        gc = find(doc, "gc", "glibc")
        span = gc["probe"]["wall_ns"]
        # Half of the first millisecond stalled: MMU(1 ms) = 0.5 from stalls.
        stalls = {
            "unit": "tree", "gaps": dict(zip(SUMMARY_KEYS, [3, 1500000, 0, 0, 0, 0, 500000])),
            "threshold_ns": 1000000, "events_overflow": 0,
            "events": [{"start_ns": 0, "duration_ns": 500000}]}
        # The chart draws the median over rounds: the same stall in every round.
        for probe in [gc["probe"]] + gc.get("probe_rounds", []):
            probe["stalls"] = copy.deepcopy(stalls)
        fig = plot.mmu_figure(self.gathered(doc))
        from_stalls, from_pauses = fig.axes[:2]
        self.assertIn("from stalls", from_stalls.get_title())
        drawn = lines(from_stalls)
        self.assertEqual(list(drawn), ["gc/glibc"])
        ys = list(drawn["gc/glibc"].get_ydata())
        self.assertAlmostEqual(ys[0], 0.5)
        self.assertEqual(from_stalls.get_xscale(), "log")
        self.assertGreater(len(lines(from_pauses)), 1)
        for gid, line in lines(from_pauses).items():
            own = find(doc, *gid.split("/"))["probe"]["wall_ns"]
            self.assertTrue(all(0 <= y <= 1 for y in line.get_ydata()))
            self.assertTrue(all(x <= own for x in line.get_xdata()), gid)
        self.assertTrue(all(x <= span for x in drawn["gc/glibc"].get_xdata()))

    def test_failed_records_are_skipped_and_named_in_the_footer(self):
        doc = copy.deepcopy(self.doc)
        find(doc, "arena", "mimalloc").update(
            status="failed", failure={"phase": "timing", "reason": "timeout"},
            timing=None, probe=None, probe_rounds=[])
        data = self.gathered(doc)
        fig = plot.time_figure(data)
        self.assertNotIn("arena/mimalloc", bar_tops(fig.axes[0]))
        self.assertIn("arena/glibc", bar_tops(fig.axes[0]))
        self.assertIn("binary_trees/arena/depth:10 on mimalloc (timing: timeout)",
                      all_text(fig).replace("\n", " "))
        self.assertNotIn("arena/mimalloc", bar_tops(plot.memory_figure(data).axes[0]))

    def test_single_allocator(self):
        doc = copy.deepcopy(self.doc)
        doc["records"] = [r for r in doc["records"] if r["allocator"] == "glibc"]
        data = self.gathered(doc)
        fig = plot.time_figure(data)
        self.assertEqual(sorted(bar_tops(fig.axes[0])), sorted(f"{s}/glibc" for s in STRATEGIES))
        self.assertEqual(legend_labels(fig, "allocator"), ["glibc"])

    def test_mimalloc_only_has_no_baseline(self):
        doc = copy.deepcopy(self.doc)
        doc["records"] = [r for r in doc["records"] if r["allocator"] == "mimalloc"]
        data = self.gathered(doc)
        self.assertIsNone(plot.time_figure(data))
        self.assertIsNone(plot.summary_figure(data))
        (_, fig), = plot.timeline_figures(data)
        self.assertIn("mimalloc", fig.axes[0].get_title())

    def test_footer_names_the_run(self):
        c = self.doc["context"]
        text = all_text(plot.summary_figure(self.data)).replace("\n", " ")
        for part in (c["host"]["name"], c["host"]["cpu_model"], c["git_revision"],
                     c["date"][:10]):
            self.assertIn(part, text)

    def test_same_benchmark_in_two_runs_gets_a_panel_each(self):
        other = copy.deepcopy(self.doc)
        other["context"]["date"] = "2026-12-01T09:30:00+00:00"
        fig = plot.time_figure(self.gathered(self.doc, other))
        titles = [ax.get_title() for ax in fig.axes]
        self.assertEqual(len(titles), 2)
        self.assertIn("2026-12-01 09:30", titles[1])
        self.assertIn("run 2:", all_text(fig))

    def test_runs_of_different_workloads_merge(self):
        fig = plot.time_figure(self.gathered(self.doc, renamed(self.doc, "other_trees")))
        titles = [ax.get_title() for ax in fig.axes]
        self.assertTrue(titles[0].startswith("binary_trees · depth 10\n"), titles)
        self.assertTrue(titles[1].startswith("other_trees · depth 10\n"), titles)
        self.assertFalse(any("UTC" in t for t in titles), titles)

    def test_order_and_colours_are_the_declared_ones(self):
        doc = copy.deepcopy(self.doc)
        doc["strategies"].reverse()
        doc["strategies"][0]["colour"] = "#111111"
        data = self.gathered(doc)
        fig = plot.time_figure(data)
        self.assertEqual(legend_labels(fig, "strategy"), STRATEGIES[::-1])
        from matplotlib.colors import to_hex
        first = doc["strategies"][0]["name"]
        bar = next(p for p in fig.axes[0].patches if p.get_gid() == f"{first}/glibc")
        self.assertEqual(to_hex(bar.get_facecolor()), "#111111")

    def test_a_strategy_the_document_does_not_declare(self):
        doc = copy.deepcopy(self.doc)
        for r in [r for r in doc["records"] if r["strategy"] == "raii"]:
            r = copy.deepcopy(r)
            r["strategy"] = "refcount"
            r["name"] = r["name"].replace("/raii/", "/refcount/")
            doc["records"].append(r)
        data = self.gathered(doc)
        self.assertEqual(data.strategies, STRATEGIES + ["refcount"])
        self.assertEqual(plot.colour(data, "refcount"), results.SPARE_COLOURS[0])
        self.assertIn("refcount/glibc", bar_tops(plot.time_figure(data).axes[0]))
        self.assertIn("refcount", legend_labels(plot.summary_figure(data), "strategy"))

    def test_the_pause_chart_takes_each_probes_reclaim_kind(self):
        doc = copy.deepcopy(self.doc)
        gc = find(doc, "gc", "glibc")
        gc["probe"]["reclaim_kind"] = "release"
        drawn = lines(plot.pauses_figure(self.gathered(doc)).axes[0])
        release = gc["probe"]["pauses"]["kinds"]["release"]
        self.assertEqual(list(drawn["gc/glibc"].get_ydata()),
                         [release[k] for k in ("p50_ns", "p90_ns", "p99_ns", "p999_ns",
                                               "max_ns")])

    def test_variant_records_stay_out_of_the_charts_that_compare_strategies(self):
        doc = curves.curve_document()
        plain = copy.deepcopy(doc)
        plain["records"] = [r for r in plain["records"] if not r.get("variant")]
        del plain["heap_units"]
        data, data_plain = self.gathered(doc), self.gathered(plain)
        self.assertEqual(data.failed, [])   # the failed multiple is the curve's
        for make in (plot.time_figure, plot.pauses_figure, plot.memory_figure,
                     plot.mmu_figure):
            got, want = make(data), make(data_plain)
            self.assertEqual([sorted(lines(ax)) for ax in got.axes],
                             [sorted(lines(ax)) for ax in want.axes], make.__name__)
            self.assertEqual([bar_tops(ax) for ax in got.axes],
                             [bar_tops(ax) for ax in want.axes], make.__name__)
        self.assertEqual(plot.curve_figures(data_plain), [])

    def test_the_curve_is_time_and_footprint_over_the_baselines(self):
        doc = curves.curve_document()
        data = self.gathered(doc)
        figures = dict(plot.curve_figures(data))
        self.assertEqual(sorted(figures), ["curve", "curve-binary_trees"])
        ax = figures["curve"].axes[0]
        drawn = lines(ax)
        heap = [v for v in curves.VARIANTS.values() if v[1] == "heap" and v[3]]
        self.assertEqual(list(drawn["heap"].get_xdata()),
                         [v[3][1] / curves.BASE_MIB for v in heap])
        self.assertEqual(list(drawn["heap"].get_ydata()),
                         [v[3][0] / curves.BASE_MS for v in heap])
        sweep = drawn["sweep/free_space_divisor"]
        self.assertEqual(len(sweep.get_xdata()), 3)  # 1, the defaults (3), 30
        self.assertEqual(list(drawn["plain"].get_ydata()),
                         [curves.PLAIN[0] / curves.BASE_MS])
        for name in ("markers_1", "incremental", "manual", "raii", "arena"):
            self.assertTrue(any(g.endswith(name) for g in drawn), name)
        levels = sorted(l.get_ydata()[0] for l in ax.get_lines() if not l.get_gid())
        self.assertEqual(levels, [1.0, 1.1])
        self.assertEqual(ax.get_xscale(), "log")
        texts = [t.get_text() for t in ax.texts]
        for label in ("1.5x", "2x", "3x", "6x"):
            self.assertIn(label, texts)
        self.assertIn("heap 1.25x (out of memory at the heap cap)",
                      all_text(figures["curve"]).replace("\n", " "))
        self.assertIn("failed: heap 1.25x", " ".join(texts))

    def test_a_real_curve_run(self):
        doc = results.load(os.path.join(FIXTURES, "curve-results.json"))
        data = self.gathered(doc)
        plain = [r for r in doc["records"] if not r.get("variant")]
        self.assertEqual(sum(len(p.records) for p in data.panels), len(plain))
        figures = dict(plot.curve_figures(data))
        self.assertEqual(sorted(figures), ["curve", "curve-binary_trees"])
        drawn = lines(figures["curve"].axes[0])
        heap = [r for r in doc["records"]
                if (r.get("variant") or {}).get("series") == "heap" and r["status"] == "ok"]
        self.assertEqual(len(drawn["heap"].get_xdata()), len(heap))

    def test_a_version_2_document(self):
        # The quick reference as it was before the strategies declared
        # themselves, cut to binary_trees (fixtures/README.md).
        doc = results.load(os.path.join(FIXTURES, "v2-results.json"))
        self.assertEqual(doc["schema_version"], 2)
        data = self.gathered(doc)
        self.assertEqual(data.strategies, ["manual", "raii", "gc", "arena"])
        self.assertEqual(data.baseline, ("manual", "glibc"))
        fig = plot.summary_figure(data)
        self.assertEqual(legend_labels(fig, "strategy"), data.strategies)
        self.assertIn("gc: gc_stop_world", all_text(fig).replace("\n", " "))


if __name__ == "__main__":
    unittest.main()
