"""A JSON Schema validator for the subset of draft 2020-12 that memstrat's
schemas use (type, const, enum, required, properties, additionalProperties,
items, minItems, minimum, exclusiveMinimum, pattern, oneOf, local $ref), so
the scripts need nothing beyond the standard library. Tests check it against
the full `jsonschema` package where Debian's python3-jsonschema is present."""

import re

_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


class SchemaError(ValueError):
    """The document does not match; str() says where and why, in one line."""


def validate(doc, schema):
    """Raises SchemaError at the first mismatch."""
    _check(doc, schema, schema, "$")


def _resolve(ref, root):
    if not ref.startswith("#/"):
        raise SchemaError(f"unsupported $ref {ref}")
    node = root
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def _check(value, schema, root, where):
    if schema is True:
        return
    if schema is False:
        raise SchemaError(f"{where}: no value is allowed here")
    if "$ref" in schema:
        _check(value, _resolve(schema["$ref"], root), root, where)
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_TYPES[t](value) for t in types):
            raise SchemaError(f"{where}: expected {' or '.join(types)}, got {_describe(value)}")
    if "const" in schema and value != schema["const"]:
        raise SchemaError(f"{where}: expected {schema['const']!r}, got {value!r}")
    if "enum" in schema and value not in schema["enum"]:
        raise SchemaError(f"{where}: {value!r} is not one of {schema['enum']}")
    if "oneOf" in schema:
        errors = []
        matched = 0
        for option in schema["oneOf"]:
            try:
                _check(value, option, root, where)
                matched += 1
            except SchemaError as e:
                errors.append(str(e))
        if matched != 1:
            detail = "; ".join(errors) if matched == 0 else "several alternatives match"
            raise SchemaError(f"{where}: matches no allowed form ({detail})")
    if _TYPES["number"](value):
        if "minimum" in schema and value < schema["minimum"]:
            raise SchemaError(f"{where}: {value} is below the minimum {schema['minimum']}")
        if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
            raise SchemaError(f"{where}: {value} must be above {schema['exclusiveMinimum']}")
    if isinstance(value, str) and "pattern" in schema and not re.search(schema["pattern"], value):
        raise SchemaError(f"{where}: {value!r} does not match {schema['pattern']}")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            raise SchemaError(f"{where}: needs at least {schema['minItems']} items")
        if "items" in schema:
            for i, item in enumerate(value):
                _check(item, schema["items"], root, f"{where}[{i}]")
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                raise SchemaError(f"{where}: missing \"{key}\"")
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            if key in props:
                _check(item, props[key], root, f"{where}.{key}")
            else:
                _check(item, extra, root, f"{where}.{key}")


def _describe(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    return type(value).__name__.replace("dict", "object").replace("list", "array").replace(
        "str", "string").replace("float", "number").replace("int", "integer")
