"""Upload checks and everything derived from a report's PDF."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from PIL import Image

from reports.forms import ReportAdminForm
from reports.models import Report
from reports.pdf import inspect_pdf
from tests.factories import image_bytes, report_form_data

pytestmark = pytest.mark.django_db


def admin_form(pdf=None, cover=None, instance=None):
    files = {}
    if pdf is not None:
        files["pdf"] = pdf
    if cover is not None:
        files["cover"] = cover
    # The admin's form: the ModelAdmin builds the same fields with its own widgets.
    return ReportAdminForm(data=report_form_data(), files=files, instance=instance)


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200,  # a Windows executable
        b"<!doctype html><html><body><script>alert(1)</script></body></html>",
    ],
    ids=["exe", "html"],
)
def test_a_renamed_file_is_refused_with_a_clear_error(content):
    form = admin_form(pdf=SimpleUploadedFile("report.pdf", content, "application/pdf"))

    assert not form.is_valid()
    assert form.errors["pdf"] == ["This file is not a PDF. Upload the report as a PDF document."]


def test_a_damaged_pdf_is_refused(tagged_pdf):
    form = admin_form(pdf=SimpleUploadedFile("report.pdf", tagged_pdf[:200]))

    assert not form.is_valid()
    assert "damaged" in form.errors["pdf"][0]


class HugeUpload(UploadedFile):
    """An upload whose handler counted a huge size; reading its content fails the test."""

    def __init__(self, size):
        super().__init__(file=io.BytesIO(b"%PDF-1.7\n"), name="big.pdf", size=size)
        self.bytes_read = 0

    def read(self, *args, **kwargs):
        data = super().read(*args, **kwargs)
        self.bytes_read += len(data)
        return data

    def chunks(self, chunk_size=None):
        raise AssertionError("an oversize upload must not be read")


def test_an_oversize_upload_is_refused_without_reading_it(settings):
    settings.MAX_UPLOAD_MB = 25
    upload = HugeUpload(size=26 * 1024 * 1024)
    form = admin_form(pdf=upload)

    assert not form.is_valid()
    assert form.errors["pdf"] == ["This file is 26.0 MB; the largest accepted is 25 MB."]
    assert upload.bytes_read == 0


def test_an_oversize_post_is_streamed_to_disk_and_refused(admin_client, settings, tagged_pdf):
    settings.MAX_UPLOAD_MB = 1
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    big = tagged_pdf + b"%" + b"0" * (1024 * 1024 + 10)
    data = report_form_data(pdf=SimpleUploadedFile("big.pdf", big, "application/pdf"))

    response = admin_client.post("/admin/reports/report/add/", data)

    assert response.status_code == 200
    assert "the largest accepted is 1 MB" in response.content.decode()
    assert not Report.objects.exists()


def test_page_count_size_and_safe_name_are_computed(tagged_pdf):
    form = admin_form(pdf=SimpleUploadedFile("My Report (final) <v2>.PDF", tagged_pdf))

    assert form.is_valid(), form.errors
    report = form.save()

    report.refresh_from_db()
    assert report.pdf_pages == 3
    assert report.pdf_size == len(tagged_pdf)
    # Stored privately under a random name: nobody can guess a draft's file.
    assert re.fullmatch(r"reports/pdfs/[\w-]{22}\.pdf", report.pdf.name)
    assert report.download_filename() == "workforce-mapping.pdf"
    assert report.pdf.size == len(tagged_pdf)


def test_a_cover_is_rendered_from_the_first_page_when_none_is_uploaded(tagged_pdf):
    form = admin_form(pdf=SimpleUploadedFile("report.pdf", tagged_pdf))
    assert form.is_valid(), form.errors
    report = form.save()

    report.refresh_from_db()
    assert report.cover_generated is True
    assert report.cover.name.endswith(".jpg")
    with Image.open(report.cover.path) as cover:
        assert cover.format == "JPEG"
        assert cover.size == (report.cover_width, report.cover_height)
        # US Letter's proportions, and the page is mostly white paper.
        assert cover.width == 960
        assert abs(cover.height / cover.width - 11 / 8.5) < 0.01
        assert cover.convert("L").getpixel((5, 5)) > 240


def test_an_uploaded_cover_is_re_encoded_and_kept(tagged_pdf):
    form = admin_form(
        pdf=SimpleUploadedFile("report.pdf", tagged_pdf),
        cover=SimpleUploadedFile("Cover Art.png", image_bytes(), "image/png"),
    )
    assert form.is_valid(), form.errors
    report = form.save()

    report.refresh_from_db()
    assert report.cover_generated is False
    assert re.fullmatch(r"reports/covers/[\w-]{22}\.png", report.cover.name)
    assert (report.cover_width, report.cover_height) == (400, 500)


def test_a_new_pdf_re_renders_a_generated_cover(tagged_pdf):
    first = admin_form(pdf=SimpleUploadedFile("one.pdf", tagged_pdf))
    assert first.is_valid()
    report = first.save()
    old_cover = report.cover.name

    second = admin_form(pdf=SimpleUploadedFile("two.pdf", tagged_pdf), instance=report)
    assert second.is_valid(), second.errors
    report = second.save()

    assert report.cover.name != old_cover
    assert report.cover_generated


def test_a_fake_cover_image_is_refused(tagged_pdf):
    form = admin_form(
        pdf=SimpleUploadedFile("report.pdf", tagged_pdf),
        cover=SimpleUploadedFile("cover.png", b"<svg onload=alert(1)>", "image/png"),
    )

    assert not form.is_valid()
    assert "cover" in form.errors


def test_the_accessibility_check_flags_an_untagged_pdf(untagged_pdf):
    facts = inspect_pdf(SimpleUploadedFile("r.pdf", untagged_pdf))

    assert facts.tagged is False
    assert facts.language == ""
    assert facts.title == ""


def test_the_accessibility_check_passes_a_tagged_pdf(tagged_pdf):
    facts = inspect_pdf(SimpleUploadedFile("r.pdf", tagged_pdf))

    assert facts.tagged is True
    assert facts.language == "en-US"
    assert facts.title == "An accessible report"


def test_marked_but_without_a_structure_tree_is_not_tagged():
    from iecmh_site.demo.pdf import build_pdf

    pdf = build_pdf("Half tagged", tagged=False)
    pdf = pdf.replace(b"/Lang", b"/MarkInfo << /Marked true >> /Lang")
    facts = inspect_pdf(SimpleUploadedFile("r.pdf", pdf))

    assert facts.tagged is False
    assert facts.language == "en-US"
