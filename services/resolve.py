"""Find the service or category people mean: an LGSL identifier, a label, a category, or an
everyday word ("Roads", "Bins": services.vocabulary)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from organisations.names import normalise_name
from services.categories import CATEGORY_SYNONYMS
from services.models import Service, ServiceCategory
from services.vocabulary import VOCABULARY


@dataclass
class ServiceMatch:
    service: Service | None = None
    category: ServiceCategory | None = None
    problem: str = ""
    suggestions: tuple[str, ...] = ()  # "did you mean" phrases when nothing matched


@dataclass(frozen=True)
class Candidate:
    """One thing a phrase may mean, for a list best first."""

    service: Service | None
    category: ServiceCategory
    phrase: str  # the name it was found by
    how: str  # "everyday word", "category", "LGSL name", "LGSL identifier", "its category", "partly"
    score: float

    @property
    def key(self) -> str:
        return f"lgsl:{self.service.lgsl}" if self.service else f"category:{self.category.key}"

    @property
    def label(self) -> str:
        return self.service.label if self.service else self.category.label


_EXACT_ORDER = {"LGSL identifier": 1.0, "everyday word": 0.99, "category": 0.98, "LGSL name": 0.97}


class ServiceResolver:
    def __init__(self):
        self.services = {s.lgsl: s for s in Service.objects.select_related("category")}
        self.by_label = {normalise_name(s.label): s for s in self.services.values()}
        self.categories = {c.key: c for c in ServiceCategory.objects.all()}
        self.category_by_name = {normalise_name(c.label): c for c in self.categories.values()}
        self.category_by_name.update({normalise_name(c.key.replace("-", " ")): c for c in self.categories.values()})
        for word, key in CATEGORY_SYNONYMS.items():
            self.category_by_name.setdefault(normalise_name(word), self.categories.get(key))
        # Everyday words: phrase -> (service or None, category).
        self.vocabulary: dict[str, tuple[Service | None, ServiceCategory]] = {}
        self.vocabulary_phrases: dict[str, str] = {}
        for phrase, target in VOCABULARY.items():
            found = self._target(target)
            if found:
                self.vocabulary[normalise_name(phrase)] = found
                self.vocabulary_phrases[normalise_name(phrase)] = phrase

    def _target(self, target: str) -> tuple[Service | None, ServiceCategory] | None:
        kind, _, value = target.partition(":")
        if kind == "lgsl":
            service = self.services.get(int(value))
            return (service, service.category) if service else None
        category = self.categories.get(value)
        return (None, category) if category else None

    def resolve(self, text: str) -> ServiceMatch:
        text = (text or "").strip()
        cleaned = text.upper().removeprefix("LGSL").strip()
        if cleaned.isdigit():
            service = self.services.get(int(cleaned))
            if service:
                return ServiceMatch(service=service, category=service.category)
            return ServiceMatch(problem=f"No LGSL service has the identifier {cleaned}")
        key = normalise_name(text)
        if key in self.vocabulary:
            service, category = self.vocabulary[key]
            return ServiceMatch(service=service, category=category)
        if key in self.category_by_name and self.category_by_name[key]:
            return ServiceMatch(category=self.category_by_name[key])
        if key in self.by_label:
            service = self.by_label[key]
            return ServiceMatch(service=service, category=service.category)
        if text in self.categories:
            return ServiceMatch(category=self.categories[text])
        suggestions = self.suggestions(text)
        problem = f"“{text}” is not an LGSL service or a category: see the list of services"
        if suggestions:
            problem += ". Did you mean " + " or ".join(f"“{s}”" for s in suggestions) + "?"
        return ServiceMatch(problem=problem, suggestions=suggestions)

    def _phrases(self) -> dict[str, str]:
        """Every name a service or category is known by: normalised -> as written."""
        names = dict(self.vocabulary_phrases)
        names.update({normalise_name(c.label): c.label for c in self.categories.values()})
        names.update({normalise_name(s.label): s.label for s in self.services.values()})
        return names

    def suggestions(self, text: str, n: int = 3) -> tuple[str, ...]:
        """Names close to a phrase that matched nothing ("Rodas" -> "Roads")."""
        names = self._phrases()
        close = difflib.get_close_matches(normalise_name(text), list(names), n=n, cutoff=0.75)
        return tuple(names[c] for c in close)

    def search(self, text: str, limit: int = 10) -> list[Candidate]:
        """What a phrase may mean, best first: an exact everyday word, category, LGSL name or
        identifier first, then names sharing its words (more shared words first)."""
        text = (text or "").strip()
        key = normalise_name(text)
        if not key:
            return []
        found: list[Candidate] = []

        def add(service, category, phrase, how, score):
            if category is None:
                return
            candidate = Candidate(service, category, phrase, how, score)
            if all(c.key != candidate.key for c in found):
                found.append(candidate)

        exact = self.resolve(text)
        if not exact.problem:
            how = (
                "LGSL identifier"
                if text.upper().removeprefix("LGSL").strip().isdigit()
                else "everyday word"
                if key in self.vocabulary
                else "LGSL name"
                if exact.service
                else "category"
            )
            add(exact.service, exact.category, text, how, _EXACT_ORDER.get(how, 0.96))
            if exact.service is not None:
                add(None, exact.service.category, exact.service.category.label, "its category", 0.95)
        words = set(key.split())
        partial: list[tuple[float, str, Service | None, ServiceCategory, str]] = []
        for phrase, (service, category) in self.vocabulary.items():
            partial.append((_overlap(words, phrase), phrase, service, category, self.vocabulary_phrases[phrase]))
        for phrase, category in self.category_by_name.items():
            if category:
                partial.append((_overlap(words, phrase), phrase, None, category, category.label))
        for phrase, service in self.by_label.items():
            partial.append((_overlap(words, phrase), phrase, service, service.category, service.label))
        partial.sort(key=lambda p: (-p[0], p[1]))
        for score, _phrase, service, category, written in partial:
            if score <= 0 or len(found) >= limit:
                break
            add(service, category, written, "partly", round(0.9 * score, 3))
        return found[:limit]


def _overlap(words: set[str], phrase: str) -> float:
    """Shared words over all words (Jaccard), a word counting when one starts the other."""
    theirs = set(phrase.split())
    if not words or not theirs:
        return 0.0
    shared = sum(1 for w in words if any(t.startswith(w) or w.startswith(t) for t in theirs if len(t) > 2 or t == w))
    return shared / len(words | theirs) if shared else 0.0
