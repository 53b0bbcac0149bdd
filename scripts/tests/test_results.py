"""Loading results documents: malformed, truncated, empty, wrong-version,
NaN-bearing and schema-violating documents give one-line errors; the
stdlib validator agrees with the jsonschema package where it exists."""

import copy
import json
import os
import tempfile
import unittest

from support import FIXTURES

from memstrat import results, schema

FIXTURE = os.path.join(FIXTURES, "small-results.json")


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

    def test_empty(self):
        self.refused("", "is empty")

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
        sch = results.load_schema()
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


if __name__ == "__main__":
    unittest.main()
