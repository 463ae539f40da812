"""The demo content in Spanish: what /es/ shows after seed_demo, and how reseeding keeps edits."""

import io

import pytest
import time_machine
from django.core.management import call_command

from events.models import Campaign, CampaignFile, Event
from iecmh_site.demo import events as event_demo
from iecmh_site.demo import identity as identity_demo
from iecmh_site.demo import pages as page_demo
from iecmh_site.demo import reports as report_demo
from iecmh_site.identity import SiteSettings
from pages.models import Page
from reports.models import Report

pytestmark = pytest.mark.django_db

REGISTERED = (
    "Culturally Sensitive, Relationship-Focused Practice Promoting Infant and Early Childhood "
    "Mental Health®"
)
PANEL = "celebrate-babies-week-2025-virtual-panel"


@pytest.fixture
def seeded(run_jobs):
    call_command("seed_demo", stdout=io.StringIO())
    run_jobs()


def test_the_spanish_home_page_shows_spanish_content_and_navigation(seeded, client):
    html = client.get("/es/").text

    for title in ["Nuestro trabajo", "La necesidad", "Nuestras iniciativas"]:  # the header
        assert f">{title}</a>" in html
    for card in ["Formación", "Políticas públicas e incidencia", "Fortalecimiento de sistemas"]:
        assert card in html
    assert "Identifica las fortalezas de la fuerza laboral" in html  # the featured report
    assert "Una semana de actividades para celebrar a los niños más pequeños" in html
    assert "Respondemos en un plazo de cinco días hábiles." in html  # the footer's contact
    assert "We answer within five working days." not in html


def test_our_work_in_spanish_keeps_the_registered_name_verbatim(seeded, client):
    english = client.get("/our-work/").text
    spanish = client.get("/es/our-work/").text

    assert "Since 2019, MSPCC and MassAIMH have worked together" in english
    assert "Desde 2019, MSPCC y MassAIMH trabajan juntas" in spanish
    assert "<h2>A quiénes apoyamos</h2>" in spanish
    assert "acompañantes familiares" in spanish
    assert f"<em>{REGISTERED}</em>" in english
    assert f'<em lang="en">{REGISTERED}</em> (una práctica culturalmente sensible' in spanish


def test_the_need_in_spanish_has_every_paragraph(seeded, client):
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


def test_the_endorsement_keeps_its_registered_name_in_spanish(seeded, client):
    html = client.get("/es/the-efforts/training/").text

    assert "IECMH Endorsement® (una credencial profesional en salud mental infantil" in html
    assert 'href="/es/the-efforts/training/iecmh-endorsement/"' in html
    assert client.get("/es/the-efforts/training/iecmh-endorsement/").status_code == 200


def test_celebrate_babies_week_in_spanish(seeded, client):
    html = client.get("/es/celebrate-babies-week/").text

    assert "MSPCC le invita a USTED a sumarse a Celebrate Babies Week" in html
    assert "el miércoles 22 de octubre" in html
    assert "Panel virtual de Celebrate Babies Week" in html  # the real activity
    assert "Governor&#x27;s proclamation of Celebrate Babies Week" in html  # sample: English
    assert "Ejemplo: la semana de un vistazo" in html  # the toolkit
    panel = client.get(f"/es/events/{PANEL}/").text
    assert "El panel virtual de Celebrate Babies Week, en línea de 10 a 11 a. m." in panel


def test_how_to_join_in_spanish_shows_before_the_week(seeded, local, client):
    Campaign.objects.update(publish_at=local(2025, 9, 1))  # as if published before the week
    with time_machine.travel(local(2025, 10, 1, 9), tick=False):
        html = client.get("/es/celebrate-babies-week/").text

    assert "Participe en el panel virtual el miércoles 22 de octubre, de 10 a 11 a. m." in html
    assert "Suscríbase a nuestra lista de correo" in html


def test_reseeding_keeps_staff_edits_of_spanish_and_duplicates_nothing(seeded):
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


def test_a_database_seeded_before_spanish_gains_it_without_losing_edits(seeded):
    # As seeded before the demo had Spanish, then edited in English by staff.
    Page.objects.update(title_es=None, summary_es=None, body_es=None)
    Page.objects.filter(path="the-need").update(title_en="Why it matters")
    Campaign.objects.update(summary_es=None, description_es=None, how_to_join_es=None)
    CampaignFile.objects.update(title_es=None)
    Event.objects.update(title_es=None, summary_es=None)
    Report.objects.update(title_es=None, summary_es=None, key_findings_es=None)
    SiteSettings.objects.update(contact_note_es=None)

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
    assert Event.objects.filter(title_es__isnull=False).count() == 1  # samples stay English
    flagship = Report.objects.get(slug=report_demo.FLAGSHIP_SLUG)
    assert flagship.summary_es.startswith("Identifica las fortalezas")
    assert SiteSettings.objects.get().contact_note_es.startswith("Respondemos")
    assert not Page.objects.filter(title_es__isnull=True).exists()
    assert f"Pages: Spanish added to {len(page_demo.PAGES)}." in out.getvalue()


def test_real_contact_settings_do_not_gain_the_sample_spanish_note():
    SiteSettings.objects.create(contact_note="Call us on weekdays.", is_sample=False)

    identity_demo.seed(stdout=io.StringIO())

    assert not SiteSettings.objects.get().contact_note_es
