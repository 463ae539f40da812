"""Uploads in S3-compatible storage (django-storages) against a real S3 server (SeaweedFS)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from iecmh_site.images import rendition_name, rendition_widths
from iecmh_site.s3 import s3_storages
from pages.models import Page
from reports.models import Report
from tests import servers
from tests.factories import image_bytes, report_form_data

# One S3 server for all of these, in one test process.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("s3")]


@pytest.fixture
def s3(settings, s3_server):
    """The site's two S3 storages, as the settings build them from AWS_* variables."""
    configured = s3_storages(
        public_bucket=servers.PUBLIC_BUCKET,
        private_bucket=servers.PRIVATE_BUCKET,
        endpoint_url=s3_server.url,
        region_name="us-east-1",
        custom_domain=None,
    )
    for storage in configured.values():
        storage["OPTIONS"].update(access_key=servers.S3_KEY, secret_key=servers.S3_SECRET)
    settings.STORAGES = {**settings.STORAGES, **configured}
    return s3_server


def test_report_files_are_private_in_the_bucket_and_handed_out_by_the_views(
    s3, admin_client, tagged_pdf, run_jobs
):
    upload = SimpleUploadedFile("Mapping.pdf", tagged_pdf, "application/pdf")
    response = admin_client.post("/admin/reports/report/add/", report_form_data(pdf=upload))
    assert response.status_code == 302
    run_jobs()
    report = Report.objects.get()

    names = [report.pdf.name, report.cover.name] + [
        rendition_name(report.cover, width) for width in rendition_widths(report.cover_width)
    ]
    client = servers.s3_client(s3.url)
    for name in names:
        client.head_object(Bucket=servers.PRIVATE_BUCKET, Key=name)  # stored there
        assert servers.anonymous_get(f"{s3.url}/{servers.PRIVATE_BUCKET}/{name}") == 403

    download = admin_client.get(report.get_download_url())
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == tagged_pdf
    cover = admin_client.get(report.cover_picture.src)
    assert (cover.status_code, cover["Content-Type"]) == (200, "image/webp")


def test_public_pictures_and_their_renditions_are_read_from_the_public_bucket(
    s3, admin_client, client, run_jobs
):
    response = admin_client.post(
        "/admin/pages/page/add/",
        {
            "title_en": "Our Work",
            "slug": "our-work",
            "summary_en": "Who we are.",
            "body_en": "<p>Body</p>",
            "hero_image": SimpleUploadedFile("hero.png", image_bytes((1200, 600)), "image/png"),
            "hero_alt_en": "Babies playing",
            "publish_at_0": "2025-01-01",
            "publish_at_1": "09:00:00",
            "partner": "both",
            "navigation_order": "10",
        },
    )
    assert response.status_code == 302
    run_jobs()
    assert Page.objects.get().hero_image.storage.bucket_name == servers.PUBLIC_BUCKET

    html = client.get("/our-work/").content.decode()
    urls = [
        entry.rsplit(" ", 1)[0] for entry in re.search(r'srcset="([^"]+)"', html)[1].split(", ")
    ]
    assert len(urls) == 3
    for url in urls:
        assert url.startswith(f"{s3.url}/{servers.PUBLIC_BUCKET}/")
        assert servers.anonymous_get(url) == 200
