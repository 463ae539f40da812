"""Writes with side effects: saving a report, and checking its files in a background job."""

from django.core.files.base import ContentFile

from iecmh_site import sandbox
from iecmh_site.images import picture_process, renditions_delete
from iecmh_site.pdfs import examine_pdf
from reports.models import Report

FILE_FIELDS = [
    "pdf",
    "pdf_size",
    "pdf_pages",
    "pdf_tagged",
    "pdf_language",
    "pdf_title",
    "pdf_accessible",
    "cover",
    "cover_width",
    "cover_height",
    "cover_generated",
    "files_ready",
    "files_problem",
    "updated_at",
]


def report_save(*, report: Report, pdf_changed: bool, cover_changed: bool) -> Report:
    """Save a report; new files are checked by a background job, enqueued with the save.

    Until the job has run, visitors see neither the download nor the cover.
    """
    from reports.tasks import report_files_process_job

    if pdf_changed:
        report.pdf_size = report.pdf.size if report.pdf else 0
        report.pdf_pages = 0
        report.pdf_tagged = False
        report.pdf_language = report.pdf_title = ""
    if cover_changed:
        report.cover_generated = False
        report.cover_width = report.cover_height = None
    if pdf_changed or cover_changed:
        report.files_ready, report.files_problem = False, ""
    report.save()
    if pdf_changed or cover_changed:
        report_files_process_job.enqueue(report.pk, pdf_changed, cover_changed)
    return report


def report_files_process(*, report: Report, pdf_changed: bool, cover_changed: bool) -> None:
    """Check a report's PDF and cover in the sandbox; make a cover from the first page when
    there is none (or the old one was made that way); make the cover's renditions.

    A PDF that cannot be used is removed, with the reason in files_problem for staff.
    """
    problems = []
    make_cover = pdf_changed and (not report.cover or report.cover_generated)
    if pdf_changed and report.pdf:
        with report.pdf.open("rb") as stored:
            data = stored.read()
        try:
            found = sandbox.run(examine_pdf, data, make_cover=make_cover)
        except sandbox.SandboxError as exc:
            report.pdf.storage.delete(report.pdf.name)
            report.pdf = ""
            report.pdf_size = 0
            problems.append(f"The PDF was not accepted: {exc}")
        else:
            report.pdf_pages = found["pages"]
            report.pdf_tagged = found["tagged"]
            report.pdf_language = found["language"]
            report.pdf_title = found["title"]
            if found["cover"]:
                _cover_replace(report, ContentFile(found["cover"], name="cover.jpg"))
                report.cover_generated = cover_changed = True
            elif found["cover_problem"]:
                problems.append(
                    f"No cover could be made from the PDF: {found['cover_problem']}. "
                    "Upload a cover picture."
                )
    if cover_changed and report.cover:
        try:
            report.cover_width, report.cover_height = picture_process(report.cover)
        except sandbox.SandboxError as exc:
            _cover_replace(report, None)
            problems.append(f"The cover picture could not be used: {exc}")
    report.files_ready = True
    report.files_problem = " ".join(problems)
    # Only the file fields: staff may have edited the report while the job ran.
    report.save(update_fields=FILE_FIELDS)


def _cover_replace(report: Report, content: ContentFile | None) -> None:
    if report.cover:
        renditions_delete(report.cover)
        report.cover.storage.delete(report.cover.name)
    report.cover = ""
    report.cover_width = report.cover_height = None
    if content is not None:
        report.cover.save(content.name, content, save=False)
