"""A preview shows the item being previewed, waiting edits included, and nothing else unpublished.

Each test looks at one kind of preview through both doors: the staff preview in
the admin and a shared link opened by someone without an account. Every text is
unique, so a test fails if the previewed draft is missing or if another draft,
or another item's waiting edit, leaks onto the page.
"""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from strategy.models import (
    ChangeNote,
    ChildRight,
    Page,
    ParentCarerCommitment,
    Priority,
    RelatedStrategy,
    Strategy,
    VisionStatement,
)
from tests.conftest import visible_text
from tests.factories import (
    ActionPlanItemFactory,
    AmbitionFactory,
    NewsPostFactory,
    ProgressUpdateFactory,
)

pytestmark = pytest.mark.django_db


def hold(obj, **changes):
    """Leave ``changes`` waiting on ``obj`` for a publisher, as an editor's save would."""
    pending = {**(obj.pending_changes or {}), **changes}
    type(obj).objects.filter(pk=obj.pk).update(pending_changes=pending)
    obj.pending_changes = pending


def shared_link(staff_client, obj):
    """Make a preview link for ``obj`` in the admin and return its path."""
    share = f"/admin/strategy/{obj._meta.model_name}/{obj.pk}/share/"
    assert staff_client.post(share).status_code == 302
    html = staff_client.get(share).content.decode()
    return re.search(r'href="http://testserver(/preview/[^"]+/)"', html).group(1)


def assert_preview(staff_client, obj, *, shows, hides):
    """Both the staff preview and a shared link show every text in ``shows``, none in ``hides``."""
    pages = {
        "staff preview": staff_client.get(
            f"/admin/strategy/{obj._meta.model_name}/{obj.pk}/preview/"
        ),
        "shared link": Client().get(shared_link(staff_client, obj)),
    }
    for door, response in pages.items():
        assert response.status_code == 200, door
        text = visible_text(response.content.decode())
        assert "Preview — not published" in text, door
        for words in shows:
            assert words in text, f"{door} is missing {words!r}"
        for words in hides:
            assert words not in text, f"{door} shows {words!r}"


def test_action_item_preview_shows_only_published_progress_updates(staff_client):
    item = ActionPlanItemFactory(
        title="Train every school in quiet rooms", description="<p>Live plan wording.</p>"
    )
    hold(item, description="<p>Held plan wording for the preview.</p>")
    ProgressUpdateFactory(action_item=item, what_we_said="Published update about benches")
    for state in ["draft", "unpublished", "scheduled"]:
        ProgressUpdateFactory(
            action_item=item,
            what_we_said=f"A {state} update about lanterns",
            publishing_status=state,
            publish_at=timezone.now() + datetime.timedelta(days=3),
        )
    held = ProgressUpdateFactory(action_item=item, what_we_said="Live update about kites")
    hold(held, what_we_said="Held update about kites")

    assert_preview(
        staff_client,
        item,
        shows=["Held plan wording for the preview.", "Published update about benches"],
        hides=[
            "Live plan wording.",
            "A draft update about lanterns",
            "A unpublished update about lanterns",
            "A scheduled update about lanterns",
            "Held update about kites",
        ],
    )


def test_progress_update_preview_adds_only_that_update_to_its_action(staff_client):
    item = ActionPlanItemFactory(title="Open a sensory room in each hub")
    hold(item, title="A held retitling of the action")
    ChangeNote.objects.create(item=item, note="The action's own note, shown in public")
    draft = ProgressUpdateFactory(
        action_item=item, what_we_said="The previewed update about ramps", publishing_status="draft"
    )
    ChangeNote.objects.create(item=draft, note="A note about the update, shown nowhere")
    ProgressUpdateFactory(
        action_item=item, what_we_said="Another draft about swings", publishing_status="draft"
    )
    held = ProgressUpdateFactory(action_item=item, what_we_said="Live update about gates")
    hold(held, what_we_said="Held update about gates")

    assert_preview(
        staff_client,
        draft,
        shows=[
            "The previewed update about ramps",
            "Open a sensory room in each hub",
            "Live update about gates",
            "The action's own note, shown in public",
        ],
        hides=[
            "Another draft about swings",
            "Held update about gates",
            "A held retitling of the action",
            "A note about the update, shown nowhere",
        ],
    )


def test_progress_update_preview_shows_its_own_waiting_edit(staff_client):
    update = ProgressUpdateFactory(what_we_said="What we said before the edit")
    hold(update, what_we_said="What we said after the edit")
    assert_preview(
        staff_client,
        update,
        shows=["What we said after the edit"],
        hides=["What we said before the edit"],
    )


def test_ambition_preview_lists_only_published_actions(staff_client):
    ambition = AmbitionFactory(text="every child heard at school", publishing_status="draft")
    ActionPlanItemFactory(ambition=ambition, title="A published action about buses")
    ActionPlanItemFactory(
        ambition=ambition, title="A draft action about trains", publishing_status="draft"
    )
    held = ActionPlanItemFactory(ambition=ambition, title="A live action about ferries")
    hold(held, title="A held action about ferries")

    assert_preview(
        staff_client,
        ambition,
        shows=["Every child heard at school", "A published action about buses"],
        hides=["A draft action about trains", "A held action about ferries"],
    )


def draft_siblings(strategy):
    """A draft of every kind of item on the strategy page, and one waiting edit each."""
    related = strategy.related_strategies.first()
    texts = []
    for model in [VisionStatement, ChildRight, ParentCarerCommitment]:
        name = model._meta.verbose_name
        model.objects.create(strategy=strategy, text=f"draft sibling {name}", order=1)
        texts.append(f"draft sibling {name}")
        live = model.objects.published().filter(strategy=strategy).first()
        hold(live, text=f"held sibling {name}")
        texts.append(f"held sibling {name}")
    Priority.objects.create(
        strategy=strategy, source=related, text="draft sibling priority", order=1
    )
    AmbitionFactory(strategy=strategy, text="draft sibling ambition", publishing_status="draft")
    RelatedStrategy.objects.create(
        strategy=strategy, title="Draft sibling", description="<p>draft sibling related</p>"
    )
    hold(related, description="<p>held sibling related</p>")
    hold(strategy.ambitions.published().first(), text="held sibling ambition")
    hold(Priority.objects.published().filter(source=related).first(), text="held sibling priority")
    return [
        *texts,
        "draft sibling priority",
        "draft sibling ambition",
        "draft sibling related",
        "held sibling related",
        "held sibling ambition",
        "held sibling priority",
    ]


def test_strategy_preview_shows_its_own_waiting_edits_and_no_other_drafts(staff_client):
    strategy = Strategy.objects.current()
    hidden = draft_siblings(strategy)
    hold(strategy, summary="<p>A held summary in plain words.</p>")
    assert_preview(staff_client, strategy, shows=["A held summary in plain words."], hides=hidden)


@pytest.mark.parametrize("model", [VisionStatement, ChildRight, ParentCarerCommitment])
def test_strategy_item_preview_shows_that_draft_and_no_other(staff_client, model):
    strategy = Strategy.objects.current()
    hidden = draft_siblings(strategy)
    draft = model.objects.create(strategy=strategy, text="the previewed item itself", order=5)
    assert_preview(staff_client, draft, shows=["the previewed item itself"], hides=hidden)


def test_strategy_item_preview_shows_its_own_waiting_edit(staff_client):
    strategy = Strategy.objects.current()
    right = ChildRight.objects.published().filter(strategy=strategy).first()
    live_text = right.text
    hold(right, text="a held right to be heard")
    assert_preview(staff_client, right, shows=["a held right to be heard"], hides=[live_text])


def test_priority_preview_shows_that_draft_under_its_own_related_strategy(staff_client):
    strategy = Strategy.objects.current()
    hidden = draft_siblings(strategy)
    first, second = strategy.related_strategies.published()[:2]
    moving = Priority.objects.published().filter(source=first).last()
    live_text = moving.text
    hold(moving, text="a priority moved by an editor", source_id=str(second.pk))
    assert_preview(
        staff_client, moving, shows=["a priority moved by an editor"], hides=[*hidden, live_text]
    )
    page = staff_client.get(f"/admin/strategy/priority/{moving.pk}/preview/")
    text = visible_text(page.content.decode())
    # Listed once, under the related strategy it is moving to (which comes second).
    assert text.count("a priority moved by an editor") == 1
    assert text.index(visible_text(second.description)) < text.index("a priority moved")


def test_related_strategy_preview_lists_only_its_published_priorities(staff_client):
    strategy = Strategy.objects.current()
    hidden = draft_siblings(strategy)
    related = RelatedStrategy.objects.create(
        strategy=strategy, title="Play for all", description="<p>The previewed related one.</p>"
    )
    Priority.objects.create(
        strategy=strategy,
        source=related,
        text="a published priority of it",
        publishing_status="published",
    )
    Priority.objects.create(strategy=strategy, source=related, text="a draft priority of it")
    assert_preview(
        staff_client,
        related,
        shows=["The previewed related one.", "a published priority of it"],
        hides=[*hidden, "a draft priority of it"],
    )


def test_news_post_and_page_previews_show_their_waiting_edits(staff_client):
    post = NewsPostFactory(body="<p>The news as it is now.</p>")
    hold(post, body="<p>The news as it will be.</p>")
    assert_preview(
        staff_client, post, shows=["The news as it will be."], hides=["The news as it is now."]
    )
    page = Page.objects.get(kind="contact")
    hold(page, body="<p>A held way to contact us.</p>")
    assert_preview(staff_client, page, shows=["A held way to contact us."], hides=[])
