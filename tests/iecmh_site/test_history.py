"""History of pages, reports, events and weeks: every change a revision, compared and restored."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone
from reversion.models import Version

from events.models import Event
from iecmh_site.groups import EDITORS_GROUP
from iecmh_site.vocabulary import Role
from pages.models import Page
from reports.models import Author, Report, ReportAuthor
from tests.factories import (
    empty_inlines,
    event_form_data,
    in_english,
    make_event,
    make_page,
    make_report,
    report_form_data,
)
from tests.pages.test_admin import form_data

pytestmark = pytest.mark.django_db


def page_form(page, **overrides):
    local = timezone.localtime(page.publish_at) if page.publish_at else None
    data = form_data(
        title=page.title,
        slug=page.slug,
        summary=page.summary,
        body=page.body,
        publish_at_0=f"{local:%m/%d/%Y}" if local else "",
        publish_at_1=f"{local:%I:%M %p}" if local else "",
    )
    return in_english(Page, data | overrides)


def history_url(obj) -> str:
    return obj.get_admin_url().replace("/change/", "/history/")


def history(client, obj):
    return client.get(history_url(obj))


def test_each_save_is_a_revision_with_who_and_what(staff_client, staff_user):
    page = make_page("Our Work", body="<p>First words.</p>")

    staff_client.post(page.get_admin_url(), page_form(page, body="<p>Second words.</p>"))
    page.refresh_from_db()
    staff_client.post(page.get_admin_url(), page_form(page, title="Our work together"))

    versions = Version.objects.get_for_object(page)
    assert versions.count() == 2
    assert {v.revision.user for v in versions} == {staff_user}
    html = history(staff_client, page).text
    assert "Changed Title." in html and "Changed Body." in html
    assert html.count("Restore this version") == 1  # not for the current one


def test_publishing_and_unpublishing_from_the_list_are_revisions(staff_client):
    page = make_page("Draft page", publish_at=None)

    for action in ["publish_now", "unpublish"]:
        staff_client.post("/admin/pages/page/", {"action": action, "_selected_action": [page.pk]})

    comments = [v.revision.comment for v in Version.objects.get_for_object(page)]
    assert comments == ["Unpublished from the list.", "Published from the list."]


def test_publishing_twice_or_in_a_bulk_records_each_item_once(staff_client):
    pages = [make_page(f"Page {n}", publish_at=None) for n in range(3)]
    selected = {"action": "publish_now", "_selected_action": [p.pk for p in pages]}

    staff_client.post("/admin/pages/page/", selected)
    response = staff_client.post("/admin/pages/page/", selected, follow=True)  # double click

    assert "Published 0 item(s)." in response.text
    for page in pages:
        assert Version.objects.get_for_object(page).count() == 1
    assert Page.objects.published().count() == 3


def test_reports_and_events_have_the_same_publish_actions(staff_client):
    report = make_report("Hidden report", publish_at=None)
    event = make_event("Hidden event", publish_at=None)

    staff_client.post(
        "/admin/reports/report/", {"action": "publish_now", "_selected_action": [report.pk]}
    )
    staff_client.post(
        "/admin/events/event/", {"action": "publish_now", "_selected_action": [event.pk]}
    )

    assert Report.objects.published().filter(pk=report.pk).exists()
    assert Event.objects.published().filter(pk=event.pk).exists()


def test_comparison_shows_the_words_that_changed(staff_client):
    page = make_page("The Need", body="<p>Babies need skilled adults.</p>")
    staff_client.post(page.get_admin_url(), page_form(page))
    staff_client.post(
        page.get_admin_url(), page_form(page, body="<p>Babies need many skilled adults.</p>")
    )
    older, newer = Version.objects.get_for_object(page).order_by("pk")

    response = staff_client.get(f"{history_url(page)}compare/?older={older.pk}&newer={newer.pk}")

    html = response.text
    assert response.status_code == 200
    assert '<th scope="row">Body</th>' in html
    assert '<ins><span class="visually-hidden">Added: </span>many </ins>' in html
    table = html.split("<tbody>")[1].split("</tbody>")[0]
    assert "<p>" not in table  # words, not markup
    assert "Title" not in table  # only what changed


@pytest.mark.parametrize(
    "query", ["", "?older=x&newer=1", "?older=999999&newer=999998", "?older=1"]
)
def test_a_bad_comparison_address_goes_back_to_the_history(staff_client, query):
    page = make_page()

    response = staff_client.get(f"{history_url(page)}compare/{query}", follow=True)

    assert response.status_code == 200
    assert "Choose two versions from the history." in response.text


def test_restore_brings_back_the_old_text_in_one_click_and_is_itself_a_revision(staff_client):
    page = make_page("Policy", body="<p>The good words.</p>")
    staff_client.post(page.get_admin_url(), page_form(page))
    staff_client.post(page.get_admin_url(), page_form(page, body="<p>A mistake.</p>"))
    good = Version.objects.get_for_object(page).order_by("pk").first()
    assert "A mistake." in Client().get("/policy/").text

    response = staff_client.post(f"{history_url(page)}{good.pk}/restore/", follow=True)

    assert "Restored the version saved" in response.text
    assert "The good words." in Client().get("/policy/").text  # live at once, cache cleared
    latest = Version.objects.get_for_object(page).first()
    assert latest.revision.comment.startswith("Restored the version saved")


def test_restore_keeps_the_address_rules_and_publication(staff_client):
    page = make_page("Training", slug="training")
    staff_client.post(page.get_admin_url(), page_form(page))
    first = Version.objects.get_for_object(page).first()
    staff_client.post(page.get_admin_url(), page_form(page, slug="trainings"))
    staff_client.post("/admin/pages/page/", {"action": "unpublish", "_selected_action": [page.pk]})

    staff_client.post(f"{history_url(page)}{first.pk}/restore/")

    page.refresh_from_db()
    assert page.path == "training"
    assert page.is_draft  # publication is decided with Publish and Unpublish, not restores
    assert Client().get("/training/").status_code == 404


def test_a_version_whose_address_is_now_taken_is_not_restored(staff_client):
    page = make_page("Events info", slug="info")
    staff_client.post(page.get_admin_url(), page_form(page))
    old = Version.objects.get_for_object(page).first()
    staff_client.post(page.get_admin_url(), page_form(page, slug="about-events"))
    make_page("Info", slug="info")

    response = staff_client.post(f"{history_url(page)}{old.pk}/restore/", follow=True)

    assert "could not be restored" in response.text
    page.refresh_from_db()
    assert page.slug == "about-events"


def test_restore_brings_back_a_reports_authors(staff_client, tagged_pdf):
    report = make_report("Workforce survey", pdf=tagged_pdf)
    first_author = Author.objects.create(family_name="Rivera", given_names="Ana")
    ReportAuthor.objects.create(report=report, author=first_author, order=1)
    data = report_form_data(title=report.title, slug=report.slug)
    data |= empty_inlines("organization_links")
    data |= {
        "author_links-TOTAL_FORMS": "1",
        "author_links-INITIAL_FORMS": "1",
        "author_links-0-id": str(report.author_links.get().pk),
        "author_links-0-report": str(report.pk),
        "author_links-0-author": str(first_author.pk),
        "author_links-0-order": "1",
    }
    assert staff_client.post(report.get_admin_url(), data).status_code == 302
    with_rivera = Version.objects.get_for_object(report).first()
    data["author_links-0-DELETE"] = "on"
    assert staff_client.post(report.get_admin_url(), data).status_code == 302
    assert not report.author_links.exists()

    staff_client.post(f"{history_url(report)}{with_rivera.pk}/restore/")

    assert [str(link.author) for link in report.author_links.all()] == ["Ana Rivera"]


def test_restore_needs_the_change_permission_and_a_post(django_user_model, staff_client):
    page = make_page("Locked")
    staff_client.post(page.get_admin_url(), page_form(page))
    staff_client.post(page.get_admin_url(), page_form(page, title="Locked, changed"))
    old = Version.objects.get_for_object(page).last()
    viewer = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    viewer.user_permissions.add(
        *Group.objects.get(name=EDITORS_GROUP).permissions.filter(codename="view_page")
    )
    client = Client()
    client.force_login(viewer)
    restore = f"{history_url(page)}{old.pk}/restore/"

    assert staff_client.get(restore).status_code == 302  # to the History: only a POST restores
    assert client.post(restore).status_code == 403
    assert "Restore this version" not in history(client, page).text
    page.refresh_from_db()
    assert page.title == "Locked, changed"


def test_event_roles_are_part_of_the_history(staff_client):
    event = make_event("Webinar", roles=Role.objects.filter(slug="pediatricians"))
    staff_client.post(event.get_admin_url(), event_form_data(event, roles=[]))
    staff_client.post(
        event.get_admin_url(),
        event_form_data(
            event, roles=[str(pk) for pk in Role.objects.values_list("pk", flat=True)[:2]]
        ),
    )
    versions = list(Version.objects.get_for_object(event).order_by("pk"))

    compare = staff_client.get(
        f"{history_url(event)}compare/?older={versions[0].pk}&newer={versions[1].pk}"
    )

    assert "For these roles" in compare.text


def test_scheduled_items_say_scheduled_in_every_list(staff_client):
    soon = timezone.now() + timedelta(days=3)
    make_page("Soon page", publish_at=soon)
    make_report("Soon report", publish_at=soon)
    make_event("Soon event", publish_at=soon)

    for url in ["/admin/pages/page/", "/admin/reports/report/", "/admin/events/event/"]:
        assert "Scheduled for" in staff_client.get(url).text, url
