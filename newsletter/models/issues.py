"""Newsletter issues and their delivery to each subscriber."""

from django.conf import settings
from django.db import models
from django.db.models import Count, Q

from medway_send.richtext import RichTextField
from newsletter.models.outbox import QueuedMessage
from newsletter.models.subscribers import Subscriber


class NewsletterIssue(models.Model):
    """One edition of "news and updates", composed in the admin and sent once."""

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

    class Meta:
        verbose_name = "newsletter issue"
        ordering = ["-created_at"]

    def __str__(self):
        return self.subject

    @property
    def can_be_sent(self):
        return self.status == self.Status.DRAFT

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


class Delivery(QueuedMessage):
    """One issue to one subscriber: a queued email, rendered when it is sent.

    Unique per (issue, subscriber), so nobody can be sent the same issue twice
    by queueing it twice. The subscriber's status is checked again just before
    sending, so an unsubscribe takes effect even in the middle of a send.
    """

    message_id_prefix = "newsletter"

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
        """The email for this subscriber, or None if they are no longer confirmed."""
        from newsletter.emails import issue_message

        if self.subscriber_id is None:
            return None
        status = Subscriber.objects.filter(pk=self.subscriber_id).values_list("status", flat=True)
        if list(status) != [Subscriber.Status.CONFIRMED]:
            return None
        return issue_message(self.issue, self.subscriber, message_id=self.message_id())
