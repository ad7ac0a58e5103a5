"""What newsletter managers do in the admin."""

import csv
import io

import pytest
from django.urls import reverse

from newsletter.models import Delivery, NewsletterIssue, OutboundEmail, Subscriber
from tests.newsletter.factories import NewsletterIssueFactory, SubscriberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(staff_client, django_user_model):
    django_user_model.objects.filter(username="editor").update(email="editor@medway.gov.uk")
    return staff_client


@pytest.mark.parametrize("name", ["subscriber", "newsletterissue", "outboundemail"])
def test_changelists_load(manager, name):
    SubscriberFactory()
    assert manager.get(reverse(f"admin:newsletter_{name}_changelist")).status_code == 200


def test_subscriber_list_shows_counts_per_status_and_filters(manager):
    SubscriberFactory.create_batch(2)
    SubscriberFactory(status="pending")
    html = manager.get(reverse("admin:newsletter_subscriber_changelist")).content.decode()
    assert "Confirmed: <strong>2</strong>" in html
    assert "Waiting for confirmation: <strong>1</strong>" in html
    filtered = manager.get(reverse("admin:newsletter_subscriber_changelist"), {"status": "pending"})
    assert "1 subscriber" in filtered.content.decode()


def test_subscribers_cannot_be_added_by_hand(manager):
    assert manager.get(reverse("admin:newsletter_subscriber_add")).status_code == 403


def test_export_all_subscribers_as_csv(manager):
    SubscriberFactory(email="one@example.com", signup_page="/rights/")
    response = manager.get(reverse("admin:newsletter_subscriber_export"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0]["email"] == "one@example.com" and rows[0]["signup_page"] == "/rights/"
    assert rows[0]["confirmed_at"]


def test_erase_action_removes_the_person_and_their_emails(manager):
    person = SubscriberFactory(email="erase@example.com")
    OutboundEmail.objects.create(kind="c", to_email="erase@example.com", subject="s", body_text="t")
    response = manager.post(
        reverse("admin:newsletter_subscriber_changelist"),
        {"action": "erase_completely", "_selected_action": [person.pk]},
    )
    assert response.status_code == 302
    assert not Subscriber.objects.exists() and not OutboundEmail.objects.exists()


def test_subscriber_change_page_shows_the_consent_record(manager):
    from newsletter import services

    services.subscribe(email="record@example.com", signup_page="/rights/")
    subscriber = Subscriber.objects.get()
    html = manager.get(
        reverse("admin:newsletter_subscriber_change", args=[subscriber.pk])
    ).content.decode()
    assert "consent record" in html.lower() and "Signed up" in html and "/rights/" in html


def test_preview_shows_the_email_exactly(manager):
    issue = NewsletterIssueFactory(subject="Preview me")
    page = manager.get(reverse("admin:newsletter_issue_preview", args=[issue.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Preview me" in html and "Read them (https://example.com/plan)" in html
    assert "<iframe" in html and "sandbox" in html
    frame = manager.get(reverse("admin:newsletter_issue_preview_html", args=[issue.pk]))
    assert '<a href="https://example.com/plan">Read them</a>' in frame.content.decode()
    assert "script-src" not in frame["Content-Security-Policy"]
    assert frame["X-Frame-Options"] == "SAMEORIGIN"


def test_send_a_test_to_yourself(manager):
    issue = NewsletterIssueFactory()
    url = reverse("admin:newsletter_issue_test", args=[issue.pk])
    assert "editor@medway.gov.uk" in manager.get(url).content.decode()
    manager.post(url)
    email = OutboundEmail.objects.get()
    assert email.to_email == "editor@medway.gov.uk" and email.subject.startswith("[Test]")


def test_sending_states_how_many_then_sends_once(manager):
    SubscriberFactory.create_batch(3)
    SubscriberFactory(status="pending")
    issue = NewsletterIssueFactory()
    url = reverse("admin:newsletter_issue_send", args=[issue.pk])
    confirm_page = manager.get(url).content.decode()
    assert "<strong>3 people</strong>" in confirm_page
    assert NewsletterIssue.objects.get().can_be_sent  # the GET sent nothing
    manager.post(url)
    manager.post(url)
    assert Delivery.objects.count() == 3
    change = manager.get(reverse("admin:newsletter_newsletterissue_change", args=[issue.pk]))
    html = change.content.decode()
    assert '<progress id="send-progress" max="3" value="0">' in html
    assert "Still to send: 3" in html
    assert 'name="subject"' not in html  # a sent issue can no longer be edited


def test_issue_body_is_sanitised(manager):
    response = manager.post(
        reverse("admin:newsletter_newsletterissue_add"),
        {"subject": "Hello", "body": "<p>Hi</p><script>alert(1)</script>"},
    )
    assert response.status_code == 302
    assert NewsletterIssue.objects.get().body == "<p>Hi</p>"


def test_failed_deliveries_are_listed_and_can_be_tried_again(manager):
    subscriber = SubscriberFactory(email="bounced@example.com")
    issue = NewsletterIssueFactory()
    delivery = Delivery.objects.create(
        issue=issue, subscriber=subscriber, status="failed", attempts=8, last_error="550 no"
    )
    listing = manager.get(
        reverse("admin:newsletter_delivery_changelist"), {"issue__id__exact": issue.pk}
    ).content.decode()
    assert "bounced@example.com" in listing and "550 no" in listing
    manager.post(
        reverse("admin:newsletter_delivery_changelist"),
        {"action": "retry_now", "_selected_action": [delivery.pk]},
    )
    delivery.refresh_from_db()
    assert delivery.status == "queued" and delivery.attempts == 0


def test_view_only_staff_cannot_retry_or_send_tests(client, django_user_model):
    from django.contrib.auth.models import Permission

    viewer = django_user_model.objects.create_user(
        "viewer", "v@example.com", "x" * 20, is_staff=True
    )
    viewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_outboundemail", "view_newsletterissue"])
    )
    client.force_login(viewer)
    email = OutboundEmail.objects.create(
        kind="c", to_email="y@example.com", subject="s", body_text="t", status="failed"
    )
    client.post(
        reverse("admin:newsletter_outboundemail_changelist"),
        {"action": "retry_now", "_selected_action": [email.pk]},
    )
    email.refresh_from_db()
    assert email.status == "failed"
    issue = NewsletterIssueFactory()
    assert client.post(reverse("admin:newsletter_issue_test", args=[issue.pk])).status_code == 403
    assert not OutboundEmail.objects.exclude(pk=email.pk).exists()
