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
