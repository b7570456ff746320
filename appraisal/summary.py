"""A business case's headline figures for other pages: the committee report calls `for_report`.

`for_report(arrangement, user)` is None when there is no case the user may see (a draft is
for the partners' members and moderators only), else a plain dictionary that
`appraisal/_report_section.html` renders: NPV and the risk range, payback, switching
values, the split's rows, the reality check's sentence, and the discount schedule used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from appraisal import charts, inputs, writes
from engines.ledger import year_label

if TYPE_CHECKING:
    from appraisal.models import BusinessCase
    from arrangements.models import Arrangement


def for_report(arrangement, user) -> dict[str, Any] | None:
    case = writes.case_of(arrangement)
    if not writes.can_see(user, arrangement, case):
        return None
    assert case is not None
    found = inputs.problems(case.data, writes.partner_codes(arrangement))
    base: dict[str, Any] = {
        "arrangement": arrangement.pk,
        "shared": case.shared,
        "version": case.version,
        "updated_at": case.updated_at,
        "problems": [p.message for p in found],
    }
    if found:
        return base
    results = inputs.evaluate(case.data, arrangement)
    a, r, s = results.appraisal, results.risk, results.appraisal.switching_values
    names = {p.organisation.code: p.organisation.name for p in writes.current_partners(arrangement)}
    return {
        **base,
        "npv": a.npv,
        "pv_costs": a.pv_costs,
        "pv_savings": a.pv_savings,
        "bcr": a.bcr,
        "vfm_band": a.vfm_band,
        "payback_years": a.payback_years,
        "discounted_payback_years": a.discounted_payback_years,
        "risk": {
            "p10": r.p10,
            "p50": r.p50,
            "p90": r.p90,
            "prob_negative": r.prob_negative,
            "prob_no_payback": r.prob_no_payback,
            "draws": r.draws,
            "seed": r.seed,
        },
        "switching_values": {"savings_pct": s.savings_pct, "costs_pct": s.costs_pct, "delay_years": s.delay_years},
        "split": [
            {**row.as_dict(), "name": names.get(row.code, row.code)}
            for row in (results.split.partners if results.split is not None else ())
        ],
        "in_core": results.split.in_core if results.split is not None else None,
        "reality_check": results.reality.sentence,
        "reality_warning": results.reality.warning,
        "schedule": {"name": a.schedule.name, "version": a.schedule.version, "dated": a.schedule.dated},
    }


def page_context(case: BusinessCase, arrangement: Arrangement) -> dict[str, Any]:
    """The figures of a case as the results page, the API's summary and the committee report show them."""
    found = inputs.problems(case.data, writes.partner_codes(arrangement))
    if found:
        return {"problems": found}
    results = inputs.evaluate(case.data, arrangement)
    appraisal = results.appraisal
    years = [year_label(case.data["start_year"] + f.year) for f in appraisal.flows]
    cumulative = [f.cumulative_present_value for f in appraisal.flows]
    base = float(sum(f.present_value for f in appraisal.flows))
    bars = [b.as_dict(base) for b in results.risk.tornado]
    names = {p.organisation.code: p.organisation.name for p in writes.current_partners(arrangement)}
    split_rows = []
    if results.split is not None:
        for row in results.split.partners:
            split_rows.append({**row.as_dict(), "name": names.get(row.code, row.code)})
    return {
        "results": results,
        "appraisal": appraisal,
        "schedule": appraisal.schedule,
        "risk": results.risk,
        "flows": list(zip(years, appraisal.flows, strict=True)),
        "charts": [
            charts.cash_flow(years, cumulative, results.cash_band),
            charts.s_curve(list(results.risk.s_curve)),
            charts.tornado(bars, base),
        ],
        "adjustments": results.bias.adjustments,
        "split_rows": split_rows,
        "baselines": [
            {"name": names.get(p["code"], p["code"]), "baseline": p.get("baseline")}
            for p in case.data.get("partners") or []
        ],
        "baseline_total": results.baseline,
        "split": results.split,
        "split_label": inputs.SPLIT_LABELS.get((case.data.get("split") or {}).get("method"), ""),
        "reality": results.reality,
        "reality_note": results.reality_note,
        "switching": appraisal.switching_values,
    }
