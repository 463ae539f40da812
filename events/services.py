"""Writes with side effects: copying a Celebrate Babies Week to the next year, toolkit files."""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from events import yearly
from events.models import LOCAL_TZ, Campaign, CampaignFile, Event, EventStatus
from iecmh_site import sandbox
from iecmh_site.images import picture_process
from iecmh_site.pdfs import examine_pdf


def next_year_shift(day: date) -> timedelta:
    """52 or 53 weeks: the same weekday, as near as possible to the same date a year later."""
    try:
        target = day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        target = day.replace(year=day.year + 1, day=28)
    return min(
        (timedelta(weeks=52), timedelta(weeks=53)),
        key=lambda shift: abs((day + shift - target).days),
    )


def _shift_local(moment: datetime, shift: timedelta) -> datetime:
    # Shift the Massachusetts wall-clock time, so 10 a.m. EDT stays 10 a.m. even if the
    # new date falls on the other side of a daylight-saving change.
    local = moment.astimezone(LOCAL_TZ).replace(tzinfo=None) + shift
    return local.replace(tzinfo=LOCAL_TZ)


@transaction.atomic
def campaign_copy_to_next_year(*, campaign: Campaign) -> Campaign:
    """Duplicate a campaign and its activities a year later, on the same weekdays, as drafts.

    Names, titles and summaries name the new year; dates written in the text ("Wednesday 22
    October") move with the week; what still needs a person is listed by
    ``yearly.checks``. Meeting and registration links are made afresh each year, so they are
    left empty. The toolkit is not copied: a proclamation or poster is made for its own year.
    """
    new_year = campaign.year + 1
    taken = ValidationError(
        gettext("There is already a Celebrate Babies Week for %(year)s."), params={"year": new_year}
    )
    if Campaign.objects.filter(year=new_year).exists():
        raise taken
    shift = next_year_shift(campaign.start_date)
    old_name = campaign.name
    new_name = yearly.copy_title(old_name, year=campaign.year, shift=shift)

    def text(value: str) -> str:
        return yearly.copy_text(
            value, old_name=old_name, new_name=new_name, year=campaign.year, shift=shift
        )

    def title(value: str) -> str:
        return yearly.copy_title(text(value), year=campaign.year, shift=shift)

    copy = Campaign(
        name=new_name,
        year=new_year,
        start_date=campaign.start_date + shift,
        end_date=campaign.end_date + shift,
        theme=title(campaign.theme),
        summary=title(campaign.summary),
        description=text(campaign.description),
        hero_image=campaign.hero_image.name,
        hero_width=campaign.hero_width,
        hero_height=campaign.hero_height,
        hero_ready=campaign.hero_ready,
        hero_alt=campaign.hero_alt,
        hero_decorative=campaign.hero_decorative,
        hero_credit=campaign.hero_credit,
        is_sample=campaign.is_sample,
        how_to_join=text(campaign.how_to_join),
        call_to_action_text=title(campaign.call_to_action_text),
        call_to_action_url=campaign.call_to_action_url,
        publish_at=None,
    )
    _copy_spanish(
        campaign,
        copy,
        theme=title,
        summary=title,
        description=text,
        how_to_join=text,
        call_to_action_text=title,
        hero_alt=str,
        hero_credit=str,
    )
    try:
        with transaction.atomic():
            copy.save()
    except IntegrityError:  # another copy of the same week, saved a moment earlier
        raise taken from None
    for event in campaign.events.with_role_list().order_by("start", "pk"):
        roles = event.role_list
        new_event = Event(
            title=title(event.title),
            kind=event.kind,
            campaign=copy,
            summary=title(event.summary),
            description=text(event.description),
            start=_shift_local(event.start, shift),
            end=_shift_local(event.end, shift),
            all_day=event.all_day,
            format=event.format,
            venue_name=event.venue_name,
            venue_address=event.venue_address,
            joining_url="",
            registration_url="",
            price=event.price,
            cost_note=event.cost_note,
            event_status=EventStatus.GOING_AHEAD,
            publish_at=None,
            partner=event.partner,
            training_hours=event.training_hours,
            competencies=list(event.competencies),
        )
        _copy_spanish(event, new_event, title=title, summary=title, description=text, cost_note=str)
        new_event.save()
        new_event.roles.set(roles)
    return copy


def _copy_spanish(source, target, **transforms) -> None:
    """Give ``target`` the Spanish text of ``source``'s fields, each changed as the English
    is (the year named afresh); an untranslated field stays untranslated."""
    for name, transform in transforms.items():
        value = getattr(source, f"{name}_es")
        if value:
            setattr(target, f"{name}_es", transform(value))


def campaign_checks(*, campaign: Campaign) -> list[yearly.Check]:
    """What to look at before publishing the week (see ``yearly.checks``)."""
    events = campaign.events.order_by("start", "pk") if campaign.pk else []
    return yearly.checks(campaign, events, today=timezone.localdate())


def campaign_file_save(*, item: CampaignFile, changed: bool) -> None:
    """Save a toolkit item; a new file is checked by a background job before visitors see it."""
    from events.tasks import campaign_file_process_job

    if changed:
        item.ready, item.problem = False, ""
        item.size = item.file.size if item.file else 0
    item.save()
    if changed and item.file:
        campaign_file_process_job.enqueue(item.pk)


def campaign_file_process(*, item: CampaignFile) -> None:
    """Check a toolkit file in the sandbox (a PDF that opens; a picture, re-encoded); a file
    that cannot be used is removed, with the reason for staff."""
    try:
        if item.file.name.lower().endswith(".pdf"):
            with item.file.open("rb") as stored:
                sandbox.run(examine_pdf, stored.read(), make_cover=False)
        else:
            picture_process(item.file)
    except sandbox.SandboxError as exc:
        item.file.storage.delete(item.file.name)
        item.file = ""
        item.ready, item.problem = (
            False,
            gettext("The file was not accepted: %(reason)s Upload another.") % {"reason": exc},
        )
    else:
        item.ready, item.problem = True, ""
        item.size = item.file.size
    item.save(update_fields=["file", "size", "ready", "problem"])
