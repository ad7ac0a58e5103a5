"""Sending one claimed batch over one mail connection, and recording each outcome.

Each outcome is saved by its own small UPDATE as soon as it is known, and only
if the row is still ours (see ``_record``). How an error is treated (outage,
permanent, temporary) is decided in ``newsletter.smtp_errors``.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from newsletter import return_path
from newsletter.models.outbox import MessageStatus
from newsletter.pacing import RelayBackoff
from newsletter.smtp_errors import Failure, check_addresses, classify
from newsletter.suppression import any_suppressed

logger = logging.getLogger(__name__)


@dataclass
class BatchSummary:
    """What happened to one batch."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    cancelled: int = 0
    released: int = 0
    outage: str = ""  # why the relay could not be used, if it could not

    @property
    def handled(self):
        """Messages whose outcome was recorded (not put back untried)."""
        return self.sent + self.retrying + self.failed + self.cancelled

    def __str__(self):
        return (
            f"{self.sent} sent, {self.retrying} to retry, {self.failed} failed, "
            f"{self.cancelled} cancelled, {self.released} put back"
        )


def backoff(attempts):
    """Seconds to wait before the next try, after ``attempts`` failed tries."""
    base = settings.EMAIL_RETRY_BASE_SECONDS
    cap = settings.EMAIL_RETRY_MAX_SECONDS
    return min(base * 2 ** max(attempts - 1, 0), cap)


def _record(message, **fields):
    """Save one outcome, but only if the row is still ours.

    If a sweep re-queued the row (this worker was too slow) and another worker
    claimed it, its ``claimed_at`` differs and this update touches nothing.
    """
    updated = (
        type(message)
        ._default_manager.filter(
            pk=message.pk, status=MessageStatus.SENDING, claimed_at=message.claimed_at
        )
        .update(**fields)
    )
    if not updated:
        logger.warning(
            "%s %s changed while being sent (swept, cancelled or deleted); outcome not recorded",
            message._meta.label,
            message.pk,
        )
    for name, value in fields.items():
        if not hasattr(value, "resolve_expression"):
            setattr(message, name, value)


def _record_failure(message, failure, now):
    attempts = message.attempts + 1
    message.attempts = attempts
    if failure.permanent or attempts >= settings.EMAIL_MAX_ATTEMPTS:
        _record(message, status=MessageStatus.FAILED, attempts=attempts, last_error=failure.error)
        logger.warning("%s %s failed: %s", message._meta.label, message.pk, failure.error)
        return "failed"
    _record(
        message,
        status=MessageStatus.QUEUED,
        attempts=attempts,
        last_error=failure.error,
        next_attempt_at=now + datetime.timedelta(seconds=backoff(attempts)),
    )
    return "retrying"


def release(messages, *, delay_seconds=0, error=None, now=None):
    """Give claimed but untried messages back to the queue, without counting an attempt.

    ``error``, when given, is saved as the row's last error, so the admin says
    why it is still waiting.
    """
    now = now or timezone.now()
    fields = {"status": MessageStatus.QUEUED, "claimed_at": None}
    if error is not None:
        fields["last_error"] = error
    for message in messages:
        _record(message, next_attempt_at=now + datetime.timedelta(seconds=delay_seconds), **fields)
    return len(messages)


def close_quietly(mail_connection):
    """Close a mail connection that may already be broken."""
    try:
        mail_connection.close()
    except Exception:  # a dead connection may fail to close in many ways
        logger.debug("closing a broken mail connection failed", exc_info=True)


def _build(message):
    """The message's email, checked for addresses that cannot be sent to (None: cancel).

    Every queue's email goes out with its own return path, and none at all to
    a suppressed address, whatever kind of email it is.
    """
    email = message.build_message()
    if email is None or any_suppressed(email.recipients()):
        return None
    return_path.apply(email, message)
    check_addresses(email)
    return email


def _count(summary, outcome):
    setattr(summary, outcome, getattr(summary, outcome) + 1)


def send_batch(messages, *, connection, pacer, relay=None, stop_event=None, now=None):
    """Send claimed ``messages`` over one mail ``connection``; return a BatchSummary.

    ``now`` fixes the clock for the bookkeeping (tests); by default each outcome
    is stamped when it happens. The connection is opened if needed and left open
    for the next batch, except after an outage, when it is closed so the next
    send reconnects. An outage (see ``newsletter.smtp_errors``) ends the batch:
    the message being sent and the rest go back untried, no attempt counted,
    and ``summary.outage`` says what went wrong, for the worker to pause on.
    ``relay`` (a RelayBackoff) remembers which message was in flight when a
    connection last dropped.
    """
    relay = relay or RelayBackoff(base=0, cap=0)
    summary = BatchSummary()
    for index, message in enumerate(messages):
        if stop_event is not None and stop_event.is_set():
            summary.released += release(messages[index:], now=now)
            break
        try:
            email = _build(message)
        except Exception as exc:  # one bad message must not stop the worker
            failure = classify(exc)
            if failure.outage:  # our From address: a setting to fix, not this message
                summary.outage = failure.error
                summary.released += release(messages[index:], error=failure.error, now=now)
                break
            if not failure.permanent:
                logger.exception("%s %s could not be built", message._meta.label, message.pk)
            _count(summary, _record_failure(message, failure, now or timezone.now()))
            continue
        if email is None:
            _record(message, status=MessageStatus.CANCELLED, claimed_at=None)
            summary.cancelled += 1
            continue
        pacer.wait()
        if stop_event is not None and stop_event.is_set():
            # Asked to stop while waiting for our turn: this one was not sent either.
            summary.released += release(messages[index:], now=now)
            break
        connected = False
        try:
            connection.open()
            connected = True
            accepted = connection.send_messages([email])
        except Exception as exc:  # classified below; the worker must carry on
            failure = classify(exc)
            if not failure.outage:
                _count(summary, _record_failure(message, failure, now or timezone.now()))
                continue
            close_quietly(connection)
            summary.outage = failure.error
            rest = messages[index:]
            if connected and failure.dropped and relay.dropped_again(_key(message)):
                # The line dropped mid-message twice running with this one in
                # flight: it may be the cause, so this time it counts an attempt
                # (and waits its turn), and cannot stop the queue for ever.
                _count(summary, _record_failure(message, failure, now or timezone.now()))
                rest = rest[1:]
            summary.released += release(rest, error=failure.error, now=now)
            break
        if accepted == 0:
            # The backend took nothing and said nothing: no usable recipient.
            failure = Failure(
                permanent=True, outage=False, error="The email has no address to send it to."
            )
            _count(summary, _record_failure(message, failure, now or timezone.now()))
            continue
        _record(
            message,
            status=MessageStatus.SENT,
            attempts=message.attempts + 1,
            sent_at=now or timezone.now(),
        )
        summary.sent += 1
    return summary


def _key(message):
    return (message._meta.label, message.pk)
