"""Telling other apps when something families may want to hear about is published.

``announce`` is the one place that sends the signals in ``strategy.public``.
It is connected to the models' ``post_save`` (``StrategyConfig.ready``), so
every way of publishing sends them: a save in the admin, "Publish the selected
items", the scheduled publishing job, restoring from the history. When the
publishing code moves into one module, the call can move there with it.

- A ChangeNote (only written when a publisher marks a major change) about an
  action or an ambition sends ``major_change_published`` once, when it is made.
- A news post sends ``news_published`` whenever it is saved as published,
  with its ``published_at``, which may be in the future. Receivers keep one
  record per ``key`` and wait until the post's time has come; before using it
  they check ``is_public(key)``, so a post taken down or a change to a page
  that is not published yet is never announced.
"""

from django.apps import apps

from strategy.models.publishing import PublishingStatus
from strategy.public import major_change_published, news_published

# The kinds of item whose change notes are announced, by model name.
CHANGE_NOTE_ITEMS = {"actionplanitem": "action", "ambition": "ambition"}


def _title(item):
    return getattr(item, "heading", None) or str(item)


def announce(sender, instance, created=False, raw=False, **kwargs):
    """post_save receiver: send the public signal for a new change note or a published post."""
    model_name = instance._meta.model_name
    if model_name == "changenote":
        item = instance.item
        kind = CHANGE_NOTE_ITEMS.get(instance.content_type.model)
        if created and not raw and kind and item is not None:
            major_change_published.send(
                sender=type(item),
                key=f"changenote:{instance.pk}",
                item_kind=kind,
                title=_title(item),
                url=item.get_absolute_url(),
                note=instance.note,
                published_at=instance.published_at,
            )
    elif model_name == "newspost" and instance.publishing_status == PublishingStatus.PUBLISHED:
        news_published.send(
            sender=type(instance),
            key=f"newspost:{instance.pk}",
            title=instance.title,
            url=instance.get_absolute_url(),
            summary=instance.summary,
            published_at=instance.published_at,
        )


def is_public(key):
    """True if the change note's item, or the news post, that ``key`` names is public now."""
    kind, _, pk = key.partition(":")
    if not pk.isdigit():
        return False
    if kind == "newspost":
        return apps.get_model("strategy", "NewsPost").objects.published().filter(pk=pk).exists()
    if kind == "changenote":
        note = apps.get_model("strategy", "ChangeNote").objects.filter(pk=pk).first()
        if note is None or note.content_type.model not in CHANGE_NOTE_ITEMS:
            return False
        model = note.content_type.model_class()
        return model.objects.published().filter(pk=note.object_id).exists()
    return False
