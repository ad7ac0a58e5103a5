"""Sending issues, the outbox transaction, data protection: the newsletter's services."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from newsletter import services
from newsletter.mailer import run_worker
from newsletter.models import (
    ConsentEvent,
    Delivery,
    ImportUpload,
    MailboxMessage,
    NewsletterIssue,
    OutboundEmail,
    RateLimitCounter,
    Subscriber,
)
from newsletter.tokens import make_unsubscribe_token
from tests.newsletter.factories import NewsletterIssueFactory, SubscriberFactory

pytestmark = pytest.mark.django_db


def test_a_rolled_back_sign_up_leaves_no_email_behind():
    with pytest.raises(RuntimeError), transaction.atomic():
        services.subscribe(email="rollback@example.com")
        raise RuntimeError("crash after the change")
    assert not Subscriber.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_send_issue_queues_one_delivery_per_confirmed_subscriber_and_only_once():
    confirmed = SubscriberFactory.create_batch(3)
    SubscriberFactory(status=Subscriber.Status.PENDING)
    SubscriberFactory(status=Subscriber.Status.UNSUBSCRIBED)
    issue = NewsletterIssueFactory()
    assert services.send_issue(issue_id=issue.pk) == 3
    assert set(Delivery.objects.values_list("subscriber", flat=True)) == {s.pk for s in confirmed}
    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.SENDING and issue.recipient_count == 3
    with pytest.raises(services.AlreadySent):
        services.send_issue(issue_id=issue.pk)
    assert Delivery.objects.count() == 3


def test_delivery_is_unique_per_issue_and_subscriber():
    from django.db import IntegrityError

    subscriber, issue = SubscriberFactory(), NewsletterIssueFactory()
    Delivery.objects.create(issue=issue, subscriber=subscriber)
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(issue=issue, subscriber=subscriber)


def test_issue_email_has_both_parts_and_one_click_unsubscribe_headers(mailoutbox):
    subscriber = SubscriberFactory(email="reader@example.com")
    issue = NewsletterIssueFactory(subject="The plan is out")
    services.send_issue(issue_id=issue.pk)
    run_worker(once=True)
    (message,) = mailoutbox
    assert message.subject == "The plan is out"
    assert message.to == ["reader@example.com"]
    assert "Read them (https://example.com/plan)" in message.body
    html = message.alternatives[0][0]
    assert '<a href="https://example.com/plan">Read them</a>' in html
    # The links name the issue, so an unsubscribe from it is counted against it.
    token = make_unsubscribe_token(subscriber, issue)
    assert message.extra_headers["List-Unsubscribe"] == (
        f"<http://127.0.0.1:8000/newsletter/unsubscribe/{token}/one-click/>"
    )
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"/newsletter/unsubscribe/{token}/" in message.body
    assert "Medway Council" in message.body and "because you signed up" in message.body
    assert Delivery.objects.get().status == Delivery.Status.SENT
    assert issue.progress() == {"total": 1, "sent": 1, "failed": 0, "cancelled": 0, "remaining": 0}


def test_subscriber_who_unsubscribes_mid_send_is_not_sent_the_rest(mailoutbox):
    stays, leaves = SubscriberFactory(), SubscriberFactory()
    issue = NewsletterIssueFactory()
    services.send_issue(issue_id=issue.pk)
    # Unsubscribed without the service (as if between the claim and the send).
    Subscriber.objects.filter(pk=leaves.pk).update(status=Subscriber.Status.UNSUBSCRIBED)
    run_worker(once=True)
    assert [m.to for m in mailoutbox] == [[stays.email]]
    assert Delivery.objects.get(subscriber=leaves).status == Delivery.Status.CANCELLED


def test_test_send_goes_to_one_address_and_is_marked(mailoutbox):
    SubscriberFactory()
    issue = NewsletterIssueFactory(subject="Draft news")
    services.send_test(issue=issue, to="editor@medway.gov.uk")
    run_worker(once=True)
    (message,) = mailoutbox
    assert message.to == ["editor@medway.gov.uk"] and message.subject == "[Test] Draft news"
    assert not Delivery.objects.exists()
    assert NewsletterIssue.objects.get().can_be_sent


def test_erase_removes_every_trace():
    services.subscribe(email="gone@example.com")
    subscriber = Subscriber.objects.get()
    issue = NewsletterIssueFactory()
    Subscriber.objects.update(status=Subscriber.Status.CONFIRMED)
    services.send_issue(issue_id=issue.pk)
    services.erase(subscriber=subscriber)
    assert not Subscriber.objects.exists()
    assert not ConsentEvent.objects.exists()
    assert not OutboundEmail.objects.filter(to_email__iexact="gone@example.com").exists()
    # The issue's figures stay true, without the person.
    assert Delivery.objects.get().subscriber is None


def test_purge_follows_the_privacy_notice(django_user_model):
    now = timezone.now()
    days = datetime.timedelta
    fresh = SubscriberFactory(status="pending", signed_up_at=now - days(days=2))
    stale = SubscriberFactory(status="pending", signed_up_at=now - days(days=8))
    recently_reminded = SubscriberFactory(
        status="pending", signed_up_at=now - days(days=10), last_confirmation_sent_at=now
    )
    recent_unsub = SubscriberFactory(status="unsubscribed", unsubscribed_at=now - days(days=200))
    old_unsub = SubscriberFactory(status="unsubscribed", unsubscribed_at=now - days(days=400))
    confirmed = SubscriberFactory(signed_up_at=now - days(days=900))
    old_email = OutboundEmail.objects.create(
        kind="confirmation",
        to_email="x@example.com",
        subject="s",
        body_text="t",
        status="sent",
    )
    OutboundEmail.objects.filter(pk=old_email.pk).update(created_at=now - days(days=31))
    queued = OutboundEmail.objects.create(
        kind="c", to_email="y@example.com", subject="s", body_text="t"
    )
    RateLimitCounter.objects.create(key="old", count=1, expires_at=now - days(hours=1))
    # A bounced address is kept as long as an unsubscribed one, to be sure not to mail it.
    recently_bounced = SubscriberFactory(suppressed_at=now - days(days=200))
    long_bounced = SubscriberFactory(suppressed_at=now - days(days=400))
    manager = django_user_model.objects.create_user("manager")
    left_open = ImportUpload.objects.create(uploaded_by=manager, file_name="a.csv")
    abandoned = ImportUpload.objects.create(uploaded_by=manager, file_name="b.csv")
    # One the worker has not imported yet is kept, however old: its rows are the import.
    for_worker = ImportUpload.objects.create(uploaded_by=manager, file_name="c.csv", state="queued")
    ImportUpload.objects.filter(pk__in=[abandoned.pk, for_worker.pk]).update(
        uploaded_at=now - days(minutes=61)
    )
    report = {"folder": "INBOX", "uid_validity": 1, "outcome": "hard_bounce"}
    MailboxMessage.objects.create(uid=1, moved_at=now - days(days=31), **report)
    recent_report = MailboxMessage.objects.create(uid=2, moved_at=now - days(days=29), **report)

    counts = services.purge(now=now)

    assert counts == {
        "unconfirmed sign-ups": 1,
        "old unsubscribes": 1,
        "old suppressed addresses": 1,
        "sent emails": 1,
        "rate-limit counters": 1,
        "abandoned imports": 1,
        "bounce reports": 1,
    }
    remaining = set(Subscriber.objects.all())
    assert remaining == {fresh, recently_reminded, recent_unsub, confirmed, recently_bounced}
    assert stale not in remaining and old_unsub not in remaining
    assert long_bounced not in remaining
    assert list(OutboundEmail.objects.all()) == [queued]
    assert set(ImportUpload.objects.all()) == {left_open, for_worker}
    assert list(MailboxMessage.objects.all()) == [recent_report]


def test_purge_command_is_safe_to_run_repeatedly(capsys):
    from django.core.management import call_command

    call_command("purge_newsletter_data")
    call_command("purge_newsletter_data")
    assert "Deleted" in capsys.readouterr().out
