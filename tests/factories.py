"""Small builders for tests, one section per app."""

import datetime

# Published long before any date a test travels to.
LONG_AGO = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)


# ---- files and forms ----
def image_bytes(size=(400, 500), image_format="PNG", color="teal") -> bytes:
    """A real picture, made in code."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=image_format)
    return buffer.getvalue()


def empty_inlines(*prefixes) -> dict:
    """The management form data of admin inlines posted with no rows."""
    data = {}
    for prefix in prefixes:
        data[f"{prefix}-TOTAL_FORMS"] = data[f"{prefix}-INITIAL_FORMS"] = "0"
        data[f"{prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
    return data


# ---- reports ----
def make_topic(name="Workforce development", **fields):
    from django.utils.text import slugify

    from reports.models import Topic

    fields.setdefault("slug", slugify(name))
    return Topic.objects.create(name=name, **fields)


def in_english(model, data: dict) -> dict:
    """Admin form data as the form names it: a field with a Spanish twin is posted as its
    English field (``title`` as ``title_en``); the Spanish ones are left empty."""
    from iecmh_site.translating import translated_fields

    fields = set(translated_fields(model))
    return {f"{key}_en" if key in fields else key: value for key, value in data.items()}


def report_form_data(**overrides) -> dict:
    """What the report admin form posts (the plain and the admin's date widgets both fit)."""
    from reports.models import Report

    return in_english(
        Report,
        {
            "title": "Workforce mapping",
            "slug": "workforce-mapping",
            "summary": "What it finds.",
            "key_findings": "<p>Findings.</p>",
            "publish_at": "2025-01-01 09:00:00",
            "publish_at_0": "2025-01-01",
            "publish_at_1": "09:00:00",
            "publication_date": "2025-01-01",
            "partner": "both",
            **empty_inlines("author_links", "organization_links"),
            **overrides,
        },
    )


def make_report(title="A report", *, topics=(), roles=(), pdf=None, **fields):
    """A published report unless ``publish_at`` says otherwise; ``pdf`` is bytes, checked
    and given a cover (renditions included) as the background job would."""

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils.text import slugify

    from reports.models import Report
    from reports.services import report_files_process

    fields.setdefault("slug", slugify(title))
    fields.setdefault("summary", f"What {title} finds.")
    fields.setdefault("publication_date", datetime.date(2024, 5, 1))
    fields.setdefault("publish_at", LONG_AGO)
    report = Report(title=title, **fields)
    if pdf is not None:
        report.pdf = SimpleUploadedFile(f"{report.slug}.pdf", pdf, content_type="application/pdf")
        report.pdf_size = len(pdf)
    report.save()
    if pdf is not None:
        report_files_process(report=report, pdf_changed=True, cover_changed=False)
    if topics:
        report.topics.set(topics)
    if roles:
        report.roles.set(roles)
    return report


# ---- pages ----
def make_page(title="A page", *, parent=None, slug=None, **fields):
    """A published page unless ``publish_at`` says otherwise."""

    from django.utils.text import slugify

    from pages.models import Page

    fields.setdefault("publish_at", LONG_AGO)
    return Page.objects.create(
        title=title,
        slug=slug or slugify(title),
        parent=parent,
        summary=fields.pop("summary", f"About {title}."),
        **fields,
    )


# ---- events ----
def make_campaign(year=2025, **fields):
    """A published Celebrate Babies Week, Monday to Friday in the third full week of October."""

    from events.models import Campaign

    fields.setdefault("name", f"Celebrate Babies Week {year}")
    fields.setdefault("start_date", datetime.date(2025, 10, 20))
    fields.setdefault("end_date", fields["start_date"] + datetime.timedelta(days=4))
    fields.setdefault("publish_at", LONG_AGO)
    return Campaign.objects.create(year=year, **fields)


def make_event(title="An event", *, start=None, hours=1, roles=(), **fields):
    """A published in-person training going ahead; ``start`` is aware (default: in a week)."""

    from django.utils import timezone

    from events.models import Event

    start = start or timezone.now().replace(microsecond=0) + datetime.timedelta(days=7)
    fields.setdefault("summary", f"What {title} is about.")
    fields.setdefault("end", start + datetime.timedelta(hours=hours))
    fields.setdefault("kind", Event.Kind.TRAINING)
    fields.setdefault("publish_at", LONG_AGO)
    if fields.get("format") in (Event.Format.ONLINE, Event.Format.HYBRID):
        fields.setdefault("joining_url", "https://meet.example.org/room")
    if fields.get("format", Event.Format.IN_PERSON) != Event.Format.ONLINE:
        fields.setdefault("venue_name", "MSPCC, Boston")
    event = Event(title=title, start=start, **fields)
    event.full_clean()
    event.save()
    if roles:
        event.roles.set(roles)
    return event


def event_form_data(event, **overrides) -> dict:
    """What the event admin form posts for ``event`` unchanged (US dates and 12-hour times,
    as staff type them), with ``overrides``."""
    from django.utils import timezone

    def split(name, moment):
        if moment is None:
            return {f"{name}_0": "", f"{name}_1": ""}
        local = timezone.localtime(moment)
        return {f"{name}_0": f"{local:%m/%d/%Y}", f"{name}_1": f"{local:%I:%M %p}"}

    data = {
        "title": event.title,
        "slug": event.slug,
        "kind": event.kind,
        "campaign": event.campaign_id or "",
        "summary": event.summary,
        "description": event.description,
        **split("start", event.start),
        **split("end", event.end),
        "format": event.format,
        "venue_name": event.venue_name,
        "venue_address": event.venue_address,
        "joining_url": event.joining_url,
        "registration_url": event.registration_url,
        "price": str(event.price),
        "cost_note": event.cost_note,
        "roles": [str(pk) for pk in event.roles.values_list("pk", flat=True)],
        "training_hours": "" if event.training_hours is None else str(event.training_hours),
        "event_status": event.event_status,
        "status_note": event.status_note,
        **split("publish_at", event.publish_at),
        "partner": event.partner,
        **empty_inlines("materials"),
    }
    if event.all_day:
        data["all_day"] = "on"
    return in_english(type(event), data | overrides)


# ---- newsletter ----
def make_subscriber(email="person@example.org", *, status="pending", roles=(), **fields):
    """A subscriber as the signup form would leave it; ``status`` sets matching timestamps."""
    from django.utils import timezone

    from newsletter.forms import CONSENT_TEXT
    from newsletter.models import Subscriber

    now = timezone.now()
    fields.setdefault("consent_text", CONSENT_TEXT)
    fields.setdefault("consent_at", now)
    fields.setdefault("source", Subscriber.Source.SIGNUP_PAGE)
    fields.setdefault("wants_trainings", True)
    if status == Subscriber.Status.CONFIRMED:
        fields.setdefault("confirmed_at", now)
    if status == Subscriber.Status.UNSUBSCRIBED:
        fields.setdefault("unsubscribed_at", now)
    subscriber = Subscriber.objects.create(email=email, status=status, **fields)
    if roles:
        subscriber.roles.set(roles)
    return subscriber
