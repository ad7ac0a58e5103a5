"""The mail relay goes down: the worker pauses with back-off, uses up no attempts, loses nothing.

Against the real SMTP sink (tests.newsletter.smtp_sink), stopped, so every
connection is refused as when a relay is down, then started again on the same
port. The long outage runs in virtual time: the worker's clock and sleep are
injected, while the sink, the sockets and the database are real.
"""

import collections
import logging
import signal
import threading
import time

import pytest
from django.db import connection

from newsletter import mailer, services
from newsletter.mailer import claim_batch, queue_email, run_worker
from newsletter.models import Delivery, NewsletterIssue, OutboundEmail
from newsletter.pacing import RelayBackoff
from tests.newsletter.factories import SubscriberFactory
from tests.newsletter.smtp_sink import SmtpSink, free_port, use_sink
from tests.newsletter.test_worker_crash import start_worker, wait_until

pytestmark = pytest.mark.django_db

TWO_HOURS = 2 * 60 * 60


class VirtualTime:
    """A clock and a sleep for the worker: sleeping moves the clock on at once.

    ``on_sleep`` is called after every sleep, with the clock already moved:
    the test's script of what happens when (the relay going down, coming back).
    """

    def __init__(self, on_sleep):
        self.now = 0.0
        self.on_sleep = on_sleep

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.now += max(seconds, 0.0)
        self.on_sleep()

    def out_of_time(self, limit, stop):
        """Stop the worker if the script has not by ``limit`` (a test that fails, not hangs)."""
        if self.now > limit:
            stop.set()


def record_claims(monkeypatch, clock):
    """Make every claim that took rows note (time, rows) in the returned list."""
    claims = []

    def recording_claim(model, *, batch_size, now=None):
        rows = claim_batch(model, batch_size=batch_size, now=now)
        if rows:
            claims.append((clock(), len(rows)))
        return rows

    monkeypatch.setattr(mailer, "claim_batch", recording_claim)
    return claims


def pauses_logged(caplog):
    """The length of each pause the worker logged, in order."""
    return [
        record.args[1]
        for record in caplog.records
        if record.name == "newsletter.pacing" and "paused" in record.getMessage()
    ]


def queue_mail_and_an_issue(count):
    """``count`` outbox emails and a newsletter issue to ``count`` subscribers; their addresses."""
    for n in range(count):
        queue_email(to=f"outbox{n}@example.com", subject=f"Message {n}", text="Hello.", kind="test")
    SubscriberFactory.create_batch(count)
    issue = NewsletterIssue.objects.create(subject="Outage test", body="<p>News.</p>")
    services.send_issue(issue_id=issue.pk)
    return {f"outbox{n}@example.com" for n in range(count)} | set(
        Delivery.objects.values_list("subscriber__email", flat=True)
    )


def every_row():
    return [*OutboundEmail.objects.all(), *Delivery.objects.all()]


def test_a_two_hour_outage_loses_nothing_and_uses_up_no_attempts(settings, monkeypatch, caplog):
    settings.EMAIL_OUTAGE_BACKOFF_BASE_SECONDS = 5
    settings.EMAIL_OUTAGE_BACKOFF_MAX_SECONDS = 300
    settings.EMAIL_MAX_ATTEMPTS = 8
    sink = SmtpSink().start()
    use_sink(settings, sink.port)
    expected = queue_mail_and_an_issue(40)
    stop = threading.Event()
    outage = {}
    sweeps, jobs = [], []

    def script():
        # Between two sends (the pacer sleeps), the relay goes away ...
        if "start" not in outage and len(sink.messages) >= 15:
            sink.stop()
            outage.update(start=virtual.now, real_start=time.monotonic())
        # ... for two hours, then comes back on the same port.
        elif "start" in outage and "end" not in outage:
            if virtual.now - outage["start"] >= TWO_HOURS:
                sink.start()
                outage.update(end=virtual.now, real_end=time.monotonic())
        elif "end" in outage and len(sink.messages) >= len(expected):
            stop.set()
        virtual.out_of_time(3 * TWO_HOURS, stop)

    virtual = VirtualTime(script)
    claims = record_claims(monkeypatch, virtual.clock)
    original_sweep = mailer.requeue_stuck

    def recording_sweep(**kwargs):
        sweeps.append(virtual.now)
        return original_sweep(**kwargs)

    monkeypatch.setattr(mailer, "requeue_stuck", recording_sweep)
    monkeypatch.setattr(mailer, "PERIODIC_JOBS", [lambda: jobs.append(virtual.now)])

    try:
        with caplog.at_level(logging.INFO):
            run_worker(
                rate=10, stop_event=stop, clock=virtual.clock, sleep=virtual.sleep, batch_size=10
            )
    finally:
        sink.stop()

    start, end = outage["start"], outage["end"]
    during = [rows for at, rows in claims if start <= at < end]
    rows = every_row()
    received = collections.Counter(sink.recipients())
    figures = {
        "outage (virtual s)": round(end - start),
        "outage (real s)": round(outage["real_end"] - outage["real_start"], 2),
        "messages": len(expected),
        "attempts used by the outage": sum(row.attempts for row in rows) - len(rows),
        "claims during the outage": len(during),
        "rows claimed during the outage": sum(during),
        "pauses logged": len(pauses_logged(caplog)),
        "sweeps during the outage": sum(1 for at in sweeps if start <= at < end),
        "periodic job runs during the outage": sum(1 for at in jobs if start <= at < end),
        "lost": len(expected - set(received)),
        "failed": sum(1 for row in rows if row.status == "failed"),
        "sent twice": sum(received.values()) - len(received),
    }
    print("\nTwo-hour relay outage:", figures)

    assert end - start >= TWO_HOURS
    assert set(received) == expected and figures["sent twice"] == 0
    assert all((row.status, row.attempts) == ("sent", 1) for row in rows)
    # One claim per retry of the relay, not hundreds a minute; each pause logged
    # once. (The first pause came from the batch in flight when the relay went.)
    assert figures["claims during the outage"] == figures["pauses logged"] - 1 <= 40
    pauses = pauses_logged(caplog)
    assert pauses[:8] == [5, 10, 20, 40, 80, 160, 300, 300]
    assert set(pauses[6:]) == {300}
    # What needs no relay kept going: the sweep every 30 s, the jobs every minute.
    assert figures["sweeps during the outage"] >= TWO_HOURS / 30 - 2
    assert figures["periodic job runs during the outage"] >= TWO_HOURS / 60 - 2
    # A relay that is back is used within one capped pause.
    first_claim_after = min(at for at, _ in claims if at >= end)
    assert first_claim_after - end <= 300


def test_a_short_outage_in_real_time_makes_a_handful_of_claims(settings, monkeypatch):
    settings.EMAIL_OUTAGE_BACKOFF_BASE_SECONDS = 0.1
    settings.EMAIL_OUTAGE_BACKOFF_MAX_SECONDS = 0.5
    sink = SmtpSink().start()
    sink.delay_seconds = 0.01  # so the relay goes down in the middle of the sending
    use_sink(settings, sink.port)
    expected = queue_mail_and_an_issue(30)
    stop = threading.Event()
    outage = {}
    claims = record_claims(monkeypatch, time.monotonic)

    def relay_down_for_three_seconds():
        try:
            sink.wait_for(10, timeout=30)
            sink.stop()
            outage["start"] = time.monotonic()
            time.sleep(3)
            outage["end"] = time.monotonic()
            sink.start()
            wait_until(lambda: set(sink.recipients()) >= expected, timeout=30, what="every message")
        finally:
            stop.set()

    control = threading.Thread(target=relay_down_for_three_seconds)
    control.start()
    try:
        # Polling fast when idle, so only the back-off can keep the claims down.
        run_worker(rate=0, stop_event=stop, batch_size=10, idle_sleep=0.02)
    finally:
        control.join(timeout=60)
        sink.stop()

    during = [at for at, _ in claims if outage["start"] <= at < outage["end"]]
    rows = every_row()
    received = collections.Counter(sink.recipients())
    figures = {
        "outage (real s)": round(outage["end"] - outage["start"], 2),
        "messages": len(expected),
        "attempts used by the outage": sum(row.attempts for row in rows) - len(rows),
        "claims during the outage": len(during),
        "lost": len(expected - set(received)),
        "failed": sum(1 for row in rows if row.status == "failed"),
        "sent twice": sum(received.values()) - len(received),
    }
    print("\nThree-second relay outage:", figures)

    assert set(received) == expected
    # Pauses of 0.1, 0.2, 0.4, then 0.5 s: about nine tries in three seconds.
    assert 3 <= len(during) <= 15
    assert all((row.status, row.attempts) == ("sent", 1) for row in rows)
    # Only a message the relay had whole when it went could arrive twice.
    assert figures["sent twice"] <= 1


def test_stop_request_ends_a_long_pause_at_once(settings):
    settings.EMAIL_OUTAGE_BACKOFF_BASE_SECONDS = 600
    settings.EMAIL_OUTAGE_BACKOFF_MAX_SECONDS = 600
    use_sink(settings, free_port())  # nothing listens there
    row = queue_email(to="parent@example.com", subject="s", text="t", kind="test")
    stop = threading.Event()
    threading.Timer(0.5, stop.set).start()  # SIGTERM, half a second into a ten-minute pause

    started = time.monotonic()
    run_worker(stop_event=stop)

    assert time.monotonic() - started < 3
    row.refresh_from_db()
    assert (row.status, row.attempts, row.claimed_at) == ("queued", 0, None)


def test_backoff_doubles_up_to_the_cap_and_a_send_resets_it():
    now = [0.0]
    relay = RelayBackoff(base=5, cap=300, clock=lambda: now[0])
    assert relay.paused_for() == 0

    pauses = [relay.failed("down") for _ in range(9)]
    assert pauses == [5, 10, 20, 40, 80, 160, 300, 300, 300]
    assert relay.paused_for() == 300
    now[0] += 299
    assert relay.paused_for() == pytest.approx(1)

    relay.succeeded()
    assert relay.paused_for() == 0
    assert relay.failed("down again") == 5


def test_a_message_the_relay_drops_every_time_fails_without_blocking_the_rest(
    settings, monkeypatch
):
    # A message that breaks the connection each time it is sent must not be
    # put back untried for ever, holding up everything behind it.
    settings.EMAIL_MAX_ATTEMPTS = 3
    settings.EMAIL_RETRY_BASE_SECONDS = 0  # its retries are due at once, in virtual time
    sink = SmtpSink().start()
    use_sink(settings, sink.port)
    sink.disconnect_rcpt["poison@example.com"] = None  # every time
    poison = queue_email(to="poison@example.com", subject="s", text="t", kind="test")
    fine = [
        queue_email(to=f"fine{n}@example.com", subject="s", text="t", kind="test") for n in range(3)
    ]
    stop = threading.Event()

    def script():
        if not OutboundEmail.objects.filter(status__in=["queued", "sending"]).exists():
            stop.set()
        virtual.out_of_time(TWO_HOURS, stop)

    virtual = VirtualTime(script)
    try:
        run_worker(stop_event=stop, rate=0, clock=virtual.clock, sleep=virtual.sleep)
    finally:
        sink.stop()

    poison.refresh_from_db()
    assert (poison.status, poison.attempts) == ("failed", 3)
    assert "mail server" in poison.last_error
    assert sorted(sink.recipients()) == [f"fine{n}@example.com" for n in range(3)]
    assert all(OutboundEmail.objects.get(pk=row.pk).attempts == 1 for row in fine)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a shared PostgreSQL")
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_worker_process_paused_by_an_outage_stops_at_once_on_sigterm(tmp_path):
    OutboundEmail.objects.create(kind="test", to_email="a@example.com", subject="s", body_text="t")
    log_path = tmp_path / "worker.log"
    worker = start_worker(
        free_port(),  # nothing listens there
        log_path,
        claim_timeout=600,  # so nothing but the stop request wakes the worker early
        EMAIL_OUTAGE_BACKOFF_BASE_SECONDS="600",
        EMAIL_OUTAGE_BACKOFF_MAX_SECONDS="600",
    )
    try:
        wait_until(lambda: "paused" in log_path.read_text(), timeout=30, what="a pause")
        started = time.monotonic()
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=10) == 0
        assert time.monotonic() - started < 5
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    row = OutboundEmail.objects.get()
    assert (row.status, row.attempts) == ("queued", 0)
    assert "Connection" in row.last_error
    assert log_path.read_text().count("paused") == 1
