"""The evidence library's pages: the searchable list, a page per source and a page per factor."""

from __future__ import annotations

from django import forms
from django.shortcuts import get_object_or_404, render

from evidence import services
from evidence.models import CaseStudy, Factor, Source, Theme
from readiness import questions
from sharewell.widgets import GovukFormMixin


class EvidenceFilterForm(GovukFormMixin, forms.Form):
    q = forms.CharField(label="Search the evidence", required=False, max_length=200)
    theme = forms.ChoiceField(label="Theme", required=False)
    factor = forms.ChoiceField(label="Factor", required=False)
    country = forms.ChoiceField(label="Country", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", "Any theme"), *Theme.objects.values_list("key", "label")]
        self.fields["factor"].choices = [("", "Any factor"), *Factor.objects.values_list("key", "label")]
        self.fields["country"].choices = [("", "Any country"), *((c, c) for c in services.countries())]


def library(request):
    form = EvidenceFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    found = services.sources(
        filters.get("q", ""), filters.get("theme", ""), filters.get("factor", ""), filters.get("country", "")
    )
    cases = [(case, services.register_entry(case)) for case in CaseStudy.objects.select_related("source")]
    return render(
        request,
        "evidence/library.html",
        {
            "form": form,
            "sources": list(found),
            "total": Source.objects.count(),
            "factors": Factor.objects.all(),
            "cases": cases,
            "filtered": any(filters.values()) if filters else False,
        },
    )


def source(request, key: str):
    item = get_object_or_404(Source.objects.prefetch_related("themes", "factors", "quotations"), key=key)
    cases = [(case, services.register_entry(case)) for case in item.case_studies.all()]
    asked = [q for q in questions.every_question() if key in q.sources]
    return render(request, "evidence/source.html", {"source": item, "cases": cases, "questions": asked})


def factor(request, key: str):
    item = get_object_or_404(Factor, key=key)
    sources = item.sources.prefetch_related("quotations", "themes").order_by("-year", "title")
    asked = [q for q in questions.every_question() if q.factor == key]
    return render(
        request,
        "evidence/factor.html",
        {
            "factor": item,
            "sources": sources,
            "questions": asked,
            "checklist_items": item.checklist_items.select_related("checklist"),
        },
    )
