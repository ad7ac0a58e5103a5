"""Publishing: draft, scheduled, published and unpublished content, and held-back edits.

Each public content item has a status. The public only ever sees "published"
items. Editing a published item without the right to publish does not change
the public page: the edits wait in ``pending_changes`` until a publisher
publishes them (straight away, or at a scheduled time).
"""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone


class PublishingStatus(models.TextChoices):
    DRAFT = "draft", "Draft (not on the website)"
    SCHEDULED = "scheduled", "Scheduled (published automatically at the time given)"
    PUBLISHED = "published", "Published"
    UNPUBLISHED = "unpublished", "Unpublished (taken off the website)"


class PublishableQuerySet(models.QuerySet):
    def published(self):
        """What the public may see."""
        return self.filter(publishing_status=PublishingStatus.PUBLISHED)

    def awaiting_review(self):
        """Drafts, and published items with edits waiting to be published."""
        return self.filter(
            models.Q(publishing_status=PublishingStatus.DRAFT)
            | models.Q(pending_changes__isnull=False)
        )

    def due_for_review(self, today=None):
        """Published items whose "review by" date has passed."""
        today = today or timezone.localdate()
        return self.published().filter(review_by__lt=today)


class HoldsChanges(models.Model):
    """Edits to a live item can wait here, unpublished, until a publisher publishes them."""

    pending_changes = models.JSONField(
        null=True, blank=True, editable=False, encoder=DjangoJSONEncoder
    )

    class Meta:
        abstract = True

    def content_field_names(self):
        """The fields an edit can change (everything editable except the workflow's own)."""
        skip = {"publishing_status", "publish_at", "pending_changes", "created_at", "updated_at"}
        return [
            f.name
            for f in self._meta.concrete_fields
            if f.editable and f.name not in skip and not f.primary_key
        ]

    def hold_changes(self, changed_names):
        """Keep this in-memory edit of a live item as pending; return the merged pending dict."""
        pending = dict(self.pending_changes or {})
        for name in changed_names:
            if name in self.content_field_names():
                field = self._meta.get_field(name)
                pending[field.attname] = field.value_to_string(self)
        return pending

    def with_pending_changes(self):
        """This item with its waiting edits applied, in memory only (for forms and previews)."""
        from medway_send.richtext import RichTextField, sanitise_html

        for attname, value in (self.pending_changes or {}).items():
            field = next(f for f in self._meta.concrete_fields if f.attname == attname)
            value = field.to_python(value)
            # Held edits are stored as typed; clean them as saving would.
            setattr(
                self, attname, sanitise_html(value) if isinstance(field, RichTextField) else value
            )
        return self


class Publishable(HoldsChanges):
    """Fields every public content type shares for the publishing workflow."""

    Status = PublishingStatus

    # Not "status": action-plan items already use that word for their progress.
    publishing_status = models.CharField(
        "publishing",
        max_length=20,
        choices=PublishingStatus,
        default=PublishingStatus.DRAFT,
        db_index=True,
        help_text="Only “Published” items are on the website. Only publishers can publish, "
        "schedule or unpublish.",
    )
    publish_at = models.DateTimeField(
        "publish at",
        null=True,
        blank=True,
        help_text="For “Scheduled”: when it goes on the website, without anyone pressing a button.",
    )
    review_by = models.DateField(
        "review by",
        null=True,
        blank=True,
        help_text="When someone should check this is still right. It is listed on the admin "
        "home page after this date.",
    )

    class Meta:
        abstract = True

    @property
    def is_live(self):
        return self.publishing_status == PublishingStatus.PUBLISHED

    def publish(self, *, now=None):
        """Apply waiting edits and put the item on the website."""
        self.with_pending_changes()
        self.pending_changes = None
        self.publishing_status = PublishingStatus.PUBLISHED
        self.publish_at = None
        self.save()
