"""The mailing list as CSV: columns a mailing tool imports, and reading another tool's export."""

import csv
import io
from datetime import UTC, datetime, time

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from newsletter.models import Subscriber

COLUMNS = [
    "email",
    "name",
    "organization",
    "roles",
    "interests",
    "status",
    "consent_text",
    "consent_given_at",
    "confirmed_at",
    "source",
]
OTHER_ROLE = "Other"
MAX_ROWS = 50_000
# A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _uncell(text: str) -> str:
    text = (text or "").strip()
    if text.startswith("'") and text[1:].startswith(FORMULA_START):
        return text[1:]
    return text


def _when(value) -> str:
    return value.astimezone(UTC).isoformat() if value else ""


def write_csv(subscribers, out) -> None:
    """Write subscribers (a queryset with roles prefetched) as CSV to a text stream."""
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for sub in subscribers:
        roles = [role.name for role in sub.roles.all()] + ([OTHER_ROLE] if sub.role_other else [])
        row = [
            sub.email,
            sub.name,
            sub.organization,
            "; ".join(roles),
            "; ".join(sub.interest_labels),
            sub.status,
            sub.consent_text,
            _when(sub.consent_at),
            _when(sub.confirmed_at),
            sub.get_source_display(),
        ]
        writer.writerow([_cell(value) for value in row])


def read_rows(csv_file) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    """Rows of an uploaded CSV as (line number, {lower-case column: value}), or file errors."""
    raw = csv_file.read()
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError:
        return [], ["the file is not UTF-8 text: save it from the spreadsheet as CSV UTF-8"]
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        headers = [(name or "").strip().lower() for name in reader.fieldnames or []]
    except csv.Error as error:
        return [], [f"not a readable CSV file ({error})"]
    if "email" not in headers:
        return [], ['the first row must name the columns, including one called "email"']
    reader.fieldnames = headers
    rows = []
    try:
        for row in reader:
            if len(rows) >= MAX_ROWS:
                return [], [f"more than {MAX_ROWS} rows: split the file"]
            values = {key: (value or "") for key, value in row.items() if isinstance(key, str)}
            if not any(value.strip() for value in values.values()):
                continue
            rows.append((reader.line_num, values))
    except csv.Error as error:
        return [], [f"not a readable CSV file ({error})"]
    return rows, []


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.replace(",", ";").split(";") if part.strip()]


def _parse_when(cell: str, label: str, reasons: list[str]):
    if not cell:
        return None
    try:
        value = parse_datetime(cell)
        if value is None and (day := parse_date(cell)):
            value = datetime.combine(day, time(12))
    except ValueError:
        value = None
    if value is None:
        reasons.append(f'{label} "{cell}" is not a date (use 2025-10-20 or 2025-10-20T09:30)')
        return None
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def parse_row(row: dict[str, str], *, roles_by_key) -> tuple[dict, list[str]]:
    """Validate one row; returns (fields for a Subscriber, reasons it is rejected)."""
    reasons: list[str] = []
    email = _uncell(row.get("email", ""))
    try:
        validate_email(email)
    except ValidationError:
        reasons.append("missing email address" if not email else "not a valid email address")
    name = _uncell(row.get("name", ""))
    # Exports from other tools (and this site before 2026) may spell the column "organisation".
    organization = _uncell(row.get("organization", "") or row.get("organisation", ""))
    for label, value in (("name", name), ("organization", organization)):
        if len(value) > 200:
            reasons.append(f"{label} is longer than 200 characters")
    roles, role_other = [], False
    for part in _split(_uncell(row.get("roles", ""))):
        if part.lower() == OTHER_ROLE.lower():
            role_other = True
        elif part.lower() in roles_by_key:
            roles.append(roles_by_key[part.lower()])
        else:
            reasons.append(f'unknown role "{part}"')
    interest_keys = {}
    for key, label in Subscriber.INTERESTS:
        interest_keys[key.lower()] = key
        interest_keys[label.lower()] = key
    interests = set()
    for part in _split(_uncell(row.get("interests", ""))):
        if part.lower() in interest_keys:
            interests.add(interest_keys[part.lower()])
        else:
            reasons.append(f'unknown interest "{part}"')
    status = _uncell(row.get("status", "")).lower() or Subscriber.Status.CONFIRMED
    if status in {"subscribed", "confirmed"}:
        status = Subscriber.Status.CONFIRMED
    elif status != Subscriber.Status.UNSUBSCRIBED:
        reasons.append(
            f'status "{status}": only confirmed (or unsubscribed) people can be imported; '
            "others must sign up and confirm themselves"
        )
    consent_at = _parse_when(_uncell(row.get("consent_given_at", "")), "consent date", reasons)
    confirmed_at = _parse_when(_uncell(row.get("confirmed_at", "")), "confirmation date", reasons)
    fields = {
        "email": email,
        "name": name,
        "organization": organization,
        "roles": roles,
        "role_other": role_other,
        "interests": interests,
        "status": status,
        "consent_text": _uncell(row.get("consent_text", "")),
        "consent_at": consent_at,
        "confirmed_at": confirmed_at,
    }
    return fields, reasons
