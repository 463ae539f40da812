"""Writes with side effects for the mailing list: signup, confirmation, leaving, erasure, import."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from iecmh_site.ratelimits import hit
from iecmh_site.vocabulary import Role
from newsletter import csvio
from newsletter.models import Subscriber
from newsletter.tokens import make_token

logger = logging.getLogger(__name__)


@dataclass
class RejectedRow:
    line: int
    email: str
    reasons: list[str]


@dataclass
class ImportReport:
    created: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)


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
) -> None:
    """Record a signup and send a confirmation link (the signup job).

    New address: a pending row. Pending or unsubscribed: details refreshed, back to pending
    (leaving and coming back needs a new confirmation). Confirmed: nothing changes and no mail
    is sent, so a stranger cannot alter a subscriber's choices. A mailbox gets at most
    NEWSLETTER_MAILS_PER_MAILBOX confirmation mails a day, whoever asks and however.
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


def confirmation_enqueue(*, subscriber: Subscriber) -> bool:
    """Queue a confirmation mail, unless its mailbox had its share today; True if queued."""
    from newsletter.tasks import confirmation_send_job

    if hit(
        "newsletter-mailbox",
        mailbox_key(subscriber.email),
        limit=settings.NEWSLETTER_MAILS_PER_MAILBOX,
        window=24 * 60 * 60,
    ):
        logger.info("Subscriber %s: confirmation not sent (daily limit)", subscriber.pk)
        return False
    confirmation_send_job.enqueue(subscriber.pk)
    return True


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
    links = subscriber_links(subscriber)
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
            "List-Unsubscribe": f"<{links['unsubscribe_url']}>",
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
        subject="Please confirm your subscription to our mailing list",
    )
    now = timezone.now()
    Subscriber.objects.filter(pk=subscriber.pk).update(confirmation_sent_at=now)
    subscriber.confirmation_sent_at = now


def welcome_send(*, subscriber: Subscriber) -> None:
    if subscriber.status == Subscriber.Status.CONFIRMED:
        _send(subscriber=subscriber, template="welcome", subject="Welcome to our mailing list")


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
        welcome_send_job.enqueue(subscriber.pk)
    return "confirmed"


def subscriber_unsubscribe(*, subscriber: Subscriber) -> None:
    """Take someone off the list at once (pending or confirmed); doing it twice is harmless."""
    Subscriber.objects.filter(pk=subscriber.pk).exclude(
        status=Subscriber.Status.UNSUBSCRIBED
    ).update(
        status=Subscriber.Status.UNSUBSCRIBED,
        unsubscribed_at=timezone.now(),
        updated_at=timezone.now(),
    )


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
    """Delete people completely, including the admin history and the queued or finished
    signup jobs that name their address."""
    from django_tasks_db.models import DBTaskResult

    rows = list(subscribers.values_list("pk", "email"))
    ids = [str(pk) for pk, _email in rows]
    with transaction.atomic():
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Subscriber), object_id__in=ids
        ).delete()
        for _pk, email in rows:
            DBTaskResult.objects.filter(args_kwargs__icontains=email).delete()
        Subscriber.objects.filter(pk__in=ids).delete()
    return len(ids)


def subscribers_import(*, csv_file, source_label: str, imported_by: str) -> ImportReport:
    """Add people from another mailing tool's CSV export.

    Every row is validated; rejected rows come back with reasons. An address already on the
    list (in any state) or repeated in the file is never added twice. Each new row records
    the import as its source, with the label, who imported it and when.
    """
    report = ImportReport()
    now = timezone.now()
    detail = f"{source_label} (imported by {imported_by} on {now:%Y-%m-%d %H:%M} UTC)"[:300]
    roles_by_key = {}
    for role in Role.objects.all():
        roles_by_key[role.slug.lower()] = role
        roles_by_key[role.name.lower()] = role
    rows, file_errors = csvio.read_rows(csv_file)
    if file_errors:
        report.rejected.append(RejectedRow(line=0, email="", reasons=file_errors))
        return report
    existing = set(
        Subscriber.objects.annotate(email_lower=Lower("email")).values_list(
            "email_lower", flat=True
        )
    )
    seen: set[str] = set()
    valid = []
    for line, row in rows:
        parsed, reasons = csvio.parse_row(row, roles_by_key=roles_by_key)
        email = parsed["email"]
        if not reasons:
            if email.lower() in existing:
                reasons.append("already on the list: not changed")
            elif email.lower() in seen:
                reasons.append("repeats an address earlier in the file")
        if reasons:
            report.rejected.append(RejectedRow(line=line, email=email, reasons=reasons))
            continue
        seen.add(email.lower())
        valid.append(parsed)
    fallback_consent = f"Consent given through another mailing tool; imported from {source_label}."
    with transaction.atomic():
        for parsed in valid:
            confirmed = parsed["status"] == Subscriber.Status.CONFIRMED
            subscriber = Subscriber.objects.create(
                email=parsed["email"],
                name=parsed["name"],
                organization=parsed["organization"],
                role_other=parsed["role_other"],
                **{key: key in parsed["interests"] for key, _label in Subscriber.INTERESTS},
                status=parsed["status"],
                consent_text=parsed["consent_text"] or fallback_consent,
                consent_at=parsed["consent_at"],
                confirmed_at=(parsed["confirmed_at"] or now) if confirmed else None,
                unsubscribed_at=None if confirmed else now,
                source=Subscriber.Source.IMPORT,
                source_detail=detail,
            )
            subscriber.roles.set(parsed["roles"])
            report.created += 1
    return report
