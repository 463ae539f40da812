"""Demo events: Celebrate Babies Week 2025 and a few trainings around today's date."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from events.models import LOCAL_TZ, Campaign, CampaignFile, Competency, Event, PublishStatus
from iecmh_site.demo_images import banner_jpeg
from pages.models import Partner, Role
from reports.demo import build_pdf

ALL_ROLES = [
    "behavioral-health-clinicians",
    "pediatricians",
    "family-partners",
    "home-visitors",
    "early-education-and-care",
]
MASSAIMH_URL = "https://www.massaimh.org/"
MSPCC_URL = "https://www.mspcc.org/"
BOSTON_VENUE = {"venue_name": "MSPCC, Boston", "venue_address": "Address shared on registration"}


def _at(day: date, start: time, end: time) -> tuple[datetime, datetime]:
    return (
        datetime.combine(day, start, tzinfo=LOCAL_TZ),
        datetime.combine(day, end, tzinfo=LOCAL_TZ),
    )


def _weekday(days_from_today: int) -> date:
    """A weekday about ``days_from_today`` from today, so demo trainings stay in the future."""
    day = timezone.localdate() + timedelta(days=days_from_today)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _event(stdout, *, slug: str, roles: list[str], **fields) -> Event:
    existing = Event.objects.filter(slug=slug).first()
    if existing is not None:  # staff may have edited it: leave it alone
        return existing
    event = Event(slug=slug, publish_status=PublishStatus.PUBLISHED, **fields)
    event.full_clean()
    event.save()
    event.roles.set(Role.objects.filter(slug__in=roles))
    stdout.write(f"  event: {event.title}")
    return event


def _campaign_2025(stdout) -> Campaign:
    campaign, created = Campaign.objects.get_or_create(
        year=2025,
        defaults={
            "name": "Celebrate Babies Week 2025",
            "slug": "celebrate-babies-week-2025",
            "start_date": date(2025, 10, 20),
            "end_date": date(2025, 10, 24),
            "summary": "A week of activities celebrating the youngest children in Massachusetts, "
            "their families and the people who work with them.",
            "description": (
                "<p>Celebrate Babies Week is the partnership's yearly public moment: a week to "
                "celebrate infants, toddlers and their families, and the workforce that supports "
                "their early relational health and wellbeing.</p>"
                "<p>In 2025 the week opened with a proclamation by the Governor of Massachusetts "
                "and brought professionals together online for a virtual panel on Wednesday "
                "22 October.</p>"
            ),
            "how_to_join": (
                "<ul><li>Join the virtual panel on Wednesday 22 October, 10 to 11 a.m.</li>"
                "<li>Share the week with colleagues and the families you work with.</li>"
                "<li>Join our mailing list to hear about next year's week.</li></ul>"
            ),
            "publish_status": PublishStatus.PUBLISHED,
        },
    )
    if created:
        stdout.write(f"  campaign: {campaign.name}")
        campaign.hero_image.save("celebrate-babies-week-2025.jpg", banner_jpeg("cbw.jpg"))
        campaign.hero_image_alt = "Overlapping circles in the partnership's teal and rust colors."
        campaign.save()
        toolkit = build_pdf(
            "Celebrate Babies Week 2025 at a glance",
            (
                "Monday 20 October: the Governor's proclamation opens the week.",
                "Tuesday 21 October: pathways to the IECMH Endorsement.",
                "Wednesday 22 October, 10 to 11 a.m.: the virtual panel.",
                "Thursday 23 October: an open reflective consultation group.",
                "Friday 24 October: policy and advocacy meeting.",
            ),
        )
        CampaignFile.objects.create(
            campaign=campaign,
            title="The week at a glance (one-page flyer)",
            kind=CampaignFile.Kind.FLYER,
            file=ContentFile(toolkit, name="celebrate-babies-week-2025-at-a-glance.pdf"),
        )
    page_url = f"{settings.SITE_URL}/celebrate-babies-week/2025/"
    week = {
        "kind": Event.Kind.CBW,
        "campaign": campaign,
        "format": Event.Format.ONLINE,
        "partner": Partner.BOTH,
    }
    _event(
        stdout,
        slug="celebrate-babies-week-2025-governors-proclamation",
        roles=ALL_ROLES,
        title="Governor's proclamation of Celebrate Babies Week",
        summary="The Governor of Massachusetts proclaims Celebrate Babies Week 2025, opening "
        "the week.",
        start=datetime.combine(date(2025, 10, 20), time(0), tzinfo=LOCAL_TZ),
        end=datetime.combine(date(2025, 10, 20), time(23, 59), tzinfo=LOCAL_TZ),
        all_day=True,
        joining_url=page_url,
        **week,
    )
    start, end = _at(date(2025, 10, 21), time(12), time(13))
    _event(
        stdout,
        slug="celebrate-babies-week-2025-endorsement-information-session",
        roles=ALL_ROLES,
        title="Pathways to the IECMH Endorsement®: information session",
        summary="How the IECMH Endorsement® credential works, and what staying endorsed asks "
        "for: yearly training hours and reflective supervision hours.",
        start=start,
        end=end,
        registration_url=MASSAIMH_URL,
        **{**week, "partner": Partner.MASSAIMH},
    )
    start, end = _at(date(2025, 10, 22), time(10), time(11))
    _event(
        stdout,
        slug="celebrate-babies-week-2025-virtual-panel",
        roles=ALL_ROLES,
        title="Celebrate Babies Week virtual panel",
        summary="A virtual panel for Celebrate Babies Week on the infant and early childhood "
        "mental health workforce in Massachusetts.",
        start=start,
        end=end,
        registration_url=MASSAIMH_URL,
        **week,
    )
    start, end = _at(date(2025, 10, 23), time(13), time(14, 30))
    _event(
        stdout,
        slug="celebrate-babies-week-2025-reflective-consultation",
        roles=["behavioral-health-clinicians", "home-visitors", "family-partners"],
        title="Reflective consultation group: an open session",
        summary="An open session of one of the partnership's reflective consultation groups, "
        "for professionals curious to join one.",
        start=start,
        end=end,
        registration_url=MASSAIMH_URL,
        **week,
    )
    start, end = _at(date(2025, 10, 24), time(11), time(12))
    _event(
        stdout,
        slug="celebrate-babies-week-2025-advocacy-meeting",
        roles=ALL_ROLES,
        title="Policy and advocacy meeting with the Children's Mental Health Campaign",
        summary="The partnership's advocacy meeting with the Children's Mental Health Campaign, "
        "open to everyone for Celebrate Babies Week.",
        start=start,
        end=end,
        registration_url=MSPCC_URL,
        **{**week, "partner": Partner.MSPCC},
    )
    return campaign


def _trainings(stdout) -> None:
    training = {"kind": Event.Kind.TRAINING, "partner": Partner.BOTH}
    start, end = _at(_weekday(-40), time(9), time(16))
    _event(
        stdout,
        slug="foundations-of-infant-and-early-childhood-mental-health",
        roles=["home-visitors", "early-education-and-care"],
        title="Foundations of infant and early childhood mental health",
        summary="A day-long introduction to infant and early childhood mental health and early "
        "relational health for home visitors and early educators.",
        start=start,
        end=end,
        training_hours=Decimal("6"),
        competencies=[Competency.THEORETICAL_FOUNDATIONS, Competency.DIRECT_SERVICE],
        registration_url=MSPCC_URL,
        **BOSTON_VENUE,
        **training,
    )
    start, end = _at(_weekday(-12), time(12), time(13, 30))
    _event(
        stdout,
        slug="reflective-supervision-an-introduction",
        roles=["behavioral-health-clinicians"],
        title="Reflective supervision: an introduction",
        summary="What reflective supervision is and how it supports clinicians working with "
        "infants, young children and their families.",
        start=start,
        end=end,
        format=Event.Format.ONLINE,
        registration_url=MASSAIMH_URL,
        training_hours=Decimal("1.5"),
        competencies=[Competency.REFLECTION],
        **{**training, "kind": Event.Kind.WEBINAR, "partner": Partner.MASSAIMH},
    )
    start, end = _at(_weekday(9), time(12), time(13))
    _event(
        stdout,
        slug="early-relational-health-in-pediatric-primary-care",
        roles=["pediatricians"],
        title="Early relational health in pediatric primary care",
        summary="A webinar for pediatricians and pediatric primary-care staff on supporting "
        "early relational health in everyday visits.",
        start=start,
        end=end,
        format=Event.Format.ONLINE,
        registration_url=MSPCC_URL,
        training_hours=Decimal("1"),
        competencies=[Competency.DIRECT_SERVICE, Competency.WORKING_WITH_OTHERS],
        **{**training, "kind": Event.Kind.WEBINAR, "partner": Partner.MSPCC},
    )
    start, end = _at(_weekday(16), time(10), time(12))
    _event(
        stdout,
        slug="working-with-families-across-systems",
        roles=["family-partners"],
        title="Working with families across systems",
        summary="A training for family partners on supporting families of young children who "
        "work with several services at once.",
        start=start,
        end=end,
        format=Event.Format.ONLINE,
        registration_url=MSPCC_URL,
        training_hours=Decimal("2"),
        competencies=[Competency.SYSTEMS_EXPERTISE],
        status=Event.Status.CANCELLED,
        status_note="This session is cancelled. A new date will be announced on this page.",
        **training,
    )
    start, end = _at(_weekday(23), time(9, 30), time(15, 30))
    _event(
        stdout,
        slug="mitigating-the-impact-of-adverse-childhood-experiences",
        roles=["family-partners", "home-visitors"],
        title="Mitigating the impact of adverse childhood experiences (ACEs)",
        summary="An in-person training for family partners and home visitors on mitigating the "
        "impact of adverse childhood experiences on young children and their families.",
        start=start,
        end=end,
        registration_url=MSPCC_URL,
        training_hours=Decimal("5"),
        competencies=[Competency.THEORETICAL_FOUNDATIONS, Competency.WORKING_WITH_OTHERS],
        **BOSTON_VENUE,
        **training,
    )
    start, end = _at(_weekday(44), time(13), time(16))
    _event(
        stdout,
        slug="culturally-sensitive-relationship-focused-practice-overview",
        roles=["behavioral-health-clinicians", "early-education-and-care"],
        title="Culturally Sensitive, Relationship-Focused Practice Promoting Infant and Early "
        "Childhood Mental Health®: an overview",
        summary="An overview of Culturally Sensitive, Relationship-Focused Practice Promoting "
        "Infant and Early Childhood Mental Health®, in the room or online.",
        start=start,
        end=end,
        format=Event.Format.HYBRID,
        registration_url=MASSAIMH_URL,
        training_hours=Decimal("3"),
        competencies=[Competency.REFLECTION, Competency.THINKING],
        **BOSTON_VENUE,
        **training,
    )


@transaction.atomic
def seed(*, stdout) -> None:
    stdout.write("Events:")
    _campaign_2025(stdout)
    _trainings(stdout)
