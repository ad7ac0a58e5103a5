"""What goes into the version history beyond what django-reversion records itself.

Reversion saves a version of each registered item saved inside a revision. It
does not record deletes (it keeps only versions of items that still exist when
the revision is saved), nor an item's state before its first change. These
functions fill those gaps for the admin (medway_send.admin_history).
"""

import reversion
from django.contrib.admin.utils import NestedObjects
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db import router
from django.utils import timezone
from reversion import is_registered
from reversion.models import Revision, Version

STARTING_POINT = "How it was before its first change in the admin."

# The relations each versioned model's versions include, as given to register().
_FOLLOW = {}


def register(model, *, follow=()):
    """Version ``model`` with reversion's defaults, its versions including ``follow``.

    Always register through here: save_revision_now relies on the defaults, and
    restoring needs to know what each version includes.
    """
    _FOLLOW[model] = tuple(follow)
    reversion.register(model, follow=follow)


def removed_by_restoring(revision):
    """Items that exist now but restoring ``revision`` would delete: those added since.

    Restoring an edition puts back the items on its page as they were, so an
    item added to the page since then goes. This is the set reversion deletes.
    """
    versions = list(revision.version_set.all())
    kept = {(version.content_type_id, version.object_id) for version in versions}
    removed, seen = [], set()

    def follow(obj):
        for name in _FOLLOW.get(type(obj), ()):
            for related in getattr(obj, name).all():
                key = (ContentType.objects.get_for_model(related).pk, str(related.pk))
                if key not in kept and key not in seen:
                    seen.add(key)
                    removed.append(related)
                follow(related)

    for version in versions:
        if version.object is not None:
            follow(version.object)
    return removed


def save_revision_now(objects, *, user, comment):
    """Save the objects as they are now as one revision, at once.

    Unlike ``reversion.create_revision``, which saves when its block ends (and
    drops anything deleted by then, or merges into a revision already open), this
    writes the revision immediately, so it can be used just before a delete. The
    versions are made as reversion makes them for a model registered with its
    defaults (JSON, every field), which is how this project registers models.
    """
    unique = {(type(obj), obj.pk): obj for obj in objects if is_registered(type(obj))}
    if not unique:
        return None
    revision = Revision.objects.create(date_created=timezone.now(), user=user, comment=comment)
    Version.objects.bulk_create(
        Version(
            revision=revision,
            content_type=ContentType.objects.get_for_model(model),
            object_id=str(pk),
            db=router.db_for_write(model, instance=obj),
            format="json",
            serialized_data=serializers.serialize("json", [obj]),
            object_repr=str(obj),
        )
        for (model, pk), obj in unique.items()
    )
    return revision


def record_starting_points(objects):
    """Record items that have no history yet, as they are, before anyone changes them."""
    objects = [obj for obj in objects if is_registered(type(obj))]
    by_model = {}
    for obj in objects:
        by_model.setdefault(type(obj), set()).add(str(obj.pk))
    known = {
        (model, object_id)
        for model, pks in by_model.items()
        for object_id in Version.objects.get_for_model(model)
        .filter(object_id__in=pks)
        .values_list("object_id", flat=True)
    }
    new = [obj for obj in objects if (type(obj), str(obj.pk)) not in known]
    return save_revision_now(new, user=None, comment=STARTING_POINT)


def deleted_with(objects):
    """Everything deleting ``objects`` removes (cascades included), and what blocks it."""
    objects = list(objects)
    if not objects:
        return [], []
    collector = NestedObjects(using=router.db_for_write(type(objects[0])))
    collector.collect(objects)
    doomed = [obj for instances in collector.data.values() for obj in instances]
    return doomed, list(collector.protected)


def record_deletion(objects, *, user, comment=None):
    """Record everything a delete will remove (cascades included), so it can be recovered."""
    objects = list(objects)
    if not objects:
        return None
    doomed, _ = deleted_with(objects)
    if comment is None and len(objects) == 1:
        comment = "Deleted."
    elif comment is None:
        plural = objects[0]._meta.verbose_name_plural
        comment = f"Deleted, with the other selected {plural} ({len(objects)})."
    return save_revision_now(doomed, user=user, comment=comment)
