"""Bringing today's subscribers over from another list, with their consent, in two steps.

1. ``read_upload`` reads the manager's CSV file (columns: email, consent
   date, source; see ``newsletter.csv_import``) and keeps only its usable
   rows, as an ImportUpload. The file itself is never stored.
2. ``preview`` says what would happen (new, already here, not usable,
   repeated in the file) before anything is written. The manager then
   cancels (``cancel`` drops the rows) or imports: ``queue_import`` hands the
   upload to the worker, whose ``run_queued_imports`` job adds the new people
   in one transaction (``import_people``). A big file takes longer than a web
   request may (50,000 rows: about 10 s), so the page never waits for it; a
   worker killed half-way rolls the transaction back and the next run imports
   the file again from the start.

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

from django.contrib.admin.models import ADDITION, LogEntry
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


def queue_import(*, upload_id, user, ask_to_confirm):
    """Hand a previewed upload to the worker to import; False if it was not waiting (any more)."""
    return bool(
        ImportUpload.objects.filter(
            public_id=upload_id, uploaded_by=user, state=ImportUpload.State.WAITING
        ).update(state=ImportUpload.State.QUEUED, ask_to_confirm=ask_to_confirm)
    )


def run_queued_imports(now=None):
    """Worker job: import every upload a manager asked to import; return how many."""
    done = 0
    queued = ImportUpload.objects.filter(state=ImportUpload.State.QUEUED)
    for upload_id in queued.order_by("uploaded_at").values_list("pk", flat=True):
        if import_people(upload_pk=upload_id, now=now) is not None:
            done += 1
    return done


@transaction.atomic
def import_people(*, upload_pk, now=None):
    """Add a queued upload's new people in one transaction; return the ImportRecord.

    Returns None if the upload is not queued (any more), or another worker has it.
    """
    now = now or timezone.now()
    upload = (
        ImportUpload.objects.select_for_update(skip_locked=True)
        .filter(pk=upload_pk, state=ImportUpload.State.QUEUED)
        .select_related("uploaded_by")
        .first()
    )
    if upload is None:
        return None
    user, ask_to_confirm = upload.uploaded_by, upload.ask_to_confirm
    plan = preview(upload)  # again, now: the list may have changed since the preview
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
    LogEntry.objects.log_actions(
        user_id=user.pk,
        queryset=[record],
        action_flag=ADDITION,
        change_message=f"Imported {record.added_count} people from “{record.file_name}”.",
        single_object=True,
    )
    # The rows have done their job; the upload only says where its record is.
    upload.rows, upload.samples = [], {}
    upload.state, upload.record = ImportUpload.State.DONE, record
    upload.save(update_fields=["rows", "samples", "state", "record"])
    return record


def cancel(*, upload_id, user):
    """Forget an upload that is still waiting, without importing anything."""
    ImportUpload.objects.filter(
        public_id=upload_id, uploaded_by=user, state=ImportUpload.State.WAITING
    ).delete()


__all__ = [
    "ImportFileError",
    "cancel",
    "import_people",
    "parse_consent_date",
    "preview",
    "queue_import",
    "read_upload",
    "run_queued_imports",
]
