"""Docs that stay honest: every setting read from the environment is in .env.example, each with a
line saying what it does, and .env.example names nothing that is no longer read."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Files that read settings from the environment with django-environ: env.str("NAME", ...), env.db("NAME")...
READERS = [ROOT / "sharewell" / "settings.py", ROOT / "gunicorn.conf.py"]
ENV_CALL = re.compile(
    r"""\benv(?:\.(?:str|bool|int|float|list|tuple|dict|json|url|db|db_url|cache|cache_url|email|email_url|path))?"""
    r"""\(\s*["']([A-Z][A-Z0-9_]*)["']"""
)
# "NAME=value", or "#NAME=value" for a setting left to its default.
VARIABLE = re.compile(r"^#?([A-Z][A-Z0-9_]*)=")


def read_settings() -> set[str]:
    return {name for path in READERS for name in ENV_CALL.findall(path.read_text())}


def documented() -> dict[str, str | None]:
    """Each variable in .env.example, with the comment on the line just above it (None if there is none)."""
    lines = (ROOT / ".env.example").read_text().splitlines()
    found: dict[str, str | None] = {}
    for number, line in enumerate(lines):
        if match := VARIABLE.match(line):
            above = lines[number - 1] if number else ""
            comment = above.startswith("# ") and not VARIABLE.match(above.lstrip("# ")) and len(above) > 8
            found[match.group(1)] = above[2:] if comment else None
    return found


def test_the_parser_finds_the_settings():
    names = read_settings()
    assert {"DEBUG", "SECRET_KEY", "DATABASE_URL", "SECURE_COOKIES", "PORT", "WEB_CONCURRENCY"} <= names


@pytest.mark.parametrize("name", sorted(read_settings()))
def test_every_setting_is_in_env_example_with_a_comment_above_it(name):
    variables = documented()
    assert name in variables, f"{name} is read from the environment but is not in .env.example"
    assert variables[name], f"{name} in .env.example has no '# what it does' line just above it"


def test_env_example_names_only_settings_that_are_read():
    assert not set(documented()) - read_settings()
