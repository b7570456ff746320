"""The business case pages: building a case through the form, its results, sharing, and the refusals."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from appraisal import writes
from appraisal.tests.factories import case_data
from arrangements import writes as arrangement_writes
from engines.appraisal.examples import LGA_2012


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def url(arrangement, name: str = "") -> str:
    return f"/arrangements/{arrangement.pk}/business-case/{name}"


def form_for(study, partner_count: int = 2) -> dict:
    """The form as a person fills it in for one of the LGA 2012 study's cases, from its published figures."""
    case = study.case()
    post = {
        "start_year": str(case.start_year),
        "years": str(case.years),
        "discount": "standard",
        "line_count": "4",
        "optimism_bias.project_type": "outsourcing",
        "optimism_bias.one_off_costs_pct": "0",
        "optimism_bias.running_costs_pct": "0",
        "optimism_bias.delay_years": "0",
        "optimism_bias.reason": "Outturn figures reported by the LGA's 2012 study, not forecasts",
        "optimism_bias.mitigation": "0",
        "optimism_bias.savings_from_register": "no",
        "optimism_bias.savings_pct": "0",
        "risk.draws": "2000",
        "risk.seed": "1",
        "risk.distribution": "triangular",
        "split.method": "",
    }
    for i, line in enumerate(case.lines):
        post[f"lines[{i}].name"] = line.name
        post[f"lines[{i}].kind"] = line.kind
        post[f"lines[{i}].category"] = line.category
        post[f"lines[{i}].amounts"] = ", ".join(f"{a:.0f}" for a in line.amounts)
    post["partners[0].baseline"] = f"{study.baseline:.0f}"  # the study's one baseline for the whole service
    post["partners[1].baseline"] = "0"
    return post


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.mark.parametrize("study", [s for s in LGA_2012 if s.set_up_cost is not None], ids=lambda s: s.name[:20])
def test_an_lga_2012_case_entered_through_the_page_shows_its_payback(arrangement, users, study):
    client = client_for(users["moderator"])
    response = client.post(url(arrangement, "change/"), form_for(study))
    assert response.status_code == 302, text(response)[:3000]
    page = text(client.get(url(arrangement)))
    payback = float(re.search(r"Payback ([\d.]+) years", page).group(1))
    assert payback < 2, page
    assert "of its baseline a year" in page and "published reference points" in page
    assert "0% on operating (running) cost" in page and "Outturn figures reported" in page
    assert f"{study.case().start_year}/" in page


def test_the_results_page_shows_every_figure_with_its_charts_and_tables(draft, arrangement, users):
    page = client_for(users["viewer"]).get(url(arrangement))
    assert page.status_code == 200
    body = page.content.decode()
    words = text(page)
    for heading in ("Net present value", "Benefit–cost ratio", "Discounted payback", "Switching values", "P10",
                    "Reality check", "Optimism bias", "Split between the partners", "version 2026.1"):  # fmt: skip
        assert heading in words, heading
    assert body.count("<svg") == 3 and body.count("<table") >= 5
    assert "<script" not in body.split("<main")[1].split("</main>")[0]
    assert "Worse off than alone" in words or "None" in words


def test_problems_are_summarised_naming_each_field(arrangement, users):
    post = form_for(LGA_2012[0])
    post["lines[0].amounts"] = "966000, lots"
    post["optimism_bias.running_costs_pct"] = "12"
    post["optimism_bias.reason"] = ""
    response = client_for(users["moderator"]).post(url(arrangement, "change/"), post)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'href="#lines-0-amounts"' in body and 'id="lines-0-amounts"' in body
    assert 'href="#optimism_bias-reason"' in body
    assert writes.case_of(arrangement) is None


@pytest.mark.parametrize(
    "who, status", [(None, 302), ("other_editor", 404), ("viewer", 403)]
)  # a draft is hidden from others
def test_the_form_refuses_people_who_may_not_change_the_case(draft, arrangement, users, who, status):
    client = client_for(users[who] if who else None)
    assert client.get(url(arrangement, "change/")).status_code == status
    assert client.post(url(arrangement, "change/"), form_for(LGA_2012[0])).status_code == status


@pytest.mark.parametrize("who, status", [(None, 404), ("other_editor", 404), ("viewer", 200), ("moderator", 200)])
def test_a_draft_page_is_for_partners_then_for_everyone_once_shared(draft, arrangement, users, who, status):
    client = client_for(users[who] if who else None)
    assert client.get(url(arrangement)).status_code == status
    shared = client_for(users["editor"]).post(url(arrangement, "share/"))
    assert shared.status_code == 302
    assert client.get(url(arrangement)).status_code == 200
    versions = client.get(url(arrangement, "versions/"))
    assert "Version 1" in text(versions) and "Shared with everyone" in text(versions)


def test_only_partner_editors_see_and_press_the_share_button(draft, arrangement, users):
    assert "Share the business case" in text(client_for(users["editor"]).get(url(arrangement)))
    assert "Share the business case" not in text(client_for(users["viewer"]).get(url(arrangement)))
    assert client_for(users["viewer"]).post(url(arrangement, "share/")).status_code == 403
    assert client_for(users["other_editor"]).post(url(arrangement, "share/")).status_code == 404


def test_the_arrangement_page_links_to_the_case(draft, arrangement, users):
    page = client_for(users["viewer"]).get(f"/arrangements/{arrangement.pk}/")
    assert url(arrangement) in page.content.decode()
    public = Client().get(f"/arrangements/{arrangement.pk}/")
    assert url(arrangement) not in public.content.decode()
    writes.share(users["editor"], arrangement)
    assert url(arrangement) in Client().get(f"/arrangements/{arrangement.pk}/").content.decode()


def test_saving_a_shared_case_through_the_page_is_a_new_version(draft, arrangement, users):
    writes.share(users["editor"], arrangement)
    data = case_data(years=6)
    for line in data["lines"]:
        line["amounts"] = [*line["amounts"], line["amounts"][-1]]
        line["low"] = line["high"] = None
    outcome = writes.save(users["moderator"], arrangement, data, arrangement_writes.site())
    assert outcome.version.number == 2
    page = text(client_for(users["viewer"]).get(url(arrangement, "versions/")))
    assert "Appraisal period (years): 5 → 6" in page


def test_a_shapley_split_with_a_known_group_cost_through_the_form(arrangement, users):
    post = form_for(LGA_2012[0])
    post.update({"split.method": "shapley", "partners[0].standalone_cost": "700000",
                 "partners[1].standalone_cost": "500000", "split.coalition_costs": "NTT SVL: 966000"})  # fmt: skip
    client = client_for(users["moderator"])
    assert client.post(url(arrangement, "change/"), post).status_code == 302
    case = writes.case_of(arrangement)
    assert case.data["split"]["coalition_costs"] == [{"members": ["NTT", "SVL"], "cost": 966000.0}]
    page = text(client.get(url(arrangement)))
    assert "Shapley value of the cost game" in page and "in the core" in page
    bad = client.post(url(arrangement, "change/"), {**post, "split.coalition_costs": "NTT SVL lots"})
    assert 'href="#split-coalition_costs"' in bad.content.decode()


def test_choosing_a_project_type_fills_in_its_upper_bounds_without_saving(arrangement, users):
    post = {**form_for(LGA_2012[0]), "optimism_bias.project_type": "equipment_development", "use-bounds": "1"}
    response = client_for(users["moderator"]).post(url(arrangement, "change/"), post)
    assert response.status_code == 200 and writes.case_of(arrangement) is None
    body = response.content.decode()
    assert 'id="optimism_bias-one_off_costs_pct" name="optimism_bias.one_off_costs_pct" type="text" value="200"' in body
    assert 'name="optimism_bias.delay_years" type="text" value="0.54"' in body


def test_a_case_that_no_longer_checks_out_says_why(draft, arrangement, users):
    import datetime as dt

    from arrangements.models import Partnership

    Partnership.objects.filter(arrangement=arrangement, organisation__code="SVL").update(left_on=dt.date(2026, 1, 1))
    page = text(client_for(users["viewer"]).get(url(arrangement)))
    assert "cannot be appraised as it stands" in page and "SVL is not a partner" in page


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"start_year": "2100"}, "years"),  # its plan would run past the ledger's last year
        ({"start_year": "twenty"}, "start_year"),
        ({"years": "0"}, "years"),
        ({"risk.draws": "100000000"}, "risk-draws"),
        ({"line_count": "lots"}, "lines"),
        ({"lines[0].amounts": "1e309, 0"}, "lines-0-amounts"),
        ({"lines[0].kind": "windfall"}, "lines-0-kind"),
        ({"optimism_bias.mitigation": "2"}, "optimism_bias-mitigation"),
        ({"optimism_bias.project_type": "castle"}, "optimism_bias-project_type"),
        ({"split.method": "custom"}, "split-shares"),
    ],
)
def test_bad_input_is_a_named_problem_never_an_error(arrangement, users, changes, field):
    response = client_for(users["moderator"]).post(url(arrangement, "change/"), {**form_for(LGA_2012[0]), **changes})
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body and f'href="#{field}' in body, text(response)[:1500]


def test_a_low_readiness_score_suggests_a_larger_allowance_that_the_partners_choose(draft, arrangement, users):
    """Readiness feeds the optimism bias only when a partner ticks it, with its reason on the results."""
    from readiness.tests.factories import AnswerFactory, RoundFactory

    round_ = RoundFactory(arrangement=arrangement, number=1, stage="operate")
    north = arrangement.partnerships.order_by("pk").first().organisation
    AnswerFactory(round=round_, organisation=north, question="leadership-1", value=1)
    page = text(client_for(users["editor"]).get(url(arrangement, "change/")))
    assert "Add the readiness allowance to this case" in page and "a further 20% off savings" in page

    editor = client_for(users["moderator"])  # who may enter both partners' figures in one form
    untouched = {**form_for(LGA_2012[0]), "optimism_bias.readiness_offered": "1"}
    editor.post(url(arrangement, "change/"), untouched)
    draft.refresh_from_db()
    assert not [e for e in draft.data["optimism_bias"]["extra"] if e["source"].startswith("Readiness")]

    ticked = {**untouched, "optimism_bias.readiness": "yes"}
    assert editor.post(url(arrangement, "change/"), ticked).status_code == 302
    draft.refresh_from_db()
    added = {e["target"]: e["amount"] for e in draft.data["optimism_bias"]["extra"]}
    assert added == {"savings": 20.0, "one_off_costs": 15.0, "running_costs": 15.0}
    results = text(editor.get(url(arrangement)))
    assert "readiness assessment (round 1)" in results
