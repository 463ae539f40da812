"""Every public page kind takes the same, small number of SQL queries at 1x and 20x data."""

import pytest
from django.contrib.sites.models import Site
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from events.models import Campaign, Event
from pages.models import Page
from reports.models import Report, ReportAuthor, ReportOrganisation

MAX_QUERIES = 10
SCALE = 20


def public_urls():
    report = Report.objects.published().featured().first()
    campaign = Campaign.objects.published().order_by("-year").first()
    activity = Event.objects.published().filter(campaign=campaign).first()
    training = Event.objects.published().upcoming().trainings().first()
    return [
        "/",
        "/our-work/",
        "/the-efforts/training/",
        "/search/?q=training",
        "/sitemap.xml",
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
        "/professional-development/",
        "/newsletter/",
        "/newsletter/privacy/",
    ]


def query_counts(urls):
    counts = {}
    for url in urls:
        cache.clear()
        Site.objects.clear_cache()
        client = Client()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(queries)
    return counts


def _clone(instance, n, **changes):
    instance.pk = instance.id = None
    instance._state.adding = True
    for field, value in changes.items():
        setattr(instance, field, value)
    instance.save()
    return instance


def scale_up(factor):
    """Copy every page, report and event factor-1 times, with their relations."""
    for page in Page.objects.exclude(parent=None):
        for n in range(1, factor):
            _clone(Page.objects.get(pk=page.pk), n, slug=f"{page.slug}-copy-{n}")
    for report in Report.objects.all():
        topics, roles = list(report.topics.all()), list(report.roles.all())
        authors = list(report.author_links.all())
        organisations = list(report.organisation_links.all())
        for n in range(1, factor):
            copy = _clone(
                Report.objects.get(pk=report.pk), n, slug=f"{report.slug}-copy-{n}", featured=False
            )
            copy.topics.set(topics)
            copy.roles.set(roles)
            ReportAuthor.objects.bulk_create(
                ReportAuthor(report=copy, author_id=link.author_id, order=link.order)
                for link in authors
            )
            ReportOrganisation.objects.bulk_create(
                ReportOrganisation(
                    report=copy, organisation_id=link.organisation_id, role=link.role
                )
                for link in organisations
            )
    for event in Event.objects.all():
        roles = list(event.roles.all())
        for n in range(1, factor):
            copy = _clone(Event.objects.get(pk=event.pk), n, slug=f"{event.slug}-copy-{n}")
            copy.roles.set(roles)


@pytest.mark.django_db
def test_every_page_kind_has_a_constant_small_query_budget(settings):
    settings.DEBUG = False
    call_command("seed_demo", verbosity=0)
    urls = public_urls()

    at_1x = query_counts(urls)
    scale_up(SCALE)
    at_20x = query_counts(urls)

    assert Event.objects.count() >= SCALE * 10
    over_budget = {url: count for url, count in at_20x.items() if count > MAX_QUERIES}
    assert not over_budget, f"over {MAX_QUERIES} queries: {over_budget}"
    grew = {url: (at_1x[url], at_20x[url]) for url in urls if at_1x[url] != at_20x[url]}
    assert not grew, f"query count changed with the data size (1x, 20x): {grew}"
