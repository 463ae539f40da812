"""Background jobs of the reports app."""

from django_tasks import task

from iecmh_site.jobs import retried
from reports.models import Report
from reports.services import report_files_process


@task()
@retried
def report_files_process_job(report_id: int, pdf_changed: bool, cover_changed: bool) -> None:
    report = Report.objects.filter(pk=report_id).first()
    if report is not None:
        report_files_process(report=report, pdf_changed=pdf_changed, cover_changed=cover_changed)
