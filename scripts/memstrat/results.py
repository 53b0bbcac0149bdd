"""Loading a results document and reading what it declares.

Loading: strict JSON (no NaN or Infinity), plain or gzip-compressed (how
the full profile's reference is committed), a schema version this memstrat
reads (3, and 2 for the documents written before the strategies declared
themselves), valid against results/schema/results-v<N>.schema.json. Every
problem becomes a ResultsError whose message is one line naming the file.

Declarations: a version 3 document carries each strategy's declarations
(`strategies`: name, family, reclaim kind, colour, baseline, ..., in the
strategies' order, as `memstrat_bench --list_strategies` printed them), its
allocators in order (`allocators`) and the baseline pair (`baseline`). The
charts, the report and compare take strategies, their order, colours, the
baseline and reclaim kinds only from here (Catalogue), never from a list of
names of their own."""

import gzip
import json
import math
import os
import zlib

from memstrat import schema as schema_mod

SCHEMA_VERSION = 3
READABLE_VERSIONS = (2, 3)
SCHEMA_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "results", "schema")
SCHEMA_PATH = os.path.join(SCHEMA_DIR, f"results-v{SCHEMA_VERSION}.schema.json")


class ResultsError(Exception):
    """A results document that cannot be used; str() is one line."""


def _reject_constant(name):
    raise ValueError(f"non-finite number {name}")


def load_schema(version=SCHEMA_VERSION):
    with open(os.path.join(SCHEMA_DIR, f"results-v{version}.schema.json"),
              encoding="utf-8") as f:
        return json.load(f)


def load(path):
    """Returns the validated document at path, or raises ResultsError."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise ResultsError(f"cannot read {path}: {e.strerror}") from None
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as e:
            raise ResultsError(f"{path} is a damaged gzip file ({e})") from None
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
    if version not in READABLE_VERSIONS or isinstance(version, bool):
        readable = " and ".join(str(v) for v in READABLE_VERSIONS)
        raise ResultsError(f"{path} has schema version {version!r}; this memstrat reads "
                           f"versions {readable} (regenerate it with scripts/run)")
    _check_finite(doc, path)
    try:
        schema_mod.validate(doc, load_schema(version))
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


def plain_records(doc, ok=False):
    """The records of the strategies at their defaults (no variant): the only
    ones the tables and charts that compare strategies show, since a variant
    is the same strategy again under other settings and would stand as a
    second row of it. With ok, only those that did not fail."""
    return [r for r in doc["records"] if not r.get("variant")
            and (not ok or r["status"] == "ok")]


def is_build(record):
    """Whether the record's variant is another build of its strategy (kind
    "build": the C++ compiled by clang, for the same-backend comparison with
    a port), not other settings of it: such records are no point of a
    space-time curve."""
    variant = record.get("variant")
    return bool(variant) and variant.get("kind") == "build"


def has_variants(doc):
    """Whether the document holds a space-time sweep: variant records (other
    than builds) or heap units."""
    return bool(doc.get("heap_units")) or any(r.get("variant") and not is_build(r)
                                              for r in doc["records"])


def not_applicable_records(doc):
    """The records whose program could not run them by design (status
    not_applicable: a JVM refusing its collector or heap size, a workload a
    port's language cannot express); neither ok
    nor failed, their failure holds the reason."""
    return [r for r in doc["records"] if r["status"] == "not_applicable"]


# Heap units ------------------------------------------------------------
#
# heap_units holds one entry per (workload, params, strategy, allocator)
# whose strategy declares a heap. The strategies of one heap.unit_group
# share one bisection per benchmark: each still has its own entry (so a
# lookup by strategy finds it), a copy of the group's bisection with
# `unit_group` and `bisected_with` (the strategy that was bisected) added;
# the bisecting strategy's own entry has bisected_with equal to its strategy.

def heap_unit(doc, workload, params, strategy, allocator):
    """The heap_units entry of one benchmark's strategy on an allocator, or
    None: a unit group's shared unit too."""
    wanted = (workload, tuple(sorted(params.items())), strategy, allocator)
    for u in doc.get("heap_units", []):
        if (u["workload"], tuple(sorted(u["params"].items())), u["strategy"],
                u["allocator"]) == wanted:
            return u
    return None


def bisections(doc):
    """The heap_units entries that are bisections of their own: one per
    group and benchmark (the others copy it), and every ungrouped one; what
    a table of the bisections lists once."""
    return [u for u in doc.get("heap_units", [])
            if u.get("bisected_with", u["strategy"]) == u["strategy"]]


# The configuration key -------------------------------------------------
#
# A record is one cell of the matrix. Every script names a cell the same
# way, by config_key: the workload, its parameters (sorted by name, so that
# the order a name or a JSON object gives them in never matters), the
# strategy and the allocator. work_key is the part of it that fixes the work
# done (workload and parameters): the strategies and allocators of one
# work_key did the same work and are compared with one another (a chart's
# panel, a report's table, a parity check). A record's variant (a strategy
# run with other settings: a heap multiple, a free-space divisor, one
# marker) is the last part of config_key, not of work_key: a variant does
# the same work. Settings added to a record later (threads) join these keys
# here, and nowhere else.

def params_key(record):
    return tuple(sorted(record["params"].items()))


def work_key(record):
    """(workload, params): the work a record did."""
    return (record["workload"], params_key(record))


def variant_name(record):
    """The name of the record's variant, None for the strategy at its defaults."""
    variant = record.get("variant")
    return variant["name"] if variant else None


def config_key(record):
    """(workload, params, strategy, allocator, variant name or None): the
    record's cell."""
    return (record["workload"], params_key(record), record["strategy"],
            record["allocator"], variant_name(record))


def series_label(record):
    """What a legend or a table calls the record: its strategy ("gc"), and
    its variant's label after it ("gc heap 2x")."""
    variant = record.get("variant")
    return f"{record['strategy']} {variant['label']}" if variant else record["strategy"]


# Declarations ----------------------------------------------------------

# What a version 2 document implied without saying it: it was written when
# these four strategies on these two allocators were all there was, with
# manual on glibc the baseline. Frozen: no version 2 document holds any
# other strategy, so nothing new is ever added here.
_V2_STRATEGIES = (
    {"name": "manual", "family": "C++", "reclaim_kind": "release", "colour": "#0072B2",
     "baseline": True, "owner_bytes": 8},
    {"name": "raii", "family": "C++", "reclaim_kind": "release", "colour": "#009E73",
     "baseline": False, "owner_bytes": 8},
    {"name": "gc", "family": "C++", "reclaim_kind": "gc_stop_world", "colour": "#D55E00",
     "baseline": False, "owner_bytes": 8, "collects": True},
    {"name": "arena", "family": "C++", "reclaim_kind": "epoch_end", "colour": "#E69F00",
     "baseline": False, "owner_bytes": 8},
)
_V2_ALLOCATORS = ({"name": "glibc", "baseline": True},
                  {"name": "mimalloc", "baseline": False})

# Colours of strategies a document does not declare (Okabe-Ito's remaining
# ones, then Paul Tol's muted scheme), by order of first appearance.
SPARE_COLOURS = ("#CC79A7", "#56B4E9", "#000000", "#F0E442", "#882255", "#44AA99",
                 "#999933", "#AA4499", "#332288", "#117733", "#88CCEE", "#DDCC77")
# The pause kinds every strategy's reclaim is one of.
DEFAULT_RECLAIM_KIND = "release"


def strategy_declarations(doc):
    """The document's strategy declarations, in order."""
    if "strategies" in doc:
        return doc["strategies"]
    return list(_V2_STRATEGIES) if doc.get("schema_version") == 2 else []


def allocator_declarations(doc):
    if "allocators" in doc:
        return doc["allocators"]
    return list(_V2_ALLOCATORS) if doc.get("schema_version") == 2 else []


def _first_appearance(values):
    return list(dict.fromkeys(values))


class Catalogue:
    """What one or more documents declare about their strategies and
    allocators, merged: the first declaration of a name wins, declared names
    come in declared order, and names only the records hold follow in the
    order they first appear there."""

    def __init__(self, docs):
        docs = [docs] if isinstance(docs, dict) else list(docs)
        self._strategies, self._allocators = {}, {}
        for doc in docs:
            for d in strategy_declarations(doc):
                self._strategies.setdefault(d["name"], d)
            for d in allocator_declarations(doc):
                self._allocators.setdefault(d["name"], d)
        records = [r for doc in docs for r in doc.get("records", [])]
        self.undeclared_strategies = [s for s in _first_appearance(
            r["strategy"] for r in records) if s not in self._strategies]
        self.strategies = list(self._strategies) + self.undeclared_strategies
        self.allocators = list(self._allocators) + [
            a for a in _first_appearance(r["allocator"] for r in records)
            if a not in self._allocators]
        self.baseline = self._baseline(docs)

    def _baseline(self, docs):
        for doc in docs:
            if "baseline" in doc:
                return doc["baseline"]["strategy"], doc["baseline"]["allocator"]
        strategy = next((n for n, d in self._strategies.items() if d.get("baseline")),
                        self.strategies[0] if self.strategies else None)
        allocator = next((n for n, d in self._allocators.items() if d.get("baseline")),
                         self.allocators[0] if self.allocators else None)
        return strategy, allocator

    @property
    def baseline_strategy(self):
        return self.baseline[0]

    @property
    def baseline_allocator(self):
        return self.baseline[1]

    def baseline_label(self, sep=" on "):
        """'manual on glibc' (or with another separator: 'manual/glibc')."""
        return f"{self.baseline[0]}{sep}{self.baseline[1]}"

    def declaration(self, strategy):
        """The strategy's declarations, {} for a strategy no document declares."""
        return self._strategies.get(strategy, {})

    def declared(self, strategy):
        return strategy in self._strategies

    def colour(self, strategy):
        declared = self.declaration(strategy).get("colour")
        if declared:
            return declared
        extra = self.undeclared_strategies
        index = extra.index(strategy) if strategy in extra else len(extra)
        return SPARE_COLOURS[index % len(SPARE_COLOURS)]

    def order(self, strategy):
        """Sort key of a strategy: its place in the declared order."""
        return (self.strategies.index(strategy) if strategy in self.strategies
                else len(self.strategies), strategy)

    def allocator_order(self, allocator):
        return (self.allocators.index(allocator) if allocator in self.allocators
                else len(self.allocators), allocator)

    def record_order(self, record):
        """Sort key of records: workload, params, then strategy and allocator
        in declared order."""
        return (record["workload"], params_key(record), self.order(record["strategy"]),
                self.allocator_order(record["allocator"]))

    def reclaim_kind(self, record):
        """The pause kind through which the record's strategy reclaims memory:
        what its probe says (a strategy may configure itself per workload),
        else what the strategy declares, else a release."""
        probe = record.get("probe") or {}
        return (probe.get("reclaim_kind")
                or self.declaration(record["strategy"]).get("reclaim_kind")
                or DEFAULT_RECLAIM_KIND)

    def probe_reclaim_kind(self, probe, strategy):
        """As reclaim_kind, for one probe (one round) of a strategy."""
        return ((probe or {}).get("reclaim_kind")
                or self.declaration(strategy).get("reclaim_kind")
                or DEFAULT_RECLAIM_KIND)
