"""Every email carries a return path of its own, as the real SMTP conversation's MAIL FROM."""

import pytest

from newsletter import return_path, services
from newsletter.mailer import queue_email, run_worker
from newsletter.models import Delivery, OutboundEmail
from tests.newsletter.bounce_mail import BOUNCE_ADDRESS
from tests.newsletter.factories import NewsletterIssueFactory, SubscriberFactory
from tests.newsletter.smtp_sink import smtp_sink_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def test_each_email_is_sent_from_its_own_signed_return_path(smtp_sink, settings):
    settings.BOUNCE_ADDRESS = BOUNCE_ADDRESS
    SubscriberFactory(email="first@example.com")
    SubscriberFactory(email="second@example.com")
    services.send_issue(issue_id=NewsletterIssueFactory().pk)
    queue_email(to="third@example.com", subject="Hello", text="Hi.", kind="confirmation")
    run_worker(once=True, rate=0)

    messages = {m.envelope_to[0]: m for m in smtp_sink.wait_for(3)}
    deliveries = {d.subscriber.email: d for d in Delivery.objects.select_related("subscriber")}
    expected = {
        "first@example.com": return_path.envelope_sender(deliveries["first@example.com"]),
        "second@example.com": return_path.envelope_sender(deliveries["second@example.com"]),
        "third@example.com": return_path.envelope_sender(OutboundEmail.objects.get()),
    }
    # What the relay was told in MAIL FROM, and so where bounces go.
    assert {to: m.envelope_from for to, m in messages.items()} == expected
    assert len(set(expected.values())) == 3
    for message in messages.values():
        assert message.envelope_from.startswith("bounces+")
        assert message.envelope_from.endswith("@send-strategy.example")
        # People still see the council's own address.
        assert message["From"] == settings.DEFAULT_FROM_EMAIL
        assert message["Return-Path"] is None  # the receiving server adds it


def test_without_a_bounce_address_mail_goes_from_the_from_address(smtp_sink, settings):
    settings.BOUNCE_ADDRESS = ""
    queue_email(to="someone@example.com", subject="Hello", text="Hi.", kind="confirmation")
    run_worker(once=True, rate=0)
    (message,) = smtp_sink.wait_for(1)
    assert message.envelope_from == "send-strategy@medway.gov.uk"


def test_tokens_name_their_row_and_cannot_be_forged(settings):
    settings.BOUNCE_ADDRESS = BOUNCE_ADDRESS
    delivery = Delivery.objects.create(
        issue=NewsletterIssueFactory(), subscriber=SubscriberFactory()
    )
    sender = return_path.envelope_sender(delivery)
    ref = f"d{delivery.pk}"
    assert return_path.refs_in([sender]) == [ref]
    assert return_path.refs_in([sender.upper()]) == [ref]  # servers may change the case
    assert return_path.row_for(ref) == delivery
    forged = sender.replace(f"d{delivery.pk}-", f"d{delivery.pk + 1}-")
    assert return_path.refs_in([forged]) == []
    other_domain = sender.replace("send-strategy.example", "elsewhere.example")
    assert return_path.refs_in([other_domain]) == []
    assert return_path.refs_in(["Someone <someone@example.com>", ""]) == []
