"""What a preview shows: one item's public page as it will look once that item is published.

The previewed item is shown with its own waiting edits applied. Everything else
on the page is read exactly as the public sees it now: only published items,
with their live wording. So a preview never shows another draft, an unpublished
or scheduled progress update, or an edit still waiting on some other item.

Used by the staff preview in the admin and by shared preview links.
"""

from django.db.models import Prefetch, prefetch_related_objects

from strategy.models import (
    ActionPlanItem,
    Ambition,
    ChangeNote,
    ChildRight,
    NewsPost,
    Page,
    ParentCarerCommitment,
    Priority,
    ProgressUpdate,
    RelatedStrategy,
    Strategy,
    VisionStatement,
)
from strategy.models.publishing import PublishingStatus


def _in_place_of_live(items, draft, *, key):
    """``items`` with ``draft`` in place of its live version (added if it is new), re-sorted."""
    return sorted([item for item in items if item.pk != draft.pk] + [draft], key=key)


def _by_order(item):
    return (item.order, item.pk or 0)


def _strategy_page(strategy_id):
    """An edition with its published items, all as the public sees them now."""
    return Strategy.objects.with_content().get(pk=strategy_id)


def _strategy(draft):
    strategy = _strategy_page(draft.pk).with_pending_changes()
    return "strategy/overview.html", strategy, {"strategy": strategy}


def _strategy_item(draft):
    """A vision statement, right or commitment: the strategy page with the draft in its list."""
    strategy = _strategy_page(draft.strategy_id)
    related_name = draft._meta.get_field("strategy").remote_field.related_name
    cache = strategy._prefetched_objects_cache
    cache[related_name] = _in_place_of_live(cache[related_name], draft, key=_by_order)
    return "strategy/overview.html", strategy, {"strategy": strategy}


def _priority(draft):
    strategy = _strategy_page(draft.strategy_id)
    cache = strategy._prefetched_objects_cache
    cache["priorities"] = _in_place_of_live(cache["priorities"], draft, key=_by_order)
    # Listed under the related strategy it will belong to, and under no other.
    for related in strategy.related_strategies.all():
        listed = related._prefetched_objects_cache
        listed["priorities"] = [item for item in listed["priorities"] if item.pk != draft.pk]
        if related.pk == draft.source_id:
            listed["priorities"] = _in_place_of_live(listed["priorities"], draft, key=_by_order)
    return "strategy/overview.html", strategy, {"strategy": strategy}


def _related_strategy(draft):
    prefetch_related_objects([draft], Prefetch("priorities", Priority.objects.published()))
    strategy = _strategy_page(draft.strategy_id)
    cache = strategy._prefetched_objects_cache
    cache["related_strategies"] = _in_place_of_live(
        cache["related_strategies"], draft, key=_by_order
    )
    return "strategy/overview.html", strategy, {"strategy": strategy}


def _ambition(draft):
    # Its published actions, as they will be listed once the ambition itself is published.
    items = ActionPlanItem.objects.filter(
        ambition=draft, publishing_status=PublishingStatus.PUBLISHED
    ).with_related()
    context = {
        "page_title": draft.heading,
        "ambition": draft,
        "strategy": draft.strategy,
        "action_items": list(items),
    }
    return "strategy/ambition_detail.html", draft, context


def _action_item(draft):
    prefetch_related_objects(
        [draft], Prefetch("progress_updates", ProgressUpdate.objects.published())
    )
    context = {"page_title": draft.title, "item": draft, "strategy": draft.ambition.strategy}
    return "strategy/action_item_detail.html", draft, context


def _progress_update(draft):
    item = ActionPlanItem.objects.with_related().get(pk=draft.action_item_id)
    cache = item._prefetched_objects_cache
    cache["progress_updates"] = _in_place_of_live(
        cache["progress_updates"],
        draft,
        key=lambda update: (-update.date.toordinal(), -(update.pk or 0)),
    )
    context = {"page_title": item.title, "item": item, "strategy": item.ambition.strategy}
    return "strategy/action_item_detail.html", item, context


def _news_post(draft):
    return "strategy/news_detail.html", draft, {"page_title": draft.title, "post": draft}


def _page(draft):
    return "strategy/page.html", draft, {"page_title": draft.title, "page": draft}


_PAGES = {
    Strategy: _strategy,
    VisionStatement: _strategy_item,
    ChildRight: _strategy_item,
    ParentCarerCommitment: _strategy_item,
    Priority: _priority,
    RelatedStrategy: _related_strategy,
    Ambition: _ambition,
    ActionPlanItem: _action_item,
    ProgressUpdate: _progress_update,
    NewsPost: _news_post,
    Page: _page,
}


def can_preview(obj):
    """Whether ``obj`` has a public page of its own, or a place on one, to preview."""
    return type(obj) in _PAGES


def preview_context(obj):
    """(template, context) showing ``obj`` (as stored) with its waiting edits, or None.

    The page's history lists the change notes of the item the page is about (an
    update's action, a statement's strategy), as the public page does.
    """
    if obj is None or not can_preview(obj):
        return None
    template, subject, context = _PAGES[type(obj)](obj.with_pending_changes())
    return template, {
        "preview": True,
        "page_title": str(subject),
        "breadcrumbs": [],
        "change_notes": ChangeNote.for_item(subject),
        **context,
    }
