"""Problems found in what someone sent: the one shape every write returns, whatever the door.

A page shows them in the GOV.UK error summary, the API as a 422 body, an import with the
row and column. `field` is the field's name in the field specification (for list fields,
`ledger[2].amount`); `code` is stable, for scripts; `message` is written for people.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Problem:
    field: str
    code: str
    message: str
    row: int | None = None
    column: str | None = None
    value: str = ""

    def as_dict(self) -> dict:
        data = asdict(self)
        return {k: v for k, v in data.items() if v not in (None, "") or k in ("field", "code", "message")}

    def __str__(self) -> str:
        where = ""
        if self.row is not None:
            where = f"Row {self.row}" + (f", column {self.column}" if self.column else "") + ": "
        value = f" (“{self.value[:80]}”)" if self.value else ""
        return f"{where}{self.message}{value}"


class Refused(Exception):
    """Raised inside a write when the database refuses it (a constraint), so the
    transaction rolls back and the door reports the problems."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems
