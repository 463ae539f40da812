"""Writes with side effects: attaching a PDF derives its facts and may render a cover file."""

from pathlib import PurePath

from iecmh_site.images import renditions_make
from iecmh_site.storage import safe_filename
from reports.models import Report
from reports.pdf import inspect_pdf, render_cover


def report_attach_pdf(*, report: Report, pdf, cover_uploaded: bool = False) -> None:
    """Set ``report.pdf`` to a checked upload, with everything derived from it.

    Reads page count, size and the accessibility basics; renders a cover from the first page
    when the report has none, or when its cover was itself rendered from an earlier PDF.
    The caller saves the report, then calls ``report_cover_renditions_make``.
    """
    pdf.name = safe_filename(pdf.name, ".pdf")
    facts = inspect_pdf(pdf)
    report.pdf = pdf
    report.pdf_size = facts.size
    report.pdf_pages = facts.pages
    report.pdf_tagged = facts.tagged
    report.pdf_language = facts.language
    report.pdf_title = facts.title
    if cover_uploaded:
        report.cover_generated = False
    elif not report.cover or report.cover_generated:
        cover = render_cover(pdf, name=PurePath(pdf.name).stem)
        if cover is not None:
            report.cover = cover
            report.cover_generated = True


def report_cover_renditions_make(*, report: Report) -> None:
    if report.cover:
        renditions_make(report.cover, report.cover_width)
