"""Real visitor queries over the demo content, with the results they should give first.

Runs on the database the suite runs on: SQLite (FTS5, porter stemming) by default, PostgreSQL
(text search, 'english') with DATABASE_URL=postgres://...; CI runs both, so each expectation
holds on both. Results are compared by address: titles are the demo's to change.
"""

import io
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from events.models import Event
from iecmh_site import search

pytestmark = pytest.mark.django_db

FLAGSHIP = "/reports/mapping-workforce-assets-and-needs-massachusetts-iecmh/"
RELATIONAL_HEALTH_REPORT = "/reports/early-relational-health-in-practice/"
ENDORSEMENT_REPORT = "/reports/pathways-to-iecmh-endorsement/"
WEEK = "/celebrate-babies-week/2025/"
WEEK_EVENT = "/events/celebrate-babies-week-2025-{}/"
PANEL = WEEK_EVENT.format("virtual-panel")
PROCLAMATION = WEEK_EVENT.format("governors-proclamation")
INFO_SESSION = WEEK_EVENT.format("endorsement-information-session")
ADVOCACY_MEETING = WEEK_EVENT.format("advocacy-meeting")
ACES_TRAINING = "/events/mitigating-the-impact-of-adverse-childhood-experiences/"
SUPERVISION_WEBINAR = "/events/reflective-supervision-an-introduction/"
PEDIATRIC_WEBINAR = "/events/early-relational-health-in-pediatric-primary-care/"
TRAINING_PAGE = "/the-efforts/training/"
ENDORSEMENT_PAGE = "/the-efforts/training/iecmh-endorsement/"
POLICY_PAGE = "/the-efforts/policy-and-advocacy/"
SYSTEMS_PAGE = "/the-efforts/systems-building/"
CONTACT = "/contact/"
ACCESSIBILITY = "/accessibility/"


def week_or_its_activities(url: str) -> bool:
    return url == WEEK or url.startswith(WEEK_EVENT.format("").removesuffix("/"))


def events_for(role_slug: str):
    return lambda url: (
        url in {event.get_absolute_url() for event in Event.objects.filter(roles__slug=role_slug)}
    )


def professional_development(url: str) -> bool:
    trainings = Event.objects.filter(kind__in=Event.PROFESSIONAL_DEVELOPMENT_KINDS)
    return url in {event.get_absolute_url() for event in trainings}


@dataclass
class Expect:
    """What a query must give: ``top`` (an address, or a test of it) is the first result of
    the first group, ``first_kind`` that group; ``first`` the first result of named groups;
    ``absent`` addresses that must not appear at all; ``kinds`` exactly the groups found."""

    top: str | object = None
    first_kind: str | None = None
    first: dict[str, str | object] = field(default_factory=dict)
    absent: tuple[str, ...] = ()
    kinds: set[str] | None = None
    empty: bool = False
    same_as: str | None = None  # another spelling of the same query: the same results


def matches(expected, url) -> bool:
    return expected(url) if callable(expected) else url == expected


CASES = {
    # A kind of thing: that kind first, not the pages that mention the word.
    "report": Expect(first_kind="reports"),
    "reports": Expect(same_as="report"),  # plural and singular
    # Organizations a report credits are part of it: the funder, the producer.
    "Boston Foundation": Expect(top=FLAGSHIP, absent=(CONTACT,), first={"reports": FLAGSHIP}),
    "boston FOUNDATION": Expect(same_as="Boston Foundation"),  # case
    "Boston University": Expect(top=FLAGSHIP, kinds={"reports"}),
    "workforce mapping": Expect(top=FLAGSHIP),
    # The week and its activities, not the Contact page that mentions it.
    "celebrate babies": Expect(top=week_or_its_activities, first_kind="events"),
    "babies week 2025": Expect(top=week_or_its_activities, kinds={"events"}),
    "virtual panel": Expect(top=PANEL, kinds={"events"}),
    "proclamation": Expect(top=PROCLAMATION),
    # Whole words: ACEs is not "places" (the Systems Building page).
    "ACEs": Expect(top=ACES_TRAINING, absent=(SYSTEMS_PAGE,)),
    "ACEs?": Expect(same_as="ACEs"),  # punctuation
    "endorsement": Expect(
        top=lambda url: url in {ENDORSEMENT_PAGE, ENDORSEMENT_REPORT, INFO_SESSION},
        first={"pages": ENDORSEMENT_PAGE, "reports": ENDORSEMENT_REPORT, "events": INFO_SESSION},
    ),
    # Roles: the events and reports for them.
    "home visitors": Expect(
        top=events_for("home-visitors"),
        first={"events": events_for("home-visitors")},
        absent=(CONTACT,),
    ),
    "family partners": Expect(
        first={"events": events_for("family-partners")}, absent=(CONTACT, ACCESSIBILITY)
    ),
    # Stemming: "pediatrician" finds "pediatricians", "trainings" finds "Training".
    "pediatrician": Expect(top=PEDIATRIC_WEBINAR, first={"events": PEDIATRIC_WEBINAR}),
    "trainings": Expect(first={"pages": TRAINING_PAGE, "events": professional_development}),
    "reflective supervision": Expect(top=SUPERVISION_WEBINAR),
    "webinar": Expect(
        first={"events": lambda url: url in {SUPERVISION_WEBINAR, PEDIATRIC_WEBINAR}},
        kinds={"events"},
    ),
    "online training for pediatricians": Expect(top=PEDIATRIC_WEBINAR),
    "policy advocacy": Expect(
        top=lambda url: url in {POLICY_PAGE, ADVOCACY_MEETING},
        first={"pages": POLICY_PAGE, "events": ADVOCACY_MEETING, "reports": FLAGSHIP},
    ),
    "Policy & Advocacy!": Expect(same_as="policy advocacy"),
    "Children's Mental Health Campaign": Expect(top=ADVOCACY_MEETING),
    "early relational health": Expect(
        first={"reports": RELATIONAL_HEALTH_REPORT, "events": PEDIATRIC_WEBINAR}
    ),
    # Stop words ("about") are not asked for.
    "reports about home visitors": Expect(
        top=lambda url: url in {RELATIONAL_HEALTH_REPORT, FLAGSHIP}, kinds={"reports"}
    ),
    "contact": Expect(top=CONTACT),
    "accessibility": Expect(top=ACCESSIBILITY),
    # Misspelt: nothing, rather than noise.
    "pediatrcian": Expect(empty=True),
    "Bostn Foundaton": Expect(empty=True),
    "reflectve supervison": Expect(empty=True),
}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo content, loaded once for the module and rolled back after it."""
    media, private = tmp_path_factory.mktemp("media"), tmp_path_factory.mktemp("private")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PRIVATE_MEDIA_ROOT=private),
        transaction.atomic(),
    ):
        call_command("seed_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def urls_by_kind(query: str) -> list[tuple[str, list[str]]]:
    results = search.search(query, user=AnonymousUser(), per_group=50)
    return [(group.kind.name, [hit.url for hit in group.hits]) for group in results.groups]


@pytest.mark.parametrize("query", list(CASES))
def test_visitor_queries_find_what_they_came_for(demo, query):
    expect = CASES[query]
    found = urls_by_kind(query)
    every_url = [url for _kind, urls in found for url in urls]
    shown = "\n".join(f"  {kind}: {urls}" for kind, urls in found)

    if expect.same_as:
        assert found == urls_by_kind(expect.same_as), shown
        return
    if expect.empty:
        assert found == [], shown
        return
    assert found, f"nothing found for {query!r}"
    if expect.top is not None:
        assert matches(expect.top, found[0][1][0]), f"top result for {query!r}:\n{shown}"
    groups = dict(found)
    for kind, expected in expect.first.items():
        assert kind in groups, f"no {kind} for {query!r}:\n{shown}"
        assert matches(expected, groups[kind][0]), f"first of {kind} for {query!r}:\n{shown}"
    for url in expect.absent:
        assert url not in every_url, f"{url} should not match {query!r}:\n{shown}"
    if expect.first_kind is not None:
        assert found[0][0] == expect.first_kind, shown
    if expect.kinds is not None:
        assert {kind for kind, _urls in found} == expect.kinds, shown


def test_there_are_enough_real_queries():
    assert len(CASES) >= 20
