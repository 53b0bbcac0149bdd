"""Loading results documents: malformed, truncated, empty, damaged-gzip, wrong-version,
NaN-bearing and schema-violating documents give one-line errors; the
stdlib validator agrees with the jsonschema package where it exists; a
version 2 document (the committed reference) still loads; and what a
document declares (strategies, their order and colours, allocators, the
baseline, reclaim kinds, the configuration key) is read from it."""

import copy
import gzip
import json
import os
import tempfile
import unittest

from support import FIXTURES, ROOT

from memstrat import results, schema

FIXTURE = os.path.join(FIXTURES, "small-results.json")
# A version 2 document: the quick reference as it was before the strategies
# declared themselves, cut to binary_trees (fixtures/README.md).
REFERENCE = os.path.join(FIXTURES, "v2-results.json")


def schema_verdict(test, doc):
    """Our validator's complaint about doc against schema v3 (None if valid);
    where Debian's python3-jsonschema is installed, test asserts it agrees."""
    sch = results.load_schema(3)
    try:
        schema.validate(doc, sch)
        ours = None
    except schema.SchemaError as e:
        ours = str(e)
    try:
        import jsonschema  # Debian's python3-jsonschema, if installed
    except ImportError:
        return ours
    test.assertEqual(ours is None, jsonschema.Draft202012Validator(sch).is_valid(doc))
    return ours


class Loading(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        with open(FIXTURE, encoding="utf-8") as f:
            self.text = f.read()
        self.doc = json.loads(self.text)

    def tearDown(self):
        self.dir.cleanup()

    def write(self, text):
        path = os.path.join(self.dir.name, "r.json")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def refused(self, text, says):
        with self.assertRaises(results.ResultsError) as cm:
            results.load(self.write(text))
        msg = str(cm.exception)
        self.assertNotIn("\n", msg)
        self.assertIn(says, msg)

    def test_fixture_is_valid(self):
        doc = results.load(FIXTURE)
        self.assertGreater(len(doc["records"]), 0)
        self.assertEqual(doc["schema_version"], results.SCHEMA_VERSION)

    def test_declarations_are_required_in_version_3(self):
        doc = copy.deepcopy(self.doc)
        del doc["strategies"]
        self.refused(json.dumps(doc), "missing \"strategies\"")

    def test_empty(self):
        self.refused("", "is empty")

    def test_gzip_compressed(self):
        path = os.path.join(self.dir.name, "r.json.gz")
        with open(path, "wb") as f:
            f.write(gzip.compress(self.text.encode("utf-8")))
        self.assertEqual(results.load(path), self.doc)

    def test_damaged_gzip(self):
        path = os.path.join(self.dir.name, "r.json.gz")
        with open(path, "wb") as f:
            f.write(gzip.compress(self.text.encode("utf-8"))[:200])
        with self.assertRaises(results.ResultsError) as cm:
            results.load(path)
        self.assertNotIn("\n", str(cm.exception))
        self.assertIn("damaged gzip", str(cm.exception))

    def test_truncated(self):
        self.refused(self.text[: len(self.text) // 2], "is truncated")

    def test_malformed(self):
        self.refused("{\"kind\": \"memstrat-results\",, }", "not valid JSON")

    def test_nan(self):
        self.refused(self.text.replace('"wall_ns": ', '"wall_ns": NaN, "x": ', 1),
                     "NaN value")

    def test_wrong_schema_version(self):
        doc = dict(self.doc, schema_version=99)
        self.refused(json.dumps(doc), "schema version 99")

    def test_not_a_results_document(self):
        self.refused(json.dumps({"benchmarks": []}), "not a memstrat results document")

    def test_schema_violation_names_the_place(self):
        doc = copy.deepcopy(self.doc)
        del doc["records"][0]["probe"]["memory"]["peak_rss_bytes"]
        self.refused(json.dumps(doc), "records[0].probe.memory: missing \"peak_rss_bytes\"")

    def test_missing_file(self):
        with self.assertRaises(results.ResultsError) as cm:
            results.load(os.path.join(self.dir.name, "nope.json"))
        self.assertIn("cannot read", str(cm.exception))


class ValidatorAgreesWithJsonschema(unittest.TestCase):
    def test_same_verdicts(self):
        try:
            import jsonschema  # Debian's python3-jsonschema, if installed
        except ImportError:
            self.skipTest("python3-jsonschema not installed")
        with open(FIXTURE, encoding="utf-8") as f:
            good = json.load(f)
        bad_type = copy.deepcopy(good)
        bad_type["records"][0]["params"] = {"depth": "ten"}
        bad_enum = copy.deepcopy(good)
        bad_enum["records"][0]["status"] = "maybe"
        bad_oneof = copy.deepcopy(good)
        bad_oneof["records"][0]["failure"] = {"phase": "x"}
        sch = results.load_schema(good["schema_version"])
        for doc, valid in [(good, True), (bad_type, False), (bad_enum, False),
                           (bad_oneof, False)]:
            theirs = jsonschema.Draft202012Validator(sch).is_valid(doc)
            try:
                schema.validate(doc, sch)
                ours = True
            except schema.SchemaError:
                ours = False
            self.assertEqual(ours, theirs)
            self.assertEqual(ours, valid)


class SpaceTimeAdditions(unittest.TestCase):
    """Version 3's optional space-time fields (a strategy's heap, sweeps and
    variants; a record's variant; heap_units; the collector's read-back
    settings) validate when well-formed and are refused, naming the place,
    when not; the stdlib validator and jsonschema agree on both."""

    @classmethod
    def setUpClass(cls):
        with open(FIXTURE, encoding="utf-8") as f:
            doc = json.load(f)
        gc = next(s for s in doc["strategies"] if s["name"] == "gc")
        gc["heap"] = {"cap_flag": "--gc_max_heap_kib",
                      "presize_flag": "--gc_initial_heap_kib",
                      "flag_unit_bytes": 1024, "granularity_bytes": 65536}
        gc["sweeps"] = [{"name": "free_space_divisor", "flag": "--gc_free_space_divisor",
                         "label": "free-space divisor", "default": 3, "min": 1,
                         "max": 1000, "values": [1, 2, 5, 10, 30]}]
        gc["variants"] = [{"name": "markers_1", "label": "1 marker",
                           "flags": ["--gc_markers=1"], "summary": "one marker"}]
        record = next(r for r in doc["records"] if r["strategy"] == "gc")
        record["variant"] = {"name": "heap_2x", "label": "heap 2x", "series": "heap",
                             "value": 2.0, "flags": ["--gc_max_heap_kib=1024"],
                             "heap_multiple": 2.0, "heap_bytes": 1048576}
        record["probe"]["gc"]["settings"] = {
            "markers": 2, "incremental": False, "free_space_divisor": 3,
            "max_heap_bytes": 1048576, "initial_heap_bytes": 1048576}
        doc["heap_units"] = [{
            "workload": "binary_trees", "params": {"depth": 10}, "strategy": "gc",
            "allocator": "glibc", "status": "never_completes", "unit_bytes": None,
            "interval": {"fails_bytes": 1073741824, "completes_bytes": None},
            "granularity_bytes": 65536, "trials": 5, "address_randomisation": False,
            "probes": [{"heap_bytes": 1073741824, "trials": 5, "completed": 0,
                        "reason": "out of memory: heap cap reached"}],
            "reason": "fails at the generous cap", "command": "memstrat_bench ..."}]
        cls.doc = doc
        cls.index = doc["records"].index(record)

    def verdicts(self, doc):
        return schema_verdict(self, doc)

    def test_well_formed_additions_validate(self):
        self.assertIsNone(self.verdicts(self.doc))

    def test_bad_additions_are_refused_where_they_are(self):
        i = self.index
        for change, says in [
                (lambda d: d["records"][i]["variant"].update(name="Heap 2x"),
                 f"records[{i}].variant"),
                (lambda d: d["records"][i]["variant"].pop("series"),
                 f"records[{i}].variant"),
                (lambda d: d["heap_units"][0].update(status="maybe"), "heap_units[0].status"),
                (lambda d: d["heap_units"][0]["interval"].pop("fails_bytes"),
                 "heap_units[0].interval"),
                (lambda d: d["records"][i]["probe"]["gc"]["settings"].update(markers=0),
                 f"records[{i}].probe.gc"),
                (lambda d: next(s for s in d["strategies"] if "heap" in s)["heap"].pop(
                    "granularity_bytes"), "strategies["),
        ]:
            doc = copy.deepcopy(self.doc)
            change(doc)
            why = self.verdicts(doc)
            self.assertIsNotNone(why)
            self.assertIn(says, why)


class ObjectsAndPssAdditions(unittest.TestCase):
    """Version 3's optional probe keys for the cross-language comparison (a
    probe's objects and buffers, its Pss; null where smaps_rollup is
    unreadable) validate when well-formed and are refused, naming the place,
    when not; documents without them stay valid."""

    @classmethod
    def setUpClass(cls):
        with open(FIXTURE, encoding="utf-8") as f:
            doc = json.load(f)
        index, record = next((i, r) for i, r in enumerate(doc["records"])
                             if r.get("probe"))
        record["probe"]["counts"].update(
            objects_per_iteration=1000.0, object_bytes_per_iteration=24000.0,
            buffers_per_iteration=10.0, buffer_bytes_per_iteration=4096.0)
        record["probe"]["memory"].update(baseline_pss_bytes=3145728,
                                         final_pss_bytes=None)
        cls.doc = doc
        cls.index = index

    def verdict(self, doc):
        return schema_verdict(self, doc)

    def test_well_formed_additions_validate(self):
        self.assertIsNone(self.verdict(self.doc))

    def test_the_schema_describes_every_new_key(self):
        probe = results.load_schema(3)["$defs"]["probe"]["properties"]
        for key in ["objects_per_iteration", "object_bytes_per_iteration",
                    "buffers_per_iteration", "buffer_bytes_per_iteration"]:
            self.assertIn("description", probe["counts"]["properties"][key])
        for key in ["baseline_pss_bytes", "final_pss_bytes"]:
            self.assertIn("description", probe["memory"]["properties"][key])
            self.assertNotIn(key, probe["memory"]["required"])

    def test_bad_additions_are_refused_where_they_are(self):
        i = self.index
        for change, says in [
                (lambda p: p["memory"].update(final_pss_bytes=-1),
                 f"records[{i}].probe.memory.final_pss_bytes"),
                (lambda p: p["memory"].update(baseline_pss_bytes="3 MiB"),
                 f"records[{i}].probe.memory.baseline_pss_bytes"),
                (lambda p: p["counts"].update(objects_per_iteration=None),
                 f"records[{i}].probe.counts.objects_per_iteration"),
                (lambda p: p["counts"].update(buffers_per_iteration=-2.0),
                 f"records[{i}].probe.counts.buffers_per_iteration"),
        ]:
            doc = copy.deepcopy(self.doc)
            change(doc["records"][i]["probe"])
            why = self.verdict(doc)
            self.assertIsNotNone(why)
            self.assertIn(says, why)


class VersionTwo(unittest.TestCase):
    """A version 2 document loads and reads as it always did: the four
    strategies it knew, in their order and colours, manual on glibc the
    baseline, gc's and the arena's reclaim kinds."""

    @classmethod
    def setUpClass(cls):
        cls.doc = results.load(REFERENCE)
        assert cls.doc["schema_version"] == 2, REFERENCE

    def test_reads_as_before(self):
        cat = results.Catalogue(self.doc)
        self.assertEqual(cat.strategies, ["manual", "raii", "gc", "arena"])
        self.assertEqual(cat.allocators, ["glibc", "mimalloc"])
        self.assertEqual(cat.baseline, ("manual", "glibc"))
        self.assertEqual(cat.colour("gc"), "#D55E00")
        kinds = {r["strategy"]: cat.reclaim_kind(r) for r in self.doc["records"]}
        self.assertEqual(kinds, {"manual": "release", "raii": "release",
                                 "gc": "gc_stop_world", "arena": "epoch_end"})

    def test_v2_schema_still_refuses_what_it_refused(self):
        doc = copy.deepcopy(self.doc)
        del doc["records"][0]["probe"]["memory"]["peak_rss_bytes"]
        with self.assertRaises(results.ResultsError) as cm:
            results.check(doc, "ref")
        self.assertIn("missing \"peak_rss_bytes\"", str(cm.exception))


def declaration(name, **extra):
    return dict({"name": name, "family": "C++", "reclaim_kind": "release",
                 "frees": "every_object", "collects": False, "owner_bytes": 8,
                 "colour": "#123456", "baseline": False}, **extra)


class Declarations(unittest.TestCase):
    def setUp(self):
        with open(FIXTURE, encoding="utf-8") as f:
            self.doc = json.load(f)

    def test_as_the_binary_listed_them(self):
        cat = results.Catalogue(self.doc)
        self.assertEqual(cat.strategies, [d["name"] for d in self.doc["strategies"]])
        self.assertEqual(cat.baseline, (self.doc["baseline"]["strategy"],
                                        self.doc["baseline"]["allocator"]))
        for d in self.doc["strategies"]:
            self.assertEqual(cat.colour(d["name"]), d["colour"])

    def test_order_is_the_declared_one(self):
        self.doc["strategies"].reverse()
        cat = results.Catalogue(self.doc)
        self.assertEqual(cat.strategies, [d["name"] for d in self.doc["strategies"]])
        recs = sorted(self.doc["records"], key=cat.record_order)
        self.assertEqual(list(dict.fromkeys(r["strategy"] for r in recs)), cat.strategies)

    def test_undeclared_strategies_get_a_fixed_palette_in_order_of_appearance(self):
        extra = []
        for name in ("zeta", "alpha"):
            r = copy.deepcopy(self.doc["records"][0])
            r["strategy"] = name
            extra.append(r)
        self.doc["records"] += extra
        cat = results.Catalogue(self.doc)
        self.assertEqual(cat.strategies[-2:], ["zeta", "alpha"])
        self.assertEqual([cat.colour("zeta"), cat.colour("alpha")],
                         list(results.SPARE_COLOURS[:2]))
        self.assertEqual(cat.reclaim_kind(extra[0]), "release")
        self.assertEqual(results.Catalogue(copy.deepcopy(self.doc)).colour("alpha"),
                         cat.colour("alpha"))

    def test_a_new_strategy_needs_no_edit(self):
        self.doc["strategies"].append(declaration("rust_box", family="Rust",
                                                  reclaim_kind="epoch_end"))
        r = copy.deepcopy(self.doc["records"][0])
        r["strategy"] = "rust_box"
        # A port's probe may not say its reclaim kind: the declaration does.
        for probe in [r["probe"]] + (r.get("probe_rounds") or []):
            probe.pop("reclaim_kind", None)
        self.doc["records"].append(r)
        results.check(self.doc)
        cat = results.Catalogue(self.doc)
        self.assertEqual(cat.strategies[-1], "rust_box")
        self.assertEqual(cat.colour("rust_box"), "#123456")
        self.assertEqual(cat.reclaim_kind(r), "epoch_end")

    def test_the_probe_reclaim_kind_comes_first(self):
        gc = next(r for r in self.doc["records"] if r["strategy"] == "gc")
        cat = results.Catalogue(self.doc)
        self.assertEqual(cat.reclaim_kind(gc), "gc_stop_world")
        gc["probe"]["reclaim_kind"] = "release"
        results.check(self.doc)
        self.assertEqual(cat.reclaim_kind(gc), "release")

    def test_configuration_key(self):
        r = self.doc["records"][0]
        r["params"] = {"b": 2, "a": 1}
        other = dict(r, params={"a": 1, "b": 2})
        self.assertEqual(results.config_key(r), results.config_key(other))
        self.assertEqual(results.config_key(r),
                         (r["workload"], (("a", 1), ("b", 2)), r["strategy"], r["allocator"],
                          None))
        self.assertEqual(results.work_key(r), results.config_key(r)[:2])

    def test_a_variant_is_its_own_cell_of_the_same_work(self):
        r = self.doc["records"][0]
        heap = dict(r, variant={"name": "heap_2x", "label": "heap 2x", "series": "heap",
                                "value": 2.0, "flags": ["--cap=8192"],
                                "heap_multiple": 2.0, "heap_bytes": 8388608})
        plain_null = dict(r, variant=None)
        self.assertEqual(results.config_key(heap)[:4], results.config_key(r)[:4])
        self.assertEqual(results.config_key(heap)[4], "heap_2x")
        self.assertNotEqual(results.config_key(heap), results.config_key(r))
        self.assertEqual(results.config_key(plain_null), results.config_key(r))
        self.assertEqual(results.work_key(heap), results.work_key(r))
        self.assertEqual(results.series_label(r), r["strategy"])
        self.assertEqual(results.series_label(heap), f"{r['strategy']} heap 2x")
        self.assertEqual(results.series_label(plain_null), r["strategy"])
        doc = dict(self.doc, records=[r, heap, plain_null])
        self.assertEqual(results.plain_records(doc), [r, plain_null])
        self.assertTrue(results.has_variants(doc))
        self.assertFalse(results.has_variants(self.doc))


if __name__ == "__main__":
    unittest.main()
