"""Old web addresses of content whose slug changed, so links to them keep working.

Links to a page live on in sent newsletters, bookmarks, search engines and
other councils' sites. When an editor changes an item's slug, its old one is
kept here and the public view answers it with a permanent redirect to the
item's address now (``strategy.views.base.FollowsOldSlugsMixin``).

Recording happens on every save of a tracked model (``track_old_slugs``), not
in the admin: slugs also change when a publisher publishes an editor's held
edit, when a version is restored from the history, and from the shell.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import post_save, pre_save


class OldSlug(models.Model):
    """A slug an item used to have."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    slug = models.SlugField(max_length=100)
    replaced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_type", "slug"], name="old_slug_once_per_type")
        ]

    def __str__(self):
        return self.slug

    @classmethod
    def find(cls, queryset, slug):
        """The item of ``queryset`` that once had ``slug``, or None."""
        content_type = ContentType.objects.get_for_model(queryset.model)
        object_id = (
            cls.objects.filter(content_type=content_type, slug=slug)
            .values_list("object_id", flat=True)
            .first()
        )
        return None if object_id is None else queryset.filter(pk=object_id).first()


def _remember_slug_before_save(sender, instance, **kwargs):
    instance._slug_before_save = (
        sender._base_manager.filter(pk=instance.pk).values_list("slug", flat=True).first()
        if instance.pk
        else None
    )


def _record_changed_slug(sender, instance, **kwargs):
    before = getattr(instance, "_slug_before_save", None)
    if before is None or before == instance.slug:
        return
    content_type = ContentType.objects.get_for_model(sender)
    # The item's own slug is live again (a change undone), so it is not an old one.
    OldSlug.objects.filter(content_type=content_type, slug=instance.slug).delete()
    OldSlug.objects.update_or_create(
        content_type=content_type, slug=before, defaults={"object_id": instance.pk}
    )


def track_old_slugs(model):
    """Keep every slug ``model``'s items give up (called from the app's ready())."""
    uid = f"old-slugs-{model._meta.label_lower}"
    pre_save.connect(_remember_slug_before_save, sender=model, dispatch_uid=uid)
    post_save.connect(_record_changed_slug, sender=model, dispatch_uid=uid)
