import datetime

import pytest
from django.core.exceptions import ValidationError

from events.models import Campaign, Event
from events.services import campaign_copy_to_next_year, next_year_shift
from tests.factories import make_campaign, make_event

pytestmark = pytest.mark.django_db


def test_next_year_shift_keeps_the_weekday_nearest_the_same_date():
    assert datetime.date(2025, 10, 20) + next_year_shift(datetime.date(2025, 10, 20)) == (
        datetime.date(2026, 10, 19)
    )
    # 2028 is a leap year: 53 weeks lands nearer.
    day = datetime.date(2027, 10, 18)
    assert (day + next_year_shift(day)).weekday() == day.weekday()


def test_copy_to_next_year_keeps_weekdays_and_local_times_as_drafts(local, roles):
    campaign = make_campaign(theme="Babies first")
    for n in range(5):
        make_event(
            f"Day {n} of Celebrate Babies Week 2025",
            start=local(2025, 10, 20 + n, 10),
            kind=Event.Kind.CBW,
            campaign=campaign,
            format="online",
            roles=[roles["pediatricians"]],
        )
    copy = campaign_copy_to_next_year(campaign=campaign)
    assert (copy.name, copy.year, copy.is_draft) == ("Celebrate Babies Week 2026", 2026, True)
    assert (copy.start_date, copy.end_date) == (
        datetime.date(2026, 10, 19),
        datetime.date(2026, 10, 23),
    )
    assert copy.theme == "Babies first"
    old = list(campaign.events.order_by("start"))
    new = list(copy.events.order_by("start"))
    assert len(new) == 5
    for before, after in zip(old, new, strict=True):
        assert after.local_start.weekday() == before.local_start.weekday()
        assert after.local_start.time() == before.local_start.time() == datetime.time(10)
        assert after.is_draft
        assert list(after.roles.all()) == [roles["pediatricians"]]
        assert after.title.endswith("2026") and after.slug != before.slug
    # The original is untouched.
    assert Campaign.objects.get(pk=campaign.pk).is_published


def test_copy_refuses_a_year_that_exists():
    campaign = make_campaign()
    make_campaign(2026, start_date=datetime.date(2026, 10, 19))
    with pytest.raises(ValidationError):
        campaign_copy_to_next_year(campaign=campaign)
