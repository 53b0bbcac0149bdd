"""Loading a results document: strict JSON (no NaN or Infinity), the right
schema version, valid against results/schema/results-v2.schema.json. Every
problem becomes a ResultsError whose message is one line naming the file."""

import json
import math
import os

from memstrat import schema as schema_mod

SCHEMA_VERSION = 2
SCHEMA_PATH = os.path.join(os.path.dirname(__file__), "..", "..", "results", "schema",
                           f"results-v{SCHEMA_VERSION}.schema.json")


class ResultsError(Exception):
    """A results document that cannot be used; str() is one line."""


def _reject_constant(name):
    raise ValueError(f"non-finite number {name}")


def load_schema():
    with open(SCHEMA_PATH, encoding="utf-8") as f:
        return json.load(f)


def load(path):
    """Returns the validated document at path, or raises ResultsError."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise ResultsError(f"cannot read {path}: {e.strerror}") from None
    if not raw.strip():
        raise ResultsError(f"{path} is empty")
    try:
        doc = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except UnicodeDecodeError:
        raise ResultsError(f"{path} is not UTF-8 text") from None
    except ValueError as e:
        msg = str(e)
        if "non-finite" in msg:
            raise ResultsError(f"{path} holds a {msg.split('number ')[-1]} value, "
                               "which is not JSON") from None
        # A cut inside a string is reported where the string began.
        truncated = isinstance(e, json.JSONDecodeError) and (
            e.pos >= len(raw.rstrip()) or e.msg.startswith("Unterminated string"))
        kind = "truncated" if truncated else "not valid JSON"
        raise ResultsError(f"{path} is {kind} ({msg})") from None
    check(doc, path)
    return doc


def check(doc, path="document"):
    """Validates an already parsed document."""
    if not isinstance(doc, dict) or doc.get("kind") != "memstrat-results":
        raise ResultsError(f"{path} is not a memstrat results document")
    version = doc.get("schema_version")
    if version != SCHEMA_VERSION:
        raise ResultsError(f"{path} has schema version {version!r}; this memstrat reads "
                           f"version {SCHEMA_VERSION} (regenerate it with scripts/run)")
    _check_finite(doc, path)
    try:
        schema_mod.validate(doc, load_schema())
    except schema_mod.SchemaError as e:
        raise ResultsError(f"{path} does not match the results schema: {e}") from None


def _check_finite(value, path, where="$"):
    if isinstance(value, float) and not math.isfinite(value):
        raise ResultsError(f"{path}: {where} is {value}, which is not JSON")
    if isinstance(value, dict):
        for k, v in value.items():
            _check_finite(v, path, f"{where}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _check_finite(v, path, f"{where}[{i}]")


def ok_records(doc):
    """The records that did not fail."""
    return [r for r in doc["records"] if r["status"] == "ok"]
