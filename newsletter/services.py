"""Writes with side effects for the mailing list: signup, confirmation, leaving, erasure, import."""

import logging
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

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

from iecmh_site.vocabulary import Role
from newsletter import csvio
from newsletter.models import Subscriber
from newsletter.tokens import make_token

logger = logging.getLogger(__name__)

MAIL_ERRORS = (smtplib.SMTPException, OSError)


@dataclass
class SignupOutcome:
    """What the visitor may be told: only whether a mail we tried to send failed."""

    mail_failed: bool = False


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


def subscription_request(
    *,
    email: str,
    name: str = "",
    organization: str = "",
    roles: Iterable[Role] = (),
    role_other: bool = False,
    interests: Iterable[str] = (),
    consent_text: str,
    source: str,
) -> SignupOutcome:
    """Record a signup and send a confirmation link; the answer never depends on who exists.

    New address: a pending row. Pending or unsubscribed: details refreshed, back to pending
    (leaving and coming back needs a new confirmation). Confirmed: nothing changes and no mail
    is sent, so a stranger cannot alter a subscriber's choices. One address gets at most one
    confirmation mail per NEWSLETTER_RESEND_COOLDOWN_SECONDS.
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
    outcome = SignupOutcome()
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().with_email(email).first()
        if subscriber is None:
            try:
                with transaction.atomic():
                    subscriber = Subscriber.objects.create(email=email, source=source, **details)
            except IntegrityError:
                # Another request created the same address a moment ago.
                subscriber = Subscriber.objects.select_for_update().with_email(email).get()
            else:
                subscriber.roles.set(roles)
                _confirmation_on_commit(subscriber, outcome)
                return outcome
        if subscriber.status == Subscriber.Status.CONFIRMED:
            return outcome
        cooldown = timedelta(seconds=settings.NEWSLETTER_RESEND_COOLDOWN_SECONDS)
        if (
            subscriber.status == Subscriber.Status.PENDING
            and subscriber.consent_at
            and subscriber.consent_at > now - cooldown
        ):
            return outcome
        for key, value in details.items():
            setattr(subscriber, key, value)
        subscriber.status = Subscriber.Status.PENDING
        subscriber.source = source
        subscriber.save()
        subscriber.roles.set(roles)
        _confirmation_on_commit(subscriber, outcome)
    return outcome


def _confirmation_on_commit(subscriber: Subscriber, outcome: SignupOutcome) -> None:
    def send():
        outcome.mail_failed = not confirmation_send(subscriber=subscriber)

    transaction.on_commit(send)


def confirmation_resend_request(*, email: str) -> SignupOutcome:
    """A visitor asks for a new confirmation link (for example after it expired)."""
    outcome = SignupOutcome()
    subscriber = Subscriber.objects.pending().with_email(email).first()
    if subscriber is None:
        return outcome
    cooldown = timedelta(seconds=settings.NEWSLETTER_RESEND_COOLDOWN_SECONDS)
    sent = subscriber.confirmation_sent_at
    if sent and sent > timezone.now() - cooldown:
        return outcome
    outcome.mail_failed = not confirmation_send(subscriber=subscriber)
    return outcome


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


def _send(*, subscriber: Subscriber, template: str, subject: str) -> bool:
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
    try:
        message.send()
    except MAIL_ERRORS:
        logger.exception("Newsletter %s email to subscriber %s failed", template, subscriber.pk)
        return False
    return True


def confirmation_send(*, subscriber: Subscriber) -> bool:
    """Send the double opt-in link now; True if the mail server accepted it."""
    sent = _send(
        subscriber=subscriber,
        template="confirm",
        subject="Please confirm your subscription to our mailing list",
    )
    if sent:
        now = timezone.now()
        Subscriber.objects.filter(pk=subscriber.pk).update(confirmation_sent_at=now)
        subscriber.confirmation_sent_at = now
    return sent


def welcome_send(*, subscriber: Subscriber) -> bool:
    return _send(subscriber=subscriber, template="welcome", subject="Welcome to our mailing list")


def subscription_confirm(*, subscriber: Subscriber) -> str:
    """Confirm a pending subscriber. Returns "confirmed", "already" or "left".

    Confirming twice is harmless; a link from before an unsubscribe does not bring anyone back.
    """
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
        transaction.on_commit(lambda: welcome_send(subscriber=subscriber))
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
    """Delete people completely, including the admin history that names their address."""
    ids = [str(pk) for pk in subscribers.values_list("pk", flat=True)]
    with transaction.atomic():
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Subscriber), object_id__in=ids
        ).delete()
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
