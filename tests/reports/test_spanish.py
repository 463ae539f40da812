"""Reports in Spanish: the Spanish fields under /es/, English (marked as such) until written,
the language the page's data declares, the citation as published and the Spanish feed."""

import json
import re

import pytest

from reports.models import Author, ReportAuthor
from tests.factories import make_report, make_topic

pytestmark = pytest.mark.django_db

NOTE = "untranslated-note"  # includes/_untranslated.html


def json_ld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match
    return json.loads(match.group(1))


@pytest.fixture
def translated():
    topic = make_topic("Workforce development", name_es="Desarrollo de la fuerza laboral")
    report = make_report(
        "Mapping the workforce",
        slug="mapping",
        subtitle="A first count",
        summary="Who does the work.",
        title_es="Mapa de la fuerza laboral",
        subtitle_es="Un primer recuento",
        summary_es="Quién hace el trabajo.",
        key_findings="<p>Few clinicians.</p>",
        key_findings_es="<p>Pocos profesionales clínicos.</p>",
        topics=[topic],
    )
    author = Author.objects.create(family_name="Smith", given_names="Jane")
    ReportAuthor.objects.create(report=report, author=author)
    return report


def test_a_translated_report_is_shown_in_spanish_under_es(client, translated):
    html = client.get("/es/reports/mapping/").content.decode()

    assert '<html lang="es"' in html
    assert "<h1>Mapa de la fuerza laboral</h1>" in html
    assert "Un primer recuento" in html
    assert "Quién hace el trabajo." in html
    assert "Pocos profesionales clínicos." in html
    assert "Hallazgos principales" in html
    assert ">Desarrollo de la fuerza laboral</a>" in html
    assert 'href="/es/reports/?topic=workforce-development"' in html
    assert "Mapping the workforce</h1>" not in html
    assert NOTE not in html
    assert 'lang="en">Mapa' not in html

    english = client.get("/reports/mapping/").content.decode()
    assert "<h1>Mapping the workforce</h1>" in english
    assert "Key findings" in english


def test_an_untranslated_report_says_so_and_marks_its_english_text(client):
    make_report(
        "Only in English", slug="only", subtitle="Still English", summary="An English summary."
    )

    html = client.get("/es/reports/only/").content.decode()

    assert NOTE in html
    assert '<h1 lang="en">Only in English</h1>' in html
    assert '<p class="lead" lang="en">Still English</p>' in html
    assert '<p class="lead" lang="en">An English summary.</p>' in html
    assert "Cite este informe" in html  # the page's own words are Spanish
    assert NOTE not in client.get("/reports/only/").content.decode()
    assert 'lang="en">Only' not in client.get("/reports/only/").content.decode()


def test_json_ld_declares_the_language_of_the_text_served(client, translated):
    make_report("Only in English", slug="only")

    spanish = json_ld(client.get("/es/reports/mapping/").content.decode())
    english = json_ld(client.get("/reports/mapping/").content.decode())
    fallback = json_ld(client.get("/es/reports/only/").content.decode())

    assert spanish["inLanguage"] == "es"
    assert spanish["name"] == "Mapa de la fuerza laboral: Un primer recuento"
    assert spanish["url"].endswith("/es/reports/mapping/")
    assert english["inLanguage"] == "en"
    assert english["name"] == "Mapping the workforce: A first count"
    assert "/es/" not in english["url"]
    assert fallback["inLanguage"] == "en"


def test_the_citation_keeps_the_published_english_title(client, translated):
    html = client.get("/es/reports/mapping/").content.decode()

    citation = re.search(r'<p id="citation" class="report__citation" lang="en">(.*?)</p>', html)
    assert citation
    assert "<i>Mapping the workforce: A first count</i>" in citation.group(1)
    assert "Mapa" not in citation.group(1)
    assert "/es/" not in citation.group(1)


def test_the_list_shows_spanish_titles_and_marks_english_ones(client, translated):
    make_report("Only in English", slug="only")

    html = client.get("/es/reports/").content.decode()

    assert ">Mapa de la fuerza laboral</a>" in html
    assert 'lang="en">Only in English</a>' in html
    assert "2 informes" in html


def test_the_feed_speaks_spanish_under_es(client, translated):
    make_report("Only in English", slug="only")

    spanish = client.get("/es/reports/feed/")
    english = client.get("/reports/feed/").content.decode()

    assert spanish.status_code == 200
    text = spanish.content.decode()
    assert 'xml:lang="es"' in text
    assert "<title>Nuevos informes:" in text
    assert "<title>Mapa de la fuerza laboral: Un primer recuento</title>" in text
    assert "<title>Only in English</title>" in text
    assert "/es/reports/mapping/" in text
    assert "/es/reports/feed/" in text
    assert "<title>New reports:" in english
    assert "Mapa" not in english


def test_the_roles_a_report_is_for_are_named_in_spanish(client):
    from iecmh_site.vocabulary import Role

    home_visitors = Role.objects.get(slug="home-visitors")
    make_report("For visitors", slug="for-visitors", roles=[home_visitors])

    spanish = client.get("/es/reports/for-visitors/").content.decode()
    assert ">Visitadores domiciliarios</a>" in spanish
    assert ">Home visitors</a>" not in spanish
    assert ">Home visitors</a>" in client.get("/reports/for-visitors/").content.decode()
