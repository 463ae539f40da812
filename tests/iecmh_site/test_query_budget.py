"""Every public page kind takes the same, small number of SQL queries at 1x and 20x data, and
leaves no more for the garbage collector at 20x."""

import gc

import pytest
from django.contrib.sites.models import Site
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.db.models import QuerySet
from django.test import Client, RequestFactory
from django.test.client import ClientHandler
from django.test.utils import CaptureQueriesContext

from events.models import Campaign, Event
from pages.models import Page
from reports.models import Report, ReportAuthor, ReportOrganization

# A report's page takes the most: it, its topics, roles, authors and credits (its related
# reports are kept until the next save).
MAX_QUERIES = 5
SCALE = 20


def public_urls():
    report = Report.objects.published().featured().first()
    campaign = Campaign.objects.published().order_by("-year").first()
    activity = Event.objects.published().filter(campaign=campaign).first()
    training = Event.objects.published().upcoming().trainings().first()
    english = [
        "/",
        "/our-work/",
        "/the-efforts/training/",
        "/search/?q=training",
        "/search/?q=report",
        "/search/?q=home+visitors&kind=events",
        "/search/?q=celebrate+babies+week&kind=events",
        "/search/",
        "/sitemap.xml",
        "/sitemap-events.xml",
        "/robots.txt",
        "/reports/",
        "/reports/?topic=policy&year=2025",
        report.get_absolute_url(),
        "/reports/feed/",
        "/events/",
        "/events/past/",
        "/events/?kind=training",
        activity.get_absolute_url(),
        training.get_absolute_url(),
        f"/events/{activity.slug}.ics",
        "/events/calendar.ics",
        "/celebrate-babies-week/",
        f"/celebrate-babies-week/{campaign.year}/",
        f"/celebrate-babies-week/{campaign.year}/{activity.local_date.isoformat()}/",
        "/professional-development/",
        "/newsletter/",
        "/newsletter/privacy/",
    ]
    # Every page again in Spanish (the sitemaps and robots.txt have one language).
    one_language = ("/sitemap.xml", "/sitemap-events.xml", "/robots.txt")
    return english + [f"/es{url}" for url in english if url not in one_language]


def query_counts(urls):
    """Queries of each page rendered in full (the page cache is off in tests), once the
    fragments every page shares (the site's identity, the Site) are cached, as in use."""
    cache.clear()
    Site.objects.clear_cache()
    counts = {}
    for url in urls:
        client = Client()
        client.get(url)  # warms the shared fragments
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(queries)
    return counts


def querysets_left_in_cycles(urls):
    """QuerySets each page leaves in reference cycles, rendered in full by Django's handler
    (not the test client, whose record of each template's context is itself a cycle).

    A page leaves its rows in cycles anyway (a template's context is one), so they wait for
    the garbage collector's next full pass, many requests later. A queryset kept with each
    row, its query and filters with it, made that several times heavier: 3 MiB of a worker
    per render of the week's 400 activities at 20x."""
    cache.clear()
    Site.objects.clear_cache()
    handler = ClientHandler()
    counts = {}
    was_enabled, debug = gc.isenabled(), gc.get_debug()
    for url in urls:
        _serve(handler, url)  # warms the shared fragments
        gc.collect()
        gc.disable()
        try:
            status = _serve(handler, url)
            gc.set_debug(gc.DEBUG_SAVEALL)
            gc.collect()
            # type(), not isinstance(): that would evaluate a lazy object (the CSP nonce).
            counts[url] = sum(issubclass(type(thing), QuerySet) for thing in gc.garbage)
        finally:
            gc.set_debug(debug)
            gc.garbage.clear()
            gc.collect()
            if was_enabled:
                gc.enable()
        assert status == 200, (url, status)
    return counts


def _serve(handler, url):
    """The status of ``url`` from ``handler``, its body read in full."""
    response = handler(RequestFactory().get(url).environ)
    if response.streaming:
        b"".join(response.streaming_content)
    return response.status_code


def _copies(queryset, factor, *unique):
    """factor-1 unsaved copies of each row, with the ``unique`` fields suffixed by -copy-N."""
    for row in queryset:
        for n in range(1, factor):
            copy = type(row).objects.get(pk=row.pk)
            copy.pk = copy.id = None
            for field in unique:
                setattr(copy, field, f"{getattr(row, field)}-copy-{n}")
            copy.original = row
            yield copy


def scale_up(factor):
    """Copy every page, report and event factor-1 times, with their relations."""
    Page.objects.bulk_create(_copies(Page.objects.exclude(parent=None), factor, "slug", "path"))
    reports = Report.objects.bulk_create(_copies(Report.objects.all(), factor, "slug"))
    Report.objects.filter(pk__in=[r.pk for r in reports]).update(featured=False)
    events = Event.objects.bulk_create(_copies(Event.objects.all(), factor, "slug"))
    for field, copies in [
        (Report.topics, reports),
        (Report.roles, reports),
        (Event.roles, events),
    ]:
        through = field.through
        name = field.field.m2m_field_name()
        target = field.field.m2m_reverse_field_name()
        through.objects.bulk_create(
            through(**{name: copy, f"{target}_id": linked})
            for copy in copies
            for linked in through.objects.filter(**{name: copy.original}).values_list(
                f"{target}_id", flat=True
            )
        )
    ReportAuthor.objects.bulk_create(
        ReportAuthor(report=copy, author_id=link.author_id, order=link.order)
        for copy in reports
        for link in copy.original.author_links.all()
    )
    ReportOrganization.objects.bulk_create(
        ReportOrganization(report=copy, organization_id=link.organization_id, credit=link.credit)
        for copy in reports
        for link in copy.original.organization_links.all()
    )
    call_command("rebuild_search_index", verbosity=0)  # bulk_create sends no save signals


def at_1x_and_20x(settings, measure):
    """Every public page, and ``measure`` of them on the demo content, then on 20x of it."""
    settings.DEBUG = False
    call_command("seed_demo", verbosity=0)
    urls = public_urls()
    at_1x = measure(urls)
    scale_up(SCALE)
    return urls, at_1x, measure(urls)


@pytest.mark.django_db
def test_every_page_kind_has_a_constant_small_query_budget(settings):
    urls, at_1x, at_20x = at_1x_and_20x(settings, query_counts)

    assert Event.objects.count() >= SCALE * 10
    over_budget = {url: count for url, count in at_20x.items() if count > MAX_QUERIES}
    assert not over_budget, f"over {MAX_QUERIES} queries: {over_budget}"
    grew = {url: (at_1x[url], at_20x[url]) for url in urls if at_1x[url] != at_20x[url]}
    assert not grew, f"query count changed with the data size (1x, 20x): {grew}"


@pytest.mark.django_db
def test_no_page_leaves_a_queryset_per_row_for_the_garbage_collector(settings):
    urls, at_1x, at_20x = at_1x_and_20x(settings, querysets_left_in_cycles)

    week = Campaign.objects.current_or_next()
    assert week.events.count() >= SCALE * 5
    grew = {url: (at_1x[url], at_20x[url]) for url in urls if at_20x[url] > at_1x[url]}
    assert not grew, f"querysets left in reference cycles grew with the data (1x, 20x): {grew}"
