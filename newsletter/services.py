"""The newsletter's multi-step operations: each one transaction, each email via the outbox.

An email is queued in the same transaction as the change that causes it, so a
change that is rolled back sends nothing and a committed one is never lost.
"""

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from newsletter import emails
from newsletter.consent import SIGNUP_WORDING_VERSION
from newsletter.mailer import queue_email
from newsletter.models import (
    ConsentEvent,
    Delivery,
    Frequency,
    NewsletterIssue,
    Subscriber,
)
from newsletter.models.subscribers import normalise_email

# Erasing and purging live in newsletter.retention; they are named here too, with
# the other operations, because the admin and the commands look for them here.
from newsletter.retention import erase, erase_people, purge
from newsletter.suppression import cancel_queued
from newsletter.tokens import LinkExpired, LinkInvalid, read_confirm_token, read_unsubscribe_token
from strategy.public import privacy_notice_version

logger = logging.getLogger(__name__)


class AlreadySent(Exception):
    """The newsletter issue has already been sent; it can only be sent once."""


def _locked_subscriber(email):
    return Subscriber.objects.select_for_update().for_email(email).first()


def _may_send_confirmation(subscriber, now):
    """At most a few emails a day to one address, and not two within minutes."""
    interval = datetime.timedelta(seconds=settings.NEWSLETTER_CONFIRMATION_INTERVAL_SECONDS)
    if (
        subscriber.last_confirmation_sent_at
        and now - subscriber.last_confirmation_sent_at < interval
    ):
        return False
    window_start = subscriber.confirmation_window_started_at
    if window_start is None or now - window_start >= datetime.timedelta(days=1):
        subscriber.confirmation_window_started_at = now
        subscriber.confirmations_in_window = 0
    if subscriber.confirmations_in_window >= settings.NEWSLETTER_CONFIRMATIONS_PER_DAY:
        return False
    subscriber.confirmations_in_window += 1
    subscriber.last_confirmation_sent_at = now
    return True


def _record_signup(subscriber, *, signup_page, now):
    privacy_version = privacy_notice_version()
    subscriber.status = Subscriber.Status.PENDING
    subscriber.signed_up_at = now
    subscriber.signup_page = signup_page
    subscriber.signup_wording_version = SIGNUP_WORDING_VERSION
    subscriber.privacy_notice_version = privacy_version
    subscriber.confirmed_at = None
    subscriber.unsubscribed_at = None
    subscriber.save()
    ConsentEvent.objects.create(
        subscriber=subscriber,
        kind=ConsentEvent.Kind.SIGNED_UP,
        at=now,
        signup_page=signup_page,
        signup_wording_version=SIGNUP_WORDING_VERSION,
        privacy_notice_version=privacy_version,
    )


@transaction.atomic
def subscribe(*, email, signup_page="", now=None):
    """Sign up ``email``; return what was queued: "confirmation", "already_subscribed" or None.

    The caller shows the same page whatever this returns, so nobody can find
    out from the website whether an address is subscribed. A suppressed
    address (it bounced) is sent nothing at all (see newsletter.suppression).
    """
    now = now or timezone.now()
    email = normalise_email(email)
    subscriber = _locked_subscriber(email)
    if subscriber is not None and subscriber.is_suppressed:
        logger.info("Sign-up for a suppressed address: nothing sent")
        return None
    if subscriber is None:
        try:
            with transaction.atomic():
                subscriber = Subscriber.objects.create(email=email, signed_up_at=now)
        except IntegrityError:
            # Someone signed the same address up at the same moment; use theirs.
            subscriber = _locked_subscriber(email)
        else:
            _record_signup(subscriber, signup_page=signup_page, now=now)
    elif subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        _record_signup(subscriber, signup_page=signup_page, now=now)

    allowed = _may_send_confirmation(subscriber, now)
    subscriber.save()
    if not allowed:
        return None
    if subscriber.status == Subscriber.Status.CONFIRMED:
        content, kind = emails.already_subscribed_email(subscriber), "already_subscribed"
    else:
        content, kind = emails.confirmation_email(subscriber), "confirmation"
    queue_email(
        to=subscriber.email,
        subject=content["subject"],
        text=content["text"],
        html=content["html"],
        kind=kind,
    )
    return kind


def _pending_subscriber(public_id, signed_up_at, *, lock):
    """The subscriber a confirm link is for; LinkExpired if it is for an earlier sign-up."""
    queryset = Subscriber.objects.select_for_update() if lock else Subscriber.objects
    subscriber = queryset.filter(public_id=public_id).first()
    if subscriber is None:
        raise LinkInvalid
    if subscriber.status == Subscriber.Status.CONFIRMED:
        return subscriber
    if (
        subscriber.status != Subscriber.Status.PENDING
        or int(subscriber.signed_up_at.timestamp()) != signed_up_at
    ):
        raise LinkExpired
    return subscriber


def check_confirm_link(*, token):
    """Raise LinkExpired or LinkInvalid if ``token`` could not confirm anything. Changes nothing."""
    _pending_subscriber(*read_confirm_token(token), lock=False)


@transaction.atomic
def confirm(*, token, now=None):
    """Confirm the sign-up a link was sent for; return the subscriber.

    Raises LinkExpired or LinkInvalid. A link for an earlier sign-up (before the
    person unsubscribed and signed up again) no longer confirms anything.
    """
    now = now or timezone.now()
    subscriber = _pending_subscriber(*read_confirm_token(token), lock=True)
    if subscriber.status == Subscriber.Status.CONFIRMED:
        return subscriber
    subscriber.status = Subscriber.Status.CONFIRMED
    subscriber.confirmed_at = now
    subscriber.save(update_fields=["status", "confirmed_at"])
    ConsentEvent.objects.create(subscriber=subscriber, kind=ConsentEvent.Kind.CONFIRMED, at=now)
    return subscriber


def subscriber_for_unsubscribe(token):
    """The subscriber an unsubscribe link is for, or None if they are no longer on the list."""
    public_id, _issue_id = read_unsubscribe_token(token)
    return Subscriber.objects.filter(public_id=public_id).first()


def count_against_issue(issue_id, counter):
    """Add one to an issue's ``counter`` (the link used was in that issue's email)."""
    if issue_id:
        NewsletterIssue.objects.filter(pk=issue_id).update(**{counter: F(counter) + 1})


def take_off_list(subscriber, *, now, kind=ConsentEvent.Kind.UNSUBSCRIBED, note=""):
    """Unsubscribe a locked ``subscriber`` from everything; False if they already were.

    Call it inside a transaction. Whatever was waiting to be sent to them is
    cancelled, so it takes effect even in the middle of a send.
    """
    if subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        return False
    subscriber.status = Subscriber.Status.UNSUBSCRIBED
    subscriber.unsubscribed_at = now
    subscriber.save(update_fields=["status", "unsubscribed_at"])
    ConsentEvent.objects.create(subscriber=subscriber, kind=kind, at=now, note=note)
    cancel_queued(subscriber)
    return True


@transaction.atomic
def unsubscribe(*, token, now=None):
    """Take the link's subscriber off the list at once, even mid-send. Safe to repeat.

    Raises LinkInvalid for a tampered link; an erased subscriber is simply gone.
    A link from a newsletter issue's email counts one unsubscribe against it.
    """
    now = now or timezone.now()
    public_id, issue_id = read_unsubscribe_token(token)
    subscriber = Subscriber.objects.select_for_update().filter(public_id=public_id).first()
    if subscriber is not None and take_off_list(subscriber, now=now):
        count_against_issue(issue_id, "unsubscribe_count")
    return subscriber


def issue_audience():
    """The people a newsletter issue is emailed to as it is sent (the rest get it weekly)."""
    return Subscriber.objects.wanting("issues", Frequency.IMMEDIATELY)


@transaction.atomic
def send_issue(*, issue_id, user=None, now=None):
    """Queue ``issue`` for everyone who wants newsletters as they happen; return how many.

    Only ever once. People who chose a weekly summary get it in their next one.
    """
    now = now or timezone.now()
    issue = NewsletterIssue.objects.select_for_update().get(pk=issue_id)
    if not issue.can_be_sent:
        raise AlreadySent
    subscriber_ids = list(issue_audience().values_list("pk", flat=True))
    Delivery.objects.bulk_create(
        (Delivery(issue=issue, subscriber_id=pk, next_attempt_at=now) for pk in subscriber_ids),
        batch_size=1000,
        ignore_conflicts=True,
    )
    issue.status = NewsletterIssue.Status.SENDING
    issue.send_started_at = now
    issue.sent_by = user
    issue.recipient_count = len(subscriber_ids)
    issue.save(update_fields=["status", "send_started_at", "sent_by", "recipient_count"])
    return issue.recipient_count


@transaction.atomic
def send_test(*, issue, to):
    """Queue a copy of ``issue`` to one address (a member of staff), marked as a test."""
    content = emails.issue_content(issue)
    return queue_email(
        to=to,
        subject=f"[Test] {content['subject']}",
        text=content["text"],
        html=content["html"],
        headers=content["headers"],
        kind="newsletter_test",
    )


__all__ = [
    "AlreadySent",
    "LinkExpired",
    "LinkInvalid",
    "check_confirm_link",
    "confirm",
    "count_against_issue",
    "erase",
    "erase_people",
    "issue_audience",
    "purge",
    "send_issue",
    "send_test",
    "subscribe",
    "subscriber_for_unsubscribe",
    "take_off_list",
    "unsubscribe",
]
