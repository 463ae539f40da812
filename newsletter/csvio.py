"""The mailing list as CSV: the columns this site exports, and reading another tool's export
(this site's own, Mailchimp's or Constant Contact's) into the same fields."""

import codecs
import csv
import io
import re
from datetime import UTC, datetime, time

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import override

from newsletter.models import Subscriber, Suppression

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
    "language",
]
OTHER_ROLE = "Other"
MAX_ROWS = 50_000
# A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# Column names as the tools write them, compared without case, spaces, dashes, dots or
# underscores ("Email Address", "EMAIL_ADDRESS" and "email address" are one name). For each
# field the first alias found wins, so "Email permission status" beats "Email status".
ALIASES = {
    "email": ["email", "emailaddress", "mail", "emailaddr"],
    "name": ["name", "fullname", "contactname"],
    "first_name": ["firstname", "first", "givenname", "fname"],
    "last_name": ["lastname", "last", "surname", "familyname", "lname"],
    "organization": ["organization", "organisation", "companyname", "company", "org"],
    "roles": ["roles", "role"],
    "interests": ["interests", "interest", "topics", "topic", "interestgroups", "groups"],
    "tags": ["tags", "tag"],
    "status": [
        "status",
        "emailpermissionstatus",
        "permissionstatus",
        "subscriptionstatus",
        "emailstatus",
        "memberstatus",
    ],
    "consent_text": ["consenttext", "consent"],
    "consent_given_at": ["consentgivenat", "optintime", "optindate"],
    "confirmed_at": ["confirmedat", "confirmtime"],
    "unsubscribed_at": ["unsubscribedat", "unsubtime"],
    "cleaned_at": ["cleanedat", "cleantime"],
    "language": ["language", "lang", "preferredlanguage", "languagepreference", "idioma"],
}
# What a language column may say, lower-cased, for each language of the site. A file without
# the column (Mailchimp's, Constant Contact's) means English, as every subscriber was before.
LANGUAGE_WORDS = {
    "en": "en",
    "english": "en",
    "inglés": "en",
    "ingles": "en",
    "es": "es",
    "spanish": "es",
    "español": "es",
    "espanol": "es",
    "castellano": "es",
}

# What the tools call the state of a person, lower-cased; any other word is refused.
CONFIRMED = Subscriber.Status.CONFIRMED
STATUS_WORDS = {
    "confirmed": CONFIRMED,
    "subscribed": CONFIRMED,
    "explicit": CONFIRMED,  # Constant Contact: the person opted in
    "implicit": CONFIRMED,  # Constant Contact: consent through a relationship
    "active": CONFIRMED,  # Constant Contact's "Email status" of a subscribed contact
    "unsubscribed": Suppression.Reason.UNSUBSCRIBED,
    "opted out": Suppression.Reason.UNSUBSCRIBED,
    "cleaned": Suppression.Reason.BOUNCED,  # Mailchimp: the address bounces
    "bounced": Suppression.Reason.BOUNCED,
}
LEFT = {Suppression.Reason.UNSUBSCRIBED, Suppression.Reason.BOUNCED}


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
    """Write subscribers (a queryset with roles prefetched) as CSV to a text stream.

    Topics are written in English, whatever the subscriber's language: the words read_table
    and parse_row read back; the language column says which language they get their emails in.
    """
    with override(settings.LANGUAGE_CODE):
        _write_rows(subscribers, csv.writer(out))


def _write_rows(subscribers, writer) -> None:
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
            sub.language,
        ]
        writer.writerow([_cell(value) for value in row])


# ---- reading a file: plain Python on bytes, run in the sandbox (iecmh_site.sandbox) ----


def _column_key(header: str) -> str:
    return re.sub(r"[\s_.\-]+", "", (header or "").strip().lower())


def _decode(data: bytes) -> tuple[str, str]:
    """The file's text and the name of its encoding; ValueError says why it is not text."""
    if data.startswith(b"PK\x03\x04"):
        raise ValueError(
            "this is an Excel workbook, not a CSV file: in Excel choose File, Save As, "
            '"CSV UTF-8", and upload that file'
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codecs_to_try = [("utf-16", "UTF-16")]
    else:
        # Excel on Windows saves plain "CSV" in Windows-1252; most other bytes are not text.
        codecs_to_try = [("utf-8-sig", "UTF-8"), ("cp1252", "Windows-1252")]
    for codec, encoding in codecs_to_try:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            raise ValueError("the file is not text: save it from the spreadsheet as CSV UTF-8")
        return text, encoding
    raise ValueError("the file is not UTF-8 text: save it from the spreadsheet as CSV UTF-8")


def _delimiter(text: str) -> str:
    """Comma, or the semicolon or tab some spreadsheets use, judged by the header line."""
    header = text.split("\n", 1)[0]
    counts = {delimiter: header.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _map_columns(headers: list[str]) -> tuple[dict[str, int], list[str]]:
    """{field: column index} for the columns understood, and the headers left unread."""
    keys = [_column_key(header) for header in headers]
    used: dict[str, int] = {}
    for field, aliases in ALIASES.items():
        for alias in aliases:
            if alias in keys and keys.index(alias) not in used.values():
                used[field] = keys.index(alias)
                break
    ignored = [
        header.strip()
        for index, header in enumerate(headers)
        if index not in used.values() and header.strip()
    ]
    return used, ignored


def read_table(data: bytes) -> dict:
    """Read an uploaded export into plain values: {"rows": [(line, {field: text})],
    "errors": [...], "encoding", "columns": {"used": [[header, field]], "ignored": [...]}}.

    It touches neither the database nor storage, so the sandbox can run it.
    """
    result = {"rows": [], "errors": [], "encoding": "", "columns": {"used": [], "ignored": []}}
    try:
        text, result["encoding"] = _decode(data)
    except ValueError as error:
        result["errors"] = [str(error)]
        return result
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        headers = next(reader, [])
        used, ignored = _map_columns(headers)
        if "email" not in used:
            result["errors"] = [
                'the first row must name the columns, including one called "email" '
                '(or "Email Address")'
            ]
            return result
        result["columns"] = {
            "used": [[headers[index].strip(), field] for field, index in used.items()],
            "ignored": ignored,
        }
        rows = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= MAX_ROWS:
                result["errors"] = [f"more than {MAX_ROWS} rows: split the file"]
                return result
            values = {
                field: (cells[index] if index < len(cells) else "") for field, index in used.items()
            }
            rows.append((reader.line_num, values))
    except csv.Error as error:
        result["errors"] = [f"not a readable CSV file ({error})"]
        return result
    result["rows"] = rows
    return result


# ---- one row: validated against the site's roles and topics ----


def _words(text: str) -> str:
    return " ".join(text.lower().replace("&", " and ").replace("_", " ").replace("-", " ").split())


def match_choice(value: str, names: dict[str, object]):
    """The choice a typed value means: its name (any case), or the start of exactly one name
    ("Trainings" for "Trainings and events"). Returns (choice or None, problem or "")."""
    wanted = _words(value)
    by_name = {_words(name): choice for name, choice in names.items()}
    if wanted in by_name:
        return by_name[wanted], ""
    if len(wanted) >= 3:
        found = {choice for name, choice in by_name.items() if name.startswith(wanted)}
        if len(found) == 1:
            return found.pop(), ""
        if len(found) > 1:
            return None, "could mean more than one"
    return None, "unknown"


def interest_names() -> dict[str, str]:
    """The words a file may use for each topic: its key, or its label in any site language."""
    names = {}
    for key, label in Subscriber.INTERESTS:
        names[key] = key
        names[key.removeprefix("wants_")] = key
        for code, _name in settings.LANGUAGES:
            with override(code):
                names[str(label)] = key
    return names


def _language(cell: str, notes: list[str]) -> str:
    """The language code a cell names ("es", "es-US", "Spanish", "Español"); English when
    empty, and English with a note when it names no language of the site."""
    word = " ".join(cell.lower().split())
    if not word:
        return settings.LANGUAGE_CODE
    code = LANGUAGE_WORDS.get(word) or LANGUAGE_WORDS.get(re.split(r"[-_]", word, maxsplit=1)[0])
    if code is None:
        notes.append(f'language "{cell}" not known: emails in English')
        return settings.LANGUAGE_CODE
    return code


def role_names(roles) -> dict[str, object]:
    names = {}
    for role in roles:
        names[role.slug] = role
        names[role.name] = role
    return names


def _split(cell: str) -> list[str]:
    parts = cell.replace(",", ";").split(";")
    return [part.strip().strip('"').strip() for part in parts if part.strip().strip('"').strip()]


def _parse_when(cell: str, label: str, reasons: list[str]) -> str | None:
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
    value = timezone.make_aware(value) if timezone.is_naive(value) else value
    return value.isoformat()


def _status(row: dict[str, str], reasons: list[str]) -> str:
    """confirmed, unsubscribed or bounced; Mailchimp puts each in its own file, without a
    status column: its unsubscribed file has UNSUB_TIME, its cleaned file CLEAN_TIME."""
    word = " ".join(_uncell(row.get("status", "")).lower().split())
    if not word:
        if _uncell(row.get("unsubscribed_at", "")):
            return Suppression.Reason.UNSUBSCRIBED
        if _uncell(row.get("cleaned_at", "")):
            return Suppression.Reason.BOUNCED
        return CONFIRMED
    if word in STATUS_WORDS:
        return STATUS_WORDS[word]
    reasons.append(
        f'status "{word}": only confirmed (or unsubscribed) people can be imported; '
        "others must sign up and confirm themselves"
    )
    return ""


def parse_row(row: dict[str, str], *, roles: dict[str, object]) -> tuple[dict, list[str]]:
    """Validate one row; returns (the fields to import, as JSON-ready values, and the reasons
    it is refused). ``roles`` maps role names to Role objects (role_names())."""
    reasons: list[str] = []
    notes: list[str] = []
    email = _uncell(row.get("email", ""))
    try:
        validate_email(email)
    except ValidationError:
        reasons.append("missing email address" if not email else "not a valid email address")
    else:
        email = BaseUserManager.normalize_email(email)
    name = _uncell(row.get("name", ""))
    if not name:
        first, last = _uncell(row.get("first_name", "")), _uncell(row.get("last_name", ""))
        name = " ".join(part for part in (first, last) if part)
    organization = _uncell(row.get("organization", ""))
    for label, value in (("name", name), ("organization", organization)):
        if len(value) > 200:
            reasons.append(f"{label} is longer than 200 characters")
    role_ids, role_other = [], False
    for part in _split(_uncell(row.get("roles", ""))):
        if part.lower() == OTHER_ROLE.lower():
            role_other = True
            continue
        role, problem = match_choice(part, roles)
        if role is None:
            reasons.append(f'role "{part}": {problem}')
        elif role.pk not in role_ids:
            role_ids.append(role.pk)
    interests = []
    for part in _split(_uncell(row.get("interests", ""))):
        key, problem = match_choice(part, interest_names())
        if key is None:
            reasons.append(f'interest "{part}": {problem}')
        elif key not in interests:
            interests.append(key)
    # Mailchimp tags are free words: those naming a topic count, the others are only noted.
    unused_tags = []
    for part in _split(_uncell(row.get("tags", ""))):
        key, _problem = match_choice(part, interest_names())
        if key is None:
            unused_tags.append(part)
        elif key not in interests:
            interests.append(key)
    if unused_tags:
        notes.append("tags not used: " + ", ".join(unused_tags))
    status = _status(row, reasons)
    consent_at = _parse_when(_uncell(row.get("consent_given_at", "")), "consent date", reasons)
    confirmed_at = _parse_when(_uncell(row.get("confirmed_at", "")), "confirmation date", reasons)
    left_at = _parse_when(
        _uncell(row.get("unsubscribed_at", "") or row.get("cleaned_at", "")),
        "unsubscribe date",
        reasons,
    )
    fields = {
        "email": email,
        "name": name,
        "organization": organization,
        "role_ids": role_ids,
        "role_other": role_other,
        "interests": [key for key, _label in Subscriber.INTERESTS if key in interests],
        "status": status,
        "consent_text": _uncell(row.get("consent_text", "")),
        "consent_at": consent_at,
        "confirmed_at": confirmed_at,
        "left_at": left_at,
        "language": _language(_uncell(row.get("language", "")), notes),
        "notes": notes,
    }
    return fields, reasons
