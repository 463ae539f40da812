"""The admin as staff use it: what every form and list shares."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.utils import timezone

from iecmh_site.views import permission_denied
from iecmh_site.vocabulary import Role
from tests.factories import event_form_data, make_event, make_report, report_form_data


def test_admin_is_branded(admin_client):
    response = admin_client.get("/admin/")

    assert "IECMH Workforce Partnership: site administration" in response.content.decode()


@pytest.mark.parametrize(
    "day, time, expected",
    [
        ("10/21/2026", "3:00 PM", "2026-10-21 15:00"),
        ("10/21/2026", "3pm", "2026-10-21 15:00"),
        ("10/21/26", "3 pm", "2026-10-21 15:00"),
        ("2026-10-21", "15:00", "2026-10-21 15:00"),
        ("Oct 21, 2026", "9:30 am", "2026-10-21 09:30"),
    ],
)
def test_dates_and_times_as_staff_type_them(staff_client, db, day, time, expected):
    event = make_event("Webinar")
    data = event_form_data(event, start_0=day, start_1=time, end_0="10/21/2026", end_1="11:59 PM")

    response = staff_client.post(event.get_admin_url(), data)

    assert response.status_code == 302, response.context["errors"]
    event.refresh_from_db()
    assert f"{timezone.localtime(event.start):%Y-%m-%d %H:%M}" == expected


def test_date_and_time_fields_say_how_to_type_them(staff_client, db):
    html = staff_client.get("/admin/events/event/add/").text

    assert "Type dates like 10/21/2026. Type times like 3:00 PM, 3pm or 15:00." in html


def test_the_form_shows_an_unusable_time_with_the_hint(staff_client, db):
    event = make_event("Webinar")

    data = event_form_data(event, start_1="25 o'clock")

    response = staff_client.post(event.get_admin_url(), data)

    assert response.status_code == 200
    assert "Enter a valid time." in response.text
    assert "Type times like 3:00 PM, 3pm or 15:00." in response.text


def test_the_error_summary_lists_every_error_linked_to_its_field(staff_client, db):
    fake_pdf = SimpleUploadedFile("report.pdf", b"not a pdf at all", content_type="application/pdf")

    response = staff_client.post(
        "/admin/reports/report/add/", report_form_data(title="", pdf=fake_pdf)
    )

    html = response.text
    summary = html.split('id="error-summary"')[1].split("</div>")[0]
    assert "Please correct these 2 errors" in summary
    assert '<a href="#id_title_en">Title: This field is required.</a>' in summary
    assert '<a href="#id_pdf">PDF:' in summary  # file fields too
    assert html.index('id="error-summary"') < html.index('id="id_title_en"')


def test_roles_cannot_be_deleted(admin_client, db):
    role = Role.objects.first()

    assert admin_client.get(f"/admin/iecmh_site/role/{role.pk}/delete/").status_code == 403
    assert "delete_selected" not in admin_client.get("/admin/iecmh_site/role/").text


def test_deleting_a_report_lists_its_links_by_name(admin_client, db):
    report = make_report("Workforce survey", roles=Role.objects.filter(slug="pediatricians"))

    html = admin_client.get(f"/admin/reports/report/{report.pk}/delete/").text

    assert "Workforce survey – Pediatricians" in html
    assert "object (" not in html


def test_the_events_list_opens_on_upcoming_events(staff_client, local, db):
    make_event("Last year's panel", start=local(2025, 10, 22, 10))
    make_event("Next month's training", start=timezone.now() + timezone.timedelta(days=30))

    opening = staff_client.get("/admin/events/event/").text
    everything = staff_client.get("/admin/events/event/?when=all").text
    searched = staff_client.get("/admin/events/event/?q=panel").text

    assert "Next month" in opening and "Last year" not in opening
    assert "Next month" in everything and "Last year" in everything
    assert "Last year" in searched


def test_a_draft_saved_says_visitors_will_not_see_it(staff_client, db):
    event = make_event("Future webinar", publish_at=None)

    response = staff_client.post(event.get_admin_url(), event_form_data(event), follow=True)

    assert "This is a draft: visitors will not see it" in response.text


def test_a_forbidden_admin_page_stays_in_the_admin_with_a_way_back(staff_client, db):
    response = staff_client.get(
        "/admin/auth/user/", HTTP_REFERER="http://testserver/admin/pages/page/"
    )

    assert response.status_code == 403
    assert "IECMH Workforce Partnership: site administration" in response.text
    assert 'href="http://testserver/admin/pages/page/"' in response.text
    assert 'href="/admin/"' in response.text


def test_a_forbidden_link_from_another_site_is_not_offered_as_the_way_back(staff_client, db):
    response = staff_client.get("/admin/auth/user/", HTTP_REFERER="https://evil.example/")

    assert response.status_code == 403
    assert "evil.example" not in response.text


def test_visitors_get_the_public_403_page(db):
    request = RequestFactory().get("/reports/")
    request.user = AnonymousUser()

    response = permission_denied(request, PermissionDenied())

    assert response.status_code == 403
    assert b"Access denied" in response.content
