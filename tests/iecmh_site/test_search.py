"""The site search: its index kept current with every save, visibility, grouping, hostile input.

Each test runs on the database the suite runs on: SQLite (FTS5) by default, PostgreSQL (text
search) with DATABASE_URL=postgres://... How well it ranks real queries is in
test_search_relevance.py.
"""

import datetime
import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import Event
from iecmh_site import search
from iecmh_site.search import SearchEntry, query_terms
from iecmh_site.vocabulary import Role
from pages.services import page_save
from reports.models import Author, Organization, ReportAuthor, ReportOrganization
from tests.factories import make_campaign, make_event, make_page, make_report, make_topic

pytestmark = pytest.mark.django_db


def titles(query, user=None, **options) -> list[str]:
    """Every title found, best group first, best first in each group."""
    results = search.search(query, user=user or AnonymousUser(), per_group=50, **options)
    return [hit.title for group in results.groups for hit in group.hits]


def fts_rows() -> int:
    """Rows of SQLite's FTS5 table (PostgreSQL keeps its vectors in the entries)."""
    if connection.vendor != "sqlite":
        return SearchEntry.objects.count()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {search.FTS_TABLE}")
        return cursor.fetchone()[0]


# ---- queries made safe ----


@pytest.mark.parametrize(
    ("raw", "terms"),
    [
        ("Boston Foundation", ["boston", "foundation"]),
        ("  REPORTS   about home visitors ", ["reports", "home", "visitors"]),
        ("policy & advocacy!", ["policy", "advocacy"]),
        ('"ACEs" OR NOT -places*', ["aces", "places"]),  # quotes and operators are words
        ("Children's", ["children"]),  # the possessive s is a stop word
        ("snake_case NEAR(a b)", ["snake", "case", "near", "b"]),
        ("bébés", ["bébés"]),
        ("\x00\x01 training\x7f", ["training"]),
        ("!!! & | :* () ^ ' --", []),
        ("the of and", []),
        ("x" * 10_000, ["x" * search.MAX_TERM_LENGTH]),
        (" ".join(f"w{i}" for i in range(30)), [f"w{i}" for i in range(search.MAX_TERMS)]),
        ("training Training TRAINING", ["training"]),
        (None, []),
    ],
)
def test_queries_become_plain_words(raw, terms):
    assert query_terms(raw) == terms


@pytest.mark.parametrize(
    "raw",
    [
        '"',
        "' OR 1=1 --",
        "NEAR(training endorsement, 2)",
        "training AND",
        "title:training",
        "training*",
        "-training",
        "a" * 10_000,
        "!!!",
        "😀 emoji",
        "\u202etraining",
        "<script>alert(1)</script>",
        "%s %(x)s {}",
    ],
)
def test_hostile_queries_never_error(client, raw):
    make_page("Training", body="<p>Reflective supervision hours.</p>")

    response = client.get("/search/", {"q": raw})
    by_kind = client.get("/search/", {"q": raw, "kind": "pages", "page": "2"})

    assert response.status_code == by_kind.status_code == 200
    assert "<script>alert" not in response.content.decode()


# ---- the index follows every save, in the same transaction ----


def test_a_saved_page_is_indexed_and_its_edits_and_deletion_follow():
    page = make_page("Reflective groups", body="<p>Monthly consultation.</p>")
    assert titles("consultation") == ["Reflective groups"]

    page.body = "<p>Weekly supervision.</p>"
    page.save()
    assert titles("consultation") == []
    assert titles("supervision") == ["Reflective groups"]

    page.delete()
    assert titles("supervision") == []
    assert not SearchEntry.objects.exists()


def test_a_rolled_back_save_leaves_the_index_as_it_was():
    page = make_page("Reflective groups", body="<p>Monthly consultation.</p>")

    with pytest.raises(RuntimeError), transaction.atomic():
        page.title = "Renamed"
        page.save()
        raise RuntimeError("the request failed")

    assert titles("consultation") == ["Reflective groups"]
    assert titles("renamed") == []


def test_reports_are_found_by_their_people_organizations_topics_and_roles():
    report = make_report("A Mapping of Workforce Assets and Needs")
    ReportOrganization.objects.create(
        report=report,
        organization=Organization.objects.create(name="The Boston Foundation"),
        credit=ReportOrganization.Credit.FUNDED_BY,
    )
    ReportAuthor.objects.create(
        report=report, author=Author.objects.create(family_name="Rivera", given_names="Ana")
    )
    report.topics.add(make_topic("Early relational health"))
    report.roles.add(Role.objects.get(slug="home-visitors"))

    for query in ["Boston Foundation", "Rivera", "relational", "home visitors"]:
        assert titles(query) == ["A Mapping of Workforce Assets and Needs"], query


def test_renaming_or_unlinking_what_a_report_names_reindexes_it():
    report = make_report("Mapping")
    organization = Organization.objects.create(name="The Boston Foundation")
    link = ReportOrganization.objects.create(report=report, organization=organization)
    topic = make_topic("Equity")
    topic.reports.add(report)  # from the other side of the many-to-many

    organization.name = "The Worcester Fund"
    organization.save()
    assert titles("Boston") == []
    assert titles("Worcester") == ["Mapping"]

    link.delete()
    assert titles("Worcester") == []

    assert titles("equity") == ["Mapping"]
    topic.reports.clear()
    assert titles("equity") == []
    report.topics.add(topic)
    assert titles("equity") == ["Mapping"]
    topic.delete()  # its links go with it, without many-to-many signals
    assert titles("equity") == []


def test_renaming_a_role_reindexes_the_reports_and_events_for_it():
    role = Role.objects.get(slug="family-partners")
    make_report("Mapping", roles=[role])
    make_event("Working with families", roles=[role])

    role.name = "Parent partners"
    role.save()

    assert sorted(titles("parent partners")) == ["Mapping", "Working with families"]


def test_events_carry_their_week_and_the_week_is_found_itself():
    campaign = make_campaign(summary="A week of activities for the youngest children.")
    make_event("Virtual panel", kind=Event.Kind.CBW, campaign=campaign)

    assert sorted(titles("babies week 2025")) == ["Celebrate Babies Week 2025", "Virtual panel"]
    campaign.name = "Celebrate Babies Week twenty-five"
    campaign.save()
    assert sorted(titles("twenty five")) == ["Celebrate Babies Week twenty-five", "Virtual panel"]
    campaign.delete()  # the activity stays, without its week
    assert titles("twenty five") == []
    assert titles("virtual panel") == ["Virtual panel"]


def test_a_moved_section_moves_its_pages_addresses_in_the_index():
    efforts = make_page("The Efforts")
    make_page("Training", parent=efforts, body="<p>Reflective supervision.</p>")

    previous = efforts.path
    efforts.slug = "our-efforts"
    efforts.save()
    page_save(page=efforts, previous_path=previous)

    hits = search.search("reflective", user=AnonymousUser()).groups[0].hits
    assert [hit.url for hit in hits] == ["/our-efforts/training/"]


def test_rebuild_indexes_everything_afresh(capsys):
    make_page("Training", body="<p>Reflective supervision.</p>")
    make_report("Mapping", summary="Strengths and barriers.")
    make_event("Reflective supervision basics")
    SearchEntry.objects.all().delete()  # as after loaddata or a raw SQL import
    assert titles("reflective") == []

    call_command("rebuild_search_index")

    assert "3 entries" in capsys.readouterr().out
    assert sorted(titles("reflective")) == ["Reflective supervision basics", "Training"]
    assert titles("barriers") == ["Mapping"]
    assert fts_rows() == 3


def test_the_index_is_filled_when_its_migration_is_applied():
    make_page("Training", body="<p>Reflective supervision.</p>")
    SearchEntry.objects.all().delete()

    class Migration:
        app_label, name = "iecmh_site", "0003_search_index"

    search.rebuild_after_migrate(plan=[(Migration(), False)])

    assert titles("reflective") == ["Training"]


# ---- who sees what ----


def test_visitors_find_published_items_only(client, django_capture_on_commit_callbacks):
    efforts = make_page("The Efforts")
    make_page("Training", parent=efforts, body="<p>Reflective hours.</p>")
    make_page("Draft page", publish_at=None, body="<p>Reflective hours.</p>")
    make_report("Draft report", publish_at=None, summary="Reflective hours.")
    make_event("Scheduled event", publish_at=timezone.now() + timedelta(days=2))
    make_event("Reflective basics")

    assert sorted(titles("reflective")) == ["Reflective basics", "Training"]

    efforts.publish_at = None  # a draft section hides its whole branch
    with django_capture_on_commit_callbacks(execute=True):  # as the admin's save commits
        efforts.save()
    assert titles("reflective") == ["Reflective basics"]
    assert (
        "/the-efforts/training/" not in client.get("/search/", {"q": "reflective"}).content.decode()
    )


def test_a_scheduled_item_appears_on_time_without_being_saved_again():
    publish_at = timezone.now() + timedelta(days=2)
    make_report("Scheduled report", summary="Workforce barriers.", publish_at=publish_at)

    assert titles("barriers") == []
    with time_machine.travel(publish_at + timedelta(minutes=1)):
        assert titles("barriers") == ["Scheduled report"]


def test_staff_who_may_preview_find_drafts_too(staff_client, staff_user):
    make_page("Draft page", publish_at=None, body="<p>Reflective hours.</p>")
    make_report("Draft report", publish_at=None, summary="Reflective hours.")

    assert sorted(titles("reflective", user=staff_user)) == ["Draft page", "Draft report"]
    html = staff_client.get("/search/", {"q": "reflective"}).content.decode()
    assert "Draft page" in html and "Draft report" in html


# ---- results: grouped, counted, paged, in a constant number of queries ----


def test_results_are_grouped_by_kind_with_counts_and_a_link_to_each_whole_group(client):
    for i in range(7):
        make_page(f"Training {i}", body="<p>Reflective practice.</p>")
    make_report("Reflective supervision in Massachusetts")
    make_event("Reflective supervision basics")

    html = client.get("/search/", {"q": "reflective"}).content.decode()

    assert "9 results for “reflective”: " in html
    for heading, count in [("Pages", 7), ("Reports", 1), ("Events", 1)]:
        assert re.search(
            rf"<h2 id=\"results-\w+\">{heading} <span[^>]*>\({count}\)</span></h2>", html
        )
    assert html.count('class="card"') == search_per_group() + 2
    assert 'href="?q=reflective&amp;kind=pages">All 7 pages for “reflective”</a>' in html
    assert "All 1 reports" not in html  # a group shown whole needs no link


def search_per_group() -> int:
    from iecmh_site.site import SEARCH_PER_GROUP

    return SEARCH_PER_GROUP


def test_the_best_matching_group_comes_first():
    make_page("Contact", body="<p>Write to us about reports.</p>")
    make_report("Workforce mapping report")

    results = search.search("report", user=AnonymousUser())

    assert [group.kind.name for group in results.groups] == ["reports", "pages"]


def test_one_kind_at_a_time_paged(client):
    for i in range(23):
        make_page(f"Training {i}", body="<p>Reflective practice.</p>")
    make_event("Reflective supervision basics")

    first = client.get("/search/", {"q": "reflective", "kind": "pages"}).content.decode()
    third = client.get("/search/", {"q": "reflective", "kind": "pages", "page": 3}).content.decode()
    beyond = client.get(
        "/search/", {"q": "reflective", "kind": "pages", "page": 99}
    ).content.decode()
    unknown = client.get("/search/", {"q": "reflective", "kind": "nonsense"}).content.decode()

    assert "23 pages for “reflective”, of 24 results in all." in first
    assert "Page 1 of 3" in first
    assert first.count('class="card"') == 10
    assert 'aria-current="page">Pages (23)</a>' in first
    assert third.count('class="card"') == 3
    assert "Page 3 of 3" in beyond and beyond.count('class="card"') == 3
    assert "24 results for “reflective”" in unknown  # an unknown kind shows every group


def test_without_every_word_items_with_all_but_one_of_them_are_offered(client):
    make_page("Training", body="<p>Reflective supervision hours.</p>")
    make_page("Groups", body="<p>Reflective consultation.</p>")

    html = client.get("/search/", {"q": "reflective supervision astronomy"}).content.decode()

    assert "1 result for" in html and ">Training</a>" in html
    assert "No result has every word you typed; these have all but one of them." in html
    assert titles("supervision astronomy") == ["Training"]
    assert titles("astronomy") == []  # one word: all or nothing


def test_a_constant_number_of_queries_whatever_the_number_of_results(client):
    def add_content(count):
        for _ in range(count):
            n = Event.objects.count()
            make_page(f"Training {n}", body="<p>Reflective practice.</p>")
            make_report(f"Reflective report {n}")
            make_event(f"Reflective supervision {n}")

    def queries_per_request():
        counts = []
        for params in [{"q": "reflective"}, {"q": "reflective", "kind": "events"}]:
            client.get("/search/", params)  # warms what every page shares (site settings)
            with CaptureQueriesContext(connection) as queries:
                assert client.get("/search/", params).status_code == 200
            counts.append(len(queries))
        return counts

    add_content(2)
    few = queries_per_request()
    add_content(30)
    many = queries_per_request()

    assert few == many
    assert max(many) <= 10


# ---- the search box on every page ----


def test_every_page_has_a_search_box_that_keeps_it_cacheable(client, settings):
    settings.PAGE_CACHE_SECONDS = 300
    make_page("Our Work")

    client.get("/our-work/")
    response = client.get("/our-work/")
    html = response.content.decode()

    assert response["X-Cache"] == "hit"
    assert 'role="search"' in html and 'action="/search/" method="get"' in html
    assert '<label class="visually-hidden" for="site-search-q">Search the site</label>' in html
    assert "csrfmiddlewaretoken" not in html
    client.get("/search/")
    assert client.get("/search/")["X-Cache"] == "hit"  # the empty search page too
    client.get("/search/", {"q": "training"})
    assert client.get("/search/", {"q": "training"})["X-Cache"] == "hit"  # within the budget
    for junk in [{"kind": "nonsense"}, {"page": "2"}, {"q": "work", "page": "x"}]:
        client.get("/search/", junk)
        assert client.get("/search/", junk).get("X-Cache") != "hit", junk


def test_results_show_when_each_event_is_and_mark_sample_content(client):
    make_event(
        "Reflective supervision basics",
        start=datetime.datetime(2026, 12, 2, 15, tzinfo=datetime.UTC),
        is_sample=True,
    )

    html = client.get("/search/", {"q": "reflective"}).content.decode()

    assert (
        '<time datetime="2026-12-02">Wednesday, December 2, 2026, 10 a.m. to 11 a.m. EST</time>'
        in html
    )
    assert '<span class="sample-badge">Sample</span>' in html
