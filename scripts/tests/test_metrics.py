"""metrics and stats on hand-worked cases: minimum mutator utilisation,
probe rounds, the bootstrap interval of a geometric mean, and the report's
verdicts that rest on them (inconclusive where the interval straddles the
threshold; pause verdicts across rounds, and their disagreement)."""

import copy
import json
import os
import unittest

from support import FIXTURES

from memstrat import metrics, report, stats

FIXTURE = os.path.join(FIXTURES, "small-results.json")
MS = 1_000_000


class MinimumMutatorUtilisation(unittest.TestCase):
    def test_no_pause_is_full_utilisation(self):
        self.assertEqual(metrics.mmu([], 100 * MS, [MS, 10 * MS]), [(MS, 1.0), (10 * MS, 1.0)])

    def test_one_pause(self):
        # A 5 ms pause in a 100 ms run: a window of 1 ms or 5 ms can sit
        # inside it (0), 10 ms holds all of it (0.5), 100 ms too (0.95).
        got = dict(metrics.mmu([(40 * MS, 5 * MS)], 100 * MS,
                               [MS, 5 * MS, 10 * MS, 100 * MS, 200 * MS]))
        self.assertEqual(got, {MS: 0.0, 5 * MS: 0.0, 10 * MS: 0.5, 100 * MS: 0.95})

    def test_two_pauses_close_together(self):
        # 2 ms at 10 ms and 3 ms at 14 ms: the worst 10 ms window holds both
        # (5 ms paused); a 6 ms window [10, 16] holds 2 + 2 ms and [11, 17]
        # 1 + 3 ms, no position more: 1 - 4/6.
        got = dict(metrics.mmu([(10 * MS, 2 * MS), (14 * MS, 3 * MS)], 50 * MS,
                               [6 * MS, 10 * MS]))
        self.assertAlmostEqual(got[6 * MS], 1 - 4 / 6)
        self.assertAlmostEqual(got[10 * MS], 0.5)

    def test_overlaps_merge_and_edges_clip(self):
        # Overlapping events count once; an event past the span is clipped.
        got = dict(metrics.mmu([(0, 4 * MS), (2 * MS, 4 * MS), (18 * MS, 5 * MS)],
                               20 * MS, [10 * MS, 20 * MS]))
        self.assertAlmostEqual(got[10 * MS], 0.4)
        self.assertAlmostEqual(got[20 * MS], 1 - 8 / 20)

    def test_windows_are_log_spaced_from_1ms_to_1s(self):
        w = metrics.MMU_WINDOWS_NS
        self.assertEqual((len(w), w[0], w[4], w[-1]), (13, MS, 10 * MS, 1000 * MS))


class ProbeRounds(unittest.TestCase):
    def test_fallback_and_rounds(self):
        self.assertEqual(metrics.probe_rounds({"probe": {"a": 1}}), [{"a": 1}])
        self.assertEqual(metrics.probe_rounds({"probe": None}), [])
        rounds = [{"round": 0}, {"round": 1}]
        self.assertEqual(metrics.probe_rounds({"probe": rounds[0], "probe_rounds": rounds}),
                         rounds)

    def test_across_rounds(self):
        self.assertEqual(metrics.across_rounds([3, None, 1, 2]), (2, 1, 3))
        self.assertIsNone(metrics.across_rounds([None]))


class Bootstrap(unittest.TestCase):
    def test_deterministic_and_brackets_the_estimate(self):
        pairs = {"a": ([1.3, 1.31, 1.29, 1.32], [1.0, 1.01, 0.99, 1.0]),
                 "b": ([2.0, 2.1, 1.9], [1.0, 1.05, 0.95])}
        ci = stats.bootstrap_geomean_ci(pairs)
        self.assertEqual(ci, stats.bootstrap_geomean_ci(copy.deepcopy(pairs)))
        g = metrics.geomean([1.305 / 1.0, 2.0 / 1.0])
        self.assertLess(ci[0], g)
        self.assertGreater(ci[1], g)
        self.assertNotEqual(ci, stats.bootstrap_geomean_ci(pairs, seed=1))

    def test_empty_sample(self):
        self.assertIsNone(stats.bootstrap_geomean_ci({"a": ([], [1.0])}))


def fixture():
    with open(FIXTURE, encoding="utf-8") as f:
        return json.load(f)


def with_times(doc, times):
    """doc with each strategy's timing runs replaced by times[strategy]
    (manual's for a strategy times does not name)."""
    doc = copy.deepcopy(doc)
    for r in doc["records"]:
        template = r["timing"]["runs"][0]
        r["timing"]["runs"] = [dict(template, real_time=t, time_unit="ms")
                               for t in times.get(r["strategy"], times["manual"])]
    return doc


GC_CLAIM = 0  # "A garbage collector costs run time compared with manual ..."


class Verdicts(unittest.TestCase):
    def setUp(self):
        self.doc = fixture()
        self.base = [100 + i for i in range(10)]

    def verdict(self, doc, index=GC_CLAIM):
        return report.claims(doc)[index].verdict

    def test_clear_case_is_supported(self):
        doc = with_times(self.doc, {"manual": self.base, "raii": self.base, "arena": self.base,
                                    "gc": [t * 1.5 for t in self.base]})
        self.assertEqual(self.verdict(doc), "supported")
        self.assertIn("95% interval", report.claims(doc)[GC_CLAIM].measured)

    def test_clear_case_is_refuted(self):
        doc = with_times(self.doc, {s: self.base for s in ("manual", "raii", "gc", "arena")})
        self.assertEqual(self.verdict(doc), "not supported")

    def test_interval_straddling_the_threshold_is_inconclusive(self):
        # gc 8% slower, the U test tells the samples apart (p < 0.001), but
        # resampled medians range from about 1.04x to 1.12x: the interval
        # holds the 1.05 threshold.
        gc = [t * 1.08 for t in self.base]
        doc = with_times(self.doc, {"manual": self.base, "raii": self.base,
                                    "arena": self.base, "gc": gc})
        ratio = metrics.median(gc) / metrics.median(self.base)
        self.assertGreater(ratio, 1.05)
        v = self.verdict(doc)
        self.assertTrue(v.startswith("inconclusive"), v)

    def test_deterministic_report(self):
        doc = with_times(self.doc, {"manual": self.base, "raii": self.base, "arena": self.base,
                                    "gc": [t * 1.07 for t in self.base]})
        first = [(c.measured, c.verdict) for c in report.claims(doc)]
        self.assertEqual(first, [(c.measured, c.verdict) for c in report.claims(doc)])


def with_stall_rounds(doc, gc_worst, explicit_worst):
    """doc whose probes carry one round per value, with the longest gap
    between units gc_worst[i] under gc and explicit_worst[i] otherwise."""
    doc = copy.deepcopy(doc)
    for r in doc["records"]:
        worst = gc_worst if r["strategy"] == "gc" else explicit_worst
        rounds = []
        for i, w in enumerate(worst):
            p = copy.deepcopy(r["probe"])
            p["round"] = i
            p["stalls"] = {"unit": "tree", "threshold_ns": MS, "events_overflow": 0,
                           "gaps": {"count": 10, "total_ns": 10 * w, "p50_ns": 1000,
                                    "p90_ns": 1000, "p99_ns": w, "p999_ns": w, "max_ns": w},
                           "events": [{"start_ns": 0, "duration_ns": w}] if w > MS else []}
            rounds.append(p)
        r["probe"] = rounds[0]
        r["probe_rounds"] = rounds
    return doc


PAUSE_CLAIM = 1


class PauseVerdictsAcrossRounds(unittest.TestCase):
    def test_rests_on_stalls_and_states_disagreement(self):
        doc = with_stall_rounds(fixture(), [5 * MS, 6 * MS, 0.5 * MS], [2 * MS] * 3)
        claim = report.claims(doc)[PAUSE_CLAIM]
        self.assertIn("longest gap between two units of work", claim.measured)
        self.assertIn("5 ms (500 µs to 6 ms)", claim.measured)
        self.assertTrue(claim.verdict.startswith("supported"), claim.verdict)
        self.assertIn("rounds disagree: not supported in 1, supported in 2 of 3 rounds",
                      claim.verdict)
        self.assertIn("gc's own worst stop-the-world pause", claim.measured)

    def test_agreeing_rounds(self):
        doc = with_stall_rounds(fixture(), [0.2 * MS] * 2, [0.1 * MS] * 2)
        self.assertEqual(report.claims(doc)[PAUSE_CLAIM].verdict, "not supported")

    def test_rounds_table_shows_the_spread(self):
        doc = with_stall_rounds(fixture(), [5 * MS, 6 * MS, 0.5 * MS], [2 * MS] * 3)
        rows = {(r[1], r[2]): r for r in report.rounds_table(doc)}
        self.assertEqual(rows[("gc", "glibc")][3], "3")
        self.assertEqual(rows[("gc", "glibc")][4], "5 ms (500 µs to 6 ms)")


if __name__ == "__main__":
    unittest.main()
