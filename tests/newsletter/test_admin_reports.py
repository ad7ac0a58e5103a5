"""What newsletter managers see after sending: reports, suppressions and the home page panel."""

import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from newsletter import scheduling, services
from newsletter.models import Delivery, MailboxMessage, Subscriber
from tests.conftest import visible_text
from tests.newsletter.factories import NewsletterIssueFactory, SubscriberFactory

pytestmark = pytest.mark.django_db


def test_the_report_counts_what_happened_to_an_issue(staff_client):
    people = SubscriberFactory.create_batch(6)
    issue = NewsletterIssueFactory(subject="Spring news")
    services.send_issue(issue_id=issue.pk)
    deliveries = list(Delivery.objects.order_by("pk"))
    Delivery.objects.filter(pk__in=[d.pk for d in deliveries[:4]]).update(status="sent")
    Delivery.objects.filter(pk=deliveries[4].pk).update(status="failed")
    Delivery.objects.filter(pk=deliveries[0].pk).update(feedback="hard_bounce")
    Delivery.objects.filter(pk=deliveries[1].pk).update(feedback="soft_bounce")
    Delivery.objects.filter(pk=deliveries[2].pk).update(feedback="complaint")
    type(issue).objects.filter(pk=issue.pk).update(unsubscribe_count=2, opted_out_count=1)
    assert len(people) == 6

    text = visible_text(
        staff_client.get(reverse("admin:newsletter_issue_report", args=[issue.pk])).content.decode()
    )
    for row in [
        "Emails to send 6",
        "Sent (handed to the mail server) 4",
        "Failed (the mail server would not take it) 1",
        "Still to send 1",
        "Bounced for good (address suppressed) 1",
        "Bounced for now (soft bounce) 1",
        "Marked as spam (unsubscribed from everything) 1",
        "Unsubscribed from everything, using this email's link 2",
        "Stopped getting newsletters, using this email's link 1",
    ]:
        assert row in text, row
    assert "We do not track who opens an email or clicks a link" in text


def test_a_suppressed_person_shows_why_and_lifting_it_is_logged(staff_client):
    person = SubscriberFactory(
        suppressed_at=timezone.now(), suppression_reason="Hard bounce on 2 December 2026: 5.1.1"
    )
    SubscriberFactory()
    changelist = reverse("admin:newsletter_subscriber_changelist")
    listed = visible_text(staff_client.get(changelist, {"suppressed": "yes"}).content.decode())
    assert person.email in listed and "Suppressed: 1" in listed
    page = staff_client.get(reverse("admin:newsletter_subscriber_change", args=[person.pk]))
    assert "Hard bounce on 2 December 2026: 5.1.1" in page.content.decode()

    staff_client.post(changelist, {"action": "lift_suppression", "_selected_action": [person.pk]})
    person.refresh_from_db()
    assert person.suppressed_at is None
    entry = LogEntry.objects.get(object_id=str(person.pk))
    assert entry.user.username == "editor"
    assert (
        "Lifted the suppression (Hard bounce on 2 December 2026: 5.1.1)"
        in entry.get_change_message()
    )


def test_the_admin_home_page_has_the_newsletter_at_a_glance(staff_client):
    SubscriberFactory.create_batch(3)
    SubscriberFactory(status="pending")
    SubscriberFactory(suppressed_at=timezone.now())
    report = {"folder": "INBOX", "uid_validity": 1}
    MailboxMessage.objects.create(uid=1, outcome="hard_bounce", **report)
    MailboxMessage.objects.create(uid=2, outcome="soft_bounce", **report)
    old = MailboxMessage.objects.create(uid=3, outcome="hard_bounce", **report)
    MailboxMessage.objects.filter(pk=old.pk).update(
        received_at=timezone.now() - datetime.timedelta(days=8)
    )
    issue = NewsletterIssueFactory(subject="January news")
    when = timezone.now() + datetime.timedelta(days=2)
    scheduling.schedule(issue_id=issue.pk, send_at=when, user=None)

    html = staff_client.get("/admin/").content.decode()
    start = html.index('id="newsletter-panel"')
    panel = visible_text(html[start : html.index("</div>", start)])
    assert "Confirmed: 4" in panel and "Waiting for confirmation: 1" in panel
    assert "Suppressed (emails to them bounced): 1" in panel
    assert "Hard bounces: 1" in panel and "Soft bounces: 1" in panel
    assert f"January news, on {scheduling.when(when)}" in panel
    assert Subscriber.objects.count() == 5


def test_the_panel_is_only_for_people_who_can_see_subscribers(client, django_user_model):
    from django.contrib.auth.models import Group

    from tests.conftest import sign_in_with_code

    editor = django_user_model.objects.create_user("writer", password="x" * 20, is_staff=True)
    editor.groups.add(Group.objects.get(name="Content editor"))
    sign_in_with_code(client, editor)
    assert 'id="newsletter-panel"' not in client.get("/admin/").content.decode()
