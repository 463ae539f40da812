"""A report's files, checked and turned into a cover by the background job."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from iecmh_site.images import rendition_name, rendition_widths
from reports.models import Report
from reports.services import report_save
from tests import hostile
from tests.factories import image_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def save(run_jobs):
    """Save a report with new files as the admin does, then run the job it queued."""

    def save(report=None, *, pdf=None, cover=None, name="report.pdf"):
        report = report or Report(
            title="Workforce mapping",
            slug="workforce-mapping",
            summary="s.",
            publication_date="2025-01-01",
        )
        if pdf is not None:
            report.pdf = SimpleUploadedFile(name, pdf, "application/pdf")
        if cover is not None:
            report.cover = SimpleUploadedFile("cover.png", cover, "image/png")
        report_save(report=report, pdf_changed=pdf is not None, cover_changed=cover is not None)
        assert not report.files_ready  # visitors see no file until it was checked
        run_jobs()
        return Report.objects.get(pk=report.pk)

    return save


def test_facts_size_and_a_random_private_name(save, tagged_pdf):
    report = save(pdf=tagged_pdf, name="My Report (final) <v2>.PDF")

    assert report.files_ready and report.downloadable
    assert (report.pdf_pages, report.pdf_size, report.pdf_accessible) == (3, len(tagged_pdf), True)
    # Stored privately under a random name: nobody can guess a draft's file.
    assert re.fullmatch(r"reports/pdfs/[\w-]{22}\.pdf", report.pdf.name)
    assert report.download_filename() == "workforce-mapping.pdf"


def test_a_cover_and_its_renditions_are_made_from_the_first_page(save, tagged_pdf):
    report = save(pdf=tagged_pdf)

    assert report.cover_generated and (report.cover_width, report.cover_height) == (960, 1243)
    for width in rendition_widths(report.cover_width):
        stored = report.cover.storage.open(rendition_name(report.cover, width))
        with stored, Image.open(stored) as rendition:
            assert (rendition.format, rendition.width) == ("WEBP", width)


def test_an_uploaded_cover_is_kept_and_re_encoded(save, tagged_pdf):
    report = save(pdf=tagged_pdf, cover=image_bytes((400, 500)) + b"<script>x</script>")

    assert report.cover_generated is False
    assert (report.cover_width, report.cover_height) == (400, 500)
    assert re.fullmatch(r"reports/covers/[\w-]{22}\.png", report.cover.name)
    assert b"<script>" not in report.cover.read()


def test_a_new_pdf_re_renders_a_generated_cover_and_removes_the_old_one(save, tagged_pdf):
    first = save(pdf=tagged_pdf)
    old_cover = first.cover.name

    second = save(first, pdf=tagged_pdf)

    assert second.cover_generated and second.cover.name != old_cover
    assert not second.cover.storage.exists(old_cover)


@pytest.mark.parametrize(
    ("pdf", "reason"),
    [
        (hostile.pdf_bomb(), "more than 1024 MB of memory"),
        (hostile.encrypted_pdf(user_password="secret"), "needs a password to open"),
        (b"%PDF-1.7 and nothing else", "damaged"),
    ],
    ids=["bomb", "password", "damaged"],
)
def test_an_unusable_pdf_is_removed_and_staff_are_told_why(save, admin_client, pdf, reason):
    report = save(pdf=pdf)

    assert not report.pdf and not report.cover and not report.downloadable
    assert report.files_problem.startswith("The PDF was not accepted")
    assert reason in report.files_problem
    folder = report.pdf.storage.path("reports/pdfs")
    assert not any(True for _ in __import__("os").scandir(folder))  # nothing left behind
    page = admin_client.get(f"/admin/reports/report/{report.pk}/change/").text
    assert reason in page


def test_staff_can_have_the_files_checked_again(admin_client, client, save, run_jobs, tagged_pdf):
    from django.utils import timezone

    report = save(pdf=tagged_pdf)
    run_jobs()
    Report.objects.filter(pk=report.pk).update(publish_at=timezone.now())
    assert "report-card__cover" in client.get("/reports/").text  # made from the first page

    for _click in range(2):  # a double click checks once
        admin_client.post(
            "/admin/reports/report/",
            {"action": "check_files_again", "_selected_action": [report.pk]},
        )

    assert not Report.objects.get(pk=report.pk).files_ready
    # Its kept card no longer shows the cover, whose address answers 404 until checked.
    assert "report-card__cover" not in client.get("/reports/").text
    assert run_jobs() == 1
    assert Report.objects.get(pk=report.pk).downloadable
    assert "report-card__cover" in client.get("/reports/").text
