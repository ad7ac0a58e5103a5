"""Drafts stay off the website; editors' edits wait for a publisher; schedules publish themselves."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from strategy.models import ActionPlanItem, Ambition, NewsPost, Page
from strategy.publishing_jobs import publish_due
from tests.conftest import sign_in_with_code, sitemap_text, visible_text
from tests.factories import ActionPlanItemFactory, AmbitionFactory, NewsPostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_role(django_user_model):
    def make(role):
        user = django_user_model.objects.create_user(
            role.replace(" ", "-").lower(),
            "x@medway.gov.uk",
            "a long passphrase here",
            is_staff=True,
        )
        user.groups.add(Group.objects.get(name=role))
        return sign_in_with_code(Client(), user)

    return make


def everything_public(client):
    """Every public page and download, as one string."""
    paths = [
        "/",
        "/ambitions/",
        "/rights/",
        "/vision/",
        "/priorities/",
        "/action-plan/",
        "/action-plan/action-plan.csv",
        "/action-plan/action-plan.json",
        "/news/",
        "/news/feed/",
        "/news/feed/atom/",
    ]
    bodies = []
    for path in paths:
        response = client.get(path)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        bodies.append(content.decode())
    return " ".join([*bodies, sitemap_text(client)])


def test_drafts_are_invisible_everywhere(client):
    ambition = AmbitionFactory(
        text="a draft ambition", slug="draft-ambition", publishing_status="draft"
    )
    ActionPlanItemFactory(title="A draft action", slug="draft-action", publishing_status="draft")
    ActionPlanItemFactory(title="Action under a draft ambition", ambition=ambition)
    NewsPostFactory(title="Draft news", slug="draft-news", publishing_status="draft")
    NewsPostFactory(title="Withdrawn news", slug="withdrawn", publishing_status="unpublished")
    everything = everything_public(client)
    for words in [
        "a draft ambition",
        "A draft action",
        "Action under a draft ambition",
        "Draft news",
        "Withdrawn news",
        "draft-ambition",
        "draft-action",
        "draft-news",
    ]:
        assert words not in everything, words
    for path in ["/ambitions/draft-ambition/", "/action-plan/draft-action/", "/news/draft-news/"]:
        assert client.get(path).status_code == 404, path


def test_unpublished_page_is_gone(client):
    Page.objects.filter(kind="cookies").update(publishing_status="unpublished")
    assert client.get("/cookies/").status_code == 404
    assert "/cookies/" not in sitemap_text(client)


def change_ambition(client, ambition, text):
    data = {
        "strategy": ambition.strategy_id,
        "order": ambition.order,
        "text": text,
        "slug": ambition.slug,
        "description": "",
        "easy_read": "",
        "review_by": "",
        "publishing_status": ambition.publishing_status,
        "action_items-TOTAL_FORMS": 0,
        "action_items-INITIAL_FORMS": 0,
    }
    return client.post(reverse("admin:strategy_ambition_change", args=[ambition.pk]), data)


def test_an_editors_change_waits_for_a_publisher(client, as_role):
    ambition = Ambition.objects.get(slug="best-outcomes")
    editor, publisher = as_role("Content editor"), as_role("Publisher")

    assert change_ambition(editor, ambition, "achieving the very best outcomes").status_code == 302
    assert "the very best outcomes" not in client.get("/ambitions/best-outcomes/").content.decode()
    ambition.refresh_from_db()
    assert ambition.text == "achieving the best outcomes, through inclusion and participation"
    assert ambition.pending_changes

    form = editor.get(
        reverse("admin:strategy_ambition_change", args=[ambition.pk])
    ).content.decode()
    assert "achieving the very best outcomes" in form  # the editor carries on from the draft
    preview = editor.get(f"/admin/strategy/ambition/{ambition.pk}/preview/")
    assert "Preview — not published" in preview.content.decode()
    assert "Achieving the very best outcomes" in visible_text(preview.content.decode())
    assert preview["X-Robots-Tag"].startswith("noindex")

    publisher.post(
        reverse("admin:strategy_ambition_changelist"),
        {"action": "publish_selected", "_selected_action": [ambition.pk]},
    )
    assert "Achieving the very best outcomes" in visible_text(
        client.get("/ambitions/best-outcomes/").content.decode()
    )
    ambition.refresh_from_db()
    assert ambition.pending_changes is None


def test_an_editor_cannot_publish(as_role, client):
    editor = as_role("Content editor")
    draft = AmbitionFactory(slug="new-idea", text="a new idea", publishing_status="draft")
    form = editor.get(reverse("admin:strategy_ambition_change", args=[draft.pk])).content.decode()
    assert 'name="publishing_status"' not in form  # shown, but not editable
    data = {
        "strategy": draft.strategy_id,
        "order": 1,
        "text": "a new idea",
        "slug": "new-idea",
        "publishing_status": "published",
        "action_items-TOTAL_FORMS": 0,
        "action_items-INITIAL_FORMS": 0,
    }
    editor.post(reverse("admin:strategy_ambition_change", args=[draft.pk]), data)
    draft.refresh_from_db()
    assert draft.publishing_status == "draft"
    listing = editor.get(reverse("admin:strategy_ambition_changelist")).content.decode()
    assert "publish_selected" not in listing
    assert client.get("/ambitions/new-idea/").status_code == 404


def test_new_inline_items_start_as_drafts_for_editors(as_role):
    editor = as_role("Content editor")
    ambition = Ambition.objects.get(slug="right-support")
    html = editor.get(
        reverse("admin:strategy_ambition_change", args=[ambition.pk])
    ).content.decode()
    assert "action_items-group" in html


def test_scheduled_items_publish_themselves_when_due(client):
    past = timezone.now() - datetime.timedelta(minutes=1)
    future = timezone.now() + datetime.timedelta(days=1)
    due = NewsPostFactory(
        slug="due", title="Due now", publishing_status="scheduled", publish_at=past
    )
    later = NewsPostFactory(slug="later", publishing_status="scheduled", publish_at=future)
    assert client.get("/news/due/").status_code == 404
    assert publish_due() == 1
    assert client.get("/news/due/").status_code == 200
    assert NewsPost.objects.get(pk=later.pk).publishing_status == "scheduled"
    assert NewsPost.objects.get(pk=due.pk).publishing_status == "published"


def test_publish_scheduled_command_for_cron(capsys):
    ActionPlanItemFactory(
        publishing_status="scheduled", publish_at=timezone.now() - datetime.timedelta(hours=1)
    )
    call_command("publish_scheduled")
    assert "Published 1 scheduled items." in capsys.readouterr().out
    assert ActionPlanItem.objects.published().count() == 1


def test_worker_runs_scheduled_publishing():
    from django.conf import settings

    assert "strategy.publishing_jobs.publish_due" in settings.WORKER_PERIODIC_JOBS


def test_preview_needs_a_signed_in_member_of_staff(client):
    ambition = Ambition.objects.get(slug="best-outcomes")
    response = client.get(f"/admin/strategy/ambition/{ambition.pk}/preview/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert re.search(r"Disallow: /admin/", client.get("/robots.txt").content.decode())


def make_share_link(staff_client, ambition):
    url = f"/admin/strategy/ambition/{ambition.pk}/share/"
    staff_client.post(url)
    html = staff_client.get(url).content.decode()
    return re.search(r'href="http://testserver(/preview/[^"]+/)"', html).group(1)


def test_shared_preview_shows_the_draft_read_only_and_is_never_indexed(staff_client):
    from django.test import Client

    draft = AmbitionFactory(slug="shared", text="an idea for the forum", publishing_status="draft")
    path = make_share_link(staff_client, draft)
    response = Client().get(path)  # someone without an account
    html = response.content.decode()
    assert response.status_code == 200
    assert "Preview — not published" in html and "An idea for the forum" in visible_text(html)
    assert response["X-Robots-Tag"].startswith("noindex")
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "csrfmiddlewaretoken" not in html
    assert "/preview/" not in sitemap_text(Client())
    assert "Disallow: /preview/" in Client().get("/robots.txt").content.decode()


def test_revoked_expired_and_tampered_preview_links_do_not_work(staff_client):
    from django.test import Client

    from strategy.models import PreviewLink

    draft = AmbitionFactory(slug="shared", text="an idea", publishing_status="draft")
    path = make_share_link(staff_client, draft)
    link = PreviewLink.objects.get()
    assert Client().get(path[:-3] + "xx/").status_code == 404  # tampered
    PreviewLink.objects.filter(pk=link.pk).update(expires_at=timezone.now())
    assert Client().get(path).status_code == 404  # expired
    PreviewLink.objects.filter(pk=link.pk).update(
        expires_at=timezone.now() + datetime.timedelta(days=1)
    )
    assert Client().get(path).status_code == 200
    staff_client.post(f"/admin/strategy/ambition/{draft.pk}/share/", {"revoke": link.pk})
    dead = Client().get(path)
    assert dead.status_code == 404 and "This preview link does not work" in dead.content.decode()


def test_major_change_note_appears_in_the_public_page_history(staff_client, client):
    ambition = Ambition.objects.get(slug="working-together")
    data = {
        "strategy": ambition.strategy_id,
        "order": ambition.order,
        "text": ambition.text,
        "slug": ambition.slug,
        "description": "<p>We now meet families every month.</p>",
        "easy_read": "",
        "review_by": "",
        "publishing_status": "published",
        "major_change": "on",
        "change_note": "Added how often we meet families.",
        "action_items-TOTAL_FORMS": 0,
        "action_items-INITIAL_FORMS": 0,
    }
    url = reverse("admin:strategy_ambition_change", args=[ambition.pk])
    missing = staff_client.post(url, {**data, "change_note": ""})
    assert "Say what changed" in missing.content.decode()  # a major change needs its note
    assert staff_client.post(url, data).status_code == 302
    html = client.get("/ambitions/working-together/").content.decode()
    assert "Page history" in html and "Added how often we meet families." in html
    assert "Last updated" in html


def test_minor_changes_leave_no_public_note(staff_client, client):
    post = NewsPostFactory(slug="minor")
    data = {
        "title": post.title,
        "slug": "minor",
        "summary": post.summary,
        "body": "<p>Typo fixed.</p>",
        "published_at_0": "2024-01-01",
        "published_at_1": "10:00:00",
        "publishing_status": "published",
    }
    staff_client.post(reverse("admin:strategy_newspost_change", args=[post.pk]), data)
    assert "Page history" not in client.get("/news/minor/").content.decode()


def test_admin_home_shows_what_needs_attention(as_role):
    editor = as_role("Content editor")
    AmbitionFactory(text="a draft for review", publishing_status="draft")
    NewsPostFactory(
        title="Goes out tomorrow",
        publishing_status="scheduled",
        publish_at=timezone.now() + datetime.timedelta(days=1),
    )
    Ambition.objects.filter(slug="best-outcomes").update(review_by=datetime.date(2020, 1, 1))
    html = editor.get("/admin/").content.decode()
    assert "Needs attention" in html
    assert "a draft for review" in html
    assert "Goes out tomorrow" in html
    assert "review by 1 January 2020" in html


def test_newsletter_manager_sees_no_content_dashboard(as_role):
    html = as_role("Newsletter manager").get("/admin/").content.decode()
    assert "Needs attention" not in html


def _draft_of(model, strategy):
    from strategy.models import ChildRight, Priority, VisionStatement
    from tests.factories import ProgressUpdateFactory

    makers = {
        "childright": lambda: ChildRight.objects.create(
            strategy=strategy, text="a draft right to play", order=99
        ),
        "visionstatement": lambda: VisionStatement.objects.create(
            strategy=strategy, text="A draft vision statement.", order=99
        ),
        "priority": lambda: Priority.objects.create(
            strategy=strategy,
            source=strategy.related_strategies.first(),
            text="a draft priority",
            order=99,
        ),
        "ambition": lambda: AmbitionFactory(
            strategy=strategy, text="a draft ambition", publishing_status="draft"
        ),
        "progressupdate": lambda: ProgressUpdateFactory(
            what_we_said="A draft update", publishing_status="draft"
        ),
        "strategy": lambda: strategy,
    }
    return makers[model]()


PREVIEW_WORDS = {
    "childright": "a draft right to play",
    "visionstatement": "A draft vision statement.",
    "priority": "a draft priority",
    "ambition": "A draft ambition",
    "progressupdate": "A draft update",
    "strategy": "Summary of the strategy",
}


@pytest.mark.parametrize("model", PREVIEW_WORDS)
def test_every_kind_of_draft_can_be_previewed(staff_client, client, model):
    from strategy.models import Strategy

    draft = _draft_of(model, Strategy.objects.current())
    response = staff_client.get(f"/admin/strategy/{model}/{draft.pk}/preview/")
    html = visible_text(response.content.decode())
    assert response.status_code == 200
    assert "Preview — not published" in html
    assert PREVIEW_WORDS[model] in html
    if model != "strategy":
        assert PREVIEW_WORDS[model] not in visible_text(client.get("/").content.decode())


def test_an_editors_change_to_the_strategy_text_waits_for_a_publisher(as_role, client):
    from django.forms.models import model_to_dict

    from strategy.models import Strategy

    strategy = Strategy.objects.current()
    editor, publisher = as_role("Content editor"), as_role("Publisher")
    url = reverse("admin:strategy_strategy_change", args=[strategy.pk])
    form_html = editor.get(url).content.decode()
    assert 'name="status"' not in form_html  # only publishers change an edition's status
    data = {k: v for k, v in model_to_dict(strategy).items() if v is not None and k != "document"}
    data.update(
        summary="<p>A simpler summary for families.</p>",
        published_at_0="2026-12-01",
        published_at_1="09:00:00",
    )
    for prefix in [
        "vision_statements",
        "related_strategies",
        "priorities",
        "ambitions",
        "rights",
        "parent_carer_commitments",
    ]:
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    data.pop("status", None)
    response = editor.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert "A simpler summary" not in client.get("/").content.decode()
    publisher.post(
        reverse("admin:strategy_strategy_changelist"),
        {"action": "publish_selected", "_selected_action": [strategy.pk]},
    )
    assert "A simpler summary for families." in client.get("/").content.decode()
