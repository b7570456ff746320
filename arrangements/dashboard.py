"""Figures about a set of arrangements, for the map, the dashboard and (later) the API.

Every function takes the QuerySet of arrangements a person may see after the filters
(`services.filtered(user, filters)`) and aggregates in the database: counts and sums are
grouped by SQL, never by looping over arrangements in Python. Expected and achieved
savings are always returned apart, each pound counted once (`arrangements.figures`).

`summary` and `partner_counts` count a set of arrangements in one go. The pages build the same
answers from parts (`summary_parts`, `partner_count_parts`, at the end): the public's part is
kept against the register version, and someone who sees drafts has only their drafts counted
live, put together with it (the tests compare the two ways over a generated register).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Lower, Trim
from django.urls import reverse

from arrangements.figures import RegisterFigures, register_figures
from arrangements.figures import combine as combine_figures
from arrangements.models import Arrangement, LedgerEntry, Measure, Partnership, Status
from organisations.models import PRINCIPAL_COUNCIL_TYPES, Nation, Organisation, OrganisationType

# How many arrangements the map embeds; the counts by council always cover them all.
MAP_ARRANGEMENT_LIMIT = 500
# The map's list is one page of this many (with links to the others), the rest on demand.
MAP_PAGE_SIZE = 25

# ColorBrewer YlGnBu, 9 classes (sequential, colour-blind safe), light to dark, without its two
# lightest steps so that "one arrangement" is clearly different from "none" (white).
PALETTE = ("#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#253494", "#081d58")
NONE_COLOUR = "#ffffff"
# Lower bounds of the classes; only those up to the largest count are used.
BREAKS = (1, 2, 3, 5, 10, 20, 50)


@dataclass(frozen=True)
class Bin:
    low: int
    high: int
    colour: str

    @property
    def label(self) -> str:
        if self.high == self.low:
            return str(self.low)
        return f"{self.low} to {self.high}"

    def as_dict(self) -> dict:
        return {"low": self.low, "high": self.high, "colour": self.colour, "label": self.label}


def count_bins(max_count: int) -> list[Bin]:
    """Classes for shading councils by number of arrangements (pure: no database).

    Small counts get a class each; larger ones grow roughly 1-2-5. Colours are spread over
    the whole palette so that the darkest class is always the darkest colour.
    """
    max_count = max(max_count, 1)
    lows = [b for b in BREAKS if b <= max_count]
    n = len(lows)
    bins = []
    for i, low in enumerate(lows):
        high = lows[i + 1] - 1 if i + 1 < n else max_count
        step = round(i * (len(PALETTE) - 1) / (n - 1)) if n > 1 else len(PALETTE) // 2
        bins.append(Bin(low, high, PALETTE[step]))
    return bins


def _ids(arrangements: QuerySet[Arrangement]) -> QuerySet:
    """The arrangements' keys as a subquery: a clean base without the joins (and DISTINCT)
    that visibility rules can add, so counts are never multiplied."""
    return arrangements.order_by().values("pk")


def _base(arrangements: QuerySet[Arrangement]) -> QuerySet[Arrangement]:
    return Arrangement.objects.filter(pk__in=_ids(arrangements)).order_by()


# --- The map -------------------------------------------------------------------------------


def partner_counts(arrangements: QuerySet[Arrangement]) -> list[dict]:
    """Each organisation taking part, with how many of these arrangements it is a partner of,
    most first: one grouped query over partnerships. The map builds the same from parts
    (`partner_count_parts`); this is the plain path the tests hold them to."""
    rows = list(
        Partnership.objects.filter(arrangement__in=_ids(arrangements))
        .values(
            code=F("organisation__code"),
            gss_code=F("organisation__gss_code"),
            name=F("organisation__name"),
            org_type=F("organisation__org_type"),
            nation=F("organisation__nation"),
            region=F("organisation__region"),
            latitude=F("organisation__latitude"),
            longitude=F("organisation__longitude"),
        )
        # Not distinct: an organisation has one partnership per arrangement (a constraint), and
        # counting distinct made the database sort three million rows at a million arrangements.
        .annotate(arrangements=Count("arrangement"))
        .order_by("-arrangements", "name", "code")
    )
    labels = dict(OrganisationType.choices)
    for row in rows:
        row["type_label"] = labels.get(row["org_type"], row["org_type"])
    return rows


def with_addresses(counts: list[dict]) -> list[dict]:
    """The counts with each organisation's page address: one `reverse` for them all (a
    reverse each took a fifth of the map page's time at 400 councils)."""
    url = reverse("organisations:detail", args=["CODE-PLACEHOLDER"]).replace("CODE-PLACEHOLDER", "{}")
    return [{**c, "url": url.format(c["code"])} for c in counts]


def map_arrangements(arrangements: QuerySet[Arrangement], limit: int = MAP_ARRANGEMENT_LIMIT) -> list[dict]:
    """The first `limit` arrangements (in the register's order) with their partners: two queries."""
    rows = list(arrangements.values("pk", "title", "status", "start_year")[:limit])
    partners: dict[int, list[dict]] = {row["pk"]: [] for row in rows}
    for p in (
        Partnership.objects.filter(arrangement_id__in=partners)
        .values(
            "arrangement_id",
            "role",
            code=F("organisation__code"),
            name=F("organisation__name"),
            latitude=F("organisation__latitude"),
            longitude=F("organisation__longitude"),
        )
        .order_by("arrangement_id", "role", "organisation__name")
    ):
        partners[p["arrangement_id"]].append(p)
    return [
        {
            "id": row["pk"],
            "title": row["title"],
            "url": reverse("arrangements:detail", args=[row["pk"]]),
            "status": row["status"],
            "status_label": Status(row["status"]).label,
            "start_year": row["start_year"],
            "partners": partners[row["pk"]],
        }
        for row in rows
    ]


def map_data(counts: list[dict], arrangements: list[dict], bins: list[Bin], total: int) -> dict:
    """The compact JSON the map script reads: counts keyed by organisation code (with the GSS
    code that matches the boundaries' AREACD) and each arrangement's partner centres."""

    def point(p):
        if p["latitude"] is None or p["longitude"] is None:
            return None
        return [round(p["latitude"], 4), round(p["longitude"], 4)]

    return {
        "organisations": {
            c["code"]: {
                "name": c["name"],
                "gss": c["gss_code"],
                "type": c["org_type"],
                "count": c["arrangements"],
                "url": c["url"],
                "point": point(c),
            }
            for c in counts
        },
        "arrangements": [
            {
                "id": a["id"],
                "title": a["title"],
                "url": a["url"],
                "partners": [
                    {"code": p["code"], "lead": p["role"] == Partnership.Role.LEAD, "point": point(p)}
                    for p in a["partners"]
                ],
            }
            for a in arrangements
        ],
        "bins": [b.as_dict() for b in bins],
        "none_colour": NONE_COLOUR,
        "total": total,
        "shown": len(arrangements),
    }


# --- The dashboard -------------------------------------------------------------------------


def status_counts(arrangements: QuerySet[Arrangement]) -> list[dict]:
    """Every status in the order of an arrangement's life, with how many arrangements are in it."""
    counts = dict(_base(arrangements).values_list("status").annotate(n=Count("pk")))
    return [{"status": value, "label": label, "count": counts.get(value, 0)} for value, label in Status.choices]


def _partner_in_any(arrangements: QuerySet[Arrangement]) -> Exists:
    """The outer organisation is a partner in at least one of these arrangements: a probe of
    the partnership index per organisation, which stops at the first hit.

    Not `pk IN (every partnership's organisation)`: at a million arrangements PostgreSQL could
    no longer hash those three million rows in its working memory and read them again for each
    council (76 s for the dashboard)."""
    return Exists(Partnership.objects.filter(organisation=OuterRef("pk"), arrangement__in=_ids(arrangements)))


def organisations_taking_part(arrangements: QuerySet[Arrangement]) -> dict:
    """How many distinct organisations are partners, in total and by type: one query."""
    by_type = dict(
        Organisation.objects.filter(_partner_in_any(arrangements))
        .order_by()
        .values_list("org_type")
        .annotate(n=Count("pk"))
    )
    return {
        "total": sum(by_type.values()),
        "by_type": [
            {"key": value, "label": label, "count": by_type[value]}
            for value, label in OrganisationType.choices
            if by_type.get(value)
        ],
    }


def council_share(arrangements: QuerySet[Arrangement], by: str) -> list[dict]:
    """The share of current principal councils that are a partner in at least one of these
    arrangements, grouped `by` "nation" or "org_type". Both counts come from one query."""
    if by not in ("nation", "org_type"):
        raise ValueError(f"Cannot group councils by {by!r}")
    sharing = _partner_in_any(arrangements)
    rows = {
        row[by]: row
        for row in Organisation.objects.current()
        .principal_councils()
        .values(by)
        .annotate(councils=Count("pk"), sharing=Count("pk", filter=Q(sharing)))
        .order_by(by)
    }
    choices = (
        Nation.choices
        if by == "nation"
        else [(value, label) for value, label in OrganisationType.choices if value in PRINCIPAL_COUNCIL_TYPES]
    )
    result = []
    for value, label in choices:
        row = rows.get(value)
        if not row:
            continue
        result.append(
            {
                "key": value,
                "label": label,
                "councils": row["councils"],
                "sharing": row["sharing"],
                "percent": round(100 * row["sharing"] / row["councils"]) if row["councils"] else 0,
            }
        )
    return result


def council_share_total(arrangements: QuerySet[Arrangement]) -> dict:
    totals = (
        Organisation.objects.current()
        .principal_councils()
        .aggregate(councils=Count("pk"), sharing=Count("pk", filter=Q(_partner_in_any(arrangements))))
    )
    totals["percent"] = round(100 * totals["sharing"] / totals["councils"]) if totals["councils"] else 0
    return totals


def without_savings(arrangements: QuerySet[Arrangement]) -> dict:
    """Arrangements with no savings figure of any kind, grouped by the reason given (case and
    spacing ignored); an empty reason is the register's known fault and is counted as such."""
    savings = LedgerEntry.objects.filter(
        arrangement=OuterRef("pk"), measure__in=[Measure.EXPECTED_SAVING, Measure.ACHIEVED_SAVING]
    )
    # NOT EXISTS, not NOT IN: at a million arrangements PostgreSQL's NOT IN over the ledger no
    # longer fitted its memory for hashing and ran as a nested loop (over 15 minutes).
    missing = _base(arrangements).exclude(Exists(savings))
    reasons = list(
        missing.values(reason=Lower(Trim("no_savings_reason"))).annotate(count=Count("pk")).order_by("-count", "reason")
    )
    return {
        "total": sum(r["count"] for r in reasons),
        "without_reason": next((r["count"] for r in reasons if not r["reason"]), 0),
        "reasons": [r for r in reasons if r["reason"]],
    }


def top_categories(arrangements: QuerySet[Arrangement], limit: int = 10) -> list[dict]:
    through = Arrangement.categories.through
    return list(
        through.objects.filter(arrangement__in=_ids(arrangements))
        .values(key=F("servicecategory__key"), label=F("servicecategory__label"))
        .annotate(count=Count("arrangement"))  # one row per pair (the link's own constraint): no distinct
        # The key last, so that two with the same label and count always come in one order (the
        # order `summary_from_parts` ranks them in).
        .order_by("-count", "label", "key")[:limit]
    )


def top_services(arrangements: QuerySet[Arrangement], limit: int = 10) -> list[dict]:
    through = Arrangement.services.through
    return list(
        through.objects.filter(arrangement__in=_ids(arrangements))
        .values(lgsl=F("service__lgsl"), label=F("service__label"))
        .annotate(count=Count("arrangement"))  # one row per pair (the link's own constraint): no distinct
        .order_by("-count", "label", "lgsl")[:limit]  # the code last, as for categories
    )


def summary(arrangements: QuerySet[Arrangement]) -> dict:
    """Everything the dashboard shows, counted live over these arrangements. The pages build the
    same from parts (`summary_parts`, `combine_parts`, `summary_from_parts`); this is the plain
    path the tests hold the parts to (arrangements/tests/test_live_figures.py)."""
    return {
        "arrangements": _base(arrangements).count(),
        "by_status": status_counts(arrangements),
        "organisations": organisations_taking_part(arrangements),
        "councils": council_share_total(arrangements),
        "councils_by_nation": council_share(arrangements, "nation"),
        "councils_by_type": council_share(arrangements, "org_type"),
        "money": register_figures(arrangements),
        "without_savings": without_savings(arrangements),
        "top_categories": top_categories(arrangements),
        "top_services": top_services(arrangements),
    }


# --- Parts: figures that can be kept and put together --------------------------------------
#
# What a person who sees drafts sees is the published arrangements matching the filters (the
# public's, kept against the register version) and the unpublished ones visible to them: two
# disjoint sets. Every figure above can be put together from the two exactly, if each part
# keeps what its figures are made of: counts (which add), the organisations taking part (whose
# union gives the distinct count and the council shares), counts by key for every category,
# service, reason and organisation (which add by key, then rank) and the money (which adds per
# arrangement, `figures.combine`). So only the drafts are counted live. Parts are JSON (lists,
# not dicts keyed by numbers, which JSON would turn into text), so the public's can be kept.


def summary_parts(arrangements: QuerySet[Arrangement]) -> dict:
    """What `summary` is made of, for these arrangements: one grouped query per figure (the
    money's three), none of them ranked or cut to ten, so that parts can be combined."""
    savings = LedgerEntry.objects.filter(
        arrangement=OuterRef("pk"), measure__in=[Measure.EXPECTED_SAVING, Measure.ACHIEVED_SAVING]
    )
    return {
        "arrangements": _base(arrangements).count(),
        "by_status": [list(row) for row in _base(arrangements).values_list("status").annotate(n=Count("pk"))],
        # The EXISTS probe per organisation, as in `organisations_taking_part`: not IN over every
        # partnership, which PostgreSQL could not hash at a million arrangements.
        "organisations": [
            list(row)
            for row in Organisation.objects.filter(_partner_in_any(arrangements))
            .order_by()
            .values_list("pk", "org_type")
        ],
        "money": register_figures(arrangements).as_dict(),
        # NOT EXISTS, not NOT IN, as in `without_savings` (a nested loop of over 15 minutes).
        "without_savings": [
            list(row)
            for row in _base(arrangements)
            .exclude(Exists(savings))
            .values_list(Lower(Trim("no_savings_reason")))
            .annotate(n=Count("pk"))
        ],
        # Every category and service, not only the top ten: a part's eleventh may be the whole's tenth.
        "categories": _linked(
            Arrangement.categories.through, arrangements, "servicecategory__key", "servicecategory__label"
        ),
        "services": _linked(Arrangement.services.through, arrangements, "service__lgsl", "service__label"),
    }


def _linked(through, arrangements: QuerySet[Arrangement], key: str, label: str) -> list[list]:
    """`[key, label, count]` for every category (or service) linked to these arrangements: one grouped query."""
    return [
        list(row)
        for row in through.objects.filter(arrangement__in=_ids(arrangements))
        .order_by()
        .values_list(key, label)
        .annotate(n=Count("arrangement"))  # one row per pair (the link's own constraint): no distinct
    ]


def _add_by_key(*rows_of_parts: list[list], width: int = 1) -> list[list]:
    """Rows `[key, ..., count]` of several parts with their counts added by key (the first
    `width` values); the values between are the key's labels, the same in every part."""
    added: dict[tuple, list] = {}
    for rows in rows_of_parts:
        for row in rows:
            key = tuple(row[:width])
            found = added.get(key)
            if found is None:
                added[key] = list(row)
            else:
                found[-1] += row[-1]
    return list(added.values())


def combine_parts(*parts: dict) -> dict:
    """The parts of disjoint sets of arrangements put together (`summary_parts` of their union)."""
    organisations: dict[int, str] = {}
    for part in parts:
        organisations.update((pk, org_type) for pk, org_type in part["organisations"])
    return {
        "arrangements": sum(part["arrangements"] for part in parts),
        "by_status": _add_by_key(*(part["by_status"] for part in parts)),
        "organisations": [[pk, org_type] for pk, org_type in organisations.items()],
        "money": combine_figures(*(RegisterFigures.from_dict(part["money"]) for part in parts)).as_dict(),
        "without_savings": _add_by_key(*(part["without_savings"] for part in parts)),
        "categories": _add_by_key(*(part["categories"] for part in parts)),
        "services": _add_by_key(*(part["services"] for part in parts)),
    }


def _share(councils: int, sharing: int) -> int:
    return round(100 * sharing / councils) if councils else 0


def _council_shares(taking_part: set[int]) -> tuple[dict, list[dict], list[dict]]:
    """The share of current principal councils taking part, in total, by nation and by type:
    one small query of the councils (a few hundred rows), the rest from the organisations."""
    councils = list(
        Organisation.objects.current().principal_councils().order_by().values_list("pk", "nation", "org_type")
    )
    sharing = [pk in taking_part for pk, _nation, _org_type in councils]
    total = {"councils": len(councils), "sharing": sum(sharing)}
    total["percent"] = _share(total["councils"], total["sharing"])
    type_choices = [(value, label) for value, label in OrganisationType.choices if value in PRINCIPAL_COUNCIL_TYPES]
    grouped = []
    for column, choices in ((1, Nation.choices), (2, type_choices)):
        counts: dict[str, list[int]] = {}
        for council, shares in zip(councils, sharing, strict=True):
            row = counts.setdefault(council[column], [0, 0])
            row[0] += 1
            row[1] += shares
        grouped.append(
            [
                {
                    "key": value,
                    "label": label,
                    "councils": counts[value][0],
                    "sharing": counts[value][1],
                    "percent": _share(*counts[value]),
                }
                for value, label in choices
                if value in counts
            ]
        )
    return total, grouped[0], grouped[1]


def summary_from_parts(parts: dict, limit: int = 10) -> dict:
    """Exactly what `summary` returns for the arrangements the parts were made of."""
    by_status = {status: n for status, n in parts["by_status"]}
    by_type: dict[str, int] = {}
    for _pk, org_type in parts["organisations"]:
        by_type[org_type] = by_type.get(org_type, 0) + 1
    councils, by_nation, by_council_type = _council_shares({pk for pk, _org_type in parts["organisations"]})
    # Ranked as the queries rank them: most first, then by the text.
    reasons = sorted(
        ({"reason": reason, "count": n} for reason, n in parts["without_savings"]),
        key=lambda r: (-r["count"], r["reason"]),
    )
    categories = sorted(parts["categories"], key=lambda row: (-row[2], row[1], row[0]))[:limit]
    services = sorted(parts["services"], key=lambda row: (-row[2], row[1], row[0]))[:limit]
    return {
        "arrangements": parts["arrangements"],
        "by_status": [
            {"status": value, "label": label, "count": by_status.get(value, 0)} for value, label in Status.choices
        ],
        "organisations": {
            "total": len(parts["organisations"]),
            "by_type": [
                {"key": value, "label": label, "count": by_type[value]}
                for value, label in OrganisationType.choices
                if by_type.get(value)
            ],
        },
        "councils": councils,
        "councils_by_nation": by_nation,
        "councils_by_type": by_council_type,
        "money": RegisterFigures.from_dict(parts["money"]),
        "without_savings": {
            "total": sum(r["count"] for r in reasons),
            "without_reason": next((r["count"] for r in reasons if not r["reason"]), 0),
            "reasons": [r for r in reasons if r["reason"]],
        },
        "top_categories": [{"key": key, "label": label, "count": n} for key, label, n in categories],
        "top_services": [{"lgsl": lgsl, "label": label, "count": n} for lgsl, label, n in services],
    }


_PARTNER_FIELDS = ("code", "gss_code", "name", "org_type", "nation", "region", "latitude", "longitude")


def partner_count_parts(arrangements: QuerySet[Arrangement]) -> list[list]:
    """What `partner_counts` is made of: each organisation taking part (the fields the map
    needs) and how many of these arrangements it is a partner of, unranked: one grouped query."""
    return [
        list(row)
        for row in Partnership.objects.filter(arrangement__in=_ids(arrangements))
        .order_by()
        .values_list(*(f"organisation__{name}" for name in _PARTNER_FIELDS))
        # Not distinct, as in `partner_counts`: one partnership per organisation and arrangement.
        .annotate(n=Count("arrangement"))
    ]


def combine_partner_count_parts(*parts: list[list]) -> list[list]:
    # By organisation code (unique); the other fields are the organisation's, the same in each part.
    return _add_by_key(*parts)


def partner_counts_from_parts(parts: list[list]) -> list[dict]:
    """Exactly what `partner_counts` returns for the arrangements the parts were made of."""
    labels = dict(OrganisationType.choices)
    rows = [{**dict(zip(_PARTNER_FIELDS, row[:-1], strict=True)), "arrangements": row[-1]} for row in parts]
    rows.sort(key=lambda row: (-row["arrangements"], row["name"], row["code"]))
    for row in rows:
        row["type_label"] = labels.get(row["org_type"], row["org_type"])
    return rows
