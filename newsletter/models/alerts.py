"""Emails about the site's own content, and the other emails to one subscriber.

A ``ContentAlert`` is one thing that happened on the website that subscribers
can choose to hear about: a major change to an action or ambition, or a news
post. It is written when strategy announces it (``strategy.public`` signals,
received in ``newsletter.alerts``), in the same transaction as the change.
The worker then releases it when its time has come: one ``SubscriberEmail``
per person who wants it as it happens, and a place in the weekly summary of
everyone who wants it weekly (``newsletter.digests``).
"""

from django.db import models
from django.db.models import Q

from newsletter.models.outbox import QueuedMessage
from newsletter.models.subscribers import Frequency, Subscriber, Topic


class ContentAlert(models.Model):
    """A change or a news post on the website, to be emailed to the people who chose it."""

    class State(models.TextChoices):
        WAITING = "waiting", "Waiting for its time"
        RELEASED = "released", "Sent to the outbox"
        WITHDRAWN = "withdrawn", "Not sent: it was no longer on the website"

    # What strategy called it, e.g. "changenote:12": one alert per thing, however
    # many times it is saved or published.
    key = models.CharField(max_length=100, unique=True)
    topic = models.CharField(
        max_length=20, choices=[(t.value, t.label) for t in (Topic.PROGRESS, Topic.NEWS)]
    )
    title = models.CharField(max_length=300)
    url = models.CharField("address", max_length=500, help_text="Its page on the website.")
    text = models.TextField(help_text="The change note, or the news post's summary.")
    published_at = models.DateTimeField(help_text="When it is (or was) public.")
    state = models.CharField(max_length=20, choices=State, default=State.WAITING, db_index=True)
    released_at = models.DateTimeField(null=True, blank=True, db_index=True)
    recipient_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "update for subscribers"
        verbose_name_plural = "updates for subscribers"
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(topic__in=[Topic.PROGRESS, Topic.NEWS]), name="contentalert_topic_valid"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["waiting", "released", "withdrawn"]),
                name="contentalert_state_valid",
            ),
        ]

    def __str__(self):
        return self.title


class DigestRun(models.Model):
    """The building of one week's summaries. Building is resumable and never doubles one."""

    period_start = models.DateTimeField(unique=True)
    period_end = models.DateTimeField()
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    digest_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-period_start"]
        verbose_name = "weekly summary run"

    def __str__(self):
        return f"Week from {self.period_start:%d %B %Y}"


class SubscriberEmail(QueuedMessage):
    """One email to one subscriber, written when it is sent: an update, a summary or a reminder.

    The database makes each one happen once: one alert email per (alert,
    person) and one summary per (person, week), so neither a second release
    nor a crash in the middle of building can send anyone two.
    """

    class Kind(models.TextChoices):
        ALERT = "alert", "Update as it happens"
        DIGEST = "digest", "Weekly summary"
        CONFIRMATION = "confirmation", "Please confirm (after an import)"

    message_id_prefix = "subscriber"
    return_path_code = "s"

    kind = models.CharField(max_length=20, choices=Kind)
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="emails")
    alert = models.ForeignKey(
        ContentAlert, on_delete=models.CASCADE, null=True, blank=True, related_name="emails"
    )
    period_start = models.DateTimeField(null=True, blank=True)
    period_end = models.DateTimeField(null=True, blank=True)

    class Meta(QueuedMessage.Meta):
        verbose_name = "email to a subscriber"
        verbose_name_plural = "emails to subscribers"
        constraints = [
            *QueuedMessage.Meta.constraints,
            models.CheckConstraint(
                condition=(
                    Q(kind="alert", alert__isnull=False, period_start__isnull=True)
                    | Q(kind="digest", alert__isnull=True, period_start__isnull=False)
                    | Q(kind="confirmation", alert__isnull=True, period_start__isnull=True)
                ),
                name="subscriberemail_kind_fields",
            ),
            models.UniqueConstraint(
                fields=["alert", "subscriber"],
                condition=Q(alert__isnull=False),
                name="subscriberemail_alert_once_per_person",
            ),
            models.UniqueConstraint(
                fields=["subscriber", "period_start"],
                condition=Q(period_start__isnull=False),
                name="subscriberemail_digest_once_per_person_and_week",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.subscriber}"

    @classmethod
    def claim_queryset(cls, queryset):
        return queryset.select_related("subscriber", "alert")

    def build_message(self):
        """The email as it should be now, or None if the person no longer wants it."""
        from newsletter import emails

        subscriber = Subscriber.objects.filter(pk=self.subscriber_id).first()
        if subscriber is None or subscriber.is_suppressed:
            return None
        if self.kind == self.Kind.CONFIRMATION:
            if subscriber.status != Subscriber.Status.PENDING:
                return None
            return emails.reconfirmation_message(subscriber, message_id=self.message_id())
        if subscriber.status != Subscriber.Status.CONFIRMED:
            return None
        if self.kind == self.Kind.ALERT:
            if subscriber.frequency(self.alert.topic) != Frequency.IMMEDIATELY:
                return None
            return emails.alert_message(self.alert, subscriber, message_id=self.message_id())
        # None when nothing in the week is still for them (they changed their choices).
        return emails.digest_message(
            subscriber, self.period_start, self.period_end, message_id=self.message_id()
        )
