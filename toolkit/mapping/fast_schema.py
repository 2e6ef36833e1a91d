"""A quick yes/unsure JSON Schema check for the mapping schemas, so valid files skip jsonschema.

Importing ``jsonschema`` (with ``referencing`` and ``attrs``) costs more than everything
else ``toolkit jsonld`` does on the seed; almost every run reads mapping files that are
valid. :func:`is_valid` answers True only when it is sure the instance is valid under the
Draft 2020-12 keywords the mapping schemas use; for anything else (an invalid instance, a
keyword it does not know) it answers False and :mod:`toolkit.mapping.load` asks jsonschema,
whose located, well-worded errors are the ones users see. It must never say True where
jsonschema finds an error: ``tests/test_mapping.py`` checks that on fuzzed mappings.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

# Keywords that only annotate (or, like format without a format checker, assert nothing).
_ANNOTATIONS = frozenset({"$schema", "$id", "$defs", "title", "description", "format",
                          "examples", "default", "$comment"})
_HANDLED = frozenset({"type", "enum", "const", "pattern", "minLength", "minItems", "minimum",
                      "maximum", "required", "properties", "additionalProperties",
                      "propertyNames", "items", "allOf", "anyOf", "if", "then", "$ref"})


class _Unsure(Exception):
    """The schema uses something this checker does not implement."""


@cache
def _pattern(text: str) -> re.Pattern[str]:
    return re.compile(text)


def _is_type(value: Any, name: str) -> bool:
    if name == "string":
        return isinstance(value, str)
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if name == "null":
        return value is None
    if name == "boolean":
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    if name == "integer":
        return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if name == "number":
        return isinstance(value, int | float)
    raise _Unsure(name)


def _same(a: Any, b: Any) -> bool:
    """JSON equality: booleans are not numbers (Python says True == 1)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    return type(a) is type(b) and a == b


class _Checker:
    def __init__(self, documents: dict[str, dict[str, Any]], root: str) -> None:
        self.documents = documents
        self.root = root

    def resolve(self, ref: str, base: str) -> tuple[dict[str, Any], str]:
        name, _, fragment = ref.partition("#")
        doc_name = name or base
        if doc_name not in self.documents or (fragment and not fragment.startswith("/")):
            raise _Unsure(ref)
        node: Any = self.documents[doc_name]
        for part in filter(None, fragment.split("/")):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(node, dict) or part not in node:
                raise _Unsure(ref)
            node = node[part]
        if not isinstance(node, dict):
            raise _Unsure(ref)
        return node, doc_name

    def valid(self, value: Any, schema: Any, base: str) -> bool:
        if schema is True:
            return True
        if schema is False:
            return False
        if not isinstance(schema, dict):
            raise _Unsure("schema")
        unknown = schema.keys() - _HANDLED - _ANNOTATIONS
        if unknown or ("then" in schema and "if" not in schema):
            raise _Unsure(", ".join(sorted(unknown)))
        if "$ref" in schema:
            target, target_base = self.resolve(schema["$ref"], base)
            if not self.valid(value, target, target_base):
                return False
        if "type" in schema:
            names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            if not any(_is_type(value, n) for n in names):
                return False
        if "enum" in schema and not any(_same(value, x) for x in schema["enum"]):
            return False
        if "const" in schema and not _same(value, schema["const"]):
            return False
        if isinstance(value, str):
            if "pattern" in schema and not _pattern(schema["pattern"]).search(value):
                return False
            if len(value) < schema.get("minLength", 0):
                return False
        if isinstance(value, int | float) and not isinstance(value, bool):
            if "minimum" in schema and value < schema["minimum"]:
                return False
            if "maximum" in schema and value > schema["maximum"]:
                return False
        if isinstance(value, list):
            if len(value) < schema.get("minItems", 0):
                return False
            if "items" in schema and not all(self.valid(v, schema["items"], base)
                                             for v in value):
                return False
        if isinstance(value, dict) and not self.valid_object(value, schema, base):
            return False
        if "allOf" in schema and not all(self.valid(value, s, base) for s in schema["allOf"]):
            return False
        if "anyOf" in schema and not any(self.valid(value, s, base) for s in schema["anyOf"]):
            return False
        return not ("if" in schema and self.valid(value, schema["if"], base)
                    and "then" in schema and not self.valid(value, schema["then"], base))

    def valid_object(self, value: dict[str, Any], schema: dict[str, Any], base: str) -> bool:
        if any(key not in value for key in schema.get("required", [])):
            return False
        properties = schema.get("properties", {})
        for key, item in value.items():
            if key in properties:
                if not self.valid(item, properties[key], base):
                    return False
            elif "additionalProperties" in schema and \
                    not self.valid(item, schema["additionalProperties"], base):
                return False
        names = schema.get("propertyNames")
        return names is None or all(self.valid(key, names, base) for key in value)


def is_valid(instance: Any, documents: dict[str, dict[str, Any]], root: str) -> bool:
    """True only if ``instance`` surely meets schema ``documents[root]`` (refs by file name)."""
    try:
        return _Checker(documents, root).valid(instance, documents[root], root)
    except (_Unsure, re.error, RecursionError, TypeError):
        return False
