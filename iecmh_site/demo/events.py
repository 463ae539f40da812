"""Demo events: Celebrate Babies Week 2025 and a few trainings around today's date.

Real (from the content brief): the 2025 week's dates and its virtual panel on Wednesday 22
October, 10 to 11 a.m. Everything else (the other days' activities, the proclamation's day,
every training) is marked sample, with reserved example.org registration links.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from events.models import LOCAL_TZ, Campaign, CampaignFile, Competency, Event, EventStatus
from events.services import campaign_file_save
from iecmh_site.demo.images import banner_jpeg
from iecmh_site.demo.pdf import build_pdf
from iecmh_site.demo.spanish import spanish, spanish_fill
from iecmh_site.tasks import hero_picture_save
from iecmh_site.vocabulary import Partner, Role

ALL_ROLES = [
    "behavioral-health-clinicians",
    "pediatricians",
    "family-partners",
    "home-visitors",
    "early-education-and-care",
]
SAMPLE = {"is_sample": True}
BOSTON = {"venue_name": "MSPCC, Boston (the address is sent on registration)"}
ONLINE = {"format": Event.Format.ONLINE}
HYBRID = {"format": Event.Format.HYBRID, **BOSTON}
C = Competency

# Spanish for the week and its one real activity, the virtual panel; the sample activities and
# trainings stay in English, and their pages say so.
CAMPAIGN_ES = {
    "summary": "Una semana de actividades para celebrar a los niños más pequeños de "
    "Massachusetts, a sus familias y a las personas que trabajan con ellos.",
    "description": (
        "<p>MSPCC le invita a USTED a sumarse a Celebrate Babies Week (la semana para celebrar "
        "a los bebés) y a conocer las actividades de la semana.</p>"
        "<p>Celebrate Babies Week es la cita pública anual de la alianza entre MSPCC y "
        "MassAIMH: una semana para celebrar a los bebés, a los niños pequeños y a sus familias, "
        "y a la fuerza laboral que apoya su salud relacional temprana y su bienestar.</p>"
        "<p>En 2025, la semana contó con una proclamación del gobernador de Massachusetts y "
        "reunió en línea a profesionales en un panel virtual el miércoles 22 de octubre.</p>"
    ),
    "how_to_join": (
        "<ul><li>Participe en el panel virtual el miércoles 22 de octubre, de 10 a 11 a. m.</li>"
        "<li>Comparta la semana con sus colegas y con las familias con las que trabaja.</li>"
        "<li>Suscríbase a nuestra lista de correo para enterarse de la semana del próximo "
        "año.</li></ul>"
    ),
}
TOOLKIT_TITLE = "Sample: the week at a glance (one-page flyer)"
TOOLKIT_TITLE_ES = "Ejemplo: la semana de un vistazo (volante de una página, en inglés)"
WEEK_ES = {
    "virtual-panel": {
        "title": "Panel virtual de Celebrate Babies Week",
        "summary": "El panel virtual de Celebrate Babies Week, en línea de 10 a 11 a. m.",
    },
}

# The week's activities: (slug suffix, day of October 2025, hours, roles, title, summary, extra).
WEEK = [
    (
        "governors-proclamation",
        20,
        None,
        ALL_ROLES,
        "Governor's proclamation of Celebrate Babies Week",
        "The Governor of Massachusetts proclaims Celebrate Babies Week 2025.",
        {"all_day": True, **SAMPLE},
    ),
    (
        "endorsement-information-session",
        21,
        (time(12), time(13)),
        ALL_ROLES,
        "Pathways to the IECMH Endorsement®: information session",
        "How the IECMH Endorsement® credential works, and what staying endorsed asks for: "
        "yearly training hours and reflective supervision hours.",
        {"partner": Partner.MASSAIMH, **SAMPLE},
    ),
    (
        "virtual-panel",
        22,
        (time(10), time(11)),
        ALL_ROLES,
        "Celebrate Babies Week virtual panel",
        "Celebrate Babies Week's virtual panel, online from 10 to 11 a.m.",
        {},
    ),
    (
        "reflective-consultation",
        23,
        (time(13), time(14, 30)),
        ["behavioral-health-clinicians", "home-visitors", "family-partners"],
        "Reflective consultation group: an open session",
        "An open session of one of the partnership's reflective consultation groups, for "
        "professionals curious to join one.",
        SAMPLE,
    ),
    (
        "advocacy-meeting",
        24,
        (time(11), time(12)),
        ALL_ROLES,
        "Policy and advocacy meeting with the Children's Mental Health Campaign",
        "One of the partnership's bi-monthly advocacy meetings with the Children's Mental "
        "Health Campaign.",
        {"partner": Partner.MSPCC, **SAMPLE},
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
        | {"partner": Partner.MASSAIMH}
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
        | {"status_note": "A new date will be announced on this page."}
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
        {"training_hours": 3, "competencies": [C.REFLECTION, C.THINKING]} | HYBRID,
    ),
    (
        # Not a training: "Events" lists it, "Professional development" does not.
        "iecmh-networking-breakfast",
        30,
        (time(8, 30), time(10)),
        ALL_ROLES,
        "Infant and early childhood mental health networking breakfast",
        "An informal morning for people who work with babies, young children and their "
        "families to meet colleagues in other roles and services.",
        {"kind": Event.Kind.COMMUNITY} | BOSTON,
    ),
]


def _weekday(days_from_today: int) -> date:
    """A weekday about ``days_from_today`` from today, so demo trainings stay in the future."""
    day = timezone.localdate() + timedelta(days=days_from_today)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _event(
    stdout, day: date, hours, *, slug: str, roles: list[str], es: dict | None = None, **fields
) -> Event:
    existing = Event.objects.filter(slug=slug).first()
    if existing is not None:  # staff may have edited it: leave it alone, but add Spanish
        if es and spanish_fill(existing, es):
            stdout.write(f"  event: Spanish added to {existing.title}")
        return existing
    fields |= spanish(es or {})
    if fields.get("is_sample") and fields.get("event_status") != EventStatus.CANCELLED:
        fields.setdefault("registration_url", f"https://example.org/register/{slug}/")
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
                "<p>MSPCC invites YOU to join Celebrate Babies Week and to learn about the "
                "week's activities.</p>"
                "<p>Celebrate Babies Week is the partnership's yearly public moment: a week to "
                "celebrate infants, toddlers and their families, and the workforce that supports "
                "their early relational health and wellbeing.</p>"
                "<p>In 2025 the week had a proclamation by the Governor of Massachusetts "
                "and brought professionals together online for a virtual panel on Wednesday, "
                "October 22.</p>"
            ),
            "how_to_join": (
                "<ul><li>Join the virtual panel on Wednesday, October 22, 10 to 11 a.m.</li>"
                "<li>Share the week with colleagues and the families you work with.</li>"
                "<li>Join our mailing list to hear about next year's week.</li></ul>"
            ),
            "publish_at": timezone.now(),
            **spanish(CAMPAIGN_ES),
        },
    )
    if not created:  # seeded before the demo had Spanish: add it where still empty
        if spanish_fill(campaign, CAMPAIGN_ES):
            stdout.write(f"  campaign: Spanish added to {campaign.name}")
        for item in campaign.files.filter(title_en=TOOLKIT_TITLE):
            spanish_fill(item, {"title": TOOLKIT_TITLE_ES})
    else:
        stdout.write(f"  campaign: {campaign.name}")
        campaign.hero_image.save(
            "celebrate-babies-week-2025.jpg", banner_jpeg("cbw.jpg"), save=False
        )
        campaign.hero_decorative = True  # a pattern: screen readers skip it
        hero_picture_save(campaign, changed=True)
        toolkit = build_pdf(
            "Celebrate Babies Week 2025 at a glance (sample)",
            (
                "A sample flyer made by the website's demo: only the week's dates and the "
                "virtual panel are real.",
                "Monday, October 20: the Governor's proclamation opens the week.",
                "Tuesday, October 21: pathways to the IECMH Endorsement.",
                "Wednesday, October 22, 10 to 11 a.m.: the virtual panel.",
                "Thursday, October 23: an open reflective consultation group.",
                "Friday, October 24: policy and advocacy meeting.",
            ),
        )
        campaign_file_save(
            item=CampaignFile(
                campaign=campaign,
                title=TOOLKIT_TITLE,
                title_es=TOOLKIT_TITLE_ES,
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
            es=WEEK_ES.get(suffix),
            **week | extra,
        )
    return campaign


@transaction.atomic
def seed(*, stdout) -> None:
    stdout.write("Events:")
    _campaign_2025(stdout)
    training = {"kind": Event.Kind.TRAINING, "partner": Partner.BOTH, **SAMPLE}
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
