"""What the site search holds for a report (reports/search.py)."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from iecmh_site import search
from iecmh_site.vocabulary import Role
from reports.models import Author, Organization, ReportAuthor, ReportOrganization
from reports.search import documents, search_queryset
from tests.factories import make_report, make_topic

pytestmark = pytest.mark.django_db


def test_a_report_document_names_its_people_organizations_topics_and_roles():
    report = make_report(
        "Workforce mapping",
        subtitle="Massachusetts IECMH",
        summary="Strengths and barriers of the workforce.",
        key_findings="<p>Assets to build on.</p><p>Barriers to entry.</p>",
        publication_date=datetime.date(2025, 6, 1),
        topics=[make_topic("Policy and advocacy")],
        roles=[Role.objects.get(slug="home-visitors")],
    )
    ReportAuthor.objects.create(
        report=report, author=Author.objects.create(family_name="Rivera", given_names="Ana")
    )
    ReportOrganization.objects.create(
        report=report,
        organization=Organization.objects.create(name="The Boston Foundation"),
        credit=ReportOrganization.Credit.FUNDED_BY,
    )

    (document,) = documents(search_queryset().get(pk=report.pk))

    assert document.title == "Workforce mapping: Massachusetts IECMH"
    assert document.url == "/reports/workforce-mapping/"
    assert document.summary == "Strengths and barriers of the workforce."
    assert document.keywords == (
        "Report. Ana Rivera. The Boston Foundation. Policy and advocacy. Home visitors"
    )
    assert document.body == "Assets to build on. Barriers to entry."
    assert (document.label, document.date) == ("Report", datetime.date(2025, 6, 1))


def test_visitors_find_published_reports_only():
    make_report("Workforce mapping", summary="Strengths and barriers of the workforce.")
    make_report("Workforce draft", summary="Barriers.", publish_at=None)

    (group,) = search.search("barriers", user=AnonymousUser()).groups

    assert group.kind.name == "reports"
    assert [(hit.title, hit.url, hit.label) for hit in group.hits] == [
        ("Workforce mapping", "/reports/workforce-mapping/", "Report")
    ]


def test_a_translated_report_has_a_spanish_document_with_its_topics_in_spanish():
    report = make_report(
        "Workforce mapping",
        title_es="Mapeo de la fuerza laboral",
        summary_es="Fortalezas y barreras.",
        key_findings_es="<p>Recursos para crecer.</p>",
        topics=[
            make_topic("Policy and advocacy", name_es="Políticas públicas"),
            make_topic("Equity"),
        ],
    )

    english, spanish = documents(search_queryset().get(pk=report.pk))

    assert (english.language, english.url) == ("en", "/reports/workforce-mapping/")
    assert "Policy and advocacy" in english.keywords
    assert (spanish.language, spanish.title, spanish.url) == (
        "es",
        "Mapeo de la fuerza laboral",
        "/es/reports/workforce-mapping/",
    )
    assert (spanish.summary, spanish.body) == ("Fortalezas y barreras.", "Recursos para crecer.")
    # A topic not yet translated keeps its English name.
    assert "Políticas públicas" in spanish.keywords and "Equity" in spanish.keywords
    assert "Policy and advocacy" not in spanish.keywords


def test_renaming_a_topic_in_spanish_reindexes_the_spanish_entries_of_its_reports():
    topic = make_topic("Equity")
    make_report("Workforce mapping", title_es="Mapeo", topics=[topic])

    topic.name_es = "Equidad"
    topic.save()

    (group,) = search.search("equidad", user=AnonymousUser(), language="es").groups
    assert [(hit.title, hit.url) for hit in group.hits] == [
        ("Mapeo", "/es/reports/workforce-mapping/")
    ]
