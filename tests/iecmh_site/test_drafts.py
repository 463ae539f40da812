"""Drafts of live content: changes visitors do not see until staff publish them."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from iecmh_site.drafts import Draft
from iecmh_site.vocabulary import Role
from reports.models import Author
from tests.factories import (
    event_form_data,
    image_bytes,
    make_event,
    make_page,
    make_report,
    report_form_data,
)
from tests.iecmh_site.test_history import page_form

pytestmark = pytest.mark.django_db

DRAFT = {"_save_draft": "Save as draft"}


def visitor_sees(path: str) -> str:
    return Client().get(path).text


def test_a_draft_of_a_published_page_is_invisible_to_visitors(staff_client):
    page = make_page("The Need", body="<p>Live words.</p>")

    response = staff_client.post(
        page.get_admin_url(), page_form(page, body="<p>New words.</p>") | DRAFT, follow=True
    )

    assert "Draft saved. Visitors still see the published version." in response.text
    assert "Live words." in visitor_sees("/the-need/")
    assert "New words." not in visitor_sees("/the-need/")
    page.refresh_from_db()
    assert page.body == "<p>Live words.</p>"


def test_staff_preview_the_draft_and_keep_editing_it(staff_client):
    page = make_page("The Need", body="<p>Live words.</p>")
    staff_client.post(page.get_admin_url(), page_form(page, body="<p>New words.</p>") | DRAFT)

    preview = staff_client.get("/the-need/?draft")
    form = staff_client.get(page.get_admin_url())

    assert "New words." in preview.text
    assert "Preview of unpublished changes" in preview.text
    assert "Live words." in staff_client.get("/the-need/").text  # without ?draft: the live page
    assert "You are editing a draft" in form.text
    assert "New words." in form.text  # the form shows the draft
    assert "New words." not in Client().get("/the-need/?draft").text  # visitors can't peek


def test_publishing_the_draft_is_an_ordinary_save(staff_client):
    page = make_page("The Need", body="<p>Live words.</p>")
    staff_client.post(page.get_admin_url(), page_form(page, body="<p>New words.</p>") | DRAFT)

    staff_client.post(page.get_admin_url(), page_form(page, body="<p>New words.</p>"))

    assert "New words." in visitor_sees("/the-need/")
    assert not Draft.objects.exists()


def test_discarding_the_draft_keeps_the_live_page(staff_client):
    page = make_page("The Need", body="<p>Live words.</p>")
    staff_client.post(page.get_admin_url(), page_form(page, body="<p>New words.</p>") | DRAFT)

    response = staff_client.post(page.get_admin_url(), {"_discard_draft": "1"}, follow=True)

    assert "The draft was discarded." in response.text
    assert not Draft.objects.exists()
    assert "Live words." in staff_client.get(page.get_admin_url()).text


def test_a_draft_keeps_a_new_picture_until_it_is_published(staff_client, run_jobs):
    page = make_page("Our Work")
    picture = SimpleUploadedFile("babies.png", image_bytes((800, 400)), content_type="image/png")
    data = page_form(page, hero_image=picture, hero_alt="Babies playing")

    staff_client.post(page.get_admin_url(), data | DRAFT)
    page.refresh_from_db()
    assert not page.hero_image
    assert run_jobs() == 0  # nothing to process until the draft is published

    staff_client.post(page.get_admin_url(), page_form(page, hero_alt="Babies playing"))

    page.refresh_from_db()
    assert page.hero_image.name.endswith("babies.png")
    assert run_jobs() == 1
    assert 'alt="Babies playing"' in visitor_sees("/our-work/")


def test_an_events_roles_are_kept_in_its_draft(staff_client):
    event = make_event("Webinar")
    pediatricians = Role.objects.get(slug="pediatricians")

    staff_client.post(
        event.get_admin_url(), event_form_data(event, roles=[pediatricians.pk]) | DRAFT
    )

    assert not event.roles.exists()
    assert pediatricians.name in staff_client.get(f"{event.get_absolute_url()}?draft").text
    form = staff_client.get(event.get_admin_url()).text
    checked = re.findall(r'name="roles" value="(\d+)"[^>]* checked', form)
    assert checked == [str(pediatricians.pk)]


def test_a_reports_authors_are_not_kept_in_a_draft_and_the_form_says_so(staff_client):
    report = make_report("Survey")
    author = Author.objects.create(family_name="Rivera", given_names="Ana")
    data = report_form_data(title="Survey", slug=report.slug) | {
        "author_links-TOTAL_FORMS": "1",
        "author_links-0-author": str(author.pk),
        "author_links-0-order": "1",
    }

    response = staff_client.post(report.get_admin_url(), data | DRAFT)

    assert response.status_code == 200
    assert "cannot be kept in a draft" in response.text
    assert 'id="error-summary"' in response.text
    assert not Draft.objects.exists() and not report.author_links.exists()


def test_only_published_items_offer_a_draft(staff_client):
    draft_page = make_page("Unpublished", publish_at=None)
    live_page = make_page("Live")

    assert "Save as draft" not in staff_client.get(draft_page.get_admin_url()).text
    assert "Save as draft" in staff_client.get(live_page.get_admin_url()).text


def test_deleting_an_item_deletes_its_draft(staff_client):
    page = make_page("The Need")
    staff_client.post(page.get_admin_url(), page_form(page, body="<p>New.</p>") | DRAFT)

    page.delete()

    assert not Draft.objects.exists()
