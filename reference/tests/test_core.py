"""The shared importer core, on small declarations written for the test."""

from __future__ import annotations

import io

import pytest

from organisations.models import Organisation, OrganisationType
from reference.core import Context, Declaration, ImportError_, Result, apply, run


def org(code: str, name: str, **extra) -> dict:
    return {
        "code": code,
        "name": name,
        "official_name": f"{name} Council",
        "org_type": OrganisationType.DISTRICT,
        **extra,
    }


def declaration(rows: list[dict], **options) -> Declaration:
    return Declaration(name="Test councils", model=Organisation, key=("code",), rows=lambda context: rows, **options)


@pytest.fixture
def context() -> Context:
    return Context(data_dir="unused", verbose=False)


def counts(result: Result) -> tuple[int, int, int, int]:
    return result.created, result.updated, result.unchanged, result.removed


@pytest.mark.django_db
def test_creates_then_leaves_unchanged(context):
    rows = [org("AAA", "Aville", area_km2=10.5), org("BBB", "Bton")]

    first = apply(declaration(rows), context)
    second = apply(declaration(rows), context)

    assert counts(first) == (2, 0, 0, 0)
    assert counts(second) == (0, 0, 2, 0)
    assert Organisation.objects.get(code="AAA").area_km2 == 10.5


@pytest.mark.django_db
def test_updates_only_what_changed(context):
    apply(declaration([org("AAA", "Aville"), org("BBB", "Bton")]), context)

    result = apply(declaration([org("AAA", "Aville on Sea"), org("BBB", "Bton")]), context)

    assert counts(result) == (0, 1, 1, 0)
    assert Organisation.objects.get(code="AAA").name == "Aville on Sea"


@pytest.mark.django_db
def test_floats_equal_but_for_rounding_are_unchanged(context):
    apply(declaration([org("AAA", "Aville", area_km2=0.1 + 0.2)]), context)

    assert counts(apply(declaration([org("AAA", "Aville", area_km2=0.3)]), context)) == (0, 0, 1, 0)
    assert counts(apply(declaration([org("AAA", "Aville", area_km2=0.31)]), context)) == (0, 1, 0, 0)


@pytest.mark.django_db
def test_user_edited_fields_are_never_overwritten(context):
    maintained = {"user_maintained": ("homepage",)}
    apply(
        declaration(
            [org("AAA", "Aville", homepage="https://a.example/"), org("BBB", "Bton", homepage="https://b.example/")],
            **maintained,
        ),
        context,
    )
    Organisation.objects.filter(code="AAA").update(homepage="https://edited.example/", user_edited_fields=["homepage"])
    Organisation.objects.filter(code="BBB").update(homepage="https://not-marked.example/")

    result = apply(
        declaration(
            [org("AAA", "Aville", homepage="https://a.example/"), org("BBB", "Bton", homepage="https://b.example/")],
            **maintained,
        ),
        context,
    )

    assert Organisation.objects.get(code="AAA").homepage == "https://edited.example/"
    assert Organisation.objects.get(code="BBB").homepage == "https://b.example/"
    assert counts(result) == (0, 1, 1, 0)


@pytest.mark.django_db
def test_an_edited_field_that_is_not_user_maintained_is_restored(context):
    apply(declaration([org("AAA", "Aville")]), context)
    Organisation.objects.filter(code="AAA").update(name="Vandalised", user_edited_fields=["name"])

    apply(declaration([org("AAA", "Aville")], user_maintained=("homepage",)), context)

    assert Organisation.objects.get(code="AAA").name == "Aville"


@pytest.mark.django_db
def test_prune_removes_what_the_source_no_longer_gives_within_scope(context):
    apply(declaration([org("AAA", "Aville"), org("BBB", "Bton"), org("XXX", "Elsewhere", region="Other")]), context)
    scoped = {"prune": True, "scope": lambda: Organisation.objects.exclude(region="Other")}

    result = apply(declaration([org("AAA", "Aville")], **scoped), context)

    assert counts(result) == (0, 0, 1, 1)
    assert set(Organisation.objects.values_list("code", flat=True)) == {"AAA", "XXX"}


@pytest.mark.django_db
def test_without_prune_nothing_is_removed(context):
    apply(declaration([org("AAA", "Aville"), org("BBB", "Bton")]), context)

    result = apply(declaration([org("AAA", "Aville")]), context)

    assert result.removed == 0
    assert Organisation.objects.count() == 2


@pytest.mark.django_db
def test_many_to_many_are_set_and_a_change_there_counts_as_an_update(context):
    apply(declaration([org("OLD", "Old"), org("NEW", "New"), org("NEW2", "Newer")]), context)
    ids = dict(Organisation.objects.values_list("code", "id"))

    def successors(*codes):
        return declaration([{"code": "OLD", "successors": [ids[c] for c in codes]}], many_to_many=("successors",))

    assert counts(apply(successors("NEW"), context)) == (0, 1, 0, 0)
    assert counts(apply(successors("NEW"), context)) == (0, 0, 1, 0)
    assert counts(apply(successors("NEW", "NEW2"), context)) == (0, 1, 0, 0)
    assert set(Organisation.objects.get(code="OLD").successors.values_list("code", flat=True)) == {"NEW", "NEW2"}


@pytest.mark.django_db
def test_a_key_given_twice_fails_and_rolls_back_the_whole_run(context):
    good = declaration([org("AAA", "Aville")])
    bad = Declaration(
        name="Duplicates",
        model=Organisation,
        key=("code",),
        rows=lambda context: [org("ZZZ", "Z"), org("ZZZ", "Z again")],
    )

    with pytest.raises(ImportError_, match="Duplicates: the source gives \\('ZZZ',\\) twice"):
        run([good, bad], context)

    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_dry_run_reports_what_a_real_run_would_do_and_saves_nothing(context):
    first = declaration([org("AAA", "Aville")])
    # The second declaration reads what the first wrote, as the register's do.
    second = Declaration(
        name="Renames",
        model=Organisation,
        key=("code",),
        rows=lambda context: [
            {"code": code, "name": f"{name} (renamed)"}
            for code, name in Organisation.objects.values_list("code", "name")
        ],
    )

    dry = run([first, second], context, dry_run=True)

    assert not Organisation.objects.exists()
    assert [counts(r) for r in dry] == [(1, 0, 0, 0), (0, 1, 0, 0)]
    assert [counts(r) for r in run([first, second], context)] == [counts(r) for r in dry]
    assert Organisation.objects.get().name == "Aville (renamed)"


@pytest.mark.django_db
def test_verbose_run_reports_each_declaration():
    out = io.StringIO()

    run([declaration([org("AAA", "Aville")])], Context(data_dir="unused", out=out))

    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0] == "Test councils ..."
    assert lines[1].startswith("  Test councils: 1 created, 0 updated, 0 unchanged, 0 removed (")


def test_result_line():
    result = Result("Boundaries", created=3, updated=2, unchanged=1, removed=4, seconds=1.26)

    assert result.line() == "Boundaries: 3 created, 2 updated, 1 unchanged, 4 removed (1.3 s)"


def test_progress_is_reported_at_most_five_times():
    out = io.StringIO()
    report = Context(data_dir="unused", out=out).progress("borders")

    for done in range(1, 1001):
        report(done, 1000)

    lines = out.getvalue().splitlines()
    assert len(lines) <= 5
    assert lines[-1] == "  borders: 1000/1000 (100%)"


@pytest.mark.parametrize("verbose, total", [(False, 10), (True, 0)])
def test_progress_is_silent_when_quiet_or_empty(verbose, total):
    out = io.StringIO()
    report = Context(data_dir="unused", out=out, verbose=verbose).progress("borders")

    report(0, total)
    report(total, total)

    assert out.getvalue() == ""


def test_remember_computes_once_per_run():
    context = Context(data_dir="unused", verbose=False)
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert context.remember("key", compute) == 1
    assert context.remember("key", compute) == 1
    assert Context(data_dir="unused").remember("key", compute) == 2
