"""The worker job that reads the bounce mailbox over IMAP (IMAPClient), each message once.

For each message in BOUNCE_IMAP_FOLDER, in UID order:

1. if it is not recorded yet: fetch it (without marking it read), work out
   what it is, and in one database transaction both record it
   (MailboxMessage, unique per folder, UIDVALIDITY and UID) and act on it;
2. then, if it was a report we handled, mark it read and move it to
   BOUNCE_IMAP_PROCESSED_FOLDER (IMAP MOVE, or copy and expunge where the
   server lacks MOVE) and note that it was moved.

A job killed during step 1 leaves nothing (the transaction rolls back) and the
message is read again next time; killed between 1 and 2, the message is still
in the folder but recorded, so the next run only moves it. Two workers reading
at once cannot both act on one message: the second one's record breaks the
unique constraint and its transaction, effects included, rolls back.

Messages that are not reports, or that we cannot match to an email we sent,
are left in the folder, unread, for a person to look at; they are recorded
(and logged once), so later runs skip them.
"""

import logging
import time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from imapclient import IMAPClient
from imapclient.imapclient import SEEN

from newsletter.bounces.handling import act_on
from newsletter.bounces.reports import read_report
from newsletter.models import MailboxMessage

logger = logging.getLogger(__name__)

# Messages read in one run at most; the rest wait for the next, so email keeps flowing.
MAX_PER_RUN = 1000


def enabled():
    return bool(settings.BOUNCE_IMAP_HOST)


def connect():
    """A logged-in IMAPClient for the bounce mailbox (the BOUNCE_IMAP_* settings)."""
    client = IMAPClient(
        settings.BOUNCE_IMAP_HOST,
        port=settings.BOUNCE_IMAP_PORT,
        ssl=settings.BOUNCE_IMAP_SSL,
        timeout=settings.BOUNCE_IMAP_TIMEOUT,
    )
    client.login(settings.BOUNCE_IMAP_USER, settings.BOUNCE_IMAP_PASSWORD)
    return client


def _record(raw, *, folder, uid_validity, uid, now):
    """Record one message and act on it in one transaction; None if another worker did."""
    report = read_report(raw)
    try:
        with transaction.atomic():
            record = MailboxMessage.objects.create(
                folder=folder, uid_validity=uid_validity, uid=uid, outcome="not_a_report"
            )
            for name, value in act_on(report, now=now).items():
                setattr(record, name, value)
            record.save()
    except IntegrityError:
        return None  # recorded by someone else in the meantime
    # The outcome, not the detail: a report's words often quote someone's address.
    if record.stays_in_mailbox:
        logger.warning(
            "Bounce mailbox: left message UID %s alone (%s); report record %s",
            uid,
            record.get_outcome_display(),
            record.pk,
        )
    else:
        logger.info("Bounce mailbox: UID %s: %s", uid, record.get_outcome_display())
    return record


def _move(client, uid, destination):
    client.add_flags([uid], [SEEN])
    if client.has_capability("MOVE"):
        client.move([uid], destination)  # one step: never in both folders
        return
    client.copy([uid], destination)
    client.delete_messages([uid])
    if client.has_capability("UIDPLUS"):
        client.uid_expunge([uid])
    else:
        client.expunge()


def process_mailbox(*, client=None, now=None):
    """Read the bounce folder once; return counts of what was done, by outcome.

    Without ``client`` it connects with the BOUNCE_IMAP_* settings, and logs out after.
    """
    own_client = client is None
    client = client or connect()
    folder, processed = settings.BOUNCE_IMAP_FOLDER, settings.BOUNCE_IMAP_PROCESSED_FOLDER
    counts = {}
    try:
        if not client.folder_exists(processed):
            client.create_folder(processed)
        uid_validity = client.select_folder(folder)[b"UIDVALIDITY"]
        uids = sorted(client.search("ALL"))
        known = {
            record.uid: record
            for record in MailboxMessage.objects.filter(
                folder=folder, uid_validity=uid_validity, uid__gte=uids[0] if uids else 0
            )
        }
        fetched_count = 0
        for uid in uids:
            record = known.get(uid)
            if record is None:
                if fetched_count >= MAX_PER_RUN:
                    break
                fetched_count += 1
                fetched = client.fetch([uid], ["BODY.PEEK[]"]).get(uid)
                if fetched is None:
                    continue  # expunged by someone else since the search
                record = _record(
                    fetched[b"BODY[]"],
                    folder=folder,
                    uid_validity=uid_validity,
                    uid=uid,
                    now=now or timezone.now(),
                )
                if record is None:
                    continue
                counts[record.outcome] = counts.get(record.outcome, 0) + 1
            if record.stays_in_mailbox or record.moved_at is not None:
                continue
            _move(client, uid, processed)
            MailboxMessage.objects.filter(pk=record.pk).update(moved_at=timezone.now())
    finally:
        if own_client:
            client.logout()
    return counts


_last_read = None


def read_bounce_mailbox_if_due(clock=time.monotonic):
    """Worker job: read the bounce mailbox every BOUNCE_IMAP_INTERVAL_SECONDS, if it is set up."""
    global _last_read
    if not enabled():
        return
    if _last_read is not None and clock() - _last_read < settings.BOUNCE_IMAP_INTERVAL_SECONDS:
        return
    _last_read = clock()
    counts = process_mailbox()
    if counts:
        logger.info("Read the bounce mailbox: %s", counts)
