"""The outbox and its worker, against a real SMTP server (tests.newsletter.smtp_sink)."""

import datetime
import logging
import smtplib
import ssl
import threading
import time

import pytest
from django.core import mail
from django.core.mail import BadHeaderError, get_connection
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from newsletter import mailer, sending
from newsletter.mailer import claim_batch, queue_email, requeue_stuck, run_worker
from newsletter.models import OutboundEmail
from newsletter.pacing import Pacer
from newsletter.sending import send_batch
from newsletter.smtp_errors import InvalidAddress, InvalidSender, classify
from tests.newsletter.smtp_sink import free_port, smtp_sink_fixture, use_sink  # noqa: F401

Status = OutboundEmail.Status
pytestmark = pytest.mark.django_db
on_postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL's SKIP LOCKED"
)


def queue(to="parent@example.com", **overrides):
    fields = {"subject": "Please confirm", "text": "Plain words.", "kind": "confirmation"}
    return queue_email(to=to, **{**fields, **overrides})


def deliver(now):
    """One claim-and-send round with the clock fixed at ``now``, as the worker does it."""
    batch = claim_batch(OutboundEmail, batch_size=10, now=now)
    with get_connection() as mail_connection:
        return send_batch(batch, connection=mail_connection, pacer=Pacer(0), now=now)


def fresh(row):
    return OutboundEmail.objects.get(pk=row.pk)


# --- Transactions ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_email_queued_in_a_rolled_back_transaction_is_never_sent(smtp_sink):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue()
        raise RuntimeError("the change behind the email failed")

    assert not OutboundEmail.objects.exists()
    assert run_worker(once=True) == 0
    assert smtp_sink.messages == []


@pytest.mark.django_db(transaction=True)
def test_email_queued_in_a_committed_transaction_is_sent(smtp_sink):
    with transaction.atomic():
        row = queue()

    assert run_worker(once=True) == 1
    [message] = smtp_sink.wait_for(1)
    assert message.envelope_to == ["parent@example.com"]
    row = fresh(row)
    assert row.status == Status.SENT
    assert row.attempts == 1
    assert row.sent_at is not None


def test_message_has_text_and_html_parts_message_id_and_extra_headers(smtp_sink):
    row = queue(
        html="<p>Plain words.</p>",
        headers={"List-Unsubscribe": "<https://example.com/u/abc>"},
    )

    run_worker(once=True)

    [message] = smtp_sink.wait_for(1)
    assert message["Subject"] == "Please confirm"
    assert message["Message-ID"] == row.message_id()
    assert message["List-Unsubscribe"] == "<https://example.com/u/abc>"
    assert message.get_body(("plain",)).get_content().strip() == "Plain words."
    assert message.get_body(("html",)).get_content().strip() == "<p>Plain words.</p>"


def test_text_only_email_has_no_html_part(smtp_sink):
    queue()

    run_worker(once=True)

    [message] = smtp_sink.wait_for(1)
    assert not message.is_multipart()
    assert message.get_content_type() == "text/plain"


def test_message_id_uses_the_site_host(settings):
    settings.SITE_URL = "https://send-strategy.medway.gov.uk"
    row = queue()
    assert row.message_id() == f"<outbound-{row.pk}@send-strategy.medway.gov.uk>"


# --- Temporary and permanent failures -------------------------------------------------------


def test_temporary_refusal_is_retried_with_growing_backoff_then_delivered(smtp_sink):
    row = queue()
    smtp_sink.fail_rcpt["parent@example.com"] = (451, "4.7.1 try later", 2)
    start = timezone.now()

    assert deliver(start).retrying == 1
    row = fresh(row)
    assert (row.status, row.attempts) == (Status.QUEUED, 1)
    assert "451" in row.last_error
    first_wait = row.next_attempt_at - start
    assert first_wait == datetime.timedelta(seconds=30)
    assert claim_batch(OutboundEmail, batch_size=10, now=start) == []  # not due yet

    second = row.next_attempt_at
    assert deliver(second).retrying == 1
    row = fresh(row)
    assert row.attempts == 2
    assert row.next_attempt_at - second == 2 * first_wait

    assert deliver(row.next_attempt_at).sent == 1
    row = fresh(row)
    assert (row.status, row.attempts) == (Status.SENT, 3)
    assert len(smtp_sink.wait_for(1)) == 1
    assert smtp_sink.rcpt_log == ["parent@example.com"] * 3


def test_backoff_doubles_up_to_the_cap(settings):
    settings.EMAIL_RETRY_BASE_SECONDS = 30
    settings.EMAIL_RETRY_MAX_SECONDS = 3600
    waits = [sending.backoff(attempts) for attempts in range(1, 10)]
    assert waits == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_permanent_refusal_fails_at_once_and_is_never_retried(smtp_sink):
    row = queue()
    smtp_sink.fail_rcpt["parent@example.com"] = (550, "5.1.1 no such user", None)
    now = timezone.now()

    assert deliver(now).failed == 1
    row = fresh(row)
    assert (row.status, row.attempts) == (Status.FAILED, 1)
    assert "550" in row.last_error
    assert deliver(now + datetime.timedelta(days=30)).failed == 0
    assert smtp_sink.rcpt_log == ["parent@example.com"]
    assert smtp_sink.messages == []


def test_data_phase_replies_are_classified_by_code(smtp_sink):
    later = queue(to="later@example.com")
    never = queue(to="never@example.com")
    smtp_sink.fail_data["later@example.com"] = (452, "4.3.1 out of space", 1)
    smtp_sink.fail_data["never@example.com"] = (554, "5.6.0 rejected", 1)

    deliver(timezone.now())

    assert (fresh(later).status, fresh(later).attempts) == (Status.QUEUED, 1)
    assert (fresh(never).status, fresh(never).attempts) == (Status.FAILED, 1)
    assert "554" in fresh(never).last_error


def test_refused_connection_puts_the_message_back_without_using_an_attempt(settings):
    use_sink(settings, free_port())  # nothing listens there
    row = queue()

    run_worker(once=True)

    row = fresh(row)
    assert (row.status, row.attempts) == (Status.QUEUED, 0)
    assert "ConnectionRefused" in row.last_error


def test_dropped_connection_puts_that_message_and_the_rest_back_untried(smtp_sink):
    first, dropped, untried = (queue(to=f"{name}@example.com") for name in ("a", "b", "c"))
    smtp_sink.disconnect_rcpt["b@example.com"] = 1
    now = timezone.now()

    summary = deliver(now)

    assert (summary.sent, summary.retrying, summary.released) == (1, 0, 2)
    assert "mail server" in summary.outage
    assert fresh(first).status == Status.SENT
    assert (fresh(dropped).status, fresh(dropped).attempts) == (Status.QUEUED, 0)
    assert (fresh(untried).status, fresh(untried).attempts) == (Status.QUEUED, 0)
    # A fresh connection delivers both.
    assert deliver(now).sent == 2
    assert sorted(smtp_sink.recipients()) == ["a@example.com", "b@example.com", "c@example.com"]


def test_message_fails_after_max_attempts(smtp_sink, settings):
    settings.EMAIL_MAX_ATTEMPTS = 3
    row = queue()
    smtp_sink.fail_rcpt["parent@example.com"] = (451, "try later", None)
    now = timezone.now()

    for expected in (Status.QUEUED, Status.QUEUED, Status.FAILED):
        deliver(now)
        row = fresh(row)
        assert row.status == expected
        now = row.next_attempt_at
    assert row.attempts == 3
    assert deliver(now + datetime.timedelta(days=1)).retrying == 0


@pytest.mark.parametrize(
    ("exc", "permanent", "outage"),
    [
        (smtplib.SMTPDataError(451, b"later"), False, False),
        (smtplib.SMTPDataError(552, b"too big"), True, False),
        (smtplib.SMTPDataError(421, b"closing"), False, True),
        # The From address refused: our configuration, so a pause, never failed en masse.
        (smtplib.SMTPSenderRefused(550, b"not you", "from@example.com"), False, True),
        (smtplib.SMTPSenderRefused(451, b"slow down", "from@example.com"), False, True),
        (smtplib.SMTPRecipientsRefused({"a@example.com": (450, b"busy")}), False, False),
        (smtplib.SMTPRecipientsRefused({"a@example.com": (550, b"no such user")}), True, False),
        (smtplib.SMTPRecipientsRefused({"a@example.com": (553, b"bad syntax")}), True, False),
        (smtplib.SMTPRecipientsRefused({"a@example.com": (421, b"closing")}), False, True),
        (smtplib.SMTPConnectError(554, b"go away"), False, True),
        (smtplib.SMTPConnectError(421, b"too busy"), False, True),
        (smtplib.SMTPHeloError(501, b"bad HELO"), False, True),
        (smtplib.SMTPAuthenticationError(535, b"bad password"), False, True),
        (smtplib.SMTPServerDisconnected("gone"), False, True),
        (ConnectionRefusedError(111, "refused"), False, True),
        (TimeoutError("timed out"), False, True),
        (ssl.SSLError(1, "certificate verify failed"), False, True),
        (BadHeaderError("Header values can't contain newlines"), True, False),
        (InvalidAddress("a@b@c", "Invalid address"), True, False),
        (InvalidSender("nobody", "Invalid address"), False, True),
        # Anything else may be a bug a deploy will fix: retried, attempts counted.
        (ValueError("bad value"), False, False),
        (KeyError("template variable"), False, False),
    ],
)
def test_sending_errors_are_classified(exc, permanent, outage):
    failure = classify(exc)
    assert (failure.permanent, failure.outage) == (permanent, outage)


# --- Crashes, sweeps and claims ---------------------------------------------------------------


def stuck(row, *, claimed_at, attempts=0):
    OutboundEmail.objects.filter(pk=row.pk).update(
        status=Status.SENDING, claimed_at=claimed_at, attempts=attempts
    )


def test_sweep_requeues_only_rows_stuck_longer_than_the_timeout(smtp_sink):
    now = timezone.now()
    old, recent = queue(to="old@example.com"), queue(to="recent@example.com")
    stuck(old, claimed_at=now - datetime.timedelta(seconds=301))
    stuck(recent, claimed_at=now - datetime.timedelta(seconds=10))

    assert requeue_stuck(timeout_seconds=300, now=now) == 1

    old = fresh(old)
    assert (old.status, old.attempts, old.claimed_at) == (Status.QUEUED, 1, None)
    assert fresh(recent).status == Status.SENDING
    run_worker(once=True)
    assert fresh(old).status == Status.SENT
    assert fresh(recent).status == Status.SENDING
    assert smtp_sink.recipients() == ["old@example.com"]


def test_sweep_fails_a_message_that_keeps_killing_the_worker(settings):
    settings.EMAIL_MAX_ATTEMPTS = 3
    now = timezone.now()
    row = queue()
    stuck(row, claimed_at=now - datetime.timedelta(hours=1), attempts=2)

    assert requeue_stuck(timeout_seconds=300, now=now) == 0

    row = fresh(row)
    assert (row.status, row.attempts) == (Status.FAILED, 3)


def test_claim_marks_rows_sending_oldest_first_in_small_batches():
    rows = [queue(to=f"user{n}@example.com") for n in range(5)]
    now = timezone.now()
    OutboundEmail.objects.filter(pk=rows[4].pk).update(
        next_attempt_at=now - datetime.timedelta(hours=1)
    )
    OutboundEmail.objects.filter(pk=rows[3].pk).update(
        next_attempt_at=now + datetime.timedelta(hours=1)
    )

    claimed = claim_batch(OutboundEmail, batch_size=2, now=now)

    assert [row.pk for row in claimed] == [rows[4].pk, rows[0].pk]
    assert set(
        OutboundEmail.objects.filter(status=Status.SENDING).values_list("pk", flat=True)
    ) == {
        rows[4].pk,
        rows[0].pk,
    }
    assert all(row.claimed_at == now for row in claimed)
    assert [row.pk for row in claim_batch(OutboundEmail, batch_size=10, now=now)] == [
        rows[1].pk,
        rows[2].pk,
    ]


def test_outcome_is_not_recorded_over_a_later_claim(smtp_sink):
    row = queue()
    [claimed] = claim_batch(OutboundEmail, batch_size=1)
    # A sweep re-queued the row and another worker claimed it meanwhile.
    other_claim = timezone.now() + datetime.timedelta(seconds=1)
    OutboundEmail.objects.filter(pk=row.pk).update(claimed_at=other_claim)

    with get_connection() as mail_connection:
        send_batch([claimed], connection=mail_connection, pacer=Pacer(0))

    row = fresh(row)
    assert (row.status, row.claimed_at, row.attempts) == (Status.SENDING, other_claim, 0)


def test_message_built_as_none_is_cancelled_not_sent(smtp_sink, monkeypatch):
    # Stands in for a Delivery whose subscriber unsubscribed after it was queued.
    monkeypatch.setattr(OutboundEmail, "build_message", lambda self: None)
    row = queue()

    run_worker(once=True)

    assert fresh(row).status == Status.CANCELLED
    assert fresh(row).attempts == 0
    assert smtp_sink.messages == []


def test_message_that_cannot_be_built_is_retried_and_the_batch_goes_on(smtp_sink, monkeypatch):
    broken = queue(to="broken@example.com")
    fine = queue(to="fine@example.com")
    original = OutboundEmail.build_message

    def build(self):
        if self.pk == broken.pk:
            raise KeyError("template variable")
        return original(self)

    monkeypatch.setattr(OutboundEmail, "build_message", build)

    deliver(timezone.now())

    assert (fresh(broken).status, fresh(broken).attempts) == (Status.QUEUED, 1)
    assert "KeyError" in fresh(broken).last_error
    assert fresh(fine).status == Status.SENT


def test_stop_request_finishes_the_current_message_and_puts_the_rest_back(smtp_sink):
    rows = [queue(to=f"user{n}@example.com") for n in range(4)]
    stop = threading.Event()

    class StopAfterFirst:
        calls = 0

        def wait(self):
            self.calls += 1
            if self.calls == 2:
                stop.set()  # SIGTERM arrives once the first message has gone

    batch = claim_batch(OutboundEmail, batch_size=10)
    with get_connection() as mail_connection:
        summary = send_batch(
            batch, connection=mail_connection, pacer=StopAfterFirst(), stop_event=stop
        )

    assert (summary.sent, summary.released) == (1, 3)
    assert [fresh(row).status for row in rows] == [Status.SENT] + [Status.QUEUED] * 3
    assert all(fresh(row).attempts == 0 and fresh(row).claimed_at is None for row in rows[1:])


# --- Pacing -------------------------------------------------------------------------------------


def test_rate_limit_spaces_out_sends(smtp_sink):
    for n in range(10):
        queue(to=f"user{n}@example.com")

    started = time.monotonic()
    run_worker(once=True, rate=50)
    elapsed = time.monotonic() - started

    assert len(smtp_sink.wait_for(10)) == 10
    assert 0.17 <= elapsed < 5  # nine gaps of 1/50 s between ten sends


def test_pacer_limits_rate_and_zero_means_no_limit():
    paced = Pacer(50)
    started = time.monotonic()
    for _ in range(10):
        paced.wait()
    assert 0.17 <= time.monotonic() - started < 1

    unpaced = Pacer(0)
    started = time.monotonic()
    for _ in range(1000):
        unpaced.wait()
    assert time.monotonic() - started < 0.05


def test_pacer_does_not_burst_after_a_quiet_spell():
    clock = [0.0]
    sleeps = []
    pacer = Pacer(10, sleep=sleeps.append, clock=lambda: clock[0])
    pacer.wait()
    clock[0] = 60.0  # a minute idle
    pacer.wait()
    pacer.wait()
    assert sleeps == [pytest.approx(0.1)]


# --- Backends, the command, periodic jobs ------------------------------------------------------------


def test_worker_sends_through_the_locmem_backend():
    row = queue()

    run_worker(once=True)

    [message] = mail.outbox
    assert message.extra_headers["Message-ID"] == row.message_id()
    assert fresh(row).status == Status.SENT


def test_worker_sends_through_the_file_backend(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path
    row = queue()

    run_worker(once=True)

    [written] = tmp_path.iterdir()
    assert row.message_id() in written.read_text()


def test_command_sends_what_is_due_and_says_where(smtp_sink, capsys):
    queue()

    call_command("run_email_worker", "--once", "--rate", "0")

    assert f"SMTP 127.0.0.1:{smtp_sink.port} (no TLS)" in capsys.readouterr().out
    assert len(smtp_sink.wait_for(1)) == 1


def test_periodic_jobs_run_and_a_failing_one_is_only_logged(monkeypatch, caplog):
    ran = []

    def broken():
        raise RuntimeError("purge failed")

    monkeypatch.setattr(mailer, "PERIODIC_JOBS", [broken, lambda: ran.append(True)])

    with caplog.at_level(logging.ERROR, logger="newsletter.mailer"):
        run_worker(once=True)

    assert ran == [True]
    assert "broken" in caplog.text


# --- Several workers at once (PostgreSQL) -----------------------------------------------------------


@on_postgres_only
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_never_take_the_same_row():
    OutboundEmail.objects.bulk_create(
        OutboundEmail(kind="test", to_email=f"user{n}@example.com", subject="s", body_text="t")
        for n in range(200)
    )
    workers = 4
    start = threading.Barrier(workers)
    claimed = [[] for _ in range(workers)]
    errors = []

    def claim_all(mine):
        try:
            start.wait()
            while rows := claim_batch(OutboundEmail, batch_size=5):
                mine.extend(row.pk for row in rows)
        except Exception as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=claim_all, args=(mine,)) for mine in claimed]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    every_claim = [pk for mine in claimed for pk in mine]
    assert len(every_claim) == len(set(every_claim)) == 200
    assert sum(1 for mine in claimed if mine) >= 2, "the claims did not overlap at all"
    assert OutboundEmail.objects.filter(status=Status.SENDING).count() == 200


def test_worker_stops_after_max_messages_in_small_batches(smtp_sink):
    for n in range(25):
        queue(to=f"user{n}@example.com")

    assert run_worker(batch_size=5, max_messages=12, rate=0) == 12

    assert OutboundEmail.objects.filter(status=Status.SENT).count() == 12
    assert OutboundEmail.objects.filter(status=Status.QUEUED).count() == 13


def test_each_queue_model_gets_a_full_batch_in_every_round(monkeypatch):
    # The same model listed twice stands in for two queues (outbox and deliveries).
    monkeypatch.setattr(mailer, "QUEUE_MODELS", ["newsletter.OutboundEmail"] * 2)
    claims = []

    def recording_claim(model, *, batch_size, now=None):
        rows = claim_batch(model, batch_size=batch_size, now=now)
        claims.append(len(rows))
        return rows

    monkeypatch.setattr(mailer, "claim_batch", recording_claim)
    for n in range(4):
        queue(to=f"user{n}@example.com")

    run_worker(batch_size=2, once=True, rate=0)

    assert claims[:2] == [2, 2]  # one round: a batch from each queue
    assert len(mail.outbox) == 4
