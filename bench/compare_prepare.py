"""Prepare the scale bench's database for one size (run by bench/compare.py in a child process)."""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sharewell.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from arrangements import register  # noqa: E402
from arrangements.models import Arrangement  # noqa: E402
from bench import arrangements  # noqa: E402
from bench.run import _ensure_database  # noqa: E402
from organisations.models import Organisation  # noqa: E402
from services.models import ServiceCategory  # noqa: E402


def main(size: int) -> None:
    _ensure_database()
    seconds = arrangements.ensure_generated(size)
    with transaction.atomic():
        register.bump()  # the generated rows were written beside the write path: nothing kept counts
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    facts = {
        "arrangements": Arrangement.objects.count(),
        "generated": f"generated in {seconds:.0f} s" if seconds else "already generated",
        "legal": ServiceCategory.objects.get(key="legal").pk,
        "cam": Organisation.objects.get(code="CAM").pk,
    }
    print(json.dumps(facts))


if __name__ == "__main__":
    main(int(sys.argv[1]))
