"""`make run`'s demo content: the real arrangements of the research, loaded through the import
(and so the one write path) on the real register, and loaded again without change."""

from __future__ import annotations

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_demo_loads_on_the_real_register_and_reloads_without_change(settings):
    from arrangements.models import Arrangement, LedgerEntry, Version

    settings.DEMO_ACCOUNTS = True
    call_command("load_reference_data", verbosity=0)
    call_command("load_demo", verbosity=0)
    assert Arrangement.objects.published().count() == 15
    entries = LedgerEntry.objects.count()
    # LGSS: the two-year total and the cumulative total to March 2012 cover the same years and
    # say the same, so they are one entry; Devon and Somerset's overlap and are kept apart.
    lgss = Arrangement.objects.get(title__startswith="LGSS")
    assert list(lgss.ledger.filter(measure="achieved_saving").values_list("period", "amount")) == [
        ("2010/11-2011/12", 3_790_000)
    ]
    # LGSS's business case, from the study's published figures, shared and so in the ledger.
    from appraisal.models import BusinessCase

    case = BusinessCase.objects.get(arrangement=lgss)
    assert case.shared and case.version == 1
    assert lgss.ledger.filter(measure="expected_saving", source__startswith="Business case").exists()
    cases = BusinessCase.objects.count()
    # Wye Valley NHS Trust has no area of its own: it serves Herefordshire, in its ICB's area.
    from organisations.models import Organisation, ServedCouncil

    wye = Organisation.objects.get(code="WYE-VALLEY-NHS")
    assert (wye.org_type, wye.health_body.gss_code) == ("NHST", "E54000019")
    served = ServedCouncil.objects.get(body=wye)
    assert served.council.gss_code == "E06000019" and "Hoople" in served.source
    from partners import services

    result = services.find(
        services.Search(
            organisation=served.council,
            service=services.resolve_service("hr"),
            org_types=services.org_types_for("health"),
            limit=None,
        )
    )
    assert "WYE-VALLEY-NHS" in {m.code for m in result.matches}
    versions = Version.objects.count()
    call_command("load_demo", verbosity=0)
    assert ServedCouncil.objects.filter(body=wye).count() == 1
    assert (Arrangement.objects.count(), LedgerEntry.objects.count(), Version.objects.count()) == (
        15,
        entries,
        versions,
    )
    assert BusinessCase.objects.count() == cases
