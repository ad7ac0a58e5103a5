"""The suppression list: addresses that bounced, to which no email of any kind is sent.

An address is suppressed by a hard bounce, or by BOUNCE_SOFT_LIMIT soft
bounces in a row (``newsletter.bounces.handling``). It stays on the list
whatever its status, so neither signing up again nor an import mails it. It
comes off when a newsletter manager lifts it in the admin, or when the person
uses the "manage your subscription" link from one of our emails and saves
their choices (which shows the mailbox is theirs and works again).
"""

from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from newsletter.models import Delivery, Subscriber, SubscriberEmail
from newsletter.models.outbox import MessageStatus
from newsletter.models.subscribers import normalise_email


def any_suppressed(addresses):
    """True if any of ``addresses`` is suppressed."""
    wanted = [normalise_email(address).lower() for address in addresses]
    return (
        Subscriber.objects.filter(suppressed_at__isnull=False)
        .alias(email_lower=Lower("email"))
        .filter(email_lower__in=wanted)
        .exists()
    )


def cancel_queued(subscriber):
    """Cancel every email still waiting to be sent to ``subscriber``."""
    for model in (Delivery, SubscriberEmail):
        model.objects.filter(subscriber=subscriber, status=MessageStatus.QUEUED).update(
            status=MessageStatus.CANCELLED
        )


@transaction.atomic
def suppress(*, subscriber, reason, now=None):
    """Stop all email to ``subscriber``'s address, saying why; a second call changes nothing."""
    if subscriber.suppressed_at is not None:
        return False
    subscriber.suppressed_at = now or timezone.now()
    subscriber.suppression_reason = reason[:500]
    subscriber.save(update_fields=["suppressed_at", "suppression_reason"])
    cancel_queued(subscriber)
    return True


@transaction.atomic
def lift(*, subscriber):
    """Let ``subscriber``'s address get email again."""
    subscriber.suppressed_at = None
    subscriber.suppression_reason = ""
    subscriber.save(update_fields=["suppressed_at", "suppression_reason"])
