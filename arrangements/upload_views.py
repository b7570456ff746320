"""The upload page for bulk imports, its progress page and the template download."""

from __future__ import annotations

import csv
import io

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from arrangements import importing, jobs, spec
from arrangements.models import ImportJob
from arrangements.permissions import editable_organisation_ids
from background.worker import workers_alive
from sharewell.widgets import GovukFormMixin

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class UploadForm(GovukFormMixin, forms.Form):
    file = forms.FileField(
        label="Spreadsheet", help_text="A CSV (UTF-8) or Excel .xlsx file with the template’s columns"
    )
    dry_run = forms.BooleanField(label="Check the file only: do not import anything yet", required=False, initial=True)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file must be smaller than 20 MB")
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("The file must be a CSV or an Excel .xlsx file")
        return upload


def _may_import(user) -> bool:
    return user.is_moderator or bool(editable_organisation_ids(user))


@login_required
def upload(request):
    if not _may_import(request.user):
        raise PermissionDenied("Only editors of an organisation and moderators can import arrangements.")
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        job = ImportJob.objects.create(
            user=request.user,
            filename=upload_file.name,
            content=upload_file.read(),
            dry_run=form.cleaned_data["dry_run"],
        )
        jobs.start(job)
        return redirect("arrangements:import-job", pk=job.pk)
    return render(
        request,
        "arrangements/upload.html",
        {"form": form, "columns": importing.template_columns(), "required": spec.REQUIRED_COLUMNS},
    )


@login_required
def job_status(request, pk: int):
    job = get_object_or_404(ImportJob, pk=pk)
    if job.user_id != request.user.pk and not request.user.is_moderator:
        raise PermissionDenied("This import belongs to someone else.")
    if request.method == "POST" and job.state == ImportJob.State.DONE and job.dry_run and not job.file_deleted:
        # "Import for real": the same file, checked again as it is saved.
        real = ImportJob.objects.create(user=request.user, filename=job.filename, content=job.content, dry_run=False)
        jobs.start(real)
        return redirect("arrangements:import-job", pk=real.pk)
    stalled = jobs.is_stalled(job)
    context = {
        "job": job,
        "report": job.report,
        "stalled": stalled,
        "worker_running": workers_alive() if job.state == ImportJob.State.QUEUED or stalled else True,
        "max_attempts": settings.JOBS_MAX_ATTEMPTS,
        "files_kept_days": settings.IMPORT_FILES_KEPT_DAYS,
    }
    return render(request, "arrangements/import_job.html", context)


def template(request, fmt: str):
    """An empty template with one example row, as CSV or Excel."""
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "Arrangements"
        columns = importing.template_columns()
        sheet.append(list(columns))
        sheet.append([importing.TEMPLATE_EXAMPLE.get(c, "") for c in columns])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=importing.template_columns(), restval="")
        writer.writeheader()
        writer.writerow(importing.TEMPLATE_EXAMPLE)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        fmt = "csv"
    response["Content-Disposition"] = f'attachment; filename="sharewell-import-template.{fmt}"'
    return response
