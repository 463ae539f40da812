import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reports.models import Report
from tests.factories import make_report, make_topic, report_form_data

pytestmark = pytest.mark.django_db

ADMIN = "/admin/reports/report/"


def test_an_editor_adds_a_report_and_its_pdf_is_checked_in_the_background(
    staff_client, untagged_pdf, run_jobs
):
    response = staff_client.post(
        f"{ADMIN}add/",
        report_form_data(
            pdf=SimpleUploadedFile("Final Report.pdf", untagged_pdf, "application/pdf"),
            key_findings="<p>Findings.</p><script>alert(1)</script>",
        ),
        follow=True,
    )

    assert response.status_code == 200
    report = Report.objects.get()
    assert "<script>" not in report.key_findings
    assert not report.downloadable  # nobody downloads a file that was not checked yet
    assert "Being checked" in staff_client.get(f"{ADMIN}{report.pk}/change/").text

    assert run_jobs() == 1
    report.refresh_from_db()
    assert report.downloadable and report.pdf_pages == 1
    assert report.cover_generated
    html = staff_client.get(f"{ADMIN}{report.pk}/change/").text
    assert html.count("This PDF needs attention") == 1  # said once, beside the PDF


def test_a_renamed_file_shows_a_form_error(staff_client):
    response = staff_client.post(
        f"{ADMIN}add/",
        report_form_data(
            pdf=SimpleUploadedFile("report.pdf", b"MZ\x90\x00" * 100, "application/pdf")
        ),
    )

    assert response.status_code == 200
    assert "This file is not a PDF." in response.content.decode()
    assert not Report.objects.exists()


def test_changelist_shows_thumbnail_downloads_and_accessibility_warning(
    staff_client, tagged_pdf, untagged_pdf
):
    make_report("Accessible", pdf=tagged_pdf)
    make_report("Scanned", pdf=untagged_pdf)

    html = staff_client.get(ADMIN).content.decode()

    assert html.count("⚠ Needs attention") == 1
    assert "✔ Passes" in html
    assert 'alt="" width="60"' in html


@pytest.mark.parametrize(
    "query",
    ["accessible=no", "accessible=yes", "accessible=none", "year=2024", "publication=draft"],
)
def test_changelist_filters(staff_client, tagged_pdf, untagged_pdf, query):
    make_report("Accessible", pdf=tagged_pdf, topics=[make_topic("Policy")])
    make_report("Scanned", pdf=untagged_pdf)

    response = staff_client.get(f"{ADMIN}?{query}")

    assert response.status_code == 200
    shown = {report.title for report in response.context["cl"].result_list}
    expected = {
        "accessible=no": {"Scanned"},
        "accessible=yes": {"Accessible"},
        "accessible=none": set(),
        "year=2024": {"Accessible", "Scanned"},
        "publication=draft": set(),
    }[query]
    assert shown == expected


def test_change_form_warns_about_an_inaccessible_pdf(staff_client, untagged_pdf):
    report = make_report("Scanned", pdf=untagged_pdf)

    html = staff_client.get(f"{ADMIN}{report.pk}/change/").content.decode()

    assert "This PDF needs attention" in html
    assert "it is not tagged" in html


def test_search_and_other_admin_pages_load(staff_client):
    make_report("Findable")
    for url in [
        f"{ADMIN}?q=Findable",
        f"{ADMIN}add/",
        "/admin/reports/topic/add/",
        "/admin/reports/organization/add/",
        "/admin/reports/author/",
    ]:
        assert staff_client.get(url).status_code == 200, url
