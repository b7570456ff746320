"""Check a JSON response against the API's own OpenAPI document.

`jsonschema` is not a dependency, so this covers the part of JSON Schema that
django-ninja emits: $ref, anyOf, type, properties, required, items and date formats.
It is also stricter than JSON Schema in one way: a response field the document does
not list is an error, so the document cannot fall behind the code.
"""

from __future__ import annotations

import datetime as dt

TYPES = {
    "string": str,
    "boolean": bool,
    "array": list,
    "object": dict,
    "null": type(None),
    "integer": int,
    "number": (int, float),
}


def response_schema(document: dict, path: str, status: int, method: str = "get") -> dict:
    operation = document["paths"][path][method]
    return operation["responses"][str(status)]["content"]["application/json"]["schema"]


def errors(instance, schema: dict, document: dict, where: str = "$") -> list[str]:
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/components/schemas/")
        return errors(instance, document["components"]["schemas"][name], document, where)
    if "anyOf" in schema:
        options = [errors(instance, option, document, where) for option in schema["anyOf"]]
        return [] if any(not found for found in options) else [f"{where}: matches no option: {options}"]
    expected = schema.get("type")
    if expected:
        python_type = TYPES[expected]
        # bool is an int in Python, but not in JSON.
        if not isinstance(instance, python_type) or (isinstance(instance, bool) and expected in ("integer", "number")):
            return [f"{where}: expected {expected}, got {instance!r}"]
    if schema.get("format") == "date" and isinstance(instance, str):
        try:
            dt.date.fromisoformat(instance)
        except ValueError:
            return [f"{where}: not a date: {instance!r}"]
    found = []
    if isinstance(instance, dict) and "properties" in schema:
        properties = schema["properties"]
        found += [f"{where}: missing {name}" for name in schema.get("required", []) if name not in instance]
        found += [f"{where}: undocumented field {name}" for name in instance if name not in properties]
        for name, value in instance.items():
            if name in properties:
                found += errors(value, properties[name], document, f"{where}.{name}")
    if isinstance(instance, list) and "items" in schema:
        for index, item in enumerate(instance):
            found += errors(item, schema["items"], document, f"{where}[{index}]")
    return found
