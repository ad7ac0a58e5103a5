"""The strategy edition and the ordered items that make up its text."""

from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from medway_send.richtext import RichTextField
from strategy.documents import document_type, validate_document
from strategy.models.base import OrderedItem, TimestampedModel, sentence_case
from strategy.models.publishing import HoldsChanges


class StrategyQuerySet(models.QuerySet):
    def published(self):
        """Editions the public may read: the current one and superseded ones."""
        return self.filter(status__in=[Strategy.Status.PUBLISHED, Strategy.Status.SUPERSEDED])

    def current(self):
        """The one edition in force, or None before anything is published."""
        return self.filter(status=Strategy.Status.PUBLISHED).order_by("-start_year").first()

    def with_content(self):
        """Prefetch every published item the strategy pages show (drafts never)."""
        return self.prefetch_related(
            Prefetch("vision_statements", VisionStatement.objects.published()),
            Prefetch(
                "related_strategies",
                RelatedStrategy.objects.published().prefetch_related(
                    Prefetch("priorities", Priority.objects.published())
                ),
            ),
            Prefetch("priorities", Priority.objects.published()),
            Prefetch("ambitions", Ambition.objects.published()),
            Prefetch("rights", ChildRight.objects.published()),
            Prefetch("parent_carer_commitments", ParentCarerCommitment.objects.published()),
        )


class Strategy(TimestampedModel, HoldsChanges):
    """One edition of the Local Area SEND Strategy, such as 2022 to 2025.

    A new edition is added alongside the old one, never written over it, so
    families can still read what was promised before.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft (not shown to the public)"
        PUBLISHED = "published", "Published (the current strategy)"
        SUPERSEDED = "superseded", "Superseded (replaced by a newer strategy)"

    title = models.CharField(
        max_length=200,
        help_text="The strategy's full name, for example "
        "“Medway Local Area SEND Strategy 2022 to 2025”.",
    )
    slug = models.SlugField(
        max_length=80,
        unique=True,
        help_text="Used in the web address. Lower-case letters, numbers and hyphens only.",
    )
    start_year = models.PositiveSmallIntegerField()
    end_year = models.PositiveSmallIntegerField()
    status = models.CharField(
        max_length=20,
        choices=Status,
        default=Status.DRAFT,
        help_text="Only one strategy should be “Published” at a time. When a new one is "
        "published, mark the old one “Superseded” so readers are pointed to the new one.",
    )
    published_at = models.DateTimeField(
        "first published", default=timezone.now, help_text="Shown on the page as “Published”."
    )
    introduction = RichTextField(
        help_text="The opening text of the strategy page, such as thanks to partners."
    )
    document = models.FileField(
        "full strategy document",
        upload_to="strategy-documents/",
        blank=True,
        validators=[validate_document],
        help_text="Optional. The full strategy as a PDF, Word (.docx or .doc), OpenDocument "
        "(.odt) or plain text (.txt) file. Its type and size are shown next to the link.",
    )
    document_link_text = models.CharField(
        max_length=200,
        blank=True,
        help_text="The words for the link to the full document, for example "
        "“Read the Medway Local Area SEND Strategy 2022 to 2025.”",
    )
    summary_heading = models.CharField(max_length=120, default="Summary of the strategy")
    summary = RichTextField(help_text="The opening of the summary section.")
    partnership = RichTextField(
        "working together",
        help_text="How partners across health, education and social care work together. "
        "Shown after the related strategies.",
    )
    ambitions_heading = models.CharField(max_length=120, blank=True)
    ambitions_introduction = RichTextField(
        help_text="Shown before the list of ambitions. End with the lead-in to the list, "
        "for example “Our ambitions for 2022 to 2025 are:”."
    )
    rights_introduction = models.CharField(
        max_length=200,
        default="Children have the right to:",
        help_text="The lead-in shown before the list of children's rights.",
    )
    action_plan_heading = models.CharField(
        max_length=120, default="Putting the strategy into action"
    )
    action_plan_introduction = RichTextField(
        help_text="How the action plan is co-produced, monitored and reported."
    )
    news_heading = models.CharField(max_length=120, default="News and updates")
    newsletter_prompt = models.CharField(
        max_length=200,
        default="For more news and updates, sign up to our newsletter.",
        help_text="The sentence inviting readers to the newsletter. The words "
        "“sign up to our newsletter” become the link.",
    )

    objects = StrategyQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "strategies"
        ordering = ["-start_year"]
        permissions = [("publish_content", "Can publish, schedule and unpublish content")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")),
                name="strategy_end_year_not_before_start",
            ),
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status="published"),
                name="strategy_one_current_edition",
                violation_error_message="Another strategy is already published. Mark it "
                "“Superseded” first.",
            ),
        ]

    def __str__(self):
        return self.title

    def document_details(self):
        """(file type, size in bytes) of the uploaded document, or None if there is none.

        A file missing from storage (a server without the shared media folder)
        must not break the strategy page, so it counts as no document.
        """
        if not self.document:
            return None
        try:
            size = self.document.size
        except OSError:
            return None
        kind = document_type(self.document.name)
        return (kind.name if kind else self.document.name.rsplit(".", 1)[-1].upper()), size

    def get_document_url(self):
        return reverse("strategy:document", kwargs={"slug": self.slug})

    @property
    def period(self):
        return f"{self.start_year} to {self.end_year}"

    @property
    def is_live(self):
        """Readable by the public, so an editor's edits must wait for a publisher."""
        return self.status in (self.Status.PUBLISHED, self.Status.SUPERSEDED)

    def publish(self, *, now=None):
        """Put waiting edits on the website (the edition's own status is set by hand)."""
        self.with_pending_changes()
        self.pending_changes = None
        self.save()

    @property
    def is_current(self):
        return self.status == self.Status.PUBLISHED

    @property
    def is_superseded(self):
        return self.status == self.Status.SUPERSEDED

    def get_ambitions_heading(self):
        return self.ambitions_heading or f"Ambitions for {self.period}"

    def last_updated(self):
        """The latest change to the edition or any item in it (needs ``with_content``)."""
        items = [
            *self.vision_statements.all(),
            *self.related_strategies.all(),
            *self.priorities.all(),
            *self.ambitions.all(),
            *self.rights.all(),
            *self.parent_carer_commitments.all(),
        ]
        return max([self.updated_at, *(item.updated_at for item in items)])

    def get_absolute_url(self):
        if self.is_current:
            return reverse("strategy:overview")
        return reverse("strategy:edition", kwargs={"slug": self.slug})


class StrategyItem(OrderedItem):
    """An ordered item belonging to one strategy edition."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(help_text="Plain words; no formatting is needed.")

    class Meta(OrderedItem.Meta):
        abstract = True

    def __str__(self):
        return self.text[:80]


class VisionStatement(StrategyItem):
    """One statement of the vision for children and young people with SEND."""

    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="vision_statements"
    )


class RelatedStrategy(OrderedItem):
    """A wider council strategy the SEND strategy builds on, such as Child-friendly Medway."""

    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="related_strategies"
    )
    title = models.CharField(max_length=200, help_text="For example “Child-friendly Medway”.")
    description = RichTextField(help_text="What this strategy means for children with SEND.")
    url = models.URLField(
        "link to the strategy", blank=True, help_text="Optional. Where readers can find it."
    )

    class Meta(OrderedItem.Meta):
        verbose_name_plural = "related strategies"

    def __str__(self):
        return self.title


class Priority(StrategyItem):
    """A priority of the Medway People Strategy that this strategy works towards."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="priorities")
    source = models.ForeignKey(
        RelatedStrategy,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="priorities",
        verbose_name="set out in",
        help_text="The related strategy this priority comes from, such as the People Strategy.",
    )

    class Meta(OrderedItem.Meta):
        verbose_name_plural = "priorities"


class Ambition(StrategyItem):
    """One of the strategy's ambitions; action-plan items hang off it."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="ambitions")
    slug = models.SlugField(
        max_length=80, unique=True, help_text="Used in the web address of the ambition's page."
    )
    description = RichTextField(
        help_text="Optional. More about what this ambition means and why it matters."
    )

    def get_absolute_url(self):
        return reverse("strategy:ambition", kwargs={"slug": self.slug})

    @property
    def heading(self):
        return sentence_case(self.text)


class ChildRight(StrategyItem):
    """One of the rights the strategy says every child has."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="rights")

    class Meta(OrderedItem.Meta):
        verbose_name = "children's right"
        verbose_name_plural = "children's rights"


class ParentCarerCommitment(StrategyItem):
    """A commitment the strategy makes to parents and carers."""

    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="parent_carer_commitments"
    )

    class Meta(OrderedItem.Meta):
        verbose_name = "commitment to parents and carers"
        verbose_name_plural = "commitments to parents and carers"
