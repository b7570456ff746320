"""Find the service or category people mean: an LGSL identifier, a label or a category."""

from __future__ import annotations

from dataclasses import dataclass

from organisations.names import normalise_name
from services.categories import CATEGORY_SYNONYMS
from services.models import Service, ServiceCategory


@dataclass
class ServiceMatch:
    service: Service | None = None
    category: ServiceCategory | None = None
    problem: str = ""


class ServiceResolver:
    def __init__(self):
        self.services = {s.lgsl: s for s in Service.objects.select_related("category")}
        self.by_label = {normalise_name(s.label): s for s in self.services.values()}
        self.categories = {c.key: c for c in ServiceCategory.objects.all()}
        self.category_by_name = {normalise_name(c.label): c for c in self.categories.values()}
        self.category_by_name.update({normalise_name(c.key.replace("-", " ")): c for c in self.categories.values()})
        for word, key in CATEGORY_SYNONYMS.items():
            self.category_by_name.setdefault(normalise_name(word), self.categories.get(key))

    def resolve(self, text: str) -> ServiceMatch:
        text = (text or "").strip()
        cleaned = text.upper().removeprefix("LGSL").strip()
        if cleaned.isdigit():
            service = self.services.get(int(cleaned))
            if service:
                return ServiceMatch(service=service, category=service.category)
            return ServiceMatch(problem=f"No LGSL service has the identifier {cleaned}")
        key = normalise_name(text)
        if key in self.category_by_name and self.category_by_name[key]:
            return ServiceMatch(category=self.category_by_name[key])
        if key in self.by_label:
            service = self.by_label[key]
            return ServiceMatch(service=service, category=service.category)
        if text in self.categories:
            return ServiceMatch(category=self.categories[text])
        return ServiceMatch(problem=f"“{text}” is not an LGSL service or a category: see the list of services")
