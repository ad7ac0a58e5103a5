"""Erasing people and deleting what the privacy notice says we no longer keep.

Each is one transaction. The counts on newsletter issues stay true: a
delivery outlives its person, without them (and without any error text or
bounce report wording that might quote their address).
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from newsletter.models import (
    Delivery,
    ErasureRecord,
    ImportUpload,
    MailboxMessage,
    OutboundEmail,
    RateLimitCounter,
    Subscriber,
)

# How long an uploaded import waits for the manager to import or cancel it.
IMPORT_UPLOAD_HOURS = 1


def _forget_delivery_errors(subscribers):
    # A relay's refusal, or a bounce report, often quotes the address; the
    # delivery row and the report record outlive the person.
    Delivery.objects.filter(subscriber__in=subscribers).update(last_error="")
    MailboxMessage.objects.filter(subscriber__in=subscribers).update(detail="")


@transaction.atomic
def erase(*, subscriber):
    """Remove every trace of a person: subscriber, consent record, emails and admin log."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    OutboundEmail.objects.filter(to_email__iexact=subscriber.email).delete()
    _forget_delivery_errors([subscriber])
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Subscriber), object_id=str(subscriber.pk)
    ).delete()
    subscriber.delete()


@transaction.atomic
def erase_people(*, subscribers, by, action, now=None):
    """Erase each person completely, and record that it happened; return the record.

    The record says who did it, when, how and how many, never who was erased.
    """
    people = list(subscribers)
    for subscriber in people:
        erase(subscriber=subscriber)
    return ErasureRecord.objects.create(
        erased_at=now or timezone.now(),
        erased_by=by,
        erased_by_username=by.get_username(),
        people_count=len(people),
        action=action,
    )


@transaction.atomic
def purge(*, now=None):
    """Delete what the privacy notice says we no longer keep; return counts by kind."""
    now = now or timezone.now()
    days = datetime.timedelta
    # Unconfirmed addresses go 7 days after the last confirmation email we sent.
    pending_cutoff = now - days(days=settings.NEWSLETTER_PENDING_DAYS)
    pending = Subscriber.objects.filter(
        Q(last_confirmation_sent_at__isnull=True) | Q(last_confirmation_sent_at__lt=pending_cutoff),
        status=Subscriber.Status.PENDING,
        signed_up_at__lt=pending_cutoff,
    )
    unsubscribed = Subscriber.objects.filter(
        status=Subscriber.Status.UNSUBSCRIBED,
        unsubscribed_at__lt=now - days(days=settings.NEWSLETTER_SUPPRESSION_DAYS),
    )
    # An address that bounced is kept as long as an unsubscribed one, for the same reason.
    suppressed = Subscriber.objects.filter(
        suppressed_at__lt=now - days(days=settings.NEWSLETTER_SUPPRESSION_DAYS)
    )
    finished = OutboundEmail.objects.exclude(
        status__in=[OutboundEmail.Status.QUEUED, OutboundEmail.Status.SENDING]
    ).filter(created_at__lt=now - days(days=settings.NEWSLETTER_OUTBOX_RETENTION_DAYS))
    _forget_delivery_errors(pending | unsubscribed | suppressed)
    return {
        "unconfirmed sign-ups": pending.delete()[1].get("newsletter.Subscriber", 0),
        "old unsubscribes": unsubscribed.delete()[1].get("newsletter.Subscriber", 0),
        "old suppressed addresses": suppressed.delete()[1].get("newsletter.Subscriber", 0),
        "sent emails": finished.delete()[0],
        "rate-limit counters": RateLimitCounter.objects.filter(expires_at__lt=now).delete()[0],
        # Never one queued for the worker: its rows wait until they are imported.
        "abandoned imports": ImportUpload.objects.exclude(state=ImportUpload.State.QUEUED)
        .filter(uploaded_at__lt=now - days(hours=IMPORT_UPLOAD_HOURS))
        .delete()[0],
        "bounce reports": MailboxMessage.objects.filter(
            moved_at__lt=now - days(days=settings.NEWSLETTER_OUTBOX_RETENTION_DAYS)
        ).delete()[0],
    }
