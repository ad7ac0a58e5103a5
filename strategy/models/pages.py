"""Standard pages every council site has: accessibility, privacy, cookies, contact."""

from django.db import models
from django.urls import reverse
from django.utils import timezone

from medway_send.richtext import RichTextField
from strategy.models.base import TimestampedModel
from strategy.models.publishing import Publishable, PublishableQuerySet


class Page(TimestampedModel, Publishable):
    """A standalone page with a fixed address, such as the privacy notice."""

    class Kind(models.TextChoices):
        ACCESSIBILITY = "accessibility", "Accessibility statement"
        PRIVACY = "privacy", "Privacy notice"
        COOKIES = "cookies", "Cookies"
        CONTACT = "contact", "Contact"

    kind = models.CharField(
        max_length=20,
        choices=Kind,
        unique=True,
        help_text="Which page this is. Each has its own fixed web address.",
    )
    title = models.CharField(max_length=200)
    summary = models.CharField(
        max_length=300,
        help_text="One sentence describing the page, shown to search engines.",
    )
    body = RichTextField()
    published_at = models.DateTimeField("first published", default=timezone.now)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        ordering = ["kind"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(f"strategy:{self.kind}")
