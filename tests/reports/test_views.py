import datetime
import json
import re
import threading

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from iecmh_site.vocabulary import Role
from reports.models import Author, Organization, Report, ReportAuthor, ReportOrganization, Topic
from tests.factories import make_report, make_topic

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0"


def titles(response):
    return [report.title for report in response.context["reports"]]


def bulk_reports(count, topics):
    """``count`` published reports with two topics, two authors and two organizations each."""
    now = timezone.now()
    reports = Report.objects.bulk_create(
        Report(
            title=f"Report {n}",
            slug=f"bulk-{n}",
            summary="A summary.",
            publication_date=datetime.date(2000 + n % 25, 1, 1),
            publish_at=now - datetime.timedelta(days=1),
        )
        for n in range(count)
    )
    Report.topics.through.objects.bulk_create(
        Report.topics.through(report=report, topic=topic) for report in reports for topic in topics
    )
    authors = [Author.objects.get_or_create(family_name=name)[0] for name in ["A", "B"]]
    ReportAuthor.objects.bulk_create(
        ReportAuthor(report=report, author=author) for report in reports for author in authors
    )
    organizations = [Organization.objects.get_or_create(name=name)[0] for name in ["X", "Y"]]
    ReportOrganization.objects.bulk_create(
        ReportOrganization(report=report, organization=organization)
        for report in reports
        for organization in organizations
    )
    return reports


class TestList:
    def test_newest_first_and_hides_unpublished(self, client):
        make_report("Older", publication_date=datetime.date(2022, 1, 1))
        make_report("Newer", publication_date=datetime.date(2024, 1, 1))
        make_report("Draft", publish_at=None)

        response = client.get("/reports/")

        assert response.status_code == 200
        assert titles(response) == ["Newer", "Older"]
        assert "2 reports" in response.content.decode()

    def test_filters_by_topic_role_year_and_keywords(self, client):
        policy = make_topic("Policy")
        training = make_topic("Training")
        pediatricians = Role.objects.get(slug="pediatricians")
        make_report("Policy brief", topics=[policy], publication_date=datetime.date(2023, 5, 1))
        make_report("Training guide", topics=[training], roles=[pediatricians])
        make_report("Endorsement pathways", summary="About reflective supervision hours.")

        assert titles(client.get("/reports/?topic=policy")) == ["Policy brief"]
        assert titles(client.get("/reports/?role=pediatricians")) == ["Training guide"]
        assert titles(client.get("/reports/?year=2023")) == ["Policy brief"]
        assert titles(client.get("/reports/?q=reflective+supervision")) == ["Endorsement pathways"]
        response = client.get("/reports/?topic=policy&year=2024")
        assert titles(response) == []
        assert "No reports match" in response.content.decode()

    @pytest.mark.parametrize(
        "query",
        [
            "topic=nope",
            "topic=%01",
            "role=' OR 1=1 --",
            "year=abc",
            "year=99999999999999999999",
            "year=1900",
            "page=999999",
            "page=-1",
            "page=abc",
            "q=" + "x" * 5000,
            "q=%01%7f",
            "topic[]=a&topic=b&topic=c",
            "year=2024&year=abc",
        ],
    )
    def test_garbage_filters_never_fail(self, client, query):
        make_report("Only one", topics=[make_topic("Policy")])

        response = client.get(f"/reports/?{query}")

        assert response.status_code == 200
        assert "Only one" in response.content.decode() or "No reports match" in (
            response.content.decode()
        )

    def test_pagination_keeps_the_filters(self, client):
        topic = make_topic("Policy")
        bulk_reports(30, [topic])

        response = client.get("/reports/?topic=policy&page=2")

        page = response.context["page_obj"]
        assert page.number == 2
        assert len(page.object_list) == 12
        assert "topic=policy&amp;page=3" in response.content.decode()

    @pytest.mark.parametrize("count", [5, 500])
    def test_constant_queries(self, client, django_assert_max_num_queries, count):
        bulk_reports(count, [make_topic("Policy"), make_topic("Training")])

        client.get("/reports/")  # the site settings are cached from now on
        # years, the topic filter, count, rows, their topics, topic and role choices, navigation
        with django_assert_max_num_queries(8):
            response = client.get("/reports/?topic=policy")
        assert response.status_code == 200


class TestDetail:
    def test_shows_the_report(self, client, tagged_pdf, settings):
        settings.SITE_URL = "https://example.org"
        topic = make_topic("Policy")
        report = make_report("The mapping", topics=[topic], pdf=tagged_pdf)
        ReportOrganization.objects.create(
            report=report,
            organization=Organization.objects.create(name="The Boston Foundation"),
            credit=ReportOrganization.Credit.FUNDED_BY,
        )
        related = make_report("Related one", topics=[topic])
        make_report("Unrelated")

        response = client.get(report.get_absolute_url())
        html = response.content.decode()

        assert response.status_code == 200
        assert f"PDF, {report.pdf_size_display}, 3 pages" in html
        assert "Funded by" in html and "The Boston Foundation" in html
        assert 'id="citation"' in html and "https://example.org/reports/the-mapping/" in html
        assert 'data-copy-target="citation"' in html
        related_section = html.split('id="related"')[1]
        assert f'href="{related.get_absolute_url()}"' in related_section
        assert "Unrelated" not in related_section
        assert "tagged for screen readers" in html

    def test_explains_an_inaccessible_pdf(self, client, untagged_pdf):
        report = make_report("Scanned", pdf=untagged_pdf)

        html = client.get(report.get_absolute_url()).content.decode()

        assert "may be hard to use with a screen reader" in html
        assert "it does not declare its language" in html

    def test_json_ld_is_a_schema_org_report_and_cannot_break_out(self, client):
        report = make_report("Evil </script><script>alert(1)</script>", slug="evil")
        author = Author.objects.create(family_name="Smith", given_names="Jane")
        ReportAuthor.objects.create(report=report, author=author)

        response = client.get(report.get_absolute_url())
        html = response.content.decode()

        assert "</script><script>alert(1)" not in html
        match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        assert match
        data = json.loads(match.group(1))
        assert data["@type"] == "Report"
        assert data["name"] == report.title
        assert data["author"] == [{"@type": "Person", "name": "Jane Smith"}]

    def test_unpublished_and_unknown_are_404(self, client):
        draft = make_report("Draft", publish_at=None)
        future = make_report("Soon", publish_at=timezone.now() + datetime.timedelta(days=1))

        assert client.get(draft.get_absolute_url()).status_code == 404
        assert client.get(future.get_absolute_url()).status_code == 404
        assert client.get("/reports/no-such-report/").status_code == 404

    @pytest.mark.parametrize("count", [5, 500])
    def test_constant_queries(self, client, django_assert_max_num_queries, count):
        reports = bulk_reports(count, [make_topic("Policy"), make_topic("Training")])

        client.get("/reports/")  # the site settings are cached from now on
        # report, topics, roles, authors, organizations, related, navigation
        with django_assert_max_num_queries(7):
            response = client.get(reports[0].get_absolute_url())
        assert response.status_code == 200
        assert len(response.context["related"]) == 3


class TestDownload:
    def test_serves_the_pdf_inline_and_counts(self, client, tagged_pdf):
        report = make_report("The Mapping", slug="the-mapping", pdf=tagged_pdf)

        response = client.get(report.get_download_url(), HTTP_USER_AGENT=BROWSER)

        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'inline; filename="the-mapping.pdf"'
        assert b"".join(response.streaming_content) == tagged_pdf
        report.refresh_from_db()
        assert report.download_count == 1

    @pytest.mark.parametrize(
        "agent",
        [
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Mozilla/5.0 (compatible; bingbot/2.0)",
            "Mozilla/5.0 (compatible; Yahoo! Slurp)",
            "Baiduspider+(+http://www.baidu.com/search/spider.htm)",
            "AhrefsBot crawler",
            "facebookexternalhit/1.1",
            "",
        ],
    )
    def test_bots_are_served_but_not_counted(self, client, tagged_pdf, agent):
        report = make_report("R", pdf=tagged_pdf)

        response = client.get(report.get_download_url(), HTTP_USER_AGENT=agent)

        assert response.status_code == 200
        report.refresh_from_db()
        assert report.download_count == 0

    def test_head_is_not_counted_and_post_is_refused(self, client, tagged_pdf):
        report = make_report("R", pdf=tagged_pdf)

        assert client.head(report.get_download_url(), HTTP_USER_AGENT=BROWSER).status_code == 200
        assert client.post(report.get_download_url(), HTTP_USER_AGENT=BROWSER).status_code == 405
        report.refresh_from_db()
        assert report.download_count == 0

    def test_missing_unpublished_or_fileless_is_404(self, client, tagged_pdf):
        draft = make_report("Draft", publish_at=None, pdf=tagged_pdf)
        no_pdf = make_report("No file")
        gone = make_report("Gone", pdf=tagged_pdf)
        gone.pdf.storage.delete(gone.pdf.name)

        for report in [draft, no_pdf, gone]:
            response = client.get(report.get_download_url(), HTTP_USER_AGENT=BROWSER)
            assert response.status_code == 404
        assert Report.objects.filter(download_count__gt=0).count() == 0


@pytest.mark.django_db(transaction=True)
def test_parallel_downloads_by_different_people_are_all_counted(tagged_pdf, postgres_only):
    report = make_report("Popular", pdf=tagged_pdf)
    threads_count = 8
    barrier = threading.Barrier(threads_count)
    statuses = []

    def download(n):
        try:
            barrier.wait(timeout=10)
            client = Client(REMOTE_ADDR=f"10.0.1.{n}")
            response = client.get(report.get_download_url(), HTTP_USER_AGENT=BROWSER)
            statuses.append(response.status_code)
            response.close()
        finally:
            connection.close()

    threads = [threading.Thread(target=download, args=(n,)) for n in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [200] * threads_count
    report.refresh_from_db()
    assert report.download_count == threads_count


def test_feed_lists_published_reports(client):
    make_report("Shown report", topics=[make_topic("Policy")])
    make_report("Hidden draft", publish_at=None)

    response = client.get("/reports/feed/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "Shown report" in body and "Hidden draft" not in body
    assert 'term="Policy"' in body


def test_the_filters_offer_the_topics_and_years_as_of_the_last_save(
    client, django_capture_on_commit_callbacks
):
    policy = make_topic("Policy")
    make_report("Policy brief", topics=[policy], publication_date=datetime.date(2024, 5, 1))
    first = client.get("/reports/").text
    assert '<option value="policy">Policy</option>' in first
    assert '<option value="2024">2024</option>' in first

    with django_capture_on_commit_callbacks(execute=True):  # as the admin's save commits
        training = make_topic("Training", name_es="Formación")
        make_report("Training plan", topics=[training], publication_date=datetime.date(2026, 1, 5))
    listing = client.get("/reports/?topic=training").text
    assert '<option value="training" selected>Training</option>' in listing
    assert '<option value="2026">2026</option>' in listing
    assert "Training plan" in listing and "Policy brief" not in listing
    assert '<option value="training">Formación</option>' in client.get("/es/reports/").text
    # The blank filters, kept since the first visit, show the save too.
    unfiltered = client.get("/reports/").text
    assert '<option value="training">Training</option>' in unfiltered
    assert '<option value="2026">2026</option>' in unfiltered
    # A topic that is gone (or never was) is dropped, not an error.
    assert "Policy brief" in client.get("/reports/?topic=gone").text


def test_related_reports_are_those_of_the_last_save_in_the_visitors_language(
    client, django_capture_on_commit_callbacks
):
    policy = make_topic("Policy")
    report = make_report("The mapping", topics=[policy])
    make_report("Old brief", topics=[policy], title_es="Informe antiguo")
    assert "Old brief" in client.get(report.get_absolute_url()).text

    with django_capture_on_commit_callbacks(execute=True):  # as the admin's save commits
        make_report("New brief", topics=[policy])
    page = client.get(report.get_absolute_url()).text.split('id="related"')[1]
    assert "New brief" in page and "Old brief" in page
    spanish = client.get(f"/es{report.get_absolute_url()}").text.split('id="related"')[1]
    assert 'href="/es/reports/old-brief/">Informe antiguo</a>' in spanish
    assert 'href="/es/reports/new-brief/" lang="en">New brief</a>' in spanish


def test_topic_url_filters_the_list():
    assert Topic(slug="policy").get_absolute_url() == "/reports/?topic=policy"


def test_the_feed_links_to_the_site_url_not_the_sites_table(client, settings):
    from django.contrib.sites.models import Site

    settings.SITE_URL = "https://www.iecmh.example"
    Site.objects.update(domain="example.com")
    make_report("Mapping", summary="Findings\x0b with a control character.")

    feed = client.get("/reports/feed/")

    assert feed.status_code == 200
    text = feed.content.decode()
    assert "example.com" not in text
    assert 'href="https://www.iecmh.example/reports/mapping/"' in text
    assert 'href="https://www.iecmh.example/reports/feed/"' in text


def test_one_client_downloading_again_and_again_counts_once_a_day(client, tagged_pdf, settings):
    report = make_report("Popular", pdf=tagged_pdf)
    browser = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64)"}

    for _ in range(5):
        assert client.get(report.get_download_url(), **browser).status_code == 200
    Client(REMOTE_ADDR="10.9.9.9").get(report.get_download_url(), **browser)

    report.refresh_from_db()
    assert report.download_count == 2


def test_the_kept_report_cards_follow_edits_and_renamed_topics_not_other_saves(
    client, reads, django_capture_on_commit_callbacks
):
    from tests.factories import make_page

    topic = make_topic("Policy")
    report = make_report("Survey", topics=[topic])
    assert '<li class="tag">Policy</li>' in client.get("/reports/").text
    drawn = reads(Report, "cover_picture")

    with django_capture_on_commit_callbacks(execute=True):  # as the admin's save commits
        make_page("Our Work")
    assert ">Survey</a>" in client.get("/reports/").text
    assert drawn == []  # a page of cards drawn again after every save doubled its render

    # An edit (or the background job's new cover) moves the report's last-edit time.
    with django_capture_on_commit_callbacks(execute=True):
        report.title = "Survey, new title"
        report.save()
    assert ">Survey, new title</a>" in client.get("/reports/").text
    # A topic renamed leaves the report untouched: its card is drawn again all the same.
    with django_capture_on_commit_callbacks(execute=True):
        topic.name = "Policy and advocacy"
        topic.save()
    listing = client.get("/reports/").text
    assert '<li class="tag">Policy and advocacy</li>' in listing
    assert ">Policy</li>" not in listing
