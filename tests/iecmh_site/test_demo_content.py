"""What the demo content shows, in English and in Spanish, and how reseeding keeps edits.

The demo is seeded once for the module (tests/conftest.py, demo_site); each test's changes
are undone after it.
"""

import io
import json
import re

import pypdfium2
import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from events.models import Campaign, CampaignFile, Event
from iecmh_site.demo import events as event_demo
from iecmh_site.demo import identity as identity_demo
from iecmh_site.demo import pages as page_demo
from iecmh_site.demo import reports as report_demo
from iecmh_site.identity import SiteSettings
from pages.models import Page
from reports.models import Report

# One process seeds it, once.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]

REGISTERED = (
    "Culturally Sensitive, Relationship-Focused Practice Promoting Infant and Early Childhood "
    "Mental Health®"
)
PANEL = "celebrate-babies-week-2025-virtual-panel"


# ---- in English: honest about what is real ----


def test_only_facts_of_the_brief_are_shown_as_real(demo_site):
    samples = Event.objects.filter(is_sample=True)

    assert list(Event.objects.filter(is_sample=False).values_list("slug", flat=True)) == [PANEL]
    assert all(
        e.registration_url.startswith("https://example.org/") for e in samples if e.registration_url
    )
    assert not Event.objects.filter(venue_address__icontains="registration").exists()
    assert not Event.objects.filter(summary__icontains="open to everyone").exists()
    assert all(report.is_sample for report in Report.objects.all())
    assert SiteSettings.objects.get().is_sample
    home = Client().get("/").text
    assert (
        "Produced by Massachusetts Society for the Prevention of Cruelty to Children (MSPCC) "
        "and Boston University; funded by The Boston Foundation." in home
    )


def test_the_demo_keeps_the_partners_own_sentences(demo_site):
    need = Client().get("/the-need/").text
    week = Client().get("/celebrate-babies-week/2025/").text

    assert "The partnership plays a prominent role in preparing IECMH professionals" in need
    assert "MSPCC invites YOU to join Celebrate Babies Week" in week


def test_contact_accessibility_and_endorsement_pages(demo_site):
    contact = Client().get("/contact/").text
    accessibility = Client().get("/accessibility/").text
    endorsement = Client().get("/the-efforts/training/iecmh-endorsement/").text

    assert "info@example.org" in contact and "sample-badge" in contact
    assert "WCAG" in accessibility and 'href="/contact/"' in accessibility
    assert 'href="https://www.massaimh.org/"' in endorsement
    assert "Alliance for the Advancement of Infant Mental Health" in endorsement


def test_the_demo_report_pdf_is_a_readable_document_whose_cover_is_whole(demo_site):
    report = Report.objects.get(featured=True)
    with report.pdf.open("rb") as stored:
        document = pypdfium2.PdfDocument(stored.read())

    assert len(document) >= 3
    text = "".join(document[n].get_textpage().get_text_range() for n in range(len(document)))
    assert "Summary" in text and "Key findings" in text and "stand-in PDF" in text
    first = document[0].render(scale=1).to_pil().convert("L")
    right_margin = first.crop((first.width - 50, 0, first.width, first.height))
    assert right_margin.getextrema()[0] > 250  # nothing runs off the page: the margin is blank
    assert report.cover_width and report.cover_height  # the cover was made from that page


def test_the_demo_activity_feeds_the_calendar_without_sample_data(demo_site):
    html = Client().get(Event.objects.get(slug=PANEL).get_absolute_url()).text

    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.+?)</script>', html, re.S).group(1)
    )
    assert data["name"] == "Celebrate Babies Week virtual panel"


# ---- in Spanish ----


def test_the_spanish_home_page_shows_spanish_content_and_navigation(demo_site, client):
    html = client.get("/es/").text

    for title in ["Nuestro trabajo", "La necesidad", "Nuestras iniciativas"]:  # the header
        assert f">{title}</a>" in html
    for card in ["Formación", "Políticas públicas e incidencia", "Fortalecimiento de sistemas"]:
        assert card in html
    assert "Identifica las fortalezas de la fuerza laboral" in html  # the featured report
    assert "Una semana de actividades para celebrar a los niños más pequeños" in html
    assert "Respondemos en un plazo de cinco días hábiles." in html  # the footer's contact
    assert "We answer within five working days." not in html


def test_our_work_in_spanish_keeps_the_registered_name_verbatim(demo_site, client):
    english = client.get("/our-work/").text
    spanish = client.get("/es/our-work/").text

    assert "Since 2019, MSPCC and MassAIMH have worked together" in english
    assert "Desde 2019, MSPCC y MassAIMH trabajan juntas" in spanish
    assert "<h2>A quiénes apoyamos</h2>" in spanish
    assert "acompañantes familiares" in spanish
    assert f"<em>{REGISTERED}</em>" in english
    assert f'<em lang="en">{REGISTERED}</em> (una práctica culturalmente sensible' in spanish


def test_the_need_in_spanish_has_every_paragraph(demo_site, client):
    html = client.get("/es/the-need/").text

    assert "<h1" in html and "La necesidad</h1>" in html
    for sentence in [
        "La alianza desempeña un papel destacado en la preparación de profesionales de IECMH, en "
        "estrecha colaboración con socios estatales de Massachusetts",
        "Los primeros años marcan toda una vida.",
        "experiencias adversas en la infancia (ACE, por sus siglas en inglés)",
        "Para lograrlo hace falta una fuerza laboral que refleje a las familias a las que sirve.",
        "las familias reciben un apoyo coherente y centrado en las relaciones.",
    ]:
        assert sentence in html
    assert "The partnership plays a prominent role" not in html


def test_the_endorsement_keeps_its_registered_name_in_spanish(demo_site, client):
    html = client.get("/es/the-efforts/training/").text

    assert "IECMH Endorsement® (una credencial profesional en salud mental infantil" in html
    assert 'href="/es/the-efforts/training/iecmh-endorsement/"' in html
    assert client.get("/es/the-efforts/training/iecmh-endorsement/").status_code == 200


def test_celebrate_babies_week_in_spanish(demo_site, client):
    html = client.get("/es/celebrate-babies-week/").text

    assert "MSPCC le invita a USTED a sumarse a Celebrate Babies Week" in html
    assert "el miércoles 22 de octubre" in html
    assert "Panel virtual de Celebrate Babies Week" in html  # the real activity
    assert "Governor&#x27;s proclamation of Celebrate Babies Week" in html  # sample: English
    assert "Ejemplo: la semana de un vistazo" in html  # the toolkit
    panel = client.get(f"/es/events/{PANEL}/").text
    assert "El panel virtual de Celebrate Babies Week, en línea de 10 a 11 a. m." in panel


def test_how_to_join_in_spanish_shows_before_the_week(demo_site, local, client):
    Campaign.objects.update(publish_at=local(2025, 9, 1))  # as if published before the week
    with time_machine.travel(local(2025, 10, 1, 9), tick=False):
        html = client.get("/es/celebrate-babies-week/").text

    assert "Participe en el panel virtual el miércoles 22 de octubre, de 10 a 11 a. m." in html
    assert "Suscríbase a nuestra lista de correo" in html


def test_reseeding_keeps_staff_edits_of_spanish_and_duplicates_nothing(demo_site):
    counts = (Page.objects.count(), Event.objects.count(), CampaignFile.objects.count())
    Page.objects.filter(path="our-work").update(title_es="Lo que hacemos", body_es="<p>Editado</p>")
    Campaign.objects.filter(year=2025).update(description_es="<p>Editado por el personal.</p>")
    Event.objects.filter(slug=PANEL).update(title_es="Panel editado")
    SiteSettings.objects.update(contact_note_es="Editado.")

    out = io.StringIO()
    call_command("seed_demo", stdout=out)

    assert (Page.objects.count(), Event.objects.count(), CampaignFile.objects.count()) == counts
    our_work = Page.objects.get(path="our-work")
    assert (our_work.title_es, our_work.body_es) == ("Lo que hacemos", "<p>Editado</p>")
    assert Campaign.objects.get(year=2025).description_es == "<p>Editado por el personal.</p>"
    assert Event.objects.get(slug=PANEL).title_es == "Panel editado"
    assert SiteSettings.objects.get().contact_note_es == "Editado."
    assert "Spanish added" not in out.getvalue()


def test_a_database_seeded_before_spanish_gains_it_without_losing_edits(demo_site):
    # As seeded before the demo had Spanish, then edited in English by staff.
    Page.objects.update(title_es=None, summary_es=None, body_es=None)
    Page.objects.filter(path="the-need").update(title_en="Why it matters")
    Campaign.objects.update(summary_es=None, description_es=None, how_to_join_es=None)
    CampaignFile.objects.update(title_es=None)
    Event.objects.update(title_es=None, summary_es=None)
    Report.objects.update(title_es=None, summary_es=None, key_findings_es=None)
    SiteSettings.objects.update(contact_note_es=None)
    edited = Event.objects.get(slug=PANEL).updated_at

    out = io.StringIO()
    for module in (identity_demo, page_demo, report_demo, event_demo):
        module.seed(stdout=out)

    the_need = Page.objects.get(path="the-need")
    assert the_need.title_en == "Why it matters"  # untouched
    assert the_need.title_es == "La necesidad"
    assert the_need.body_es.startswith("<p>La alianza desempeña un papel destacado")
    campaign = Campaign.objects.get(year=2025)
    assert campaign.description_es.startswith("<p>MSPCC le invita a USTED")
    assert campaign.files.get().title_es.startswith("Ejemplo:")
    assert Event.objects.get(slug=PANEL).title_es == "Panel virtual de Celebrate Babies Week"
    # Its card and calendar entry, kept under its last edit, are made again in Spanish.
    assert Event.objects.get(slug=PANEL).updated_at > edited
    assert Event.objects.filter(title_es__isnull=False).count() == 1  # samples stay English
    flagship = Report.objects.get(slug=report_demo.FLAGSHIP_SLUG)
    assert flagship.summary_es.startswith("Identifica las fortalezas")
    assert SiteSettings.objects.get().contact_note_es.startswith("Respondemos")
    assert not Page.objects.filter(title_es__isnull=True).exists()
    assert f"Pages: Spanish added to {len(page_demo.PAGES)}." in out.getvalue()
