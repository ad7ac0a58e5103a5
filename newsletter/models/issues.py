"""Newsletter issues and their delivery to each subscriber."""

from django.conf import settings
from django.db import models
from django.db.models import Count, Q

from medway_send.richtext import RichTextField
from newsletter.models.outbox import Feedback, QueuedMessage
from newsletter.models.subscribers import Frequency, Subscriber


class NewsletterIssue(models.Model):
    """One edition of "news and updates", composed in the admin and sent once.

    It goes to everyone who wants newsletters as they happen; people who chose
    a weekly summary find it in their next one (``newsletter.digests``). It can
    be sent at once or scheduled (a ScheduledSend), in which case the worker
    sends it when the time comes (``newsletter.scheduling``).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SENDING = "sending", "Sent to the outbox"

    subject = models.CharField(
        max_length=150,
        help_text="The email's subject line. Say what the news is, in plain words.",
    )
    body = RichTextField(
        help_text="What the email says. Keep it short and link to the website for detail."
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    send_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    recipient_count = models.PositiveIntegerField(default=0, editable=False)
    # Counted, never tracked: the links in this issue's emails say which issue
    # they came from, and these go up by one when someone uses them.
    unsubscribe_count = models.PositiveIntegerField(default=0, editable=False)
    opted_out_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = "newsletter issue"
        ordering = ["-created_at"]

    def __str__(self):
        return self.subject

    @property
    def can_be_sent(self):
        return self.status == self.Status.DRAFT

    @property
    def scheduled_send(self):
        """The ScheduledSend waiting to send this issue, or None."""
        try:
            return self.schedule
        except ScheduledSend.DoesNotExist:
            return None

    def progress(self):
        """Counts of this issue's deliveries: sent, failed, cancelled, remaining, total."""
        counts = self.deliveries.aggregate(
            total=Count("pk"),
            sent=Count("pk", filter=Q(status=Delivery.Status.SENT)),
            failed=Count("pk", filter=Q(status=Delivery.Status.FAILED)),
            cancelled=Count("pk", filter=Q(status=Delivery.Status.CANCELLED)),
        )
        counts["remaining"] = (
            counts["total"] - counts["sent"] - counts["failed"] - counts["cancelled"]
        )
        return counts

    def report(self):
        """What happened after sending: progress, bounces, complaints and unsubscribes."""
        feedback = self.deliveries.aggregate(
            hard_bounces=Count("pk", filter=Q(feedback=Feedback.HARD_BOUNCE)),
            soft_bounces=Count("pk", filter=Q(feedback=Feedback.SOFT_BOUNCE)),
            complaints=Count("pk", filter=Q(feedback=Feedback.COMPLAINT)),
        )
        return {
            **self.progress(),
            **feedback,
            "unsubscribes": self.unsubscribe_count,
            "opted_out": self.opted_out_count,
        }


class ScheduledSend(models.Model):
    """A newsletter issue waiting to be sent at a time a newsletter manager chose.

    Kept apart from the issue so that the issue's history (which can be
    restored) never holds a schedule: restoring an old version can never send
    an issue by itself. The worker sends it at ``send_at`` and deletes this.
    """

    issue = models.OneToOneField(NewsletterIssue, on_delete=models.CASCADE, related_name="schedule")
    send_at = models.DateTimeField("send at", db_index=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    scheduled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["send_at"]
        verbose_name = "scheduled send"

    def __str__(self):
        return f"{self.issue} at {self.send_at:%d %B %Y %H:%M}"


class Delivery(QueuedMessage):
    """One issue to one subscriber: a queued email, rendered when it is sent.

    Unique per (issue, subscriber), so nobody can be sent the same issue twice
    by queueing it twice. The subscriber's status is checked again just before
    sending, so an unsubscribe takes effect even in the middle of a send.
    """

    message_id_prefix = "newsletter"
    return_path_code = "d"

    issue = models.ForeignKey(NewsletterIssue, on_delete=models.CASCADE, related_name="deliveries")
    # Kept (without the person) when a subscriber is erased, so counts stay true.
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.SET_NULL, null=True, related_name="deliveries"
    )

    class Meta(QueuedMessage.Meta):
        verbose_name_plural = "deliveries"
        constraints = [
            *QueuedMessage.Meta.constraints,
            models.UniqueConstraint(
                fields=["issue", "subscriber"], name="delivery_once_per_issue_and_subscriber"
            ),
        ]

    def __str__(self):
        return f"{self.issue} → {self.subscriber or 'erased subscriber'}"

    @classmethod
    def claim_queryset(cls, queryset):
        return queryset.select_related("issue", "subscriber")

    def build_message(self):
        """The email for this subscriber, or None if they no longer want it as it happens.

        Someone who switched to the weekly summary since the issue was queued
        finds it there instead (the summary leaves out issues they were sent).
        """
        from newsletter.emails import issue_message

        if self.subscriber_id is None:
            return None
        wanted = Subscriber.objects.wanting("issues", Frequency.IMMEDIATELY)
        if not wanted.filter(pk=self.subscriber_id).exists():
            return None
        return issue_message(self.issue, self.subscriber, message_id=self.message_id())
