"""Copying Celebrate Babies Week to the next year, as staff do every autumn."""

from datetime import date, timedelta

import pytest
import time_machine

from events.models import Campaign, Event
from events.yearly import move_dates
from tests.factories import empty_inlines, make_campaign, make_event

pytestmark = pytest.mark.django_db

FIFTY_TWO_WEEKS = timedelta(weeks=52)


@pytest.mark.parametrize(
    "before, after",
    [
        ("a panel on Wednesday 22 October.", "a panel on Wednesday 21 October."),
        ("Wednesday, October 22, 2025: the panel", "Wednesday, October 21, 2026: the panel"),
        ("Oct. 22nd", "Oct. 21st"),
        ("Mon 20 October 2025", "Mon 19 October 2026"),
        ("Tuesday 21 October: pathways", "Tuesday 20 October: pathways"),
        ("On 22 October 2024, before", "On 22 October 2024, before"),  # another year: kept
        ("Founded in 2019, with 40 members", "Founded in 2019, with 40 members"),
    ],
)
def test_dates_written_in_the_text_move_with_the_week(before, after):
    assert move_dates(before, year=2025, shift=FIFTY_TWO_WEEKS) == after


def copy(client, campaign, follow=True):
    return client.post(
        "/admin/events/campaign/",
        {"action": "copy_to_next_year", "_selected_action": [campaign.pk]},
        follow=follow,
    )


def demo_like_week(local):
    campaign = make_campaign(
        summary="Celebrate Babies Week 2025, a week for babies.",
        description="<p>In 2025 the week opened with a proclamation and a virtual panel on "
        "Wednesday 22 October.</p>",
        how_to_join="<ul><li>Join the virtual panel on Wednesday 22 October.</li></ul>",
    )
    make_event(
        "Governor's proclamation",
        summary="The Governor proclaims Celebrate Babies Week 2025, opening the week.",
        start=local(2025, 10, 20, 9),
        campaign=campaign,
        kind=Event.Kind.CBW,
    )
    make_event(
        "Virtual panel",
        start=local(2025, 10, 22, 10),
        campaign=campaign,
        kind=Event.Kind.CBW,
        format=Event.Format.ONLINE,
    )
    return campaign


@time_machine.travel(date(2026, 3, 1))
def test_the_copy_moves_names_and_dates_and_lists_what_to_check(staff_client, local):
    week = demo_like_week(local)

    response = copy(staff_client, week)

    new = Campaign.objects.get(year=2026)
    assert "2 place(s) to check are listed on its page." in response.text
    assert new.summary == "Celebrate Babies Week 2026, a week for babies."
    assert "virtual panel on Wednesday 21 October." in new.description
    assert "Wednesday 21 October." in new.how_to_join
    proclamation = new.events.get(kind=Event.Kind.CBW, format=Event.Format.IN_PERSON)
    assert (
        proclamation.summary
        == "The Governor proclaims Celebrate Babies Week 2026, opening the week."
    )
    page = staff_client.get(new.get_admin_url()).text
    assert "Before publishing, check" in page
    assert "Names an earlier year: “In 2025 the week opened" in page
    assert "Online: add this year’s joining or registration link." in page


@time_machine.travel(date(2026, 3, 1))
def test_the_copied_week_saves_and_publishes_without_a_server_error(staff_client, local):
    copy(staff_client, demo_like_week(local))
    new = Campaign.objects.get(year=2026)
    events = list(new.events.all())
    data = {
        "name": new.name,
        "year": "2026",
        "start_date": f"{new.start_date:%m/%d/%Y}",
        "end_date": f"{new.end_date:%m/%d/%Y}",
        "publish_at_0": "02/28/2026",
        "publish_at_1": "9:00 AM",
        "theme_en": new.theme,
        "summary_en": new.summary,
        "description_en": new.description,
        "how_to_join_en": new.how_to_join,
        "hero_alt_en": new.hero_alt,
        "call_to_action_text_en": "",
        "call_to_action_url": "",
        **empty_inlines("files"),
        "events-TOTAL_FORMS": str(len(events)),
        "events-INITIAL_FORMS": str(len(events)),
        **{f"events-{n}-id": str(event.pk) for n, event in enumerate(events)},
        **{f"events-{n}-campaign": str(new.pk) for n in range(len(events))},
    }

    response = staff_client.post(new.get_admin_url(), data)

    assert response.status_code == 302, response.context["errors"]
    new.refresh_from_db()
    assert new.is_published
    assert all(event.is_draft for event in new.events.all())  # activities: published one by one


def test_copying_into_the_past_warns(staff_client):
    week = make_campaign(2019, start_date=date(2019, 10, 21))

    response = copy(staff_client, week)

    assert "Celebrate Babies Week 2020’s dates have already passed" in response.text
    page = staff_client.get(Campaign.objects.get(year=2020).get_admin_url()).text
    assert "Its dates (October 19 to October 23, 2020) have already passed." in page


def test_copying_twice_makes_one_copy(staff_client):
    week = make_campaign()

    copy(staff_client, week)
    again = copy(staff_client, week)

    assert "There is already a Celebrate Babies Week for 2026." in again.text
    assert Campaign.objects.filter(year=2026).count() == 1


def test_an_error_about_a_field_the_form_does_not_show_is_shown_not_a_crash():
    from events.forms import EventAdminForm
    from iecmh_site.forms import with_form_wide_errors

    class FewFields(EventAdminForm):
        class Meta(EventAdminForm.Meta):
            fields = ["title", "summary", "start", "end", "format", "event_status", "partner"]

    form = with_form_wide_errors(FewFields)(
        data={
            "title": "Panel",
            "summary": "A panel.",
            "start": "10/20/2027 10:00 AM",
            "end": "10/20/2027 11:00 AM",
            "format": "online",
            "event_status": "going-ahead",
            "partner": "both",
        }
    )

    assert not form.is_valid()
    assert any("Joining link" in error for error in form.non_field_errors())


@time_machine.travel(date(2026, 3, 1))
def test_the_copy_keeps_the_spanish_text_with_the_new_year(staff_client, local):
    week = demo_like_week(local)
    week.summary_es = "Celebrate Babies Week 2025, una semana para los bebés."
    week.save()
    panel = week.events.get(format=Event.Format.ONLINE)
    panel.title_es = "Panel virtual 2025"
    panel.save()

    copy(staff_client, week)

    new = Campaign.objects.get(year=2026)
    assert new.summary_es == "Celebrate Babies Week 2026, una semana para los bebés."
    assert new.events.get(format=Event.Format.ONLINE).title_es == "Panel virtual 2026"
    assert not new.how_to_join_es  # untranslated stays untranslated
