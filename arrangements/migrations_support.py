"""Moving the money of the old columns and `Savings` rows into the ledger (migration 0006).

Kept out of the migration file so it can be tested on its own (arrangements/tests/
test_ledger_migration.py). It uses only the models it is given (the migration's
historical models) and the pure period parser, so later changes to the app's models
cannot change what it does. Nothing is dropped: a figure whose year cannot be read is
kept for the year the old row sorted it under, and says so in its source.
"""

from __future__ import annotations

from engines.ledger import Period, PeriodError, financial_year_ending, parse_period
from organisations.names import normalise_name


def _period(text: str, fallback: int | None) -> tuple[Period | None, str]:
    try:
        return parse_period(text), ""
    except (PeriodError, ValueError):
        if fallback is None:
            return None, ""
        return Period(fallback, fallback), f"recorded as “{text}”"


def entries_for(arrangement, savings: list) -> list[dict]:
    """The ledger entries that say what the old record said (pure over attribute access)."""
    start = arrangement.start_year
    fallback = start or (arrangement.created_at.year if getattr(arrangement, "created_at", None) else None)
    entries: list[dict] = []

    def add(measure: str, standing: str, period: Period | None, amount, staff=None, other=None, source=""):
        if amount is None or period is None:
            return
        basis = "planned" if standing == "expected" else "actual"
        key = (period.label, measure, basis)
        for existing in entries:
            if (existing["period"], existing["measure"], existing["basis"]) == key:
                if existing["amount"] != amount:
                    existing["source"] = "; ".join(
                        x for x in (existing["source"], f"also recorded as £{amount:,}") if x
                    )
                return
        entries.append(
            {
                "period": period.label,
                "period_first": period.first,
                "period_last": period.last,
                "measure": measure,
                "basis": basis,
                "standing": standing,
                "amount": amount,
                "staff": staff,
                "other": other,
                "source": source[:500],
            }
        )

    for row in savings:
        period, note = _period(row.year, row.year_start)
        measure = "expected_saving" if row.basis == "expected" else "achieved_saving"
        standing = "expected" if row.basis == "expected" else "reported"
        add(measure, standing, period, row.total, row.staff, row.other, "; ".join(x for x in (row.note, note) if x))
    if arrangement.baseline_annual_cost is not None:
        if arrangement.baseline_year:
            period, note = _period(arrangement.baseline_year, (start - 1) if start else fallback)
        else:
            period = Period(start - 1, start - 1) if start else (Period(fallback, fallback) if fallback else None)
            note = "year not recorded: the year before it started" if start else "year not recorded"
        add("baseline_cost", "reported", period, arrangement.baseline_annual_cost, source=note)
    if arrangement.setup_cost is not None and fallback:
        add(
            "one_off_cost",
            "reported",
            Period(fallback, fallback),
            arrangement.setup_cost,
            source="one-off set-up cost; year not recorded: the year it started"
            if start
            else "one-off set-up cost; year not recorded",
        )
    if arrangement.cumulative_savings_achieved is not None:
        to = financial_year_ending(arrangement.cumulative_savings_to)
        if start and to and to >= start:
            period, note = Period(start, to), f"cumulative to {arrangement.cumulative_savings_to}"
        else:
            year = to or fallback
            period = Period(year, year) if year else None
            note = f"cumulative total to {arrangement.cumulative_savings_to or 'a date not recorded'}; start not known"
        add("achieved_saving", "reported", period, arrangement.cumulative_savings_achieved, source=note)
    return entries


def move_money_to_ledger(apps, schema_editor) -> None:
    Arrangement = apps.get_model("arrangements", "Arrangement")
    Savings = apps.get_model("arrangements", "Savings")
    LedgerEntry = apps.get_model("arrangements", "LedgerEntry")
    Partnership = apps.get_model("arrangements", "Partnership")
    leads = dict(Partnership.objects.filter(role="lead").values_list("arrangement_id", "organisation_id"))
    savings: dict[int, list] = {}
    for row in Savings.objects.order_by("pk").iterator(chunk_size=2000):
        savings.setdefault(row.arrangement_id, []).append(row)
    batch = []
    seen: set[tuple[str, int | None]] = set()
    for arrangement in Arrangement.objects.order_by("pk").iterator(chunk_size=2000):
        key = (normalise_name(arrangement.title) or arrangement.title.casefold().strip())[:200]
        if (key, leads.get(arrangement.pk)) in seen:
            # Two records made at the same moment before the database refused it: keep both, apart.
            key = f"{key[:180]} (record {arrangement.pk})"
        seen.add((key, leads.get(arrangement.pk)))
        Arrangement.objects.filter(pk=arrangement.pk).update(
            title_key=key, lead_organisation_id=leads.get(arrangement.pk)
        )
        try:
            entries = entries_for(arrangement, savings.get(arrangement.pk, []))
        except PeriodError as error:  # a year outside 1900-2100 in old data: keep the record, say so
            raise RuntimeError(f"Arrangement {arrangement.pk}: {error}") from error
        for entry in entries:
            batch.append(LedgerEntry(arrangement_id=arrangement.pk, **entry))
        if len(batch) >= 5000:
            LedgerEntry.objects.bulk_create(batch)
            batch = []
    LedgerEntry.objects.bulk_create(batch)
