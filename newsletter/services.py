"""Writes with side effects for the mailing list: signup, confirmation, leaving, erasure,
the suppression list, and importing another tool's list."""

import logging
from collections.abc import Iterable
from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext, override

from iecmh_site import sandbox
from iecmh_site.ratelimits import hit
from iecmh_site.vocabulary import Role
from newsletter import csvio, imports
from newsletter.models import ListImport, Subscriber, Suppression, address_digest
from newsletter.tokens import make_token

logger = logging.getLogger(__name__)

# A confirmation email queued less than this long ago is "on its way": asking again (a double
# click, a second tab, an impatient person) queues nothing more.
CONFIRMATION_REQUEUE_AFTER = timedelta(minutes=5)


class Queued(StrEnum):
    """What became of a request for a confirmation email."""

    QUEUED = "queued"
    ALREADY = "already on its way"
    LIMITED = "daily limit reached"


def normalize_email(email: str) -> str:
    return BaseUserManager.normalize_email(email.strip())


def mailbox_key(email: str) -> str:
    """One key per mailbox: ana+news@x.org is ana@x.org, and Gmail ignores dots too.

    Flood limits count per mailbox, so +tag variants cannot multiply the mail one person gets.
    """
    local, _, domain = email.strip().lower().rpartition("@")
    local = local.split("+", 1)[0]
    if domain in ("gmail.com", "googlemail.com"):
        local = local.replace(".", "")
    return f"{local}@{domain}"


def signup_enqueue(**details) -> None:
    """Record a signup for the background worker; the request does nothing else, so its answer
    takes the same time and says the same thing whoever the address belongs to."""
    from newsletter.tasks import signup_process_job

    signup_process_job.enqueue(**details)


def subscription_request(
    *,
    email: str,
    name: str = "",
    organization: str = "",
    role_ids: Iterable[int] = (),
    role_other: bool = False,
    interests: Iterable[str] = (),
    consent_text: str,
    source: str,
    language: str = settings.LANGUAGE_CODE,
) -> None:
    """Record a signup and send a confirmation link (the signup job).

    New address: a pending row. Pending or unsubscribed: details refreshed, back to pending
    (leaving and coming back needs a new confirmation). Confirmed: nothing changes and no mail
    is sent, so a stranger cannot alter a subscriber's choices. A mailbox gets at most
    NEWSLETTER_MAILS_PER_MAILBOX confirmation mails a day, whoever asks and however.

    A suppressed address (erased or unsubscribed earlier) is treated like any other: signing up
    again is the person's own new choice, but anyone can type any address, so it still takes
    the confirmation link. The suppression is lifted only when they click it
    (subscription_confirm), never by the signup alone.
    """
    email = normalize_email(email)
    interests = set(interests)
    now = timezone.now()
    details = {
        "name": name,
        "organization": organization,
        "role_other": role_other,
        **{key: key in interests for key, _label in Subscriber.INTERESTS},
        "consent_text": consent_text,
        "consent_at": now,
        # The language of the page they signed up on: their emails and links speak it.
        "language": language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE,
    }
    roles = Role.objects.filter(pk__in=list(role_ids))
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().with_email(email).first()
        if subscriber is None:
            try:
                with transaction.atomic():
                    subscriber = Subscriber.objects.create(email=email, source=source, **details)
            except IntegrityError:
                # Another job created the same address a moment ago.
                subscriber = Subscriber.objects.select_for_update().with_email(email).get()
            else:
                subscriber.roles.set(roles)
                confirmation_enqueue(subscriber=subscriber)
                return
        if subscriber.status == Subscriber.Status.CONFIRMED:
            return
        for key, value in details.items():
            setattr(subscriber, key, value)
        subscriber.status = Subscriber.Status.PENDING
        subscriber.source = source
        subscriber.save()
        subscriber.roles.set(roles)
        confirmation_enqueue(subscriber=subscriber)


def confirmation_enqueue(*, subscriber: Subscriber) -> Queued:
    """Queue a confirmation mail for a pending subscriber, once.

    A conditional UPDATE claims the subscriber first: of two requests at the same moment (a
    double click, two workers), the database lets one through and the other finds the claim
    taken, so one mail is queued. Then the mailbox's daily share is counted.
    """
    from newsletter.tasks import confirmation_send_job

    now = timezone.now()
    with transaction.atomic():
        claimed = (
            Subscriber.objects.pending()
            .filter(pk=subscriber.pk)
            .filter(
                Q(confirmation_queued_at=None)
                | Q(confirmation_queued_at__lt=now - CONFIRMATION_REQUEUE_AFTER)
            )
            .update(confirmation_queued_at=now)
        )
        if not claimed:
            return Queued.ALREADY
        if hit(
            "newsletter-mailbox",
            mailbox_key(subscriber.email),
            limit=settings.NEWSLETTER_MAILS_PER_MAILBOX,
            window=24 * 60 * 60,
        ):
            logger.info("Subscriber %s: confirmation not sent (daily limit)", subscriber.pk)
            # Nothing is on its way: give the claim back (the counter keeps the hit).
            Subscriber.objects.filter(pk=subscriber.pk, confirmation_queued_at=now).update(
                confirmation_queued_at=subscriber.confirmation_queued_at
            )
            return Queued.LIMITED
        confirmation_send_job.enqueue(subscriber.pk)
    subscriber.confirmation_queued_at = now
    return Queued.QUEUED


def confirmation_resend_request(*, email: str) -> None:
    """Someone asks for a new confirmation link (the resend job); pending addresses only."""
    subscriber = Subscriber.objects.pending().with_email(email).first()
    if subscriber is not None:
        confirmation_enqueue(subscriber=subscriber)


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def subscriber_links(subscriber: Subscriber) -> dict[str, str]:
    return {
        "confirm_url": absolute_url(
            reverse(
                "newsletter:confirm", kwargs={"token": make_token(subscriber, purpose="confirm")}
            )
        ),
        "unsubscribe_url": absolute_url(
            reverse(
                "newsletter:unsubscribe",
                kwargs={"token": make_token(subscriber, purpose="unsubscribe")},
            )
        ),
        "preferences_url": absolute_url(
            reverse(
                "newsletter:preferences",
                kwargs={"token": make_token(subscriber, purpose="preferences")},
            )
        ),
        "privacy_url": absolute_url(reverse("newsletter:privacy")),
    }


def _send(*, subscriber: Subscriber, template: str, subject: str) -> None:
    """Send one email in the active language (the job makes it the subscriber's)."""
    links = subscriber_links(subscriber)
    # RFC 8058: the one-click address is the same whatever the subscriber's language, so the
    # List-Unsubscribe header is exactly what it always was; the links in the body open the
    # pages in their language.
    with override(settings.LANGUAGE_CODE):
        one_click_url = subscriber_links(subscriber)["unsubscribe_url"]
    context = {
        "subscriber": subscriber,
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "max_age_days": settings.NEWSLETTER_CONFIRM_MAX_AGE_DAYS,
        **links,
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"newsletter/email/{template}.txt", context),
        to=[subscriber.email],
        headers={
            "List-Unsubscribe": f"<{one_click_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(
        render_to_string(f"newsletter/email/{template}.html", context), "text/html"
    )
    message.send()  # a mail server error raises: the job tries again later


def confirmation_send(*, subscriber: Subscriber) -> None:
    """Send the double opt-in link (the confirmation job); the mail server's errors raise."""
    if subscriber.status != Subscriber.Status.PENDING:
        return  # confirmed or gone since the job was queued
    _send(
        subscriber=subscriber,
        template="confirm",
        subject=gettext("Please confirm your subscription to our mailing list"),
    )
    now = timezone.now()
    Subscriber.objects.filter(pk=subscriber.pk).update(confirmation_sent_at=now)
    subscriber.confirmation_sent_at = now


def welcome_send(*, subscriber: Subscriber) -> None:
    if subscriber.status == Subscriber.Status.CONFIRMED:
        _send(
            subscriber=subscriber,
            template="welcome",
            subject=gettext("Welcome to our mailing list"),
        )


def subscription_confirm(*, subscriber: Subscriber) -> str:
    """Confirm a pending subscriber and queue a welcome. Returns "confirmed", "already" or
    "left".

    Confirming twice is harmless; a link from before an unsubscribe does not bring anyone back.
    """
    from newsletter.tasks import welcome_send_job

    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if subscriber.status == Subscriber.Status.CONFIRMED:
            return "already"
        if subscriber.status == Subscriber.Status.UNSUBSCRIBED:
            return "left"
        subscriber.status = Subscriber.Status.CONFIRMED
        subscriber.confirmed_at = timezone.now()
        subscriber.unsubscribed_at = None
        subscriber.save(update_fields=["status", "confirmed_at", "unsubscribed_at", "updated_at"])
        # The person clicked the link in their own mailbox: their new choice outweighs an
        # earlier unsubscribe or erasure. Nothing else lifts a suppression.
        Suppression.objects.for_email(subscriber.email).delete()
        welcome_send_job.enqueue(subscriber.pk)
    return "confirmed"


# Which reason a suppression keeps when an address is suppressed again: the strongest.
REASON_RANK = {
    Suppression.Reason.BOUNCED: 1,
    Suppression.Reason.UNSUBSCRIBED: 2,
    Suppression.Reason.ERASED: 3,
}


def suppression_add(*, email: str, reason: str) -> None:
    """Put an address on the do-not-import list (its fingerprint only); again is harmless."""
    digest = address_digest(email)
    suppression, created = Suppression.objects.get_or_create(
        digest=digest, defaults={"reason": reason}
    )
    if not created and REASON_RANK[reason] > REASON_RANK[suppression.reason]:
        Suppression.objects.filter(pk=suppression.pk).update(
            reason=reason, suppressed_at=timezone.now()
        )


def subscriber_unsubscribe(
    *, subscriber: Subscriber, reason: str = Suppression.Reason.UNSUBSCRIBED
) -> bool:
    """Take someone off the list at once (pending or confirmed) and out of every later import;
    doing it twice is harmless. True if they were on the list until now."""
    now = timezone.now()
    with transaction.atomic():
        changed = (
            Subscriber.objects.filter(pk=subscriber.pk)
            .exclude(status=Subscriber.Status.UNSUBSCRIBED)
            .update(status=Subscriber.Status.UNSUBSCRIBED, unsubscribed_at=now, updated_at=now)
        )
        suppression_add(email=subscriber.email, reason=reason)
    return bool(changed)


def preferences_update(
    *,
    subscriber: Subscriber,
    name: str,
    organization: str,
    roles: Iterable[Role],
    role_other: bool,
    interests: Iterable[str],
) -> None:
    interests = set(interests)
    subscriber.name = name
    subscriber.organization = organization
    subscriber.role_other = role_other
    for key, _label in Subscriber.INTERESTS:
        setattr(subscriber, key, key in interests)
    with transaction.atomic():
        subscriber.save()
        subscriber.roles.set(roles)


def subscriber_erase(*, subscribers) -> int:
    """Delete people completely, including the admin history, the queued or finished signup
    jobs and the import previews that name their address. Only the address's fingerprint
    stays, on the suppression list, so no old spreadsheet brings them back."""
    from django_tasks_db.models import DBTaskResult

    rows = list(subscribers.values_list("pk", "email"))
    ids = [str(pk) for pk, _email in rows]
    with transaction.atomic():
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Subscriber), object_id__in=ids
        ).delete()
        for _pk, email in rows:
            DBTaskResult.objects.filter(args_kwargs__icontains=email).delete()
            _imports_forget(email)
            suppression_add(email=email, reason=Suppression.Reason.ERASED)
        Subscriber.objects.filter(pk__in=ids).delete()
    return len(ids)


def _imports_forget(email: str) -> None:
    """Mask an erased address in the import previews that list it; a pending import skips it."""
    for list_import in ListImport.objects.select_for_update().filter(preview__icontains=email):
        for row in list_import.preview:
            if row["email"].lower() != email.lower():
                continue
            row.update(email=imports.mask(email), name="")
            if row.pop("fields", None) is not None:
                row.update(outcome=imports.SUPPRESSED, why="erased since the file was read")
        list_import.counts = imports.count(list_import.preview)
        list_import.save(update_fields=["preview", "counts"])


# ---- importing another tool's list: upload, preview (job), import (job) ----


def list_import_upload(*, csv_file, uploaded_by) -> ListImport:
    """Keep an uploaded file privately, before the rest of the form is right: nobody has to
    choose it again. One kept file per person; an older one is dropped."""
    for old in ListImport.objects.drafts_of(uploaded_by):
        list_import_discard(list_import=old)
    list_import = ListImport(original_name=csv_file.name[:255], uploaded_by=uploaded_by)
    list_import.file.save(csv_file.name, csv_file, save=False)
    list_import.save()
    return list_import


def list_import_submit(*, list_import: ListImport, source_label: str) -> bool:
    """The form is complete: queue the job that reads the file and builds the preview."""
    from newsletter.tasks import list_import_preview_job

    with transaction.atomic():
        started = ListImport.objects.filter(pk=list_import.pk, state=ListImport.State.DRAFT).update(
            state=ListImport.State.CHECKING, source_label=source_label
        )
        if started:
            list_import_preview_job.enqueue(list_import.pk)
    return bool(started)


def _file_forget(list_import: ListImport) -> None:
    """Delete the uploaded file (it names people) once it is no longer needed."""
    if list_import.file:
        list_import.file.storage.delete(list_import.file.name)
        ListImport.objects.filter(pk=list_import.pk).update(file="")


def list_import_preview(*, list_import: ListImport) -> None:
    """Read the file in the sandbox and decide what each row will do (the preview job).

    The file is deleted once read: the preview holds all the import needs, and a list of
    people is not kept longer than that.
    """
    if list_import.state != ListImport.State.CHECKING:
        return
    try:
        with list_import.file.open("rb") as stored:
            data = stored.read()
    except (FileNotFoundError, ValueError):
        table = {"errors": ["the uploaded file is gone: upload it again"]}
    else:
        try:
            table = sandbox.run(csvio.read_table, data)
        except sandbox.SandboxError as exc:
            table = {"errors": [str(exc)]}
    if table["errors"]:
        outcome = {
            "state": ListImport.State.FAILED,
            "problem": "; ".join(table["errors"]),
            "finished_at": timezone.now(),
        }
    else:
        roles = csvio.role_names(Role.objects.all())
        parsed = [(line, *csvio.parse_row(row, roles=roles)) for line, row in table["rows"]]
        emails = [fields["email"] for _line, fields, _reasons in parsed if fields["email"]]
        rows = imports.plan(parsed, imports.ListState.of(emails))
        outcome = {
            "state": ListImport.State.READY,
            "encoding": table["encoding"],
            "columns": table["columns"],
            "preview": rows,
            "counts": imports.count(rows),
        }
    ListImport.objects.filter(pk=list_import.pk, state=ListImport.State.CHECKING).update(**outcome)
    _file_forget(list_import)


def list_import_apply_request(*, list_import: ListImport) -> bool:
    """Staff clicked "Import": queue the import job, once. The state moves from "ready" to
    "importing" in one conditional UPDATE, so a second click (or a second tab) finds nothing
    ready and queues nothing. True if this request queued it."""
    from newsletter.tasks import list_import_apply_job

    with transaction.atomic():
        claimed = ListImport.objects.filter(pk=list_import.pk, state=ListImport.State.READY).update(
            state=ListImport.State.IMPORTING
        )
        if claimed:
            list_import_apply_job.enqueue(list_import.pk)
    return bool(claimed)


def list_import_discard(*, list_import: ListImport) -> bool:
    """Drop a kept file or a preview nobody will import; True if it was dropped."""
    with transaction.atomic():
        dropped = ListImport.objects.filter(
            pk=list_import.pk,
            state__in=[ListImport.State.DRAFT, ListImport.State.READY, ListImport.State.FAILED],
        ).update(state=ListImport.State.DISCARDED, preview=[], finished_at=timezone.now())
        if dropped:
            _file_forget(list_import)
    return bool(dropped)


def _when(value: str | None):
    return parse_datetime(value) if value else None


def _row_apply(*, fields: dict, outcome: str, state: imports.ListState, detail: str) -> str:
    """Do what a row's outcome says; returns the outcome that happened."""
    subscriber = state.subscriber(fields["email"])
    now = timezone.now()
    fallback_consent = f"Consent given through another mailing tool; imported from {detail}."
    if outcome == imports.LEAVE:
        if subscriber is not None:
            subscriber_unsubscribe(subscriber=subscriber, reason=fields["status"])
        else:
            suppression_add(email=fields["email"], reason=fields["status"])
        return outcome
    if outcome == imports.UPDATE:
        for name in imports.blanks_filled(fields, subscriber):
            setattr(subscriber, name, fields[name])
        if subscriber.status == Subscriber.Status.PENDING:
            # The other tool holds their confirmation, which staff vouched for on upload.
            subscriber.status = Subscriber.Status.CONFIRMED
            subscriber.consent_text = fields["consent_text"] or fallback_consent
            subscriber.consent_at = _when(fields["consent_at"]) or subscriber.consent_at
            subscriber.confirmed_at = _when(fields["confirmed_at"]) or now
            subscriber.source_detail = f"Confirmed by import: {detail}"[:300]
        subscriber.save()
        return outcome
    try:
        with transaction.atomic():
            subscriber = Subscriber.objects.create(
                email=fields["email"],
                name=fields["name"],
                organization=fields["organization"],
                role_other=fields["role_other"],
                **{key: key in fields["interests"] for key, _label in Subscriber.INTERESTS},
                status=Subscriber.Status.CONFIRMED,
                consent_text=fields["consent_text"] or fallback_consent,
                consent_at=_when(fields["consent_at"]),
                confirmed_at=_when(fields["confirmed_at"]) or now,
                source=Subscriber.Source.IMPORT,
                source_detail=detail[:300],
                # Previews read before the language column existed have none: English.
                language=fields.get("language", settings.LANGUAGE_CODE),
            )
    except IntegrityError:
        return imports.EXISTING  # signed up a moment ago
    if fields["role_ids"]:
        subscriber.roles.set(Role.objects.filter(pk__in=fields["role_ids"]))
    return outcome


def list_import_apply(*, list_import: ListImport) -> None:
    """Import the rows of a previewed list (the import job); runs once, whatever happens.

    Each row to act on is decided again against the list as it is now: someone may have
    signed up, left or been erased since the preview.
    """
    with transaction.atomic():
        list_import = (
            ListImport.objects.select_for_update(of=("self",))
            .filter(pk=list_import.pk, state=ListImport.State.IMPORTING)
            .select_related("uploaded_by")
            .first()
        )
        if list_import is None:
            return
        who = list_import.uploaded_by.get_username() if list_import.uploaded_by else "staff"
        now = timezone.now()
        detail = f"{list_import.source_label} (imported by {who} on {now:%Y-%m-%d %H:%M} UTC)"
        rows = list_import.preview
        todo = [row for row in rows if "fields" in row]
        state = imports.ListState.of((row["fields"]["email"] for row in todo), for_update=True)
        for row in todo:
            fields = row.pop("fields")
            outcome, why = imports.decide(fields, state)
            if outcome != row["outcome"]:
                row["why"] = f"changed since the preview: {why}"
            if outcome in imports.ACTIONS:
                outcome = _row_apply(fields=fields, outcome=outcome, state=state, detail=detail)
                if outcome == imports.EXISTING:
                    row["why"] = "signed up while the import ran: not changed"
            row["outcome"] = outcome
            if outcome in (imports.LEAVE, imports.SUPPRESSED):
                # The do-not-import list keeps a fingerprint; the result shows only a hint.
                row.update(email=imports.mask(row["email"]), name="")
        list_import.preview = rows
        list_import.result = imports.count(rows)
        list_import.state = ListImport.State.DONE
        list_import.finished_at = timezone.now()
        list_import.save(update_fields=["preview", "result", "state", "finished_at"])
