"""Every published text field, with where to edit it and where the public sees it.

What the content report (``manage.py content_report``) runs the writing checks over.
"""

from collections.abc import Iterator
from typing import NamedTuple

STRATEGY_FIELDS = [
    "introduction",
    "summary",
    "partnership",
    "ambitions_introduction",
    "action_plan_introduction",
]


class ContentItem(NamedTuple):
    """One published text field, with where to edit it and where the public sees it."""

    label: str
    admin_url: str
    public_url: str | None
    field: str
    value: str


def iter_published_content() -> Iterator[ContentItem]:
    """Yield every non-empty text field the public can read, with where to edit and see it.

    Each item is ``(label, admin_url, public_url, field, value)``. Models are
    imported here, not at the top of the module, so the checks above work
    without Django's app registry being ready.
    """
    from django.urls import reverse

    from strategy.models import (
        ActionPlanItem,
        Ambition,
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

    def items(objects, fields, public_url):
        for obj in objects:
            opts = obj._meta
            label = f"{opts.verbose_name[:1].upper()}{opts.verbose_name[1:]}: {_short(obj)}"
            admin_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            url = public_url(obj)
            for name in fields:
                value = getattr(obj, name) or ""
                if value.strip():
                    yield ContentItem(label, admin_url, url, name, value)

    def on_topic_page(url_name):
        # Items of the current edition have their own topic page; those of a
        # superseded edition are only shown on that edition's page.
        def public_url(obj):
            if obj.strategy.is_current:
                return reverse(url_name)
            return obj.strategy.get_absolute_url()

        return public_url

    published = Strategy.objects.published()
    yield from items(
        published,
        STRATEGY_FIELDS,
        lambda obj: obj.get_absolute_url(),
    )
    in_published = {"strategy__in": published}
    for model, url_name, fields in [
        (VisionStatement, "strategy:vision", ["text", "easy_read"]),
        (RelatedStrategy, "strategy:priorities", ["description", "easy_read"]),
        (Priority, "strategy:priorities", ["text", "easy_read"]),
        (ChildRight, "strategy:rights", ["text", "easy_read"]),
        (ParentCarerCommitment, "strategy:rights", ["text", "easy_read"]),
    ]:
        objects = model.objects.published().filter(**in_published).select_related("strategy")
        yield from items(objects, fields, on_topic_page(url_name))
    yield from items(
        Ambition.objects.published().filter(**in_published).select_related("strategy"),
        ["text", "description", "easy_read"],
        lambda obj: obj.get_absolute_url(),
    )
    yield from items(
        ActionPlanItem.objects.published(),
        ["title", "description"],
        lambda obj: obj.get_absolute_url(),
    )
    yield from items(
        ProgressUpdate.objects.published()
        .filter(action_item__in=ActionPlanItem.objects.published())
        .select_related("action_item"),
        ["what_we_said", "what_we_did"],
        lambda obj: obj.action_item.get_absolute_url(),
    )
    yield from items(
        NewsPost.objects.published(),
        ["title", "summary", "body"],
        lambda obj: obj.get_absolute_url(),
    )
    yield from items(Page.objects.published(), ["body"], lambda obj: obj.get_absolute_url())


def _short(obj, length=60):
    text = str(obj)
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
