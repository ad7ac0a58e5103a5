"""Updates as they happen and weekly summaries, from a publisher's change to people's inboxes."""

import datetime
from unittest import mock

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from newsletter import alerts, digests, services
from newsletter.mailer import run_worker
from newsletter.models import ContentAlert, DigestRun, SubscriberEmail
from strategy.models import ActionPlanItem, ChangeNote, NewsPost
from tests.factories import ActionPlanItemFactory, NewsPostFactory
from tests.newsletter.factories import NewsletterIssueFactory, SubscriberFactory
from tests.newsletter.smtp_sink import smtp_sink_fixture  # noqa: F401
from tests.strategy.test_history import change_form

pytestmark = pytest.mark.django_db


def next_monday(now=None):
    return digests.week_containing(now or timezone.now())[1]


def publish_major_change(client, item, note):
    """What a publisher does: save the action with "major change" ticked and a note."""
    data = change_form(client, item)
    data.update(major_change="on", change_note=note)
    url = reverse("admin:strategy_actionplanitem_change", args=[item.pk])
    assert client.post(url, data).status_code == 302


@pytest.fixture
def readers():
    return {
        "now": SubscriberFactory(email="now@example.com", progress_frequency="immediately"),
        "weekly": SubscriberFactory(email="weekly@example.com", progress_frequency="weekly"),
        "not": SubscriberFactory(email="not@example.com"),  # newsletters only
    }


def test_a_major_change_is_emailed_once_as_it_happens_and_once_in_the_weekly_summary(
    staff_client, readers, smtp_sink
):
    item = ActionPlanItemFactory(title="More speech and language therapists")
    publish_major_change(staff_client, item, "We have hired two more therapists.")
    (alert,) = ContentAlert.objects.all()
    assert (alert.topic, alert.title) == ("progress", "More speech and language therapists")

    alerts.release_due_alerts()
    alerts.release_due_alerts()  # the next minute: nothing new
    run_worker(once=True, rate=0)
    (instant,) = smtp_sink.wait_for(1)
    assert instant.envelope_to == ["now@example.com"]
    assert instant["Subject"] == "Changed: More speech and language therapists"
    text = instant.get_body(preferencelist=("plain",)).get_content()
    assert "We have hired two more therapists." in text
    assert f"http://127.0.0.1:8000{item.get_absolute_url()}" in text
    assert instant["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/newsletter/manage/" in text and "/newsletter/unsubscribe/" in text

    # Nothing for the weekly reader until the week is over.
    assert digests.build_due_digests() == 0
    monday = next_monday()
    assert digests.build_due_digests(now=monday + datetime.timedelta(minutes=1)) == 1
    assert digests.build_due_digests(now=monday + datetime.timedelta(minutes=2)) == 0
    run_worker(once=True, rate=0)
    messages = smtp_sink.wait_for(2)
    assert len(messages) == 2
    digest = messages[1]
    assert digest.envelope_to == ["weekly@example.com"]
    assert digest["Subject"].startswith("Your weekly summary")
    text = digest.get_body(preferencelist=("plain",)).get_content()
    assert "More speech and language therapists" in text
    assert "We have hired two more therapists." in text
    assert "/newsletter/manage/" in text and "/newsletter/unsubscribe/" in text
    assert smtp_sink.recipients() == ["now@example.com", "weekly@example.com"]


def test_a_news_post_with_a_future_date_waits_for_it(readers, mailoutbox):
    readers["now"].news_frequency = "immediately"
    readers["now"].save()
    later = timezone.now() + datetime.timedelta(hours=3)
    NewsPostFactory(title="Short breaks open", published_at=later)
    assert alerts.release_due_alerts() == 0
    run_worker(once=True, rate=0)
    assert mailoutbox == []
    with mock.patch(
        "django.utils.timezone.now", return_value=later + datetime.timedelta(minutes=1)
    ):
        assert alerts.release_due_alerts() == 1
    run_worker(once=True, rate=0)
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["now@example.com"], "News: Short breaks open")
    ]


def test_a_post_taken_down_before_its_time_is_never_announced(readers):
    readers["now"].news_frequency = "immediately"
    readers["now"].save()
    later = timezone.now() + datetime.timedelta(hours=3)
    post = NewsPostFactory(published_at=later)
    NewsPost.objects.filter(pk=post.pk).update(publishing_status="unpublished")
    with mock.patch(
        "django.utils.timezone.now", return_value=later + datetime.timedelta(minutes=1)
    ):
        assert alerts.release_due_alerts() == 0
    assert not SubscriberEmail.objects.exists()
    # Still not public a month on: it is dropped.
    alerts.release_due_alerts(now=later + datetime.timedelta(days=31))
    assert ContentAlert.objects.get().state == ContentAlert.State.WITHDRAWN


def test_saving_a_post_again_does_not_announce_it_twice(readers):
    readers["now"].news_frequency = "immediately"
    readers["now"].save()
    post = NewsPostFactory(title="First title")
    post.title = "Better title"
    post.save()
    (alert,) = ContentAlert.objects.all()
    assert alert.title == "Better title"  # still waiting: the newest words
    alerts.release_due_alerts()
    post.title = "Third title"
    post.save()
    assert ContentAlert.objects.get().title == "Better title"  # already sent as it was
    assert SubscriberEmail.objects.count() == 1


def test_a_change_note_on_a_draft_waits_until_the_item_is_published(readers):
    item = ActionPlanItemFactory(publishing_status="draft")
    ChangeNote.objects.create(item=item, note="A note.")
    assert alerts.release_due_alerts() == 0
    ActionPlanItem.objects.filter(pk=item.pk).update(publishing_status="published")
    assert alerts.release_due_alerts() == 1


def test_only_changes_to_actions_and_ambitions_are_announced():
    from strategy.models import Page

    ChangeNote.objects.create(item=Page.objects.first(), note="Updated the contact page.")
    assert not ContentAlert.objects.exists()


def test_a_summary_is_built_once_per_person_and_week_even_after_a_crash(monkeypatch):
    people = SubscriberFactory.create_batch(5, news_frequency="weekly")
    NewsPostFactory()
    alerts.release_due_alerts()
    start, end = digests.week_containing(timezone.now())
    real_bulk_create = SubscriberEmail.objects.bulk_create
    calls = []

    def crash_after_two_chunks(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("the worker died")
        return real_bulk_create(*args, **kwargs)

    monkeypatch.setattr(SubscriberEmail.objects, "bulk_create", crash_after_two_chunks)
    with pytest.raises(RuntimeError):
        digests.build(period_start=start, period_end=end, chunk=2)
    assert SubscriberEmail.objects.filter(kind="digest").count() == 4
    assert DigestRun.objects.get().finished_at is None
    monkeypatch.undo()

    assert digests.build_due_digests(now=end + datetime.timedelta(minutes=1)) == 5
    assert sorted(
        SubscriberEmail.objects.filter(kind="digest").values_list("subscriber_id", flat=True)
    ) == sorted(p.pk for p in people)
    assert DigestRun.objects.get().finished_at is not None
    with pytest.raises(IntegrityError):
        SubscriberEmail.objects.create(kind="digest", subscriber=people[0], period_start=start)


def test_a_weekly_summary_holds_the_weeks_newsletters_but_not_ones_already_sent(mailoutbox):
    weekly = SubscriberFactory(email="weekly@example.com", issues_frequency="weekly")
    switched = SubscriberFactory(email="switched@example.com")
    issue = NewsletterIssueFactory(subject="December news")
    services.send_issue(issue_id=issue.pk)
    run_worker(once=True, rate=0)  # "switched" gets it as it happens...
    switched.issues_frequency = "weekly"  # ...then asks for weekly summaries
    switched.save()
    assert digests.build_due_digests(now=next_monday() + datetime.timedelta(minutes=1)) == 2
    run_worker(once=True, rate=0)
    assert [m.to for m in mailoutbox] == [["switched@example.com"], ["weekly@example.com"]]
    summary = mailoutbox[1]
    assert "December news" in summary.body and "first actions are agreed" in summary.body
    assert SubscriberEmail.objects.get(subscriber=switched).status == "cancelled"
    assert weekly.pk


def test_a_week_with_nothing_in_it_sends_no_summaries(mailoutbox):
    SubscriberFactory(issues_frequency="weekly", news_frequency="weekly")
    assert digests.build_due_digests(now=next_monday() + datetime.timedelta(minutes=1)) == 0
    assert DigestRun.objects.get().finished_at is not None
