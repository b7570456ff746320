"""The partner finder pages: search, results with reasons and a map, and a comparison."""

from __future__ import annotations

import csv
import math

from django.http import HttpResponse
from django.shortcuts import render

from accounts.permissions import can_edit_organisation
from organisations.resolve import OrganisationResolver
from partners import engine, services
from partners.finder_forms import FinderForm
from sharewell.cells import safe_text


def _search(form: FinderForm) -> tuple[services.Search | None, str]:
    """A Search from a valid form, or the message to show on the right field."""
    resolution = OrganisationResolver().resolve(form.cleaned_data["organisation"])
    if resolution.organisation is None:
        form.add_error("organisation", resolution.problem)
        return None, ""
    if not resolution.organisation.is_current:
        form.add_error("organisation", f"{resolution.organisation.name} no longer exists: choose its successor")
        return None, ""
    data = form.cleaned_data
    text = str(data["service"] or data.get("words") or data["category"])
    try:
        choice = services.resolve_service(text)
    except services.UnknownService as error:
        form.add_error("service" if data["service"] else "words", str(error))
        return None, ""
    return services.Search(
        organisation=resolution.organisation,
        service=choice,
        weights=form.weights(),
        max_distance_km=data.get("max_distance_km"),
        nations=[data["nation"]] if data.get("nation") else None,
        org_types=services.org_types_for(data.get("org_type") or ""),
        limit=data.get("limit") or 20,
        group_weights=form.group_weights() or None,
    ), ""


def _initial(request) -> dict:
    """Start from the user's own organisation, if they belong to one."""
    if request.user.is_authenticated:
        membership = request.user.memberships.select_related("organisation").first()
        if membership:
            return {"organisation": membership.organisation.code}
    return {}


def finder(request):
    form = FinderForm(request.GET or None, initial=_initial(request))
    result = search = None
    if form.is_bound and form.is_valid():
        search, _ = _search(form)
        if search is not None:
            try:
                result = services.find(search)
            except engine.UnknownOrganisation:
                form.add_error(
                    "organisation",
                    "This organisation cannot be matched (it is not a council or public body with a place)",
                )
    map_points = []
    if result:
        data = services.matching_data()
        for match in [None, *result.matches]:
            code = search.organisation.code if match is None else match.code
            i = data.index.get(code)
            if i is not None and data.lat[i] == data.lat[i]:  # not NaN
                map_points.append(
                    {
                        "code": code,
                        "name": data.names[i],
                        "lat": float(data.lat[i]),
                        "lon": float(data.lon[i]),
                        "self": match is None,
                        "score": round(match.score * 100) if match else None,
                    }
                )
    return render(
        request,
        "partners/finder.html",
        {
            "form": form,
            "result": result,
            "search": search,
            "map_points": map_points,
            "query": request.GET.urlencode(),
            "can_record_contracts": bool(search) and can_edit_organisation(request.user, search.organisation),
        },
    )


COMPARE_MAX = 4


def compare(request):
    """Up to four candidates side by side: factors, indicators and the arrangements they are
    in. The page's address is the shortlist: keep it, share it, or download it as CSV."""
    form = FinderForm(request.GET or None)
    ticked = list(dict.fromkeys(c for c in request.GET.getlist("candidate") if c))
    codes = ticked[:COMPARE_MAX]
    matches, search = [], None
    if form.is_bound and form.is_valid() and len(codes) >= 2:
        search, _ = _search(form)
        if search is not None:
            search.limit = None  # rank everyone, so any of them can be compared
            result = services.find(search)
            by_code = {m.code: m for m in result.matches}
            matches = [by_code[c] for c in codes if c in by_code]
    rows = []
    if len(matches) >= 2:
        for key in engine.FACTORS:
            factors = [m.factor(key) for m in matches]
            if any(factors):
                rows.append({"label": engine.FACTOR_LABELS[key], "factors": factors})
    indicator_rows = _indicator_rows(matches) if len(matches) >= 2 else []
    if request.GET.get("format") == "csv" and len(matches) >= 2:
        return _shortlist_csv(search, matches, rows, indicator_rows)
    return render(
        request,
        "partners/compare.html",
        {
            "form": form,
            "matches": matches,
            "rows": rows,
            "indicator_rows": indicator_rows,
            "search": search,
            "dropped": ticked[COMPARE_MAX:],
            "most": COMPARE_MAX,
            "csv_query": request.GET.urlencode() + "&format=csv",
        },
    )


def _indicator_rows(matches) -> list[dict]:
    """The similarity indicators of each, as recorded (with the engine's own values)."""
    data = services.matching_data()
    rows = []
    for k, spec in enumerate(data.indicators):
        cells = []
        for m in matches:
            i = data.index.get(m.code)
            value = None if i is None else float(data.values[i, k])
            if value is not None and value == value and spec.log:
                value = math.exp(value)
            cells.append(None if value is None or value != value else value)
        if any(c is not None for c in cells):
            rows.append({"label": spec.label, "group": spec.group, "values": cells})
    return rows


def _shortlist_csv(search, matches, rows, indicator_rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="shortlist.csv"'
    writer = _SafeWriter(response)
    writer.writerow(["For", search.organisation.name, "Service", search.service.label])
    writer.writerow(["", *[f"{m.name} ({m.code})" for m in matches]])
    writer.writerow(["Score", *[f"{m.score:.0%}" for m in matches]])
    for row in rows:
        writer.writerow([row["label"], *[f"{f.value:.0%}: {f.reason}" if f else "" for f in row["factors"]]])
    for row in indicator_rows:
        writer.writerow([row["label"], *["" if v is None else f"{v:g}" for v in row["values"]]])
    writer.writerow(["Risks", *["; ".join(f.text for f in m.flags) for m in matches]])
    return response


class _SafeWriter:
    """csv.writer whose cells a spreadsheet never runs as formulas (sharewell.cells)."""

    def __init__(self, out):
        self.writer = csv.writer(out)

    def writerow(self, row) -> None:
        self.writer.writerow([safe_text(cell) for cell in row])
