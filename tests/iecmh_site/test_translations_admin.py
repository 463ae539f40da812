"""Staff write the Spanish beside the English: one form, a filter of what still needs it, and
drafts and history that keep both languages."""

import pytest
from django.test import Client
from reversion.models import Version

from iecmh_site.drafts import Draft
from pages.models import Page
from tests.factories import make_event, make_page, make_report
from tests.iecmh_site.test_history import history_url, page_form

pytestmark = pytest.mark.django_db

DRAFT = {"_save_draft": "Save as draft"}


def test_the_form_shows_each_text_in_english_and_in_spanish_side_by_side(staff_client):
    page = make_page("Our Work")

    html = staff_client.get(page.get_admin_url()).text

    assert 'name="title_en"' in html and 'name="title_es"' in html
    assert html.index('name="title_en"') < html.index('name="title_es"') < html.index("slug")
    assert ">Title in Spanish:<" in html or ">Title in Spanish<" in html
    assert 'name="body_es"' in html


def test_spanish_text_saved_in_the_admin_is_what_spanish_readers_see(staff_client):
    page = make_page("Our Work", body="<p>Who we are.</p>")

    response = staff_client.post(
        page.get_admin_url(),
        page_form(page) | {"title_es": "Nuestro trabajo", "body_es": "<p>Quiénes somos.</p>"},
    )

    assert response.status_code == 302
    spanish = Client().get("/es/our-work/").text
    english = Client().get("/our-work/").text
    assert "Nuestro trabajo" in spanish and "Quiénes somos." in spanish
    assert "Our Work" in english and "Quiénes somos." not in english


def test_the_filter_lists_what_still_needs_a_spanish_translation(staff_client):
    make_page("Translated page", title_es="Página traducida")
    make_page("Only in English")
    make_report("An English report")
    make_report("Un informe", title_es="Un informe")
    make_event("An English event")

    pages = staff_client.get("/admin/pages/page/?spanish=missing").text
    done = staff_client.get("/admin/pages/page/?spanish=done").text
    reports = staff_client.get("/admin/reports/report/?spanish=missing").text
    events = staff_client.get("/admin/events/event/?spanish=missing&when=all").text

    assert "Only in English" in pages and "Translated page" not in pages
    assert "Translated page" in done and "Only in English" not in done
    assert "An English report" in reports and "Un informe" not in reports
    assert "An English event" in events
    assert "Needs a Spanish translation" in pages


def test_a_draft_keeps_the_spanish_changes_until_published(staff_client):
    page = make_page("The Need", title_es="La necesidad", body_es="<p>Palabras publicadas.</p>")
    data = page_form(page) | {"title_es": "La necesidad", "body_es": "<p>Palabras nuevas.</p>"}

    staff_client.post(page.get_admin_url(), data | DRAFT)

    assert Draft.objects.get().data["fields"]["body_es"] == "<p>Palabras nuevas.</p>"
    assert "Palabras publicadas." in Client().get("/es/the-need/").text
    assert "Palabras nuevas." in staff_client.get("/es/the-need/?draft").text

    staff_client.post(page.get_admin_url(), data)  # published
    assert "Palabras nuevas." in Client().get("/es/the-need/").text


def test_history_restores_the_spanish_text_too(staff_client):
    page = make_page("Policy", title_es="Política", body_es="<p>Las buenas palabras.</p>")
    good = page_form(page) | {"title_es": "Política", "body_es": "<p>Las buenas palabras.</p>"}
    staff_client.post(page.get_admin_url(), good)
    staff_client.post(page.get_admin_url(), good | {"body_es": "<p>Un error.</p>"})
    first = Version.objects.get_for_object(page).order_by("pk").first()
    assert "Un error." in Client().get("/es/policy/").text

    staff_client.post(f"{history_url(page)}{first.pk}/restore/")

    page = Page.objects.get(pk=page.pk)
    assert page.body_es == "<p>Las buenas palabras.</p>"
    assert "Las buenas palabras." in Client().get("/es/policy/").text
