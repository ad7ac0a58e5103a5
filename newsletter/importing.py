"""Bringing today's subscribers over from another list, with their consent, in two steps.

1. ``read_upload`` reads the manager's CSV file (columns: email, consent
   date, source; see ``newsletter.csv_import``) and keeps only its usable
   rows, as an ImportUpload. The file itself is never stored.
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

import datetime
import functools
from dataclasses import dataclass

from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.formats import date_format

from newsletter.csv_import import ImportFileError, parse_consent_date, parse_csv
from newsletter.models import (
    ConsentEvent,
    ImportRecord,
    ImportUpload,
    Subscriber,
    SubscriberEmail,
)
from strategy.public import privacy_notice_version

# The consent record's "sign-up wording" for people who never saw ours.
IMPORTED_WORDING_VERSION = "imported"
SAMPLE_SIZE = 5
LOOKUP_CHUNK = 500


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


__all__ = [
    "ImportFileError",
    "cancel",
    "import_people",
    "parse_consent_date",
    "preview",
    "read_upload",
]
