"""A note that staff erased people from the newsletter list, without saying who they were."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ErasureRecord(models.Model):
    """Who erased how many people, when, and from which admin page. Never their addresses.

    It answers "did anyone erase people, and who?" after the fact; what it must
    not do is keep what was erased. Not versioned, and read-only in the admin.
    """

    class Action(models.TextChoices):
        ERASE_SELECTED = "erase_selected", "Erase selected people completely (list page)"
        DELETE_ONE = "delete_one", "Delete button on one subscriber's page"

    erased_at = models.DateTimeField("when", default=timezone.now, db_index=True)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="staff account",
    )
    # Kept as text too, so the record still says who after their account is removed.
    erased_by_username = models.CharField("who", max_length=150)
    people_count = models.PositiveIntegerField("how many people")
    action = models.CharField("how", max_length=20, choices=Action)

    class Meta:
        ordering = ["-erased_at", "-pk"]
        verbose_name = "erasure record"
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=["erase_selected", "delete_one"]),
                name="erasurerecord_action_valid",
            ),
        ]

    def __str__(self):
        people = "1 person" if self.people_count == 1 else f"{self.people_count} people"
        return f"{people} erased by {self.erased_by_username} on {self.erased_at:%d %B %Y %H:%M}"
