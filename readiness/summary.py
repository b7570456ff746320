"""What other apps take from a readiness assessment: the business case's optimism hint and the
committee report's section (`readiness/_report_section.html`).

Optimism hint mapping (`engines.readiness.OPTIMISM_STEPS`), from the current round's overall score:
below 40% (red): cut expected savings by a further 20% and raise costs by 15%; 40% to below 55%:
10% and 10%; 55% to below 70%: 5% and 5%; 70% or more (green), or no answers: no hint. These are
suggestions, shown with their reason; the user decides whether to apply them."""

from __future__ import annotations

from engines import readiness as engine
from readiness import permissions, services


def optimism_hint(arrangement) -> dict | None:
    """{"savings_cut_pct", "cost_uplift_pct", "score", "rag", "round", "reason"} or None."""
    round_ = services.current_round(arrangement)
    if round_ is None:
        return None
    results = services.score_round(round_)
    allowance = engine.optimism_allowance(results.overall)
    if allowance is None or results.overall is None:
        return None
    savings_cut, cost_uplift = allowance
    weak = [f.factor for f in results.factors if f.rag == "red"]
    labels = services.factor_labels()
    named = ", ".join(labels.get(k, k) for k in weak) or "none red, but several amber"
    return {
        "savings_cut_pct": savings_cut,
        "cost_uplift_pct": cost_uplift,
        "score": round(results.overall, 1),
        "rag": results.overall_rag,
        "round": round_.number,
        "reason": (
            f"The partners' readiness assessment (round {round_.number}) scores {results.overall:.0f}% overall "
            f"({results.overall_rag}); red factors: {named}. The evidence finds over-ambition in pace and savings "
            "a common failure, so a larger optimism bias allowance is suggested."
        ),
    }


def for_report(arrangement, user) -> dict | None:
    """The assessment for a committee report, or None when there is none the user may see.

    Partners' members and moderators see the current round; anyone else only a published summary."""
    round_ = services.current_round(arrangement)
    if round_ is None or not round_.answers.exists():
        return None
    partner_view = permissions.can_see_answers(user, arrangement)
    if not partner_view:
        published = arrangement.readiness_rounds.filter(published_at__isnull=False).order_by("-number").first()
        if published is None:
            return None
        round_ = published
    results = services.score_round(round_)
    labels = services.factor_labels()
    return {
        "round": round_.number,
        "stage": engine.STAGE_LABELS[round_.stage],
        "overall": results.overall,
        "overall_rag": results.overall_rag,
        "thresholds": {"green": engine.GREEN_AT, "amber": engine.AMBER_AT, "disagreement": engine.DISAGREEMENT_AT},
        "factors": [
            {"factor": f.factor, "label": labels.get(f.factor, f.factor), "score": f.score, "rag": f.rag}
            for f in results.factors
            if f.score is not None
        ],
        "disagreements": len(results.disagreements) if partner_view else None,
        "actions_open": arrangement.readiness_actions.filter(done=False).count() if partner_view else None,
        "optimism_hint": optimism_hint(arrangement) if partner_view else None,
    }
