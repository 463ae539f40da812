"""What visitors meet on the server side: old links with a campaign's query string, a PDF that
opens in the browser, titles that say "Error:" or how many results a filter found, network
limits a room of colleagues never meets, lists that say what they are for, a cancelled event
said once, and public pages free of CSRF tokens."""

import datetime
import io
import re

import pytest
import time_machine
from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site
from django.core import mail
from django.test import Client
from django.utils import timezone

from events.models import Event, EventStatus
from iecmh_site.vocabulary import Role
from newsletter.models import Subscriber
from newsletter.tokens import make_token
from pages.services import page_save
from tests.conftest import started_long_ago
from tests.factories import make_event, make_page, make_report, make_subscriber, make_topic

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0"
SIGNUP = "/newsletter/"


def title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)[1].strip()


def main(response) -> str:
    return response.content.decode().split('<main id="main"', 1)[1].split("</main>", 1)[0]


# ---- redirects keep the query string ----


def redirect(old_path, new_path):
    return Redirect.objects.create(
        site=Site.objects.get_current(), old_path=old_path, new_path=new_path
    )


def test_a_renamed_pages_old_address_keeps_the_newsletters_query_string(client):
    page = make_page("Our Work", slug="our-work")
    page.slug = "what-we-do"
    page.save()
    page_save(page=page, previous_path="our-work")

    response = client.get("/our-work/?utm_source=newsletter&utm_medium=email")

    assert response.status_code == 301
    assert response["Location"] == "/what-we-do/?utm_source=newsletter&utm_medium=email"
    assert client.get(response["Location"]).status_code == 200
    assert client.get("/our-work/")["Location"] == "/what-we-do/"  # as before


def test_the_query_string_joins_the_new_addresses_own(client):
    redirect("/old/", "/new/?tab=people#team")
    redirect("/elsewhere/", "https://www.massaimh.org/join/")

    assert client.get("/old/?utm_source=x")["Location"] == "/new/?tab=people&utm_source=x#team"
    assert (
        client.get("/elsewhere/?a=1&b=%C3%A9")["Location"]
        == "https://www.massaimh.org/join/?a=1&b=%C3%A9"
    )


def test_an_exact_redirect_wins_and_gone_stays_gone(client):
    redirect("/flyer/?year=2024", "/celebrate-babies-week/2024/")
    redirect("/flyer/", "/celebrate-babies-week/")
    redirect("/retired/", "")

    assert client.get("/flyer/?year=2024")["Location"] == "/celebrate-babies-week/2024/"
    assert client.get("/flyer/?year=2023")["Location"] == "/celebrate-babies-week/?year=2023"
    assert client.get("/retired/?utm_source=newsletter").status_code == 410
    assert client.get("/never-was/?utm_source=newsletter").status_code == 404
    # The Spanish addresses follow the same redirects, staying Spanish where they stay here.
    assert client.get("/es/flyer/")["Location"] == "/es/celebrate-babies-week/"
    assert client.get("/es/retired/").status_code == 410
    redirect("/elsewhere/", "https://www.massaimh.org/join/")
    assert client.get("/es/elsewhere/")["Location"] == "https://www.massaimh.org/join/"


# ---- the report's PDF opens in the browser ----


def test_the_pdf_is_served_inline_with_its_file_name_and_still_counted(client, tagged_pdf):
    report = make_report("The Mapping", slug="the-mapping", pdf=tagged_pdf)

    response = client.get(report.get_download_url(), HTTP_USER_AGENT=BROWSER)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="the-mapping.pdf"'
    client.get(report.get_download_url(), HTTP_USER_AGENT=BROWSER)  # the same person again
    report.refresh_from_db()
    assert report.download_count == 1
    page = client.get(report.get_absolute_url()).content.decode()
    link = re.search(r'<a class="button" href="/reports/the-mapping/download/"[^>]*>', page)[0]
    assert " download" not in link  # the attribute would make browsers save it instead


# ---- "Error: " in the title of a page whose form has errors ----


def test_signup_with_errors_says_error_first_in_its_title(client, signup_data):
    assert title(client.get(SIGNUP)).startswith("Join our mailing list")

    response = client.post(SIGNUP, signup_data("not-an-address"))

    assert response.status_code == 200
    assert title(response).startswith("Error: Join our mailing list")


def test_resend_with_errors_says_error_first_in_its_title(client):
    assert title(client.get("/newsletter/resend/")).startswith("Send a new confirmation link")

    response = client.post(
        "/newsletter/resend/", {"email": "nope", "started": started_long_ago(), "website": ""}
    )

    assert response.status_code == 200
    assert title(response).startswith("Error: Send a new confirmation link")


def test_preferences_with_errors_say_error_first_in_their_title(client):
    subscriber = make_subscriber(status=Subscriber.Status.CONFIRMED)
    url = f"/newsletter/preferences/{make_token(subscriber, purpose='preferences')}/"
    assert title(client.get(url)).startswith("Your mailing list preferences")

    response = client.post(url, {"name": "Ana", "interests": []})

    assert response.status_code == 200
    assert title(response).startswith("Error: Your mailing list preferences")
    assert title(client.post(url, {"interests": ["wants_reports"]})).startswith("Your mailing")


# ---- network limits: a room of colleagues signs up, a flood does not ----


def test_forty_colleagues_on_one_wifi_sign_up_and_a_flood_is_stopped(signup_data, run_jobs):
    room = Client(REMOTE_ADDR="203.0.113.7")
    for n in range(40):  # each makes a typo first, then sends the right address
        assert room.post(SIGNUP, signup_data(f"colleague{n}@example")).status_code == 200
        assert room.post(SIGNUP, signup_data(f"colleague{n}@example.org")).status_code == 302

    # 80 posts so far; the limit is 100 in 10 minutes from one network address.
    statuses = [
        room.post(SIGNUP, signup_data(f"bot{n}@example.org")).status_code for n in range(30)
    ]

    assert statuses == [302] * 20 + [429] * 10
    run_jobs()
    assert Subscriber.objects.filter(email__startswith="colleague").count() == 40


def test_a_flood_is_also_capped_per_day(client, settings, signup_data):
    settings.NEWSLETTER_RATE_LIMIT = 3
    settings.NEWSLETTER_RATE_LIMIT_DAILY = 5
    start = timezone.now().replace(hour=12, minute=0, second=0)
    with time_machine.travel(start, tick=False) as clock:
        assert [client.post(SIGNUP, signup_data()).status_code for _ in range(4)] == [302] * 3 + [
            429
        ]
        clock.shift(datetime.timedelta(minutes=11))  # a new 10-minute window, the same day
        assert client.post(SIGNUP, signup_data()).status_code == 302
        response = client.post(SIGNUP, signup_data())
    assert response.status_code == 429
    assert response["Retry-After"] == str(24 * 60 * 60)


def test_one_mailbox_still_gets_three_confirmations_a_day_whoever_asks(signup_data, run_jobs):
    room = Client(REMOTE_ADDR="203.0.113.8")
    with time_machine.travel(timezone.now().replace(hour=6), tick=False) as clock:
        for n in range(10):  # +tag variants, each a few minutes apart (no "already on its way")
            data = signup_data(f"ana+{n}@example.org", started=started_long_ago())
            assert room.post(SIGNUP, data).status_code == 302
            run_jobs()
            clock.shift(datetime.timedelta(minutes=6))
    assert len(mail.outbox) == 3


# ---- filtered lists say how many they found ----


def test_filtered_lists_put_their_count_in_the_title_and_a_heading(client):
    policy = make_topic("Policy", slug="policy")
    make_report("One", topics=[policy])
    make_report("Two")
    home_visitors = Role.objects.get(slug="home-visitors")
    make_event("Training A", roles=[home_visitors])
    make_event("Training B")
    make_event("Open house", kind=Event.Kind.COMMUNITY)

    reports = client.get("/reports/?topic=policy")
    assert title(reports).startswith("1 report found: Reports |")
    assert re.search(r'<h2 class="report-count" id="results">1 report found</h2>', main(reports))
    assert title(client.get("/reports/")).startswith("Reports |")

    events = client.get("/events/?kind=training")
    assert title(events).startswith("2 events found: Events |")
    assert '<h2 id="results" class="results-count">2 upcoming events found</h2>' in main(events)
    assert "Filter events (1 applied)" in main(events)
    assert '<h2 id="results" class="results-count">3 upcoming events</h2>' in main(
        client.get("/events/")
    )

    trainings = client.get("/professional-development/?role=home-visitors")
    assert title(trainings).startswith("1 training found: Professional development |")
    assert "1 upcoming training found</h2>" in main(trainings)


def test_filters_fold_behind_one_summary(client):
    for url in ["/reports/", "/events/", "/professional-development/"]:
        html = main(client.get(url))
        assert html.count('<details class="filters-panel" data-filters-panel>') == 1, url
        details = html.split("<details", 1)[1].split("</details>", 1)[0]
        assert "<summary>Filter " in details and '<form class="filters"' in details


# ---- "Events" and "Professional development" say how they differ ----


def test_events_and_professional_development_say_what_they_list(client):
    make_event("A training")
    make_event("A community morning", kind=Event.Kind.COMMUNITY)

    events = client.get("/events/")
    trainings = client.get("/professional-development/")

    assert "Every upcoming event" in main(events)
    assert 'href="/professional-development/"' in main(events)
    assert "Trainings, webinars and conferences only" in main(trainings)
    assert [e.title for e in events.context["page_obj"]] == ["A training", "A community morning"]
    assert [e.title for e in trainings.context["page_obj"]] == ["A training"]
    # The role filter comes first: before the folded filters and the results.
    html = main(trainings)
    assert html.index("Trainings for your role") < html.index("data-filters-panel")
    for role in Role.objects.all():
        assert f'href="/professional-development/?role={role.slug}"' in html


def test_in_the_demo_events_lists_more_than_professional_development(client):
    from iecmh_site.demo import events as event_demo

    event_demo.seed(stdout=io.StringIO())

    events = {e.pk for e in client.get("/events/").context["page_obj"]}
    trainings = {e.pk for e in client.get("/professional-development/").context["page_obj"]}
    assert trainings < events


# ---- a cancelled event is said once ----


def test_the_cancelled_banner_says_it_once(client):
    event = make_event("Off", event_status=EventStatus.CANCELLED, status_note="The trainer is ill.")

    html = main(client.get(event.get_absolute_url()))

    banner = re.findall(r'<p class="banner banner--danger">.*?</p>', html, re.S)
    assert banner == [
        '<p class="banner banner--danger"><strong>This event is cancelled.</strong> '
        "The trainer is ill.</p>"
    ]
    assert 'role="note"' not in html
    from iecmh_site.demo.events import TRAININGS

    demo_notes = [extra.get("status_note", "") for *_, extra in TRAININGS]
    assert all("cancel" not in note.lower() for note in demo_notes), demo_notes


# ---- public pages stay free of CSRF tokens (and so cacheable) ----


def test_public_pages_carry_no_csrf_token(client, tagged_pdf):
    page = make_page("Our Work")
    report = make_report("A report", pdf=tagged_pdf)
    event = make_event("A training")
    urls = [
        "/",
        page.get_absolute_url(),
        "/reports/",
        report.get_absolute_url(),
        "/events/",
        event.get_absolute_url(),
        "/professional-development/",
        "/celebrate-babies-week/",
        "/search/?q=training",
        "/newsletter/privacy/",
        "/newsletter/thanks/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "csrfmiddlewaretoken" not in response.content.decode(), url
        assert "csrftoken" not in response.cookies, url
        assert 'data-signup-token-url="/newsletter/signup-token/"' in response.content.decode()
