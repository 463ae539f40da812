import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from reports.models import (
    Author,
    Organization,
    Report,
    ReportAuthor,
    ReportOrganization,
    join_apa_names,
)
from tests.factories import make_report

pytestmark = pytest.mark.django_db


def test_published_hides_drafts_and_future_reports():
    live = make_report("Live")
    make_report("Draft", publish_at=None)
    make_report("Scheduled", publish_at=timezone.now() + datetime.timedelta(hours=1))

    assert list(Report.objects.published()) == [live]


def test_featured_newest_first():
    make_report("Old featured", featured=True, publication_date=datetime.date(2020, 1, 1))
    new = make_report("New featured", featured=True, publication_date=datetime.date(2025, 1, 1))
    make_report("Newest not featured", publication_date=datetime.date(2026, 1, 1))

    assert Report.objects.published().featured().first() == new


def test_feed_is_a_reserved_slug():
    report = Report(
        title="Feed", slug="feed", summary="s", publication_date=datetime.date(2024, 1, 1)
    )
    with pytest.raises(ValidationError) as error:
        report.full_clean()
    assert "slug" in error.value.message_dict


def test_slug_is_made_from_the_title():
    report = make_report("Workforce Needs 2024", slug="")
    assert report.slug == "workforce-needs-2024"


@pytest.mark.parametrize(
    ("size", "pages", "expected"),
    [
        (2_411_725, 48, "PDF, 2.3 MB, 48 pages"),
        (512_000, 1, "PDF, 500 KB, 1 page"),
        (300, 2, "PDF, 1 KB, 2 pages"),
    ],
)
def test_pdf_summary(size, pages, expected):
    assert Report(pdf_size=size, pdf_pages=pages).pdf_summary == expected


def test_accessibility_problems_and_flag_saved(tagged_pdf, untagged_pdf):
    good = make_report("Good", pdf=tagged_pdf)
    bad = make_report("Bad", pdf=untagged_pdf)
    no_pdf = make_report("No PDF")

    assert good.pdf_accessibility_problems == []
    assert good.pdf_accessible is True
    assert len(bad.pdf_accessibility_problems) == 3
    assert Report.objects.get(pk=bad.pk).pdf_accessible is False
    assert no_pdf.pdf_accessibility_problems == []


def test_apa_name_of_people_and_groups():
    assert Author(family_name="Smith", given_names="Jane Ann").apa_name == "Smith, J. A."
    assert Author(family_name="Lee", given_names="Mary-Kate").apa_name == "Lee, M.-K."
    assert Author(family_name="Boston University").apa_name == "Boston University"


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        ([], ""),
        (["Smith, J."], "Smith, J."),
        (["Smith, J.", "Jones, K."], "Smith, J., & Jones, K."),
        (["MSPCC", "Boston University"], "MSPCC & Boston University"),
        (["A, B.", "C, D.", "E, F."], "A, B., C, D., & E, F."),
    ],
)
def test_join_apa_names(names, expected):
    assert join_apa_names(names) == expected


def test_apa_citation_with_people_names_the_publisher(settings):
    settings.SITE_URL = "https://example.org"
    report = make_report(
        "Mapping the workforce",
        subtitle="Massachusetts",
        slug="mapping",
        publication_date=datetime.date(2025, 3, 1),
    )
    for order, (family, given) in enumerate([("Smith", "Jane"), ("Jones", "Kim")]):
        author = Author.objects.create(family_name=family, given_names=given)
        ReportAuthor.objects.create(report=report, author=author, order=order)
    producer = Organization.objects.create(name="Boston University")
    ReportOrganization.objects.create(report=report, organization=producer)

    assert str(report.apa_citation()) == (
        "Smith, J., &amp; Jones, K. (2025). <i>Mapping the workforce: Massachusetts</i>. "
        "Boston University. https://example.org/reports/mapping/"
    )


def test_apa_citation_with_group_authors_does_not_repeat_them(settings):
    settings.SITE_URL = "https://example.org"
    report = make_report("A <b>mapping</b>", slug="m", publication_date=datetime.date(2025, 3, 1))
    for name in ["MSPCC", "Boston University"]:
        ReportOrganization.objects.create(
            report=report, organization=Organization.objects.create(name=name)
        )
    funder = Organization.objects.create(name="The Boston Foundation")
    ReportOrganization.objects.create(
        report=report, organization=funder, credit=ReportOrganization.Credit.FUNDED_BY
    )

    assert str(report.apa_citation()) == (
        "MSPCC &amp; Boston University. (2025). <i>A &lt;b&gt;mapping&lt;/b&gt;</i>. "
        "https://example.org/reports/m/"
    )
