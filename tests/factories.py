"""Small builders for tests, one section per app."""


# ---- reports ----
def make_topic(name="Workforce development", **fields):
    from django.utils.text import slugify

    from reports.models import Topic

    fields.setdefault("slug", slugify(name))
    return Topic.objects.create(name=name, **fields)


def make_report(title="A report", *, topics=(), roles=(), pdf=None, **fields):
    """A published report (publish_at in the past) unless told otherwise; ``pdf`` is bytes."""
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone
    from django.utils.text import slugify

    from reports.models import Report
    from reports.services import report_attach_pdf

    fields.setdefault("slug", slugify(title))
    fields.setdefault("summary", f"What {title} finds.")
    fields.setdefault("publication_date", datetime.date(2024, 5, 1))
    fields.setdefault("status", Report.Status.PUBLISHED)
    fields.setdefault("publish_at", timezone.now() - datetime.timedelta(days=1))
    report = Report(title=title, **fields)
    if pdf is not None:
        upload = SimpleUploadedFile(f"{report.slug}.pdf", pdf, content_type="application/pdf")
        report_attach_pdf(report=report, pdf=upload)
    report.save()
    if topics:
        report.topics.set(topics)
    if roles:
        report.roles.set(roles)
    return report


# ---- pages ----
def make_page(title="A page", *, parent=None, slug=None, status="published", **fields):
    from django.utils.text import slugify

    from pages.models import Page

    return Page.objects.create(
        title=title,
        slug=slug or slugify(title),
        parent=parent,
        summary=fields.pop("summary", f"About {title}."),
        status=status,
        **fields,
    )


# ---- events ----
def make_campaign(year=2025, **fields):
    """A published Celebrate Babies Week, Monday to Friday in the third full week of October."""
    import datetime

    from events.models import Campaign, PublishStatus

    fields.setdefault("name", f"Celebrate Babies Week {year}")
    fields.setdefault("start_date", datetime.date(2025, 10, 20))
    fields.setdefault("end_date", fields["start_date"] + datetime.timedelta(days=4))
    fields.setdefault("publish_status", PublishStatus.PUBLISHED)
    return Campaign.objects.create(year=year, **fields)


def make_event(title="An event", *, start=None, hours=1, roles=(), **fields):
    """A published, scheduled, in-person training; ``start`` is aware (default: in a week)."""
    import datetime

    from django.utils import timezone

    from events.models import Event, PublishStatus

    start = start or timezone.now().replace(microsecond=0) + datetime.timedelta(days=7)
    fields.setdefault("summary", f"What {title} is about.")
    fields.setdefault("end", start + datetime.timedelta(hours=hours))
    fields.setdefault("kind", Event.Kind.TRAINING)
    fields.setdefault("publish_status", PublishStatus.PUBLISHED)
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
