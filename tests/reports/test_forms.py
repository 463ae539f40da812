"""The report form's upload checks: cheap, by content, before anything is stored."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile

from reports.forms import ReportAdminForm
from reports.models import Report
from tests.factories import report_form_data

pytestmark = pytest.mark.django_db


def admin_form(**files):
    return ReportAdminForm(data=report_form_data(), files=files)


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


def test_a_fake_cover_image_is_refused(tagged_pdf):
    form = admin_form(
        pdf=SimpleUploadedFile("report.pdf", tagged_pdf),
        cover=SimpleUploadedFile("cover.png", b"<svg onload=alert(1)>", "image/png"),
    )

    assert not form.is_valid()
    assert "cover" in form.errors
