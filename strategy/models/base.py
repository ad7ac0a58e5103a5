"""Abstract building blocks shared by the content models."""

from django.db import models

from strategy.models.publishing import Publishable, PublishableQuerySet


class TimestampedModel(models.Model):
    """Records when an item was first added and last changed."""

    created_at = models.DateTimeField("added", auto_now_add=True)
    updated_at = models.DateTimeField("last updated", auto_now=True)

    class Meta:
        abstract = True


class OrderedItem(TimestampedModel, Publishable):
    """A short item in an ordered list, such as one ambition or one right.

    Order is a number, not drag-and-drop, so editors using a keyboard or a
    screen reader can reorder items as easily as anyone else.
    """

    order = models.PositiveIntegerField(
        default=0,
        help_text="Items are shown from the lowest number to the highest. "
        "Leave gaps (10, 20, 30) so you can slot a new item in later.",
    )
    easy_read = models.TextField(
        "easy read version",
        blank=True,
        help_text="Optional. The same point in short sentences and everyday words, "
        "for readers who find the main text hard.",
    )

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["order", "pk"]


def sentence_case(text):
    """Return ``text`` with its first letter capitalised, for use as a heading."""
    return text[:1].upper() + text[1:] if text else text
