"""The small OpenAPI checker the API tests rely on must itself catch mistakes."""

from __future__ import annotations

import pytest

from organisations.tests.openapi import errors

DOCUMENT = {
    "components": {
        "schemas": {
            "Link": {"type": "object", "required": ["code"], "properties": {"code": {"type": "string"}}},
            "Thing": {
                "type": "object",
                "required": ["count", "links", "when"],
                "properties": {
                    "count": {"type": "integer"},
                    "share": {"anyOf": [{"type": "number"}, {"type": "null"}]},
                    "links": {"type": "array", "items": {"$ref": "#/components/schemas/Link"}},
                    "when": {"anyOf": [{"type": "string", "format": "date"}, {"type": "null"}]},
                },
            },
        }
    }
}
THING = {"$ref": "#/components/schemas/Thing"}
GOOD = {"count": 2, "share": 0.5, "links": [{"code": "TST"}], "when": "2025-05-02"}


def test_a_valid_instance_has_no_errors():
    assert errors(GOOD, THING, DOCUMENT) == []
    assert errors({**GOOD, "share": None, "when": None, "links": []}, THING, DOCUMENT) == []


@pytest.mark.parametrize(
    "change, message",
    [
        ({"count": "2"}, "$.count: expected integer"),
        ({"count": True}, "$.count: expected integer"),
        ({"share": "half"}, "$.share: matches no option"),
        ({"links": [{}]}, "$.links[0]: missing code"),
        ({"links": [{"code": 1}]}, "$.links[0].code: expected string"),
        ({"when": "2 May 2025"}, "$.when: matches no option"),
        ({"extra": 1}, "$: undocumented field extra"),
    ],
)
def test_mistakes_are_reported(change, message):
    found = errors({**GOOD, **change}, THING, DOCUMENT)

    assert any(error.startswith(message) for error in found), found


def test_a_missing_required_field_is_reported():
    assert errors({"count": 1, "links": []}, THING, DOCUMENT) == ["$: missing when"]
