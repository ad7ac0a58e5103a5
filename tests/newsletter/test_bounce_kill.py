"""Kill -9 a real worker in the middle of the bounce mailbox: the next one handles each once.

PostgreSQL only: the worker runs as a separate process against the test
database, which an in-memory SQLite database cannot be shared with. The
mailbox is a real Dovecot, filled by IMAP APPEND.
"""

import collections
import signal
import time

import pytest
from django.conf import settings
from django.db import connection

from newsletter import return_path
from newsletter.models import ConsentEvent, Delivery, MailboxMessage, NewsletterIssue, Subscriber
from tests.newsletter.bounce_mail import BOUNCE_ADDRESS, report
from tests.newsletter.smtp_sink import SmtpSink
from tests.newsletter.test_worker_crash import start_worker, wait_until

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a shared PostgreSQL"),
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

HARD, COMPLAINTS, NEITHER = 300, 80, 20
KILL_AFTER = 100


def fill_mailbox(mailbox):
    """One report for each of HARD + COMPLAINTS people, and NEITHER other messages."""
    issue = NewsletterIssue.objects.create(subject="Summer news", body="<p>News.</p>")
    people = Subscriber.objects.bulk_create(
        Subscriber(email=f"reader{n}@example.com", status="confirmed")
        for n in range(HARD + COMPLAINTS + NEITHER)
    )
    deliveries = Delivery.objects.bulk_create(
        Delivery(issue=issue, subscriber=person, status="sent") for person in people
    )
    kinds = ["postfix_hard_bounce", "exim_hard_bounce"] * (HARD // 2)
    kinds += ["arf_complaint"] * COMPLAINTS + ["out_of_office"] * NEITHER
    mailbox.append(
        *(
            report(kind, return_path=return_path.envelope_sender(d), recipient=d.subscriber.email)
            for kind, d in zip(kinds, deliveries, strict=True)
        )
    )
    return issue


def bounce_env(account):
    return {
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,  # the return paths were signed with it
        "BOUNCE_ADDRESS": BOUNCE_ADDRESS,
        "BOUNCE_IMAP_HOST": account.host,
        "BOUNCE_IMAP_PORT": str(account.port),
        "BOUNCE_IMAP_SSL": "false",
        "BOUNCE_IMAP_USER": account.user,
        "BOUNCE_IMAP_PASSWORD": account.password,
    }


def test_worker_killed_mid_mailbox_handles_every_report_exactly_once(bounce_mailbox, tmp_path):
    issue = fill_mailbox(bounce_mailbox)
    total = HARD + COMPLAINTS + NEITHER
    sink = SmtpSink().start()  # the worker's relay; nothing is queued for it
    env = bounce_env(bounce_mailbox.account)
    workers = []
    started = time.monotonic()
    try:
        workers.append(start_worker(sink.port, tmp_path / "first.log", **env))
        wait_until(
            lambda: MailboxMessage.objects.count() >= KILL_AFTER,
            timeout=60,
            what=f"{KILL_AFTER} reports read (log: {(tmp_path / 'first.log').read_text()[-2000:]})",
        )
        workers[0].send_signal(signal.SIGKILL)
        workers[0].wait(timeout=10)
        killed_at = MailboxMessage.objects.count()
        assert killed_at < total, "the worker read the whole mailbox before it was killed"

        workers.append(start_worker(sink.port, tmp_path / "second.log", **env))
        wait_until(
            lambda: (
                MailboxMessage.objects.count() == total
                and len(bounce_mailbox.uids("INBOX")) == NEITHER
            ),
            timeout=90,
            what=f"every report handled (log: {(tmp_path / 'second.log').read_text()[-2000:]})",
        )
        elapsed = time.monotonic() - started
        workers[1].send_signal(signal.SIGTERM)
        assert workers[1].wait(timeout=20) == 0
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
        sink.stop()

    outcomes = collections.Counter(MailboxMessage.objects.values_list("outcome", flat=True))
    assert outcomes == {"hard_bounce": HARD, "complaint": COMPLAINTS, "not_a_report": NEITHER}
    # Each report acted on once: one suppression, or one complaint in the consent record.
    assert Subscriber.objects.filter(suppressed_at__isnull=False).count() == HARD
    complained = ConsentEvent.objects.filter(kind=ConsentEvent.Kind.COMPLAINED)
    assert complained.count() == COMPLAINTS
    assert complained.values("subscriber").distinct().count() == COMPLAINTS
    assert issue.report()["hard_bounces"] == HARD and issue.report()["complaints"] == COMPLAINTS
    # Each moved once (MOVE is one step), so no report is in two places.
    assert len(bounce_mailbox.uids("Processed")) == HARD + COMPLAINTS
    print(
        f"\nbounce mailbox: {total} messages, worker killed after {killed_at} were recorded, "
        f"second worker finished the rest; {elapsed:.1f} s in all"
    )
