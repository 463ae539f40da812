"""The demo content: seed_demo and each app's part of it."""

import io

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from reversion.models import Version

from events.models import Campaign, Event, EventStatus
from iecmh_site.demo import events as event_demo
from iecmh_site.demo import identity as identity_demo
from iecmh_site.demo import newsletter as newsletter_demo
from iecmh_site.demo import reports as report_demo
from iecmh_site.identity import SiteSettings
from iecmh_site.management.commands import seed_demo
from newsletter.models import Subscriber
from pages.models import Page
from reports.models import Report

pytestmark = pytest.mark.django_db


def counts():
    return {
        model._meta.label: model.objects.count()
        for app_label in ("pages", "reports", "events", "newsletter")
        for model in apps.get_app_config(app_label).get_models()
    }


def test_seed_demo_twice_creates_no_duplicates_and_a_login_only_in_debug(
    settings, capsys, django_user_model
):
    settings.DEBUG = False
    call_command("seed_demo")
    first = counts()
    assert not django_user_model.objects.filter(username="demo").exists()

    settings.DEBUG = True
    call_command("seed_demo")

    assert counts() == first
    assert sum(first.values()) > 5
    assert "Demo staff login (DEBUG only): demo /" in capsys.readouterr().out
    for model in (Page, Report, Event, Campaign):  # each item's history starts with the demo
        versions = Version.objects.get_for_object(model.objects.first())
        assert [v.revision.comment for v in versions] == ["Demo content."]


def test_the_demo_login_is_an_editor_who_manages_the_mailing_list(settings, client):
    settings.DEBUG = True
    call_command("seed_demo")
    client.post("/admin/login/", {"username": "demo", "password": seed_demo.DEMO_PASSWORD})

    admin_home = client.get("/admin/").text

    for allowed in [
        "/admin/pages/page/",
        "/admin/reports/report/",
        "/admin/newsletter/subscriber/",
    ]:
        assert allowed in admin_home
    for hidden in ["/admin/auth/user/", "/admin/sites/site/", "/admin/axes/"]:
        assert hidden not in admin_home
    assert client.get("/admin/auth/user/").status_code == 403


def test_event_demo_is_idempotent_and_complete(local):
    with time_machine.travel(local(2026, 11, 25, 9), tick=False):
        event_demo.seed(stdout=io.StringIO())
        Event.objects.filter(slug="celebrate-babies-week-2025-virtual-panel").update(title="Edited")
        event_demo.seed(stdout=io.StringIO())
        campaign = Campaign.objects.get(year=2025)
        days = sorted({e.local_start.strftime("%A") for e in campaign.events.published()})
        assert days == sorted(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"])
        panel = Event.objects.get(slug="celebrate-babies-week-2025-virtual-panel")
        assert panel.title == "Edited"  # never overwritten
        assert panel.when == "Wednesday, October 22, 2025, 10 a.m. to 11 a.m. EDT"
        trainings = Event.objects.published().trainings()
        assert trainings.upcoming().filter(format="in-person").exists()
        assert trainings.upcoming().filter(format="online").exists()
        assert trainings.past().exists()
        assert Event.objects.filter(event_status=EventStatus.CANCELLED).count() == 1
        assert Event.objects.count() == 12
        # Events lists more than professional development does.
        upcoming = Event.objects.published().upcoming()
        assert upcoming.exclude(kind__in=Event.PROFESSIONAL_DEVELOPMENT_KINDS).exists()


def test_report_demo_is_idempotent_and_does_not_overwrite_edits(run_jobs):
    report_demo.seed(stdout=io.StringIO())
    run_jobs()
    flagship = Report.objects.get(slug=report_demo.FLAGSHIP_SLUG)
    flagship.summary = "Edited by staff."
    flagship.save()

    report_demo.seed(stdout=io.StringIO())

    assert Report.objects.count() == len(report_demo.REPORTS)
    flagship.refresh_from_db()
    assert flagship.summary == "Edited by staff."
    assert Report.objects.published().featured().first() == flagship
    assert flagship.pdf_accessible and flagship.cover
    assert [o.name for o in flagship.funders()] == ["The Boston Foundation"]
    assert len({report.publication_date.year for report in Report.objects.all()}) >= 3


def test_newsletter_demo_is_idempotent_and_keeps_staff_edits():
    newsletter_demo.seed(stdout=io.StringIO())
    Subscriber.objects.filter(email="demo.pending@example.org").update(name="Edited")
    out = io.StringIO()
    newsletter_demo.seed(stdout=out)

    assert Subscriber.objects.count() == 2
    assert Subscriber.objects.get(email="demo.pending@example.org").name == "Edited"
    assert out.getvalue() == ""
    assert Subscriber.objects.get(email="demo.confirmed@example.org").status == "confirmed"


def test_real_contact_settings_do_not_gain_the_sample_spanish_note():
    SiteSettings.objects.create(contact_note="Call us on weekdays.", is_sample=False)

    identity_demo.seed(stdout=io.StringIO())

    assert not SiteSettings.objects.get().contact_note_es
