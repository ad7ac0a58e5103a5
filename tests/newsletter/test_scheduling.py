"""Scheduling an issue: sent once when its time comes, cancellable, and in the history."""

import datetime
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from newsletter import scheduling, services
from newsletter.models import Delivery, NewsletterIssue, ScheduledSend
from tests.newsletter.factories import NewsletterIssueFactory, SubscriberFactory
from tests.strategy.test_history import change_form

pytestmark = pytest.mark.django_db


def url(view, issue):
    return reverse(f"admin:newsletter_issue_{view}", args=[issue.pk])


def schedule_form(when):
    local = timezone.localtime(when)
    return {"send_at_0": local.strftime("%d/%m/%Y"), "send_at_1": local.strftime("%H:%M")}


def comments(issue):
    return [v.revision.get_comment() for v in Version.objects.get_for_object(issue)][::-1]


def test_a_scheduled_issue_is_sent_once_when_its_time_comes(staff_client):
    SubscriberFactory.create_batch(3)
    issue = NewsletterIssueFactory()
    when = timezone.now() + datetime.timedelta(days=1, minutes=5)
    response = staff_client.post(url("schedule", issue), schedule_form(when))
    assert response.status_code == 302
    schedule = ScheduledSend.objects.get()
    assert schedule.send_at == when.replace(second=0, microsecond=0)
    assert scheduling.send_scheduled_issues() == 0  # not yet
    assert not Delivery.objects.exists()

    later = schedule.send_at + datetime.timedelta(seconds=30)
    assert scheduling.send_scheduled_issues(now=later) == 1
    assert scheduling.send_scheduled_issues(now=later) == 0  # the next minute
    issue.refresh_from_db()
    assert not issue.can_be_sent and issue.sent_by.username == "editor"
    assert Delivery.objects.count() == 3 and not ScheduledSend.objects.exists()
    assert comments(issue)[-2:] == [
        f"Scheduled to send on {scheduling.when(schedule.send_at)}.",
        "Sent at its scheduled time to 3 people.",
    ]


def test_cancelling_a_schedule_means_it_is_not_sent(staff_client):
    issue = NewsletterIssueFactory()
    scheduling.schedule(
        issue_id=issue.pk, send_at=timezone.now() + datetime.timedelta(hours=1), user=None
    )
    page = staff_client.get(url("schedule", issue)).content.decode()
    assert "Cancel the schedule" in page
    staff_client.post(url("schedule", issue), {"cancel": "1"})
    assert not ScheduledSend.objects.exists()
    assert scheduling.send_scheduled_issues(now=timezone.now() + datetime.timedelta(hours=2)) == 0
    assert NewsletterIssue.objects.get().can_be_sent
    assert comments(issue)[-1] == "Schedule cancelled: it will not be sent."


def test_a_time_in_the_past_is_refused(staff_client):
    issue = NewsletterIssueFactory()
    response = staff_client.post(
        url("schedule", issue), schedule_form(timezone.now() - datetime.timedelta(hours=1))
    )
    assert response.status_code == 200
    assert "Choose a time in the future" in response.content.decode()
    assert not ScheduledSend.objects.exists()


def test_an_issue_sent_by_hand_first_drops_its_schedule(staff_client):
    issue = NewsletterIssueFactory()
    scheduling.schedule(
        issue_id=issue.pk, send_at=timezone.now() + datetime.timedelta(hours=1), user=None
    )
    staff_client.post(url("send", issue))
    assert not ScheduledSend.objects.exists()
    assert comments(issue)[-1] == "Sent to 0 people."  # sending is in the history too
    with pytest.raises(services.AlreadySent):
        scheduling.schedule(issue_id=issue.pk, send_at=timezone.now(), user=None)


def test_restoring_an_old_version_never_sends_an_issue(staff_client):
    """The schedule lives outside the issue's history, so no restore can bring one back."""
    issue = NewsletterIssueFactory()
    soon = timezone.now() + datetime.timedelta(minutes=10)
    scheduling.schedule(issue_id=issue.pk, send_at=soon, user=None)
    scheduling.cancel(issue_id=issue.pk, user=None)
    scheduled_version = Version.objects.get_for_object(issue).last()
    assert "Scheduled" in scheduled_version.revision.get_comment()
    revision_url = reverse(
        "admin:newsletter_newsletterissue_revision", args=[issue.pk, scheduled_version.pk]
    )
    page = staff_client.get(revision_url)
    data = {"subject": issue.subject, "body": issue.body}
    if "edit_check" in page.content.decode():
        data = {**change_form(staff_client, issue), **data}
    staff_client.post(revision_url, data)
    assert not ScheduledSend.objects.exists()
    with mock.patch("django.utils.timezone.now", return_value=soon + datetime.timedelta(hours=1)):
        assert scheduling.send_scheduled_issues() == 0


def test_an_edit_saved_after_the_issue_was_sent_is_refused(staff_client):
    """The form was opened before the scheduled send; saving it must not unsend the issue."""
    SubscriberFactory()
    issue = NewsletterIssueFactory(subject="Before")
    data = change_form(staff_client, issue)
    services.send_issue(issue_id=issue.pk)
    data["subject"] = "After"
    response = staff_client.post(
        reverse("admin:newsletter_newsletterissue_change", args=[issue.pk]), data
    )
    issue.refresh_from_db()
    assert (issue.subject, issue.status) == ("Before", "sending")
    assert response.status_code == 200
    assert "was sent while you had it open" in response.content.decode()
