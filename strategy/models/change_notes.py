"""GOV.UK-style change notes: what changed on a page, when, in a sentence for the public."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class ChangeNote(models.Model):
    """A major change to one public item, listed in that page's history."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    note = models.TextField(help_text="What changed, in one or two plain sentences.")
    published_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return self.note[:80]

    @classmethod
    def for_item(cls, obj):
        """The public history of ``obj``, newest first."""
        return cls.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        )
