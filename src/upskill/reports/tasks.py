"""Background jobs of the reports app (core.jobs): a report upward (HB45-RPT-1) or the request to
reimburse advanced enterprise subsidies (HB61 五), its figures counted and its Excel and PDF files
written while the bureau watches the progress bar."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from upskill.core.jobs import JobContext, job_task


@job_task
def upward_report_task(job: JobContext, *, report_id: int) -> dict:
    from .models import UpwardReport
    from .services import upward_report_generate  # services imports this module to start it

    report = UpwardReport.objects.select_related("region", "requested_by").get(pk=report_id)

    def progress(done: int, total: int, message: str = "") -> None:
        job.progress(done, total, message)

    upward_report_generate(report=report, progress=progress)
    return {
        "summary": _("%(report)s is ready.") % {"report": report.get_kind_display()},
        "url": reverse("reports:upward_reports"),
        "link_text": _("Open the reports upward"),
    }
