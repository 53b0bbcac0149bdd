"""scripts/memstrat/minheap.py and scripts/minheap: the bisection of the
smallest heap on fake trials (a threshold the test knows), the command
template and its setarch wrapping, and the CLI's refusals."""

import json
import os
import sys
import tempfile
import unittest

from support import error_lines, run_script

from memstrat import minheap
from memstrat.minheap import MinheapError, find_minimum

KIB = 1024
MIB = 1024 * KIB


class Threshold:
    """A fake program: fails below `minimum` bytes; between minimum and
    `flaky_below` it fails on every `flaky_every`-th run at a size. Counts
    its runs."""

    def __init__(self, minimum, flaky_below=0, flaky_every=3):
        self.minimum, self.flaky_below, self.flaky_every = minimum, flaky_below, flaky_every
        self.calls = []

    def __call__(self, heap):
        self.calls.append(heap)
        if heap < self.minimum:
            return "out of memory: heap cap reached"
        if heap < self.flaky_below and self.calls.count(heap) % self.flaky_every == 0:
            return "out of memory: heap cap reached (this time)"
        return None


class Bisection(unittest.TestCase):
    def assert_brackets(self, found, minimum, granule):
        interval = found["interval"]
        self.assertEqual(found["status"], "ok", found)
        self.assertLess(interval["fails_bytes"], minimum)
        self.assertGreaterEqual(interval["completes_bytes"], minimum)
        self.assertEqual(found["unit_bytes"], interval["completes_bytes"])
        self.assertEqual(interval["completes_bytes"] % granule, 0)
        self.assertEqual(interval["fails_bytes"] % granule, 0)

    def test_from_above_it_halves_then_bisects_to_one_granule(self):
        fake = Threshold(5 * MIB + 12345)
        found = find_minimum(fake, 64 * KIB, 20 * MIB, trials=3, max_bytes=1 << 30)
        self.assert_brackets(found, fake.minimum, 64 * KIB)
        i = found["interval"]
        self.assertEqual(i["completes_bytes"] - i["fails_bytes"], 64 * KIB)
        self.assertEqual(i["completes_bytes"], 5 * MIB + 64 * KIB)  # the next granule up
        # 20, 10, 5 MiB bracket it; then every size once, in the order tried.
        self.assertEqual([p["heap_bytes"] for p in found["probes"][:3]],
                         [20 * MIB, 10 * MIB, 5 * MIB])
        self.assertEqual(len({p["heap_bytes"] for p in found["probes"]}),
                         len(found["probes"]))
        # log2(5 MiB / 64 KiB) = 6.3: at most 7 bisection steps after 3.
        self.assertLessEqual(len(found["probes"]), 10)
        for p in found["probes"]:
            ok = p["heap_bytes"] >= fake.minimum
            self.assertEqual(p["completed"], 3 if ok else 0, p)
            self.assertEqual(p["trials"], 3 if ok else 1, p)
            self.assertEqual(p["reason"] is None, ok, p)
        self.assertEqual(len(fake.calls), sum(p["trials"] for p in found["probes"]))
        self.assertEqual((found["granularity_bytes"], found["trials"], found["reason"]),
                         (64 * KIB, 3, None))

    def test_from_one_granule_it_doubles(self):
        fake = Threshold(300 * KIB)
        found = find_minimum(fake, 4 * KIB, 4 * KIB, trials=2, max_bytes=1 << 30)
        self.assert_brackets(found, fake.minimum, 4 * KIB)
        self.assertEqual([p["heap_bytes"] for p in found["probes"][:8]],
                         [4 * KIB << k for k in range(8)])  # 4 KiB .. 512 KiB
        self.assertEqual(found["unit_bytes"], 300 * KIB)

    def test_sizes_are_rounded_to_granules(self):
        fake = Threshold(100 * KIB)
        found = find_minimum(fake, 4 * KIB, 1000 * KIB + 1, trials=1, max_bytes=1 << 30)
        self.assertEqual(found["probes"][0]["heap_bytes"], 1004 * KIB)
        self.assert_brackets(found, fake.minimum, 4 * KIB)

    def test_trials_stop_at_the_first_failure(self):
        # Every third run at a size near the minimum fails: with three
        # trials those sizes fail, so the unit lies above them all.
        fake = Threshold(1 * MIB, flaky_below=1 * MIB + 40 * KIB, flaky_every=3)
        found = find_minimum(fake, 4 * KIB, 4 * MIB, trials=3, max_bytes=64 * MIB)
        self.assert_brackets(found, fake.flaky_below, 4 * KIB)
        self.assertEqual(found["unit_bytes"], 1 * MIB + 40 * KIB)
        flaky = [p for p in found["probes"]
                 if fake.minimum <= p["heap_bytes"] < fake.flaky_below]
        self.assertTrue(flaky)
        for p in flaky:  # two clean runs, the third failed, no fourth
            self.assertEqual((p["trials"], p["completed"]), (3, 2), p)
            self.assertIn("(this time)", p["reason"])
        # With one trial the flaky sizes pass: the minimum looks smaller.
        once = find_minimum(Threshold(1 * MIB, 1 * MIB + 40 * KIB), 4 * KIB, 4 * MIB,
                            trials=1, max_bytes=64 * MIB)
        self.assertEqual(once["unit_bytes"], 1 * MIB)

    def test_never_completes_is_recorded_with_the_cap(self):
        fake = Threshold(1 << 40)
        found = find_minimum(fake, 64 * KIB, 1 * MIB, trials=3, max_bytes=64 * MIB)
        self.assertEqual(found["status"], "never_completes")
        self.assertIsNone(found["unit_bytes"])
        self.assertEqual(found["interval"], {"fails_bytes": 64 * MIB,
                                             "completes_bytes": None})
        self.assertEqual(found["probes"][-1]["heap_bytes"], 64 * MIB)
        self.assertEqual([p["heap_bytes"] for p in found["probes"]],
                         [MIB << k for k in range(7)])
        self.assertIn("failed even at the cap of 67108864 bytes", found["reason"])
        self.assertIn("heap cap reached", found["reason"])

    def test_completing_at_one_granule_is_unbracketed(self):
        fake = Threshold(0)
        found = find_minimum(fake, 64 * KIB, 1 * MIB, trials=2, max_bytes=64 * MIB)
        self.assertEqual(found["status"], "unbracketed")
        self.assertIsNone(found["unit_bytes"])
        self.assertEqual(found["interval"], {"fails_bytes": None,
                                             "completes_bytes": 64 * KIB})
        self.assertIn("completed even at one granule", found["reason"])
        self.assertEqual(found["probes"][-1]["heap_bytes"], 64 * KIB)

    def test_precision_stops_early_and_still_brackets(self):
        fake = Threshold(50 * MIB + 777)
        fine = find_minimum(Threshold(fake.minimum), 4 * KIB, 80 * MIB, 1, 1 << 33)
        coarse = find_minimum(fake, 4 * KIB, 80 * MIB, 1, 1 << 33, precision=0.02)
        self.assert_brackets(coarse, fake.minimum, 4 * KIB)
        i = coarse["interval"]
        self.assertLessEqual(i["completes_bytes"] - i["fails_bytes"],
                             0.02 * i["completes_bytes"])
        self.assertLess(len(coarse["probes"]), len(fine["probes"]))
        self.assertEqual(coarse["precision"], 0.02)

    def test_a_start_above_the_cap_starts_at_the_cap(self):
        found = find_minimum(Threshold(3 * MIB), MIB, 100 * MIB, 1, 8 * MIB)
        self.assertEqual(found["probes"][0]["heap_bytes"], 8 * MIB)
        self.assertEqual(found["unit_bytes"], 3 * MIB)

    def test_bad_arguments(self):
        with self.assertRaises(MinheapError):
            find_minimum(Threshold(1), 0, 1, 1, 1)
        with self.assertRaises(MinheapError):
            find_minimum(Threshold(1), 1, 1, 0, 1)
        with self.assertRaises(MinheapError):
            find_minimum(Threshold(1), 1, 1, 1, 1, precision=1.5)


FAKE = ("import sys\n"
        "heap = int(sys.argv[1])\n"
        "aslr_off = int(open('/proc/self/personality').read(), 16) & 0x0040000\n"
        "if len(sys.argv) > 2 and sys.argv[2] == 'need-aslr-off' and not aslr_off:\n"
        "    sys.exit('error: address randomisation is on')\n"
        "if heap < 5000:\n"
        "    if len(sys.argv) > 2 and sys.argv[2] == 'hang':\n"
        "        import time; time.sleep(60)\n"
        "    sys.exit('error: out of memory: heap cap reached')\n")


class Command(unittest.TestCase):
    def test_render_rounds_up_to_each_unit(self):
        template = ["x", "--b={heap_bytes}", "--k={heap_kib}", "--m={heap_mib}m", "{{lit}}"]
        self.assertEqual(minheap.render(template, MIB + 1),
                         ["x", f"--b={MIB + 1}", "--k=1025", "--m=2m", "{lit}"])
        self.assertEqual(minheap.render(template, 64 * KIB)[2:4], ["--k=64", "--m=1m"])

    def test_a_template_needs_a_size_and_known_placeholders(self):
        with self.assertRaisesRegex(MinheapError, "names no heap size"):
            minheap.check_template(["prog", "--cap=1"])
        with self.assertRaisesRegex(MinheapError, r"placeholder other than"):
            minheap.check_template(["prog", "--cap={heap_gib}"])
        with self.assertRaisesRegex(MinheapError, "no command"):
            minheap.check_template([])

    def test_trials_run_under_setarch_with_randomisation_off(self):
        trial = minheap.CommandTrial([sys.executable, "-c", FAKE, "{heap_bytes}",
                                      "need-aslr-off"], timeout_s=60)
        self.assertFalse(trial.address_randomisation)
        self.assertTrue(trial.command().startswith(f"setarch {minheap.machine()} -R "),
                        trial.command())
        self.assertIsNone(trial(6000))
        self.assertIn("out of memory", trial(4000))
        # Without setarch the same program sees randomisation on (the
        # machine's default) and says so.
        with open("/proc/sys/kernel/randomize_va_space", encoding="utf-8") as f:
            if f.read().strip() != "0":
                loose = minheap.CommandTrial([sys.executable, "-c", FAKE, "{heap_bytes}",
                                              "need-aslr-off"], 60, randomise=True)
                self.assertIn("address randomisation is on", loose(6000))
        found = trial.describe(find_minimum(trial, 1000, 64000, 2, 1 << 20))
        self.assertEqual(found["unit_bytes"], 5000)
        self.assertEqual(found["address_randomisation"], False)
        self.assertIn("'{heap_bytes}' need-aslr-off", found["command"])

    def test_a_trial_that_times_out_fails(self):
        trial = minheap.CommandTrial([sys.executable, "-c", FAKE, "{heap_bytes}", "hang"],
                                     timeout_s=0.5)
        self.assertEqual(trial(100), "timed out after 0.5 s")
        self.assertIsNone(trial(5000))

    def test_setarch_missing_is_one_line(self):
        saved = os.environ["PATH"]
        os.environ["PATH"] = tempfile.gettempdir() + "/no-such-bin"
        try:
            with self.assertRaisesRegex(MinheapError, "setarch not found.*util-linux"):
                minheap.CommandTrial(["prog", "{heap_kib}"], 1)
        finally:
            os.environ["PATH"] = saved

    def test_sizes(self):
        self.assertEqual(minheap.parse_size("64KiB"), 64 * KIB)
        self.assertEqual(minheap.parse_size("1.5m"), 3 * MIB // 2)
        self.assertEqual(minheap.parse_size("4096"), 4096)
        for bad in ("-1", "0", "lots", "12XB"):
            with self.assertRaises(MinheapError):
                minheap.parse_size(bad)


class Cli(unittest.TestCase):
    def refused(self, *args, says, env=None):
        proc = run_script("minheap", *args, env=env)
        self.assertEqual(proc.returncode, 2, proc.stderr)
        lines = error_lines(proc.stderr)
        self.assertEqual(len(lines), 1, proc.stderr)
        self.assertIn(says, lines[0])
        self.assertNotIn("Traceback", proc.stderr)
        self.assertEqual(proc.stdout, "")

    def test_prints_the_entry(self):
        proc = run_script("minheap", "--granularity", "1000", "--start", "64000",
                          "--trials", "2", "--", sys.executable, "-c", FAKE,
                          "{heap_bytes}")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        entry = json.loads(proc.stdout)
        self.assertEqual((entry["status"], entry["unit_bytes"], entry["trials"]),
                         ("ok", 5000, 2))
        self.assertEqual(entry["interval"], {"fails_bytes": 4000, "completes_bytes": 5000})
        self.assertEqual(entry["max_bytes"], 64 * 64000)

    def test_never_completes_exits_1_with_the_entry(self):
        proc = run_script("minheap", "--granularity", "1000", "--max", "4000",
                          "--trials", "1", "--", sys.executable, "-c", FAKE, "{heap_bytes}")
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertEqual(json.loads(proc.stdout)["status"], "never_completes")

    def test_bad_input(self):
        self.refused("--", "prog", "--cap=1", says="names no heap size")
        self.refused("--granularity", "big", "--", "prog", "{heap_kib}", says="not a size")
        self.refused("--trials", "0", "--", "prog", "{heap_kib}",
                     says="--trials must be at least 1")
        self.refused("--start", "1MiB", "--max", "1KiB", "--", "prog", "{heap_kib}",
                     says="below --start")
        self.refused("--precision", "2", "--", "prog", "{heap_kib}", says="--precision")
        no_setarch = dict(os.environ, PATH=tempfile.gettempdir() + "/no-such-bin")
        self.refused("--", "prog", "{heap_kib}", says="setarch not found", env=no_setarch)


if __name__ == "__main__":
    unittest.main()
