"""News and updates about the strategy."""

from django.db import models
from django.urls import reverse
from django.utils import timezone

from medway_send.richtext import RichTextField
from strategy.models.base import TimestampedModel
from strategy.models.publishing import Publishable, PublishableQuerySet


class NewsPostQuerySet(PublishableQuerySet):
    def published(self):
        """Published posts whose date has arrived."""
        return super().published().filter(published_at__lte=timezone.now())


class NewsPost(TimestampedModel, Publishable):
    """A dated news item, listed at /news/ and in the feed."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    summary = models.CharField(
        max_length=300,
        help_text="One or two sentences shown in the news list, the feed and search results.",
    )
    body = RichTextField()
    published_at = models.DateTimeField(
        default=timezone.now,
        help_text="The post appears on the site from this date and time.",
    )

    objects = NewsPostQuerySet.as_manager()

    class Meta:
        verbose_name = "news post"
        ordering = ["-published_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("strategy:news_detail", kwargs={"slug": self.slug})
