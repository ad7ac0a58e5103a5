"""strategy.public's signals: every way of publishing announces, and only what is public."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from strategy.models import Ambition, ChangeNote, NewsPost, Page
from strategy.public import is_public, major_change_published, news_published
from strategy.publishing_jobs import publish_due
from tests.factories import ActionPlanItemFactory, NewsPostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    """Every announcement sent during the test, as (signal name, keyword arguments)."""
    received = []

    def listen(name):
        def receiver(sender, **kwargs):
            kwargs.pop("signal")
            received.append((name, kwargs))

        return receiver

    changes, news = listen("change"), listen("news")
    major_change_published.connect(changes, dispatch_uid="test-change")
    news_published.connect(news, dispatch_uid="test-news")
    yield received
    major_change_published.disconnect(dispatch_uid="test-change")
    news_published.disconnect(dispatch_uid="test-news")


def test_a_change_note_on_an_ambition_announces_its_words(heard):
    ambition = Ambition.objects.get(slug="working-together")
    note = ChangeNote.objects.create(item=ambition, note="We now meet families monthly.")
    assert heard == [
        (
            "change",
            {
                "key": f"changenote:{note.pk}",
                "item_kind": "ambition",
                "title": ambition.heading,
                "url": "/ambitions/working-together/",
                "note": "We now meet families monthly.",
                "published_at": note.published_at,
            },
        )
    ]
    note.save()  # saving it again is not a new change
    assert len(heard) == 1


def test_change_notes_on_other_pages_are_not_announced(heard):
    ChangeNote.objects.create(item=Page.objects.first(), note="New phone number.")
    assert heard == []


def test_the_scheduled_publishing_job_announces_a_news_post(heard):
    post = NewsPostFactory(
        publishing_status="scheduled", publish_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert heard == []  # scheduled, not published
    assert publish_due() == 1
    ((name, kwargs),) = heard
    assert (name, kwargs["key"], kwargs["title"]) == ("news", f"newspost:{post.pk}", post.title)
    assert kwargs["url"] == post.get_absolute_url()
    assert kwargs["summary"] == post.summary


def test_publishing_selected_posts_in_the_admin_announces_them(heard, staff_client):
    post = NewsPostFactory(publishing_status="draft")
    staff_client.post(
        reverse("admin:strategy_newspost_changelist"),
        {"action": "publish_selected", "_selected_action": [post.pk]},
    )
    assert [kwargs["key"] for _, kwargs in heard] == [f"newspost:{post.pk}"]


def test_is_public_follows_the_website():
    post = NewsPostFactory()
    later = NewsPostFactory(published_at=timezone.now() + datetime.timedelta(days=1))
    draft_item = ActionPlanItemFactory(publishing_status="draft")
    live_item = ActionPlanItemFactory()
    draft_note = ChangeNote.objects.create(item=draft_item, note="x")
    live_note = ChangeNote.objects.create(item=live_item, note="x")
    assert is_public(f"newspost:{post.pk}")
    assert not is_public(f"newspost:{later.pk}")  # not yet
    assert is_public(f"changenote:{live_note.pk}")
    assert not is_public(f"changenote:{draft_note.pk}")
    NewsPost.objects.filter(pk=post.pk).update(publishing_status="unpublished")
    assert not is_public(f"newspost:{post.pk}")
    assert not is_public("newspost:nonsense") and not is_public("other:1")
