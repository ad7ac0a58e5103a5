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
* A relay outage loses nothing and uses up no attempts. When the relay cannot
  be reached, or refuses us rather than a message (``newsletter.smtp_errors``),
  the batch goes back untried and the whole worker pauses, doubling from
  EMAIL_OUTAGE_BACKOFF_BASE_SECONDS up to EMAIL_OUTAGE_BACKOFF_MAX_SECONDS,
  logged once a pause. The sweep and the periodic jobs go on meanwhile, and
  SIGTERM still stops it at once. A message accepted ends the back-off.

Every concrete ``QueuedMessage`` model in ``QUEUE_MODELS`` is served, one batch
from each in turn, so a big newsletter never holds up confirmation emails for
more than a batch.
"""

import datetime
import logging
import threading
import time

from django.apps import apps
from django.conf import settings
from django.core.mail import get_connection
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.db.models import F
from django.utils import timezone

from newsletter.models.outbox import MessageStatus, OutboundEmail
from newsletter.pacing import Pacer, RelayBackoff
from newsletter.sending import close_quietly, send_batch

logger = logging.getLogger(__name__)

# Resolved lazily (apps.get_model), so this module imports before the models load.
QUEUE_MODELS = ["newsletter.OutboundEmail", "newsletter.Delivery", "newsletter.SubscriberEmail"]

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


def _serve_queues(*, batch_size, remaining, mail_connection, pacer, relay, stop_event):
    """Claim and send up to one batch from each queue model in turn; return how many were handled.

    ``remaining`` caps the total (None for no cap). An outage ends the round
    and pauses ``relay``; a message sent resets it.
    """
    handled = 0
    for model in queue_models():
        size = batch_size if remaining is None else min(batch_size, remaining - handled)
        if stop_event.is_set() or size <= 0:
            break
        batch = claim_batch(model, batch_size=size)
        if not batch:
            continue
        started = time.monotonic()
        summary = send_batch(
            batch, connection=mail_connection, pacer=pacer, relay=relay, stop_event=stop_event
        )
        logger.info(
            "%s: %d claimed, %s in %.2f s",
            model._meta.label,
            len(batch),
            summary,
            time.monotonic() - started,
        )
        handled += summary.handled
        if summary.sent:
            relay.succeeded()
        if summary.outage:
            relay.failed(summary.outage)
            break
    return handled


def run_worker(
    *,
    once=False,
    batch_size=None,
    idle_sleep=1.0,
    stop_event=None,
    max_messages=None,
    rate=None,
    claim_timeout=None,
    clock=time.monotonic,
    sleep=None,
):
    """Send from the outbox until ``stop_event`` is set; return how many rows were handled.

    ``once`` returns as soon as nothing is due, or the relay is down (tests,
    cron). ``max_messages`` stops after that many rows handled. ``rate``
    (messages a second, 0 for no limit) and ``claim_timeout`` (seconds)
    override EMAIL_RATE_LIMIT and EMAIL_CLAIM_TIMEOUT_SECONDS. A database
    outage is waited out, not fatal; so is a relay outage, with back-off
    (EMAIL_OUTAGE_BACKOFF_*), while the sweep and periodic jobs go on.
    ``clock`` and ``sleep`` (by default the monotonic clock and waiting on
    ``stop_event``) time all the worker's waits, so a test can run it in
    virtual time.
    """
    stop_event = stop_event or threading.Event()
    sleep = sleep or stop_event.wait
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
    pacer = Pacer(rate, sleep=sleep, clock=clock)
    relay = RelayBackoff(
        base=settings.EMAIL_OUTAGE_BACKOFF_BASE_SECONDS,
        cap=settings.EMAIL_OUTAGE_BACKOFF_MAX_SECONDS,
        clock=clock,
    )
    mail_connection = get_connection()
    last_sweep = last_jobs = float("-inf")
    handled = 0
    try:
        while not stop_event.is_set():
            if max_messages is not None and handled >= max_messages:
                break
            try:
                _fresh_database_connection()
                if clock() - last_sweep >= sweep_every:
                    requeue_stuck(timeout_seconds=claim_timeout)
                    last_sweep = clock()
                if clock() - last_jobs >= PERIODIC_JOB_INTERVAL_SECONDS:
                    run_periodic_jobs()
                    last_jobs = clock()
                paused = relay.paused_for()
                if paused:
                    if once:
                        break
                    # Claim nothing until the pause is over, but wake for the
                    # sweep and the periodic jobs, which need no relay.
                    sleep(
                        min(
                            paused,
                            last_sweep + sweep_every - clock(),
                            last_jobs + PERIODIC_JOB_INTERVAL_SECONDS - clock(),
                        )
                    )
                    continue
                claimed = _serve_queues(
                    batch_size=batch_size,
                    remaining=None if max_messages is None else max_messages - handled,
                    mail_connection=mail_connection,
                    pacer=pacer,
                    relay=relay,
                    stop_event=stop_event,
                )
            except DatabaseError:
                if connection.in_atomic_block:
                    raise  # the caller's transaction is broken; only the caller can recover
                # Rows in flight stay "sending" and are swept later: nothing is lost.
                logger.exception("database error; trying again in %d s", DATABASE_RETRY_SECONDS)
                close_quietly(mail_connection)
                sleep(DATABASE_RETRY_SECONDS)
                continue
            handled += claimed
            if not claimed and not relay.paused_for():
                # Idle: don't hold a relay connection open for nothing.
                close_quietly(mail_connection)
                if once:
                    break
                sleep(idle_sleep)
    finally:
        close_quietly(mail_connection)
    return handled
