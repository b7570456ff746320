"""Rendering a large committee report's PDF in the background (`docs/decisions/0007-benefits-sign-off-and-reports.md`).

An organisation's report with more than INLINE_LIMIT arrangements is rendered by `render_report`
on the worker (inline in tests), for the person who asked and with what they may see; its page
shows the progress and then links the PDF. Anything smaller renders inside the request.
"""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django_tasks import task

from reports.models import ReportJob

logger = logging.getLogger(__name__)
# About a second of WeasyPrint on this project's machines per 60 rows of table: 60 arrangements
# stays well inside a request's time; more than that goes to the worker.
INLINE_LIMIT = 60


def start(job: ReportJob) -> None:
    render_report.enqueue(job.pk)


@task
def render_report(pk: int) -> str:
    from reports import building

    job = ReportJob.objects.select_related("organisation").get(pk=pk)
    ReportJob.objects.filter(pk=pk).update(state=ReportJob.State.RUNNING)
    user = (
        get_user_model().objects.filter(pk=job.requested_by_id).first() if job.requested_by_id else None
    ) or AnonymousUser()
    try:
        content = building.pdf(building.organisation_subject(job.organisation, user), "http://localhost/")
    except Exception as error:  # a report that cannot be drawn says so on its page
        logger.exception("Report %s failed", pk)
        ReportJob.objects.filter(pk=pk).update(
            state=ReportJob.State.FAILED,
            error=f"The report could not be written ({type(error).__name__}). Try again later.",
            finished_at=timezone.now(),
        )
        return "failed"
    ReportJob.objects.filter(pk=pk).update(state=ReportJob.State.DONE, pdf=content, finished_at=timezone.now())
    return "done"
