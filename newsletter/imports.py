"""What each row of an imported list will do, decided against the list as it is now.

The preview job decides every row once; the import job decides the rows it acts on again,
since people may have signed up, left or been erased in between.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from newsletter.csvio import LEFT
from newsletter.models import Subscriber, Suppression, address_digest

NEW = "new"
UPDATE = "update"
LEAVE = "leave"
EXISTING = "existing"
DUPLICATE = "duplicate"
SUPPRESSED = "suppressed"
INVALID = "invalid"
OUTCOMES = {
    NEW: "New subscriber",
    UPDATE: "Update",
    LEAVE: "Recorded as having left",
    EXISTING: "Already on the list",
    DUPLICATE: "Duplicate within the file",
    SUPPRESSED: "Suppressed",
    INVALID: "Invalid",
}
# The outcomes the import acts on; the others are only reported.
ACTIONS = (NEW, UPDATE, LEAVE)
CHUNK = 500


@dataclass
class ListState:
    """The subscribers (by lower-case address) and suppressions (by digest) a file names."""

    subscribers: dict[str, Subscriber]
    suppressions: dict[str, Suppression]

    @classmethod
    def of(cls, emails: Iterable[str], *, for_update: bool = False) -> "ListState":
        lowered = sorted({email.lower() for email in emails})
        subscribers, suppressions = {}, {}
        for start in range(0, len(lowered), CHUNK):
            chunk = lowered[start : start + CHUNK]
            found = Subscriber.objects.alias(email_lower=Lower("email")).filter(
                email_lower__in=chunk
            )
            if for_update:
                found = found.select_for_update()
            subscribers.update((subscriber.email.lower(), subscriber) for subscriber in found)
            digests = [address_digest(email) for email in chunk]
            suppressions.update(
                (suppression.digest, suppression)
                for suppression in Suppression.objects.filter(digest__in=digests)
            )
        return cls(subscribers, suppressions)

    def subscriber(self, email: str) -> Subscriber | None:
        return self.subscribers.get(email.lower())

    def suppression(self, email: str) -> Suppression | None:
        return self.suppressions.get(address_digest(email))


def mask(email: str) -> str:
    """An address shown without being kept: a…@example.org."""
    local, _, domain = email.rpartition("@")
    return f"{local[:1]}…@{domain}" if local and domain else "…"


def _day(value) -> str:
    if isinstance(value, str):
        value = parse_datetime(value)
    return f"{timezone.localtime(value):%Y-%m-%d}" if value else ""


def suppressed_because(suppression: Suppression) -> str:
    return (
        f"{suppression.get_reason_display().lower()} on {_day(suppression.suppressed_at)}: "
        "never imported again"
    )


def blanks_filled(fields: dict, subscriber: Subscriber) -> list[str]:
    """The details an import adds to an existing subscriber: only what is empty here, so a
    person's own choices are never overwritten."""
    return [
        label
        for label in ("name", "organization")
        if fields[label] and not getattr(subscriber, label)
    ]


def decide(fields: dict, state: ListState) -> tuple[str, str]:
    """(outcome, why) of one valid row."""
    email = fields["email"]
    subscriber = state.subscriber(email)
    suppression = state.suppression(email)
    if fields["status"] in LEFT:
        left = "bounced" if fields["status"] == Suppression.Reason.BOUNCED else "unsubscribed"
        if suppression is not None:
            return SUPPRESSED, f"already {suppressed_because(suppression)}"
        if subscriber is None or subscriber.status == Subscriber.Status.UNSUBSCRIBED:
            return LEAVE, f"{left} in the other tool: added to the do-not-import list"
        left_at = parse_datetime(fields["left_at"]) if fields["left_at"] else None
        if left_at and subscriber.confirmed_at and subscriber.confirmed_at > left_at:
            return EXISTING, (
                f"confirmed here on {_day(subscriber.confirmed_at)}, after leaving the other "
                f"tool on {_day(left_at)}: not changed"
            )
        return LEAVE, f"{left} in the other tool: will be unsubscribed here too"
    if suppression is not None:
        return SUPPRESSED, suppressed_because(suppression)
    if subscriber is None:
        return NEW, "will be added as confirmed"
    if subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        return EXISTING, f"left the list on {_day(subscriber.unsubscribed_at)}: not changed"
    added = blanks_filled(fields, subscriber)
    adds = f"; adds {' and '.join(added)}" if added else ""
    if subscriber.status == Subscriber.Status.PENDING:
        return UPDATE, f"waiting for confirmation here: will be confirmed{adds}"
    if added:
        return UPDATE, f"already confirmed{adds}"
    return EXISTING, "already on the list: not changed"


def plan(parsed: list[tuple[int, dict, list[str]]], state: ListState) -> list[dict]:
    """One preview row per parsed row (line, fields, reasons), in the file's order.

    ``state`` must know every address of the file, valid or not: a suppressed address is
    shown (and stored) only masked, whatever else is wrong with its row.
    """
    rows = []
    seen: dict[str, int] = {}
    for line, fields, reasons in parsed:
        email = fields["email"]
        row = {"line": line, "email": email, "name": fields["name"], "notes": fields["notes"]}
        if reasons:
            row.update(outcome=INVALID, why="; ".join(reasons))
        elif email.lower() in seen:
            row.update(outcome=DUPLICATE, why=f"repeats the address on line {seen[email.lower()]}")
        else:
            seen[email.lower()] = line
            outcome, why = decide(fields, state)
            row.update(outcome=outcome, why=why)
            if outcome in ACTIONS:
                row["fields"] = fields
        if "fields" not in row and email and state.suppression(email):
            row.update(email=mask(email), name="")
        rows.append(row)
    return rows


def count(rows: list[dict]) -> dict[str, int]:
    counts = Counter(row["outcome"] for row in rows)
    return {outcome: counts[outcome] for outcome in OUTCOMES}
