"""The action plan: what will be done for each ambition, and how it is going."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from medway_send.richtext import RichTextField
from strategy.models.base import TimestampedModel
from strategy.models.publishing import Publishable, PublishableQuerySet
from strategy.models.strategy import Ambition, Strategy


class Board(models.Model):
    """A partnership board that monitors the action plan."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = RichTextField(help_text="Optional. Who sits on the board and what it does.")
    order = models.PositiveIntegerField(default=0, help_text="Lower numbers are listed first.")

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class ActionPlanItemQuerySet(PublishableQuerySet):
    def published(self):
        """Published items under a published ambition of a published or superseded strategy."""
        return (
            super()
            .published()
            .filter(
                ambition__publishing_status=Publishable.Status.PUBLISHED,
                ambition__strategy__in=Strategy.objects.published(),
            )
        )

    def last_changed(self):
        """When the most recently changed of these items changed (None if there are none).

        Worked out by the database, so a page of a long list never loads every item.
        """
        return self.aggregate(latest=models.Max("updated_at"))["latest"]

    def with_related(self):
        """Everything an action's own page shows, fetched in as few queries as possible."""
        return self.select_related("ambition", "ambition__strategy", "board").prefetch_related(
            models.Prefetch("progress_updates", ProgressUpdate.objects.published())
        )

    def for_list(self):
        """Everything a list of actions shows, a page at a time.

        Not the strategy: its long texts, joined to every row, made the database sort
        several times slower when the plan has 10,000 actions.
        """
        return self.select_related("ambition", "board").prefetch_related(
            models.Prefetch("progress_updates", ProgressUpdate.objects.published())
        )

    def for_download(self):
        """Everything the downloads show, for reading a chunk at a time.

        Each item's published updates, newest first, are in ``published_updates``:
        the download deletes that list once it has used it. Each update points
        back at its item, so until then the two hold each other, and only Python's
        garbage collector, now and then, could free a chunk of them.
        """
        updates = ProgressUpdate.objects.published().only("action_item", "date", "what_we_said")
        return self.select_related("ambition", "board").prefetch_related(
            models.Prefetch("progress_updates", updates, to_attr="published_updates")
        )


class ActionPlanItem(TimestampedModel, Publishable):
    """One action the local area has committed to, under one ambition."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        ON_TRACK = "on_track", "On track"
        AT_RISK = "at_risk", "At risk"
        DELAYED = "delayed", "Delayed"
        COMPLETE = "complete", "Complete"

    ambition = models.ForeignKey(Ambition, on_delete=models.PROTECT, related_name="action_items")
    title = models.CharField(
        "what we will do", max_length=250, help_text="A short sentence families will understand."
    )
    slug = models.SlugField(max_length=100, unique=True)
    description = RichTextField(help_text="Optional. More detail on the action and why.")
    lead = models.CharField(
        "lead service",
        max_length=150,
        help_text="The service responsible, not a person's name. For example "
        "“SEND Services, Medway Council”.",
    )
    board = models.ForeignKey(
        Board,
        on_delete=models.PROTECT,
        related_name="action_items",
        verbose_name="monitored by",
    )
    co_produced_with = models.CharField(
        max_length=250,
        blank=True,
        help_text="Who the action is designed with, for example the parent carer forum.",
    )
    start_date = models.DateField(null=True, blank=True)
    target_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status, default=Status.NOT_STARTED)
    order = models.PositiveIntegerField(default=0, help_text="Lower numbers are listed first.")

    objects = ActionPlanItemQuerySet.as_manager()

    class Meta:
        verbose_name = "action plan item"
        ordering = ["ambition__order", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(target_date__gte=models.F("start_date")),
                name="action_item_target_not_before_start",
                violation_error_message="The target date cannot be before the start date.",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["not_started", "on_track", "at_risk", "delayed", "complete"]
                ),
                name="action_item_status_valid",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("strategy:action_item", kwargs={"slug": self.slug})

    @property
    def latest_update(self):
        updates = list(self.progress_updates.all())
        return updates[0] if updates else None


class ProgressUpdate(TimestampedModel, Publishable):
    """A dated report on one action: what we said we would do, and what we did."""

    action_item = models.ForeignKey(
        ActionPlanItem, on_delete=models.CASCADE, related_name="progress_updates"
    )
    date = models.DateField(default=timezone.localdate, help_text="The date this update covers.")
    what_we_said = models.TextField(help_text="What we said we would do by this date.")
    what_we_did = RichTextField(help_text="What actually happened, in plain words.")

    objects = PublishableQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.action_item} – {self.date:%d %B %Y}"
