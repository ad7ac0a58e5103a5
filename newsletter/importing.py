"""Bringing today's subscribers over from another list, with their consent, in two steps.

1. ``read_upload`` reads the manager's CSV file (columns: email, consent
   date, source) and keeps only its usable rows, as an ImportUpload. The file
   itself is never stored. Addresses are checked and tidied exactly as the
   sign-up form does (``normalise_email``, Django's EmailValidator).
2. ``preview`` says what would happen (new, already here, not usable,
   repeated in the file) before anything is written; ``import_people`` then
   adds the new people in one transaction, or ``cancel`` drops the rows.

Each person added keeps where and when they first agreed (``imported_from``,
``original_consent_at``); the ImportRecord says who imported them and when,
and their consent record has an "Imported" entry saying all of it. People
confirmed elsewhere are added as confirmed and sent nothing, unless the
manager asks everyone to confirm again: then they are added as waiting, each
is sent one email asking them to confirm, and, like any unconfirmed sign-up,
they are deleted if they do not within 7 days. People already on our list
are left exactly as they are, whatever the file says (someone who
unsubscribed here stays unsubscribed).
"""

import csv
import datetime
import functools
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.formats import date_format

from newsletter.models import (
    ConsentEvent,
    ImportRecord,
    ImportUpload,
    Subscriber,
    SubscriberEmail,
)
from newsletter.models.subscribers import normalise_email
from strategy.public import privacy_notice_version

# The consent record's "sign-up wording" for people who never saw ours.
IMPORTED_WORDING_VERSION = "imported"
# Column headings we understand, after lower-casing and turning _ and - into spaces.
COLUMNS = {
    "email": {"email", "email address", "e mail", "address"},
    "consent": {"consent date", "consented", "consented at", "consent", "date", "signed up"},
    "source": {"source", "signed up from", "list", "origin"},
}
DATE_FORMATS = ["%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%d %B %Y", "%d %b %Y"]
SAMPLE_SIZE = 5
LOOKUP_CHUNK = 500
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


def read_upload(*, data, file_name, user, now=None):
    """Read an uploaded file and keep its usable rows for the preview; return the ImportUpload."""
    parsed = parse_csv(data, now=now)
    if not (parsed.rows or parsed.invalid or parsed.duplicates):
        raise ImportFileError("The file has no rows under its first row.")
    return ImportUpload.objects.create(
        uploaded_by=user,
        file_name=file_name[:255],
        rows=parsed.rows,
        invalid_count=len(parsed.invalid),
        duplicate_count=len(parsed.duplicates),
        samples={
            name: [[p.line, p.value, p.reason] for p in problems[:SAMPLE_SIZE]]
            for name, problems in [("invalid", parsed.invalid), ("duplicates", parsed.duplicates)]
        },
    )


def _on_the_list(emails):
    """The lower-cased addresses among ``emails`` that are already on our list."""
    lowered = [email.lower() for email in emails]
    found = set()
    for start in range(0, len(lowered), LOOKUP_CHUNK):
        chunk = lowered[start : start + LOOKUP_CHUNK]
        found.update(
            Subscriber.objects.annotate(email_lower=Lower("email"))
            .filter(email_lower__in=chunk)
            .values_list("email_lower", flat=True)
        )
    return found


@dataclass
class Preview:
    new: list
    existing: list
    invalid_count: int
    duplicate_count: int
    invalid_sample: list
    duplicate_sample: list

    def __post_init__(self):
        self.new_sample = self.new[:SAMPLE_SIZE]
        self.existing_sample = self.existing[:SAMPLE_SIZE]


def preview(upload):
    """Split an upload's rows into new people and people already on the list. Writes nothing."""
    here = _on_the_list(row[1] for row in upload.rows)
    new = [row for row in upload.rows if row[1].lower() not in here]
    existing = [row for row in upload.rows if row[1].lower() in here]
    return Preview(
        new,
        existing,
        upload.invalid_count,
        upload.duplicate_count,
        upload.samples.get("invalid", []),
        upload.samples.get("duplicates", []),
    )


@functools.lru_cache(maxsize=4096)
def _day(iso):
    # Exports hold few distinct dates; formatting each once keeps 50,000 rows quick.
    return date_format(timezone.localtime(datetime.datetime.fromisoformat(iso)), "j F Y")


def _consent_note(row, record, when):
    source = row[3] or "another list"
    return (
        f"Agreed on {_day(row[2])} at {source}; imported from “{record.file_name}” by "
        f"{record.imported_by_username} on {when}"
    )[:300]


@transaction.atomic
def import_people(*, upload_id, user, ask_to_confirm, now=None):
    """Add the upload's new people in one transaction; return the ImportRecord.

    Raises ImportUpload.DoesNotExist if it was imported or cancelled already
    (a second press of the button, say).
    """
    now = now or timezone.now()
    upload = ImportUpload.objects.select_for_update().get(public_id=upload_id, uploaded_by=user)
    plan = preview(upload)  # again, inside the transaction: the list may have changed
    record = ImportRecord.objects.create(
        imported_by=user,
        imported_by_username=user.get_username(),
        file_name=upload.file_name,
        added_count=0,
        existing_count=len(plan.existing),
        invalid_count=upload.invalid_count,
        duplicate_count=upload.duplicate_count,
        asked_to_confirm=ask_to_confirm,
    )
    privacy_version = privacy_notice_version()
    status = Subscriber.Status.PENDING if ask_to_confirm else Subscriber.Status.CONFIRMED
    Subscriber.objects.bulk_create(
        (
            Subscriber(
                email=email,
                status=status,
                signed_up_at=consent,
                confirmed_at=None if ask_to_confirm else consent,
                signup_wording_version=IMPORTED_WORDING_VERSION,
                privacy_notice_version=privacy_version,
                imported_from=source,
                original_consent_at=consent,
                import_record=record,
                last_confirmation_sent_at=now if ask_to_confirm else None,
                confirmation_window_started_at=now if ask_to_confirm else None,
                confirmations_in_window=1 if ask_to_confirm else 0,
            )
            for _line, email, consent, source in plan.new
        ),
        batch_size=1000,
        # Someone who signs up on the website at this very moment keeps their own sign-up.
        ignore_conflicts=True,
    )
    added = dict(
        record.subscribers.annotate(email_lower=Lower("email")).values_list("email_lower", "pk")
    )
    when = date_format(timezone.localtime(now), "j F Y")
    ConsentEvent.objects.bulk_create(
        (
            ConsentEvent(
                subscriber_id=added[row[1].lower()],
                kind=ConsentEvent.Kind.IMPORTED,
                at=now,
                signup_wording_version=IMPORTED_WORDING_VERSION,
                privacy_notice_version=privacy_version,
                note=_consent_note(row, record, when),
            )
            for row in plan.new
            if row[1].lower() in added
        ),
        batch_size=1000,
    )
    if ask_to_confirm:
        SubscriberEmail.objects.bulk_create(
            (
                SubscriberEmail(
                    kind=SubscriberEmail.Kind.CONFIRMATION, subscriber_id=pk, next_attempt_at=now
                )
                for pk in added.values()
            ),
            batch_size=1000,
        )
    record.added_count = len(added)
    record.existing_count += len(plan.new) - len(added)
    record.save(update_fields=["added_count", "existing_count"])
    upload.delete()
    return record


def cancel(*, upload_id, user):
    """Forget an upload without importing anything."""
    ImportUpload.objects.filter(public_id=upload_id, uploaded_by=user).delete()
