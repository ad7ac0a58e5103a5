"""Reading a mailing-list service's CSV export into rows we can import, and saying what is wrong.

Addresses are checked and tidied exactly as the sign-up form does
(``normalise_email``, Django's EmailValidator); consent dates are read the UK
way (25/03/2024) or as ISO dates. A row that cannot be used is kept as a
Problem with a reason a newsletter manager can act on; only the first row for
each address counts, later ones are reported as repeats.
"""

import csv
import datetime
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils import timezone

from newsletter.models.subscribers import normalise_email

# Column headings we understand, after lower-casing and turning _ and - into spaces.
COLUMNS = {
    "email": {"email", "email address", "e mail", "address"},
    "consent": {"consent date", "consented", "consented at", "consent", "date", "signed up"},
    "source": {"source", "signed up from", "list", "origin"},
}
DATE_FORMATS = ["%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%d %B %Y", "%d %b %Y"]
_validate_email = EmailValidator()


class ImportFileError(ValueError):
    """The file cannot be imported at all; the message says why, for the manager."""


@dataclass
class Problem:
    line: int
    value: str
    reason: str


@dataclass
class ParsedFile:
    rows: list  # [line, email, consent date (ISO), source], first time each address appears
    invalid: list  # Problem
    duplicates: list  # Problem


def _decode(data):
    # Spreadsheets save CSV as UTF-8 (often with a byte-order mark) or, on
    # older Windows versions of Excel, as Windows-1252.
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError("The file is not a CSV file we can read. Save it as “CSV UTF-8”.")


def _columns(header):
    names = [
        " ".join(cell.strip().lower().replace("_", " ").replace("-", " ").split())
        for cell in header
    ]
    found = {}
    for key, accepted in COLUMNS.items():
        found[key] = next((i for i, name in enumerate(names) if name in accepted), None)
    if found["email"] is None:
        raise ImportFileError(
            "The first row of the file must name its columns: email, consent date and source. "
            "We could not find one called “email”."
        )
    if found["consent"] is None:
        raise ImportFileError(
            "The file needs a “consent date” column: when each person agreed to get these "
            "emails. Without it we cannot keep a record of their consent."
        )
    return found


def parse_consent_date(value, *, now=None):
    """A consent date from the file as an aware datetime; ValueError with a reason if not."""
    value = value.strip()
    if not value:
        raise ValueError("no consent date")
    try:
        moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        for pattern in DATE_FORMATS:
            try:
                moment = datetime.datetime.strptime(value, pattern)
                break
            except ValueError:
                continue
        else:
            raise ValueError(
                f"the consent date “{value[:40]}” is not a date we understand"
            ) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if moment > (now or timezone.now()):
        raise ValueError("the consent date is in the future")
    return moment


def _email_problem(email):
    if not email:
        return "no email address"
    if len(email) > 254:
        return "the email address is longer than 254 characters"
    try:
        _validate_email(email)
    except ValidationError:
        return "not an email address"
    return ""


def _cell(row, index):
    return row[index] if index is not None and index < len(row) else ""


def parse_csv(data, *, now=None):
    """Read a CSV export (bytes) into a ParsedFile; ImportFileError if it cannot be used at all."""
    now = now or timezone.now()
    reader = csv.reader(io.StringIO(_decode(data), newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise ImportFileError("The file is empty.")
        columns = _columns(header)
        parsed, seen = ParsedFile(rows=[], invalid=[], duplicates=[]), set()
        for line, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            if line - 1 > settings.NEWSLETTER_IMPORT_MAX_ROWS:
                raise ImportFileError(
                    f"The file has more than {settings.NEWSLETTER_IMPORT_MAX_ROWS:,} rows. "
                    "Split it into smaller files and import them one at a time."
                )
            raw = _cell(row, columns["email"]).strip()
            email = normalise_email(raw)
            reason = _email_problem(email)
            try:
                consent = parse_consent_date(_cell(row, columns["consent"]), now=now)
            except ValueError as exc:
                reason = reason or str(exc)
            if reason:
                parsed.invalid.append(Problem(line, raw[:254], reason))
                continue
            if email.lower() in seen:
                parsed.duplicates.append(Problem(line, email, "already earlier in the file"))
                continue
            seen.add(email.lower())
            source = " ".join(_cell(row, columns["source"]).split())[:200]
            parsed.rows.append([line, email, consent.isoformat(), source])
    except csv.Error as exc:
        raise ImportFileError(f"The file is not a CSV file we can read ({exc}).") from None
    return parsed
