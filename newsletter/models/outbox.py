"""The outbox: emails waiting to be sent, written in the transaction that causes them.

A row here is the promise "send this email". Because it is saved in the same
transaction as the change behind it (a sign-up, a published issue), a rolled
back change leaves no row and a committed one can never lose its email. The
worker in ``newsletter.mailer`` moves each row through the states below.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import models
from django.utils import timezone


class MessageStatus(models.TextChoices):
    """Where a queued email is in its life; ``QueuedMessage.Status`` is this."""

    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class Feedback(models.TextChoices):
    """What came back about a sent email: a bounce report or a spam complaint."""

    SOFT_BOUNCE = "soft_bounce", "Bounced for now (soft bounce)"
    HARD_BOUNCE = "hard_bounce", "Bounced for good (hard bounce)"
    COMPLAINT = "complaint", "Marked as spam"


class QueuedMessage(models.Model):
    """The state machine every queued email shares; concrete models say what to send.

    queued → sending (claimed by a worker) → sent, or back to queued to retry,
    or failed. A row can also be cancelled, by the worker (``build_message``
    returned None) or by the application before it is sent.
    """

    Status = MessageStatus

    # Each concrete model names its own Message-IDs; see message_id().
    message_id_prefix = ""
    # And its return-path tokens (newsletter.return_path): one letter, unique.
    return_path_code = ""

    status = models.CharField(max_length=20, choices=Status, default=Status.QUEUED, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set by the bounce mailbox job (newsletter.bounces) from a report about this email.
    feedback = models.CharField(max_length=20, choices=Feedback, blank=True)
    feedback_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=MessageStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(feedback__in=["", *Feedback.values]),
                name="%(app_label)s_%(class)s_feedback_valid",
            ),
        ]
        # The worker's claim query: queued rows that are due, oldest first.
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="%(app_label)s_%(class)s_due"),
        ]

    def build_message(self):
        """Return the EmailMessage to send, or None to cancel it instead of sending."""
        raise NotImplementedError(f"{type(self).__name__} must define build_message()")

    def message_id(self):
        """The Message-ID header for this row, the same on every attempt."""
        prefix = self.message_id_prefix or self._meta.model_name
        return f"<{prefix}-{self.pk}@{message_id_domain()}>"


class OutboundEmail(QueuedMessage):
    """A fully rendered transactional email, such as a sign-up confirmation.

    There is deliberately no link to a subscriber: erasing a person deletes
    their rows by ``to_email``, and the row stays sendable on its own.
    """

    message_id_prefix = "outbound"
    return_path_code = "o"

    kind = models.CharField(
        max_length=40, help_text='What the email is for, e.g. "confirmation" or "newsletter_test".'
    )
    to_email = models.EmailField(max_length=254)
    subject = models.CharField(max_length=255)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True, help_text="Extra headers to send.")

    class Meta(QueuedMessage.Meta):
        verbose_name = "outbound email"

    def __str__(self):
        return f"{self.kind} email {self.pk}"

    def build_message(self):
        """The stored email, with its HTML part when there is one."""
        message = EmailMultiAlternatives(
            subject=self.subject,
            body=self.body_text,
            to=[self.to_email],
            headers={**self.headers, "Message-ID": self.message_id()},
        )
        if self.body_html:
            message.attach_alternative(self.body_html, "text/html")
        return message


def message_id_domain():
    """The site's host name, so Message-IDs are ours and unique to this site."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"
