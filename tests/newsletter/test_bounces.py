"""Bounces and complaints, from a real SMTP conversation to a real IMAP mailbox and back.

Each test sends real email through the aiosmtpd sink, writes the report a
remote server would send back to the envelope sender the sink recorded, puts
it in Dovecot by IMAP APPEND, and runs the mailbox job against Dovecot.
"""

import datetime
import logging

import pytest
from django.utils import timezone

from newsletter import return_path, services
from newsletter.bounces.mailbox import process_mailbox
from newsletter.mailer import run_worker
from newsletter.models import (
    ConsentEvent,
    Delivery,
    Feedback,
    MailboxMessage,
    NewsletterIssue,
    OutboundEmail,
    Subscriber,
)
from tests.newsletter.bounce_mail import report
from tests.newsletter.factories import NewsletterIssueFactory, SubscriberFactory
from tests.newsletter.smtp_sink import smtp_sink_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

PEOPLE = ["ada@example.com", "bea@example.net", "cal@example.org"]


def send_issue(sink, subject="Summer news"):
    """Send a new issue to everyone through the sink; return it and {address: message}."""
    issue = NewsletterIssueFactory(subject=subject)
    services.send_issue(issue_id=issue.pk)
    already = len(sink.snapshot())
    run_worker(once=True, rate=0)
    expected = Delivery.objects.filter(issue=issue, status="sent").count()
    arrived = sink.wait_for(already + expected)[already:]
    return issue, {message.envelope_to[0]: message for message in arrived}


def report_about(name, message):
    """Fixture ``name`` as a server would send it about ``message``, to its envelope sender."""
    return report(
        name,
        return_path=message.envelope_from,
        recipient=message.envelope_to[0],
        subject=message["Subject"],
        message_id=message["Message-ID"],
    )


@pytest.fixture
def people(settings):
    return [SubscriberFactory(email=address) for address in PEOPLE]


@pytest.mark.parametrize("name", ["postfix_hard_bounce", "exim_hard_bounce"])
def test_a_hard_bounce_for_a_sent_issue_suppresses_exactly_that_subscriber(
    name, people, smtp_sink, bounce_mailbox
):
    issue, sent = send_issue(smtp_sink)
    bounce_mailbox.append(report_about(name, sent["bea@example.net"]))

    assert process_mailbox() == {"hard_bounce": 1}

    suppressed = Subscriber.objects.filter(suppressed_at__isnull=False)
    assert [s.email for s in suppressed] == ["bea@example.net"]
    assert "5.1.1" in suppressed.get().suppression_reason
    assert Delivery.objects.get(subscriber__email="bea@example.net").feedback == "hard_bounce"
    assert issue.report()["hard_bounces"] == 1
    record = MailboxMessage.objects.get()
    assert (record.outcome, record.issue, record.subscriber) == ("hard_bounce", issue, people[1])
    # Handled once: out of the inbox, read, in the processed folder.
    assert bounce_mailbox.uids("INBOX") == []
    (moved,) = bounce_mailbox.flags("Processed").values()
    assert b"\\Seen" in moved

    _, next_time = send_issue(smtp_sink, subject="Autumn news")
    assert set(next_time) == {"ada@example.com", "cal@example.org"}


def test_a_complaint_unsubscribes_the_person_from_everything(people, smtp_sink, bounce_mailbox):
    people[0].news_frequency = "weekly"
    people[0].save()
    issue, sent = send_issue(smtp_sink)
    bounce_mailbox.append(report_about("arf_complaint", sent["ada@example.com"]))

    assert process_mailbox() == {"complaint": 1}

    people[0].refresh_from_db()
    assert people[0].status == Subscriber.Status.UNSUBSCRIBED
    assert people[0].suppressed_at is None  # the address works; they said no
    event = people[0].events.get(kind=ConsentEvent.Kind.COMPLAINED)
    assert "ExampleMail-FBL" in event.note
    assert issue.report()["complaints"] == 1
    assert Subscriber.objects.filter(status="confirmed").count() == 2
    _, next_time = send_issue(smtp_sink, subject="Autumn news")
    assert "ada@example.com" not in next_time


def test_a_delay_warning_changes_nothing_and_is_filed(people, smtp_sink, bounce_mailbox):
    _, sent = send_issue(smtp_sink)
    bounce_mailbox.append(report_about("postfix_delayed", sent["cal@example.org"]))
    assert process_mailbox() == {"no_action": 1}
    assert not Subscriber.objects.filter(suppressed_at__isnull=False).exists()
    assert Delivery.objects.get(subscriber=people[2]).feedback == ""
    assert bounce_mailbox.uids("INBOX") == [] and len(bounce_mailbox.uids("Processed")) == 1


def test_a_message_that_is_neither_is_left_alone_and_logged_once(
    people, smtp_sink, bounce_mailbox, caplog
):
    _, sent = send_issue(smtp_sink)
    bounce_mailbox.append(report_about("out_of_office", sent["ada@example.com"]))
    (uid,) = bounce_mailbox.uids("INBOX")
    with caplog.at_level(logging.WARNING, logger="newsletter.bounces.mailbox"):
        assert process_mailbox() == {"not_a_report": 1}
        assert process_mailbox() == {}
    logged = [r.getMessage() for r in caplog.records if r.name == "newsletter.bounces.mailbox"]
    record = MailboxMessage.objects.get()
    assert logged == [
        f"Bounce mailbox: left message UID {uid} alone (Not a bounce or complaint: left in "
        f"the mailbox); report record {record.pk}"
    ]
    assert record.detail == ("Not a delivery report (RFC 3464) or a spam complaint (RFC 5965).")
    # Still in the inbox, still unread, for a person to look at.
    assert bounce_mailbox.flags("INBOX") == {uid: ()}
    assert bounce_mailbox.uids("Processed") == []
    assert MailboxMessage.objects.get().outcome == "not_a_report"
    assert Subscriber.objects.filter(status="confirmed", suppressed_at__isnull=True).count() == 3


def test_a_report_with_a_forged_or_mismatched_return_path_is_left_alone(
    people, smtp_sink, bounce_mailbox
):
    _, sent = send_issue(smtp_sink)
    real = sent["ada@example.com"]
    forged = real.envelope_from.replace("+d", "+d9")
    bounce_mailbox.append(
        report("postfix_hard_bounce", return_path=forged, recipient="ada@example.com"),
        # A genuine return path, but the report is about someone else's address.
        report("postfix_hard_bounce", return_path=real.envelope_from, recipient="x@example.com"),
    )
    assert process_mailbox() == {"unmatched": 2}
    assert not Subscriber.objects.filter(suppressed_at__isnull=False).exists()
    assert len(bounce_mailbox.uids("INBOX")) == 2


def test_a_message_recorded_but_not_yet_moved_is_only_moved(people, smtp_sink, bounce_mailbox):
    """What a job killed between its commit and the IMAP MOVE leaves: no second complaint."""
    _, sent = send_issue(smtp_sink)
    bounce_mailbox.append(report_about("arf_complaint", sent["ada@example.com"]))
    client = bounce_mailbox.client()
    uid_validity = client.select_folder("INBOX")[b"UIDVALIDITY"]
    client.logout()
    (uid,) = bounce_mailbox.uids("INBOX")
    MailboxMessage.objects.create(
        folder="INBOX", uid_validity=uid_validity, uid=uid, outcome="complaint"
    )

    assert process_mailbox() == {}

    assert Subscriber.objects.get(pk=people[0].pk).status == "confirmed"  # not acted on again
    assert bounce_mailbox.uids("INBOX") == [] and len(bounce_mailbox.uids("Processed")) == 1
    assert MailboxMessage.objects.get().moved_at is not None


def test_soft_bounces_suppress_after_the_limit_in_a_row(settings, bounce_mailbox):
    """Counting back from the bounced email; an email with no bounce breaks the run."""
    settings.BOUNCE_SOFT_LIMIT = 3
    person = SubscriberFactory(email="full@example.com")
    start = timezone.now() - datetime.timedelta(days=30)
    deliveries = [
        Delivery.objects.create(
            issue=NewsletterIssueFactory(),
            subscriber=person,
            status="sent",
            sent_at=start + datetime.timedelta(days=n),
        )
        for n in range(6)
    ]

    def soft_bounce(delivery):
        bounce_mailbox.append(
            report(
                "postfix_soft_bounce",
                return_path=return_path.envelope_sender(delivery),
                recipient=person.email,
            )
        )
        assert process_mailbox() == {"soft_bounce": 1}
        person.refresh_from_db()
        return MailboxMessage.objects.order_by("-pk").first().detail

    assert soft_bounce(deliveries[0]).endswith("(1 in a row)")
    assert soft_bounce(deliveries[1]).endswith("(2 in a row)")
    # Email 2 brought no bounce, so email 3's starts again.
    assert soft_bounce(deliveries[3]).endswith("(1 in a row)")
    assert soft_bounce(deliveries[4]).endswith("(2 in a row)")
    assert person.suppressed_at is None
    assert soft_bounce(deliveries[5]).endswith("(3 in a row)")
    assert person.suppressed_at is not None
    assert person.suppression_reason.startswith("3 soft bounces in a row")
    assert "4.2.2" in person.suppression_reason
    assert [d.feedback for d in Delivery.objects.order_by("sent_at")] == [
        Feedback.SOFT_BOUNCE,
        Feedback.SOFT_BOUNCE,
        "",
        Feedback.SOFT_BOUNCE,
        Feedback.SOFT_BOUNCE,
        Feedback.SOFT_BOUNCE,
    ]


def test_a_bounce_for_a_confirmation_email_suppresses_the_address(
    smtp_sink, settings, bounce_mailbox, signup_data, client
):
    """A mistyped address at sign-up: its confirmation bounces; it is never emailed again."""
    settings.NEWSLETTER_CONFIRMATION_INTERVAL_SECONDS = 0
    client.post("/newsletter/", signup_data("typo@example.con"))
    run_worker(once=True, rate=0)
    (confirmation,) = smtp_sink.wait_for(1)
    bounce_mailbox.append(report_about("exim_hard_bounce", confirmation))
    assert process_mailbox() == {"hard_bounce": 1}
    assert Subscriber.objects.get().suppressed_at is not None

    # Signing up again looks the same, and queues nothing (sending would refuse it too).
    response = client.post("/newsletter/", signup_data("typo@example.con"))
    assert response.status_code == 302
    assert OutboundEmail.objects.count() == 1
    run_worker(once=True, rate=0)
    assert len(smtp_sink.snapshot()) == 1


def test_a_suppressed_address_is_sent_nothing_of_any_kind(smtp_sink, settings):
    from newsletter.mailer import queue_email

    person = SubscriberFactory(email="gone@example.com", suppressed_at=timezone.now())
    SubscriberFactory(email="here@example.com")
    issue = NewsletterIssueFactory()
    assert services.send_issue(issue_id=issue.pk) == 1
    # Even an email queued by address (as confirmations are) is cancelled at sending.
    queue_email(to="Gone@Example.com", subject="Hi", text="Hi.", kind="confirmation")
    run_worker(once=True, rate=0)
    assert smtp_sink.recipients() == ["here@example.com"]
    assert not Delivery.objects.filter(subscriber=person).exists()
    assert NewsletterIssue.objects.get().recipient_count == 1
