"""Kill -9 a real worker process mid-send: a restarted worker must lose nothing.

PostgreSQL only: the worker runs as a separate process against the test
database, which an in-memory SQLite database cannot be shared for.
"""

import collections
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from newsletter.models import OutboundEmail
from tests.newsletter.smtp_sink import SmtpSink

ROOT = Path(__file__).resolve().parents[2]
BATCH_SIZE = 10
COUNT = 500

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a shared PostgreSQL"),
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def database_url():
    """The test database (test_… during a test run) as a URL for another process."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(sink_port, log_path, *, claim_timeout=2, **extra_env):
    """Start ``manage.py run_email_worker`` against the test database and ``sink_port``.

    Production settings (tests.settings would force the locmem backend), with
    ``extra_env`` added to the environment; output goes to ``log_path``.
    """
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "medway_send.settings",
        "DJANGO_DEBUG": "true",
        "DATABASE_URL": database_url(),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink_port),
        "EMAIL_USE_TLS": "false",
        "EMAIL_USE_SSL": "false",
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        **extra_env,
    }
    command = [
        sys.executable,
        "manage.py",
        "run_email_worker",
        f"--batch-size={BATCH_SIZE}",
        "--rate=0",
        f"--claim-timeout={claim_timeout}",
    ]
    log = log_path.open("w")
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_until(condition, *, timeout, what):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def test_worker_killed_mid_send_loses_nothing_and_repeats_at_most_one_batch(tmp_path):
    OutboundEmail.objects.bulk_create(
        OutboundEmail(
            kind="crash_test",
            to_email=f"user{n}@example.com",
            subject=f"Message {n}",
            body_text="Hello.",
        )
        for n in range(COUNT)
    )
    sink = SmtpSink().start()
    sink.delay_seconds = 0.005  # so the kill lands in the middle of a conversation
    workers = []
    try:
        workers.append(start_worker(sink.port, tmp_path / "first.log"))
        sink.wait_for(150, timeout=60)
        workers[0].send_signal(signal.SIGKILL)
        workers[0].wait(timeout=10)
        sent_before_restart = OutboundEmail.objects.filter(status="sent").count()
        assert sent_before_restart < COUNT, "the worker finished before it was killed"

        workers.append(start_worker(sink.port, tmp_path / "second.log"))
        wait_until(
            lambda: OutboundEmail.objects.filter(status="sent").count() == COUNT,
            timeout=60,
            what=f"all {COUNT} sent (log: {(tmp_path / 'second.log').read_text()[-2000:]})",
        )
        # SIGTERM is a clean stop: nothing in flight, exit status 0.
        workers[1].send_signal(signal.SIGTERM)
        assert workers[1].wait(timeout=20) == 0
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
        sink.stop()

    received = collections.Counter(sink.recipients())
    expected = {f"user{n}@example.com" for n in range(COUNT)}
    assert set(received) == expected, "some recipients never got their email"
    duplicates = sum(received.values()) - COUNT
    assert duplicates <= BATCH_SIZE, f"{duplicates} duplicates, more than one batch"
    assert not OutboundEmail.objects.exclude(status="sent").exists()


def kill_mid_send_and_restart(tmp_path, finished):
    """Run a worker, kill -9 it after ~150 messages, restart one, wait for ``finished()``.

    Returns the sink, stopped, holding everything that was received.
    """
    sink = SmtpSink().start()
    sink.delay_seconds = 0.005  # so the kill lands in the middle of a conversation
    workers = []
    try:
        workers.append(start_worker(sink.port, tmp_path / "first.log"))
        sink.wait_for(150, timeout=60)
        workers[0].send_signal(signal.SIGKILL)
        workers[0].wait(timeout=10)
        assert not finished(), "the worker finished before it was killed"
        workers.append(start_worker(sink.port, tmp_path / "second.log"))
        wait_until(finished, timeout=60, what="every message finished")
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
        sink.stop()
    return sink


def test_newsletter_issue_survives_a_killed_worker_and_skips_the_unsubscribed(tmp_path):
    from newsletter import services
    from newsletter.models import Delivery, NewsletterIssue, Subscriber
    from newsletter.tokens import make_unsubscribe_token

    Subscriber.objects.bulk_create(
        Subscriber(
            email=f"reader{n}@example.com",
            status=Subscriber.Status.CONFIRMED,
            signup_wording_version="test",
            privacy_notice_version="test",
        )
        for n in range(COUNT)
    )
    issue = NewsletterIssue.objects.create(subject="Crash test", body="<p>News.</p>")
    assert services.send_issue(issue_id=issue.pk) == COUNT
    # Ten leave after the issue is queued, before it reaches them.
    leavers = [f"reader{n}@example.com" for n in range(COUNT - 10, COUNT)]
    for subscriber in Subscriber.objects.filter(email__in=leavers):
        services.unsubscribe(token=make_unsubscribe_token(subscriber))

    def finished():
        return not Delivery.objects.filter(status__in=["queued", "sending"]).exists()

    sink = kill_mid_send_and_restart(tmp_path, finished)

    received = collections.Counter(sink.recipients())
    stayers = {f"reader{n}@example.com" for n in range(COUNT - 10)}
    assert set(received) == stayers, "a subscriber was missed, or a leaver was sent it"
    duplicates = sum(received.values()) - len(stayers)
    assert duplicates <= BATCH_SIZE, f"{duplicates} duplicates, more than one batch"
    assert Delivery.objects.filter(status="sent").count() == len(stayers)
    assert Delivery.objects.filter(status="cancelled").count() == 10
    assert issue.progress()["remaining"] == 0
