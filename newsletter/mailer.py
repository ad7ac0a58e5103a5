"""Send the outbox: claim due rows, hand them to the mail backend, record what happened.

Guarantees, and what they rest on:

* Nothing is lost. A row is only ever "sent" after the backend accepted it. A
  worker killed mid-batch leaves its rows "sending"; ``requeue_stuck`` puts them
  back once ``EMAIL_CLAIM_TIMEOUT_SECONDS`` have passed, and another worker (or
  the same one, restarted) sends them.
* Nothing is sent twice by two workers. Claiming is one short transaction
  (``SELECT ... FOR UPDATE SKIP LOCKED`` on PostgreSQL; the IMMEDIATE write lock
  on SQLite) that marks the rows "sending" and commits before any SMTP talk.
* After a crash, duplicates are at most the batch that was in flight, because
  each outcome is saved by its own small UPDATE as soon as it is known. The claim
  timeout must comfortably exceed the time one batch can take, or a slow but
  live worker's rows would be swept and sent again.

Every concrete ``QueuedMessage`` model in ``QUEUE_MODELS`` is served, one batch
from each in turn, so a big newsletter never holds up confirmation emails for
more than a batch.
"""

import datetime
import logging
import threading
import time
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.mail import get_connection
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.db.models import F
from django.utils import timezone

from newsletter.models.outbox import MessageStatus, OutboundEmail
from newsletter.pacing import Pacer
from newsletter.smtp_errors import Failure, classify

logger = logging.getLogger(__name__)

# Resolved lazily (apps.get_model), so this module imports before the models load.
QUEUE_MODELS = ["newsletter.OutboundEmail", "newsletter.Delivery"]

# Callables the worker runs about once a minute (data purges, scheduled
# publishing). A job that raises is logged and the worker carries on.
PERIODIC_JOBS = []

SWEEP_INTERVAL_SECONDS = 30
PERIODIC_JOB_INTERVAL_SECONDS = 60
DATABASE_RETRY_SECONDS = 5


def queue_email(*, to, subject, text, html="", headers=None, kind):
    """Put one email in the outbox; call it inside the transaction of the change behind it."""
    return OutboundEmail.objects.create(
        kind=kind,
        to_email=to,
        subject=subject,
        body_text=text,
        body_html=html,
        headers=headers or {},
    )


def queue_models():
    """The concrete queue models, in serving order."""
    return [apps.get_model(label) for label in QUEUE_MODELS]


# --- Claiming and sweeping -------------------------------------------------------------


def claim_batch(model, *, batch_size, now=None):
    """Mark up to ``batch_size`` due rows of ``model`` as "sending" by us and return them."""
    now = now or timezone.now()
    queryset = model._default_manager.filter(
        status=MessageStatus.QUEUED, next_attempt_at__lte=now
    ).order_by("next_attempt_at", "pk")
    hook = getattr(model, "claim_queryset", None)
    if hook is not None:
        queryset = hook(queryset)
    with transaction.atomic():
        # of=("self",): lock only the queue rows. A hook's select_related would
        # otherwise lock the joined rows too (and PostgreSQL refuses FOR UPDATE
        # on the nullable side of an outer join); every delivery of one issue
        # joins the same issue row, so a second worker would skip them all.
        rows = list(queryset.select_for_update(skip_locked=True, of=("self",))[:batch_size])
        if rows:
            model._default_manager.filter(pk__in=[row.pk for row in rows]).update(
                status=MessageStatus.SENDING, claimed_at=now
            )
    for row in rows:
        row.status, row.claimed_at = MessageStatus.SENDING, now
    return rows


def requeue_stuck(*, timeout_seconds, now=None):
    """Put rows left "sending" longer than ``timeout_seconds`` back in the queue; return how many.

    Such a row belonged to a worker that died mid-batch. Its email may or may not
    have gone, so the sweep counts an attempt: a message that kills the worker
    every time (say, one too big to render) then fails after EMAIL_MAX_ATTEMPTS
    instead of taking workers down for ever.
    """
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=timeout_seconds)
    last_chance = settings.EMAIL_MAX_ATTEMPTS - 1
    requeued = 0
    for model in queue_models():
        stuck = model._default_manager.filter(status=MessageStatus.SENDING, claimed_at__lt=cutoff)
        failed = stuck.filter(attempts__gte=last_chance).update(
            status=MessageStatus.FAILED,
            attempts=F("attempts") + 1,
            claimed_at=None,
            last_error="The worker stopped while sending this message, too many times.",
        )
        count = stuck.update(
            status=MessageStatus.QUEUED,
            attempts=F("attempts") + 1,
            claimed_at=None,
            next_attempt_at=now,
        )
        if count or failed:
            logger.warning(
                "%s: %d stuck messages re-queued, %d failed", model._meta.label, count, failed
            )
        requeued += count
    return requeued


# --- Sending ---------------------------------------------------------------------------


@dataclass
class BatchSummary:
    """What happened to one batch."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    cancelled: int = 0
    released: int = 0

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


def release(messages, *, delay_seconds=0, now=None):
    """Give claimed but untried messages back to the queue, without counting an attempt."""
    now = now or timezone.now()
    for message in messages:
        _record(
            message,
            status=MessageStatus.QUEUED,
            claimed_at=None,
            next_attempt_at=now + datetime.timedelta(seconds=delay_seconds),
        )
    return len(messages)


def close_quietly(mail_connection):
    """Close a mail connection that may already be broken."""
    try:
        mail_connection.close()
    except Exception:  # a dead connection may fail to close in many ways
        logger.debug("closing a broken mail connection failed", exc_info=True)


def send_batch(messages, *, connection, pacer, stop_event=None, now=None):
    """Send claimed ``messages`` over one mail ``connection``; return a BatchSummary.

    ``now`` fixes the clock for the bookkeeping (tests); by default each outcome
    is stamped when it happens. The connection is opened if needed and left open
    for the next batch, except after an error, when it is closed so the next
    send reconnects. If the relay cannot be reached, the rest of the batch is
    put back untried, to wait one retry interval.
    """
    summary = BatchSummary()
    for index, message in enumerate(messages):
        if stop_event is not None and stop_event.is_set():
            summary.released += release(messages[index:], now=now)
            break
        try:
            email = message.build_message()
        except Exception as exc:  # one bad message must not stop the worker
            logger.exception("%s %s could not be built", message._meta.label, message.pk)
            outcome = _record_failure(message, classify(exc), now or timezone.now())
            setattr(summary, outcome, getattr(summary, outcome) + 1)
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
        try:
            connection.open()
            accepted = connection.send_messages([email])
        except Exception as exc:  # classified below; the worker must carry on
            failure = classify(exc)
            outcome = _record_failure(message, failure, now or timezone.now())
            setattr(summary, outcome, getattr(summary, outcome) + 1)
            if failure.connection_lost:
                close_quietly(connection)
                rest = messages[index + 1 :]
                delay = settings.EMAIL_RETRY_BASE_SECONDS
                summary.released += release(rest, delay_seconds=delay, now=now)
                break
            continue
        if accepted == 0:
            # The backend took nothing and said nothing: no usable recipient.
            failure = Failure(permanent=True, connection_lost=False, error="No recipients.")
            outcome = _record_failure(message, failure, now or timezone.now())
            setattr(summary, outcome, getattr(summary, outcome) + 1)
            continue
        _record(
            message,
            status=MessageStatus.SENT,
            attempts=message.attempts + 1,
            sent_at=now or timezone.now(),
        )
        summary.sent += 1
    return summary


# --- The worker loop ------------------------------------------------------------------


def run_periodic_jobs():
    """Run each of PERIODIC_JOBS once; a job that fails is logged, not fatal."""
    for job in list(PERIODIC_JOBS):
        try:
            job()
        except Exception:  # a broken purge must not stop email
            logger.exception("periodic job %s failed", getattr(job, "__name__", job))


def _fresh_database_connection():
    # A long-running process outside any request must drop a connection that
    # broke or outlived CONN_MAX_AGE itself. Never inside a caller's transaction.
    if not connection.in_atomic_block:
        close_old_connections()


def _serve_queues(*, batch_size, remaining, mail_connection, pacer, stop_event):
    """Claim and send up to one batch from each queue model in turn; return how many.

    ``remaining`` caps the total (None for no cap).
    """
    claimed = 0
    for model in queue_models():
        size = batch_size if remaining is None else min(batch_size, remaining - claimed)
        if stop_event.is_set() or size <= 0:
            break
        batch = claim_batch(model, batch_size=size)
        if not batch:
            continue
        started = time.monotonic()
        summary = send_batch(batch, connection=mail_connection, pacer=pacer, stop_event=stop_event)
        logger.info(
            "%s: %d claimed, %s in %.2f s",
            model._meta.label,
            len(batch),
            summary,
            time.monotonic() - started,
        )
        claimed += len(batch)
    return claimed


def run_worker(
    *,
    once=False,
    batch_size=None,
    idle_sleep=1.0,
    stop_event=None,
    max_messages=None,
    rate=None,
    claim_timeout=None,
):
    """Send from the outbox until ``stop_event`` is set; return how many rows were handled.

    ``once`` returns as soon as nothing is due (tests, cron). ``max_messages``
    stops after that many claimed rows. ``rate`` (messages a second, 0 for no
    limit) and ``claim_timeout`` (seconds) override EMAIL_RATE_LIMIT and
    EMAIL_CLAIM_TIMEOUT_SECONDS. A database outage is waited out, not fatal.
    """
    stop_event = stop_event or threading.Event()
    batch_size = batch_size or settings.EMAIL_BATCH_SIZE
    rate = settings.EMAIL_RATE_LIMIT if rate is None else rate
    if claim_timeout is None:
        claim_timeout = settings.EMAIL_CLAIM_TIMEOUT_SECONDS
    if rate:
        # A claimed batch must be sent well within the claim timeout, or another
        # worker's sweep would put it back while this one is still sending it.
        batch_size = min(batch_size, max(1, int(rate * claim_timeout / 2)))
    # Sweep at least as often as the timeout, so a short timeout acts quickly.
    sweep_every = min(SWEEP_INTERVAL_SECONDS, claim_timeout)
    pacer = Pacer(rate, sleep=stop_event.wait)
    mail_connection = get_connection()
    last_sweep = last_jobs = float("-inf")
    handled = 0
    try:
        while not stop_event.is_set():
            if max_messages is not None and handled >= max_messages:
                break
            try:
                _fresh_database_connection()
                if time.monotonic() - last_sweep >= sweep_every:
                    requeue_stuck(timeout_seconds=claim_timeout)
                    last_sweep = time.monotonic()
                if time.monotonic() - last_jobs >= PERIODIC_JOB_INTERVAL_SECONDS:
                    run_periodic_jobs()
                    last_jobs = time.monotonic()
                claimed = _serve_queues(
                    batch_size=batch_size,
                    remaining=None if max_messages is None else max_messages - handled,
                    mail_connection=mail_connection,
                    pacer=pacer,
                    stop_event=stop_event,
                )
            except DatabaseError:
                if connection.in_atomic_block:
                    raise  # the caller's transaction is broken; only the caller can recover
                # Rows in flight stay "sending" and are swept later: nothing is lost.
                logger.exception("database error; trying again in %d s", DATABASE_RETRY_SECONDS)
                close_quietly(mail_connection)
                stop_event.wait(DATABASE_RETRY_SECONDS)
                continue
            handled += claimed
            if not claimed:
                # Idle: don't hold a relay connection open for nothing.
                close_quietly(mail_connection)
                if once:
                    break
                stop_event.wait(idle_sleep)
    finally:
        close_quietly(mail_connection)
    return handled
