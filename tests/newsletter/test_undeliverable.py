"""Emails that can never be sent fail at once, with a reason a newsletter manager can read.

Real messages through the real SMTP sink: Django's own checks (a header with a
line break, an address it cannot write) and the relay's replies.
"""

import pytest
from django.utils import timezone

from newsletter import services
from newsletter.mailer import queue_email, run_worker
from newsletter.models import Delivery, NewsletterIssue, OutboundEmail
from tests.newsletter.factories import SubscriberFactory
from tests.newsletter.smtp_sink import smtp_sink_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def queue(to="parent@example.com", subject="Please confirm"):
    return queue_email(to=to, subject=subject, text="Plain words.", kind="confirmation")


def fresh(row):
    return type(row).objects.get(pk=row.pk)


@pytest.mark.parametrize(
    "subject", ["Hello\r\nBcc: everyone@example.com", "Hello\nthere", "Hello\rthere"]
)
def test_a_line_break_in_the_subject_fails_at_once_and_the_batch_goes_on(smtp_sink, subject):
    broken = queue(to="broken@example.com", subject=subject)
    fine = queue(to="fine@example.com")

    run_worker(once=True, rate=0)

    broken = fresh(broken)
    assert (broken.status, broken.attempts) == ("failed", 1)
    assert broken.last_error.startswith("A header of this email has a line break in it")
    assert fresh(fine).status == "sent"
    assert smtp_sink.recipients() == ["fine@example.com"]


@pytest.mark.parametrize(
    "address",
    [
        "a@b@example.com",
        "user@exam ple.com",
        "@example.com",
        "user@",
        "user@example..com",
        "no-domain-at-all",
        # The domain cannot be written in IDNA (a label over 63 characters): UnicodeError.
        "user@" + "x" * 64 + ".example.com",
    ],
)
def test_an_address_that_is_not_valid_fails_at_once_with_a_plain_reason(smtp_sink, address):
    row = queue(to=address)
    fine = queue(to="fine@example.com")

    run_worker(once=True, rate=0)

    row = fresh(row)
    assert (row.status, row.attempts) == ("failed", 1)
    assert row.last_error.startswith(f"The address is not valid: {address!r}")
    assert fresh(fine).status == "sent"
    assert smtp_sink.rcpt_log == ["fine@example.com"]  # never offered to the relay


@pytest.mark.parametrize(
    ("code", "text"),
    [(553, "5.1.3 mailbox name not allowed"), (501, "5.1.3 bad address syntax")],
)
def test_the_relay_calling_an_address_not_valid_fails_it_at_once(smtp_sink, code, text):
    row = queue()
    smtp_sink.fail_rcpt["parent@example.com"] = (code, text, None)

    run_worker(once=True, rate=0)

    row = fresh(row)
    assert (row.status, row.attempts) == ("failed", 1)
    assert row.last_error == f"The address is not valid: {code} {text}"
    assert smtp_sink.rcpt_log == ["parent@example.com"]


def test_a_from_address_that_is_not_valid_pauses_sending_and_fails_nothing(smtp_sink, settings):
    # A setting to fix, not something wrong with the messages.
    settings.DEFAULT_FROM_EMAIL = "Medway Council <send-strategy@@medway.gov.uk>"
    row = queue()

    run_worker(once=True, rate=0)

    row = fresh(row)
    assert (row.status, row.attempts) == ("queued", 0)
    assert row.last_error.startswith("The From address is not valid")
    assert smtp_sink.rcpt_log == []


def test_an_issue_subject_with_a_line_break_fails_its_deliveries_with_a_reason(smtp_sink):
    # Saved without the admin form (the shell, an old row): the worker still refuses it.
    SubscriberFactory.create_batch(2)
    issue = NewsletterIssue.objects.create(subject="News\r\nBcc: x@example.com", body="<p>Hi</p>")
    services.send_issue(issue_id=issue.pk, now=timezone.now())

    run_worker(once=True, rate=0)

    for delivery in Delivery.objects.all():
        assert (delivery.status, delivery.attempts) == ("failed", 1)
        assert "line break" in delivery.last_error
    assert smtp_sink.messages == []
    assert not OutboundEmail.objects.exists()
