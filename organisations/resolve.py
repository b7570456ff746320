"""Find the organisation that people mean by a name, code or GSS code.

Used wherever people type or upload organisation names. Abolished organisations are
included: history refers to them.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from organisations.models import GssCode, Organisation, OrganisationName
from organisations.names import core_name, normalise_name

_TRAILING_CODE = re.compile(r"\(([A-Za-z0-9]{2,12})\)\s*$")


@dataclass
class Resolution:
    text: str
    organisation: Organisation | None = None
    candidates: list[Organisation] = field(default_factory=list)  # when ambiguous
    suggestions: list[str] = field(default_factory=list)  # closest names when nothing matched

    @property
    def problem(self) -> str:
        if self.organisation:
            return ""
        if self.candidates:
            names = " or ".join(f"{o.name} ({o.code})" for o in self.candidates[:4])
            return f"“{self.text}” could mean {names}: use the code"
        hint = f" Did you mean {', '.join(f'“{s}”' for s in self.suggestions)}?" if self.suggestions else ""
        return f"No organisation called “{self.text}”.{hint}"


class OrganisationResolver:
    """Loads every name once, then resolves many texts quickly (an import may have thousands)."""

    def __init__(self):
        self.by_code = {code.lower(): pk for code, pk in Organisation.objects.values_list("code", "id")}
        self.by_code.update({code.lower(): pk for code, pk in GssCode.objects.values_list("code", "organisation_id")})
        self.by_name: dict[str, set[int]] = {}
        self.display: dict[str, str] = {}
        self.by_core: dict[str, set[int]] = {}
        for pk, name, normalised in OrganisationName.objects.values_list("organisation_id", "name", "normalised"):
            self.by_name.setdefault(normalised, set()).add(pk)
            self.display.setdefault(normalised, name)
            # "Northtown DC" should find "Northtown District Council": compare the places too.
            self.by_core.setdefault(core_name(name), set()).add(pk)
        self._organisations: dict[int, Organisation] = {}
        self._current = set(Organisation.objects.current().values_list("id", flat=True))
        # Current organisations' own names, to notice a short form that fits several
        # ("Newcastle": upon Tyne or under Lyme).
        self._own_names: dict[int, tuple[str, str]] = {
            pk: (normalise_name(name), normalise_name(official))
            for pk, name, official in Organisation.objects.current().values_list("id", "name", "official_name")
        }

    def _get(self, pk: int) -> Organisation:
        if pk not in self._organisations:
            self._organisations[pk] = Organisation.objects.get(pk=pk)
        return self._organisations[pk]

    def _also_meant(self, key: str, pk: int) -> list[int]:
        """Other current organisations whose own name starts with `key` as a whole word,
        when `key` is not the found one's own name: "Newcastle" is an old short name of
        Newcastle upon Tyne, but Newcastle-under-Lyme starts the same way."""
        if key in self._own_names.get(pk, ()):
            return []
        prefix = key + " "
        return [
            other
            for other, names in self._own_names.items()
            if other != pk and any(n.startswith(prefix) for n in names)
        ]

    def resolve(self, text: str) -> Resolution:
        text = (text or "").strip()
        result = Resolution(text)
        if not text:
            return result
        if pk := self.by_code.get(text.lower()):
            result.organisation = self._get(pk)
            return result
        # "Northtown District Council (NTT)", as the autocomplete offers it: the code decides.
        if (match := _TRAILING_CODE.search(text)) and (pk := self.by_code.get(match.group(1).lower())):
            result.organisation = self._get(pk)
            return result
        core = core_name(text)
        for index, key in ((self.by_name, normalise_name(text)), (self.by_name, core), (self.by_core, core)):
            matches = index.get(key, set())
            if len(matches) > 1:
                # Prefer the one body that still exists, if only one does.
                current = matches & self._current
                matches = current if len(current) == 1 else matches
            if len(matches) == 1:
                pk = next(iter(matches))
                if others := self._also_meant(key, pk):
                    result.candidates = sorted((self._get(o) for o in {pk, *others}), key=lambda o: o.name)
                    return result
                result.organisation = self._get(pk)
                return result
            if matches:
                result.candidates = sorted((self._get(pk) for pk in matches), key=lambda o: o.name)
                return result
        close = difflib.get_close_matches(normalise_name(text), self.by_name.keys(), n=3, cutoff=0.75)
        result.suggestions = list(dict.fromkeys(self.display[c] for c in close))
        return result
