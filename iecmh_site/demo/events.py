"""Demo events: Celebrate Babies Week 2025 and a few trainings around today's date."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from events.models import LOCAL_TZ, Campaign, CampaignFile, Competency, Event, EventStatus
from events.services import campaign_file_save
from iecmh_site.demo.images import banner_jpeg
from iecmh_site.demo.pdf import build_pdf
from iecmh_site.tasks import hero_picture_save
from iecmh_site.vocabulary import Partner, Role

ALL_ROLES = [
    "behavioral-health-clinicians",
    "pediatricians",
    "family-partners",
    "home-visitors",
    "early-education-and-care",
]
MASSAIMH_URL = "https://www.massaimh.org/"
MSPCC_URL = "https://www.mspcc.org/"
BOSTON = {"venue_name": "MSPCC, Boston", "venue_address": "Address shared on registration"}
ONLINE = {"format": Event.Format.ONLINE}
HYBRID = {"format": Event.Format.HYBRID, **BOSTON}
C = Competency

# The week's activities: (slug suffix, day of October 2025, hours, roles, title, summary, extra).
WEEK = [
    (
        "governors-proclamation",
        20,
        None,
        ALL_ROLES,
        "Governor's proclamation of Celebrate Babies Week",
        "The Governor of Massachusetts proclaims Celebrate Babies Week 2025, opening the week.",
        {"all_day": True, "joining_url": f"{settings.SITE_URL}/celebrate-babies-week/2025/"},
    ),
    (
        "endorsement-information-session",
        21,
        (time(12), time(13)),
        ALL_ROLES,
        "Pathways to the IECMH Endorsement®: information session",
        "How the IECMH Endorsement® credential works, and what staying endorsed asks for: "
        "yearly training hours and reflective supervision hours.",
        {"registration_url": MASSAIMH_URL, "partner": Partner.MASSAIMH},
    ),
    (
        "virtual-panel",
        22,
        (time(10), time(11)),
        ALL_ROLES,
        "Celebrate Babies Week virtual panel",
        "A virtual panel for Celebrate Babies Week on the infant and early childhood mental "
        "health workforce in Massachusetts.",
        {"registration_url": MASSAIMH_URL},
    ),
    (
        "reflective-consultation",
        23,
        (time(13), time(14, 30)),
        ["behavioral-health-clinicians", "home-visitors", "family-partners"],
        "Reflective consultation group: an open session",
        "An open session of one of the partnership's reflective consultation groups, for "
        "professionals curious to join one.",
        {"registration_url": MASSAIMH_URL},
    ),
    (
        "advocacy-meeting",
        24,
        (time(11), time(12)),
        ALL_ROLES,
        "Policy and advocacy meeting with the Children's Mental Health Campaign",
        "The partnership's advocacy meeting with the Children's Mental Health Campaign, open to "
        "everyone for Celebrate Babies Week.",
        {"registration_url": MSPCC_URL, "partner": Partner.MSPCC},
    ),
]

# Trainings around today: (slug, weekdays from today, hours, roles, title, summary, extra).
TRAININGS = [
    (
        "foundations-of-infant-and-early-childhood-mental-health",
        -40,
        (time(9), time(16)),
        ["home-visitors", "early-education-and-care"],
        "Foundations of infant and early childhood mental health",
        "A day-long introduction to infant and early childhood mental health and early "
        "relational health for home visitors and early educators.",
        {"training_hours": 6, "competencies": [C.THEORETICAL_FOUNDATIONS, C.DIRECT_SERVICE]}
        | BOSTON,
    ),
    (
        "reflective-supervision-an-introduction",
        -12,
        (time(12), time(13, 30)),
        ["behavioral-health-clinicians"],
        "Reflective supervision: an introduction",
        "What reflective supervision is and how it supports clinicians working with infants, "
        "young children and their families.",
        {"training_hours": "1.5", "competencies": [C.REFLECTION], "kind": Event.Kind.WEBINAR}
        | {"partner": Partner.MASSAIMH, "registration_url": MASSAIMH_URL}
        | ONLINE,
    ),
    (
        "early-relational-health-in-pediatric-primary-care",
        9,
        (time(12), time(13)),
        ["pediatricians"],
        "Early relational health in pediatric primary care",
        "A webinar for pediatricians and pediatric primary-care staff on supporting early "
        "relational health in everyday visits.",
        {"training_hours": 1, "competencies": [C.DIRECT_SERVICE, C.WORKING_WITH_OTHERS]}
        | {"kind": Event.Kind.WEBINAR, "partner": Partner.MSPCC}
        | ONLINE,
    ),
    (
        "working-with-families-across-systems",
        16,
        (time(10), time(12)),
        ["family-partners"],
        "Working with families across systems",
        "A training for family partners on supporting families of young children who work with "
        "several services at once.",
        {"training_hours": 2, "competencies": [C.SYSTEMS_EXPERTISE]}
        | {"event_status": EventStatus.CANCELLED}
        | {"status_note": "This session is cancelled. A new date will be announced on this page."}
        | ONLINE,
    ),
    (
        "mitigating-the-impact-of-adverse-childhood-experiences",
        23,
        (time(9, 30), time(15, 30)),
        ["family-partners", "home-visitors"],
        "Mitigating the impact of adverse childhood experiences (ACEs)",
        "An in-person training for family partners and home visitors on mitigating the impact "
        "of adverse childhood experiences on young children and their families.",
        {"training_hours": 5, "competencies": [C.THEORETICAL_FOUNDATIONS, C.WORKING_WITH_OTHERS]}
        | BOSTON,
    ),
    (
        "culturally-sensitive-relationship-focused-practice-overview",
        44,
        (time(13), time(16)),
        ["behavioral-health-clinicians", "early-education-and-care"],
        "Culturally Sensitive, Relationship-Focused Practice Promoting Infant and Early "
        "Childhood Mental Health®: an overview",
        "An overview of Culturally Sensitive, Relationship-Focused Practice Promoting Infant and "
        "Early Childhood Mental Health®, in the room or online.",
        {"training_hours": 3, "competencies": [C.REFLECTION, C.THINKING]}
        | {"registration_url": MASSAIMH_URL}
        | HYBRID,
    ),
]


def _weekday(days_from_today: int) -> date:
    """A weekday about ``days_from_today`` from today, so demo trainings stay in the future."""
    day = timezone.localdate() + timedelta(days=days_from_today)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _event(stdout, day: date, hours, *, slug: str, roles: list[str], **fields) -> Event:
    existing = Event.objects.filter(slug=slug).first()
    if existing is not None:  # staff may have edited it: leave it alone
        return existing
    start, end = hours or (time(0), time(23, 59))
    if "training_hours" in fields:
        fields["training_hours"] = Decimal(str(fields["training_hours"]))
    event = Event(
        slug=slug,
        start=datetime.combine(day, start, tzinfo=LOCAL_TZ),
        end=datetime.combine(day, end, tzinfo=LOCAL_TZ),
        publish_at=timezone.now(),
        **fields,
    )
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
            "publish_at": timezone.now(),
        },
    )
    if created:
        stdout.write(f"  campaign: {campaign.name}")
        campaign.hero_image.save(
            "celebrate-babies-week-2025.jpg", banner_jpeg("cbw.jpg"), save=False
        )
        campaign.hero_alt = "Overlapping circles in the partnership's teal and rust colors."
        hero_picture_save(campaign, changed=True)
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
        campaign_file_save(
            item=CampaignFile(
                campaign=campaign,
                title="The week at a glance (one-page flyer)",
                kind=CampaignFile.Kind.FLYER,
                file=ContentFile(toolkit, name="celebrate-babies-week-2025-at-a-glance.pdf"),
            ),
            changed=True,
        )
    week = {"kind": Event.Kind.CBW, "campaign": campaign, "partner": Partner.BOTH, **ONLINE}
    for suffix, day, hours, roles, title, summary, extra in WEEK:
        _event(
            stdout,
            date(2025, 10, day),
            hours,
            slug=f"celebrate-babies-week-2025-{suffix}",
            roles=roles,
            title=title,
            summary=summary,
            **week | extra,
        )
    return campaign


@transaction.atomic
def seed(*, stdout) -> None:
    stdout.write("Events:")
    _campaign_2025(stdout)
    training = {"kind": Event.Kind.TRAINING, "partner": Partner.BOTH, "registration_url": MSPCC_URL}
    for slug, days, hours, roles, title, summary, extra in TRAININGS:
        _event(
            stdout,
            _weekday(days),
            hours,
            slug=slug,
            roles=roles,
            title=title,
            summary=summary,
            **training | extra,
        )
