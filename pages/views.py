from django.shortcuts import render

from organisations.models import PRINCIPAL_COUNCIL_TYPES, Organisation
from reference.registry import all_declarations


def home(request):
    current = Organisation.objects.current()
    return render(request, "pages/home.html", {
        "council_count": current.filter(org_type__in=PRINCIPAL_COUNCIL_TYPES).count(),
        "organisation_count": current.count(),
    })


def about_data(request):
    return render(request, "pages/about_data.html", {"declarations": all_declarations()})


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
