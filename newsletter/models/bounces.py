"""What the bounce mailbox job found in each message it read, so each is handled once."""

from django.db import models
from django.db.models import Q


class MailboxMessage(models.Model):
    """One message in the bounce mailbox, and what was done about it.

    The row is written in the same transaction as what the message caused (an
    address suppressed, a person unsubscribed), keyed by the message's place
    in the mailbox, so a job killed at any point neither loses a report nor
    acts on one twice: on the next run a recorded message is only moved.
    """

    class Outcome(models.TextChoices):
        HARD_BOUNCE = "hard_bounce", "Hard bounce: address suppressed"
        SOFT_BOUNCE = "soft_bounce", "Soft bounce: counted"
        COMPLAINT = "complaint", "Spam complaint: unsubscribed from everything"
        NO_ACTION = "no_action", "Report needing nothing done (delayed, delivered, or no one left)"
        UNMATCHED = (
            "unmatched",
            "Report we could not match to an email we sent: left in the mailbox",
        )
        NOT_A_REPORT = "not_a_report", "Not a bounce or complaint: left in the mailbox"

    # Where the message is: an IMAP UID is only unique within one folder and
    # one UIDVALIDITY (the server changes that if it renumbers the folder).
    folder = models.CharField(max_length=200)
    uid_validity = models.BigIntegerField()
    uid = models.BigIntegerField()
    message_id = models.CharField("Message-ID", max_length=998, blank=True)
    received_at = models.DateTimeField("read at", auto_now_add=True, db_index=True)
    outcome = models.CharField(max_length=20, choices=Outcome)
    status_code = models.CharField("status", max_length=20, blank=True)
    detail = models.TextField(
        blank=True, help_text="What the report said (the mail server's words), or why it was left."
    )
    reported_by = models.CharField(max_length=200, blank=True)
    # Which email it was about ("d12": delivery 12), from the signed return path.
    message_ref = models.CharField("about email", max_length=40, blank=True)
    subscriber = models.ForeignKey(
        "newsletter.Subscriber",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mailbox_reports",
    )
    issue = models.ForeignKey(
        "newsletter.NewsletterIssue",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mailbox_reports",
    )
    moved_at = models.DateTimeField(
        "moved to the processed folder", null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = "bounce or complaint report"
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["folder", "uid_validity", "uid"], name="mailboxmessage_once_per_message"
            ),
            models.CheckConstraint(
                condition=Q(
                    outcome__in=[
                        "hard_bounce",
                        "soft_bounce",
                        "complaint",
                        "no_action",
                        "unmatched",
                        "not_a_report",
                    ]
                ),
                name="mailboxmessage_outcome_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_outcome_display()} ({self.received_at:%d %B %Y %H:%M})"

    @property
    def stays_in_mailbox(self):
        """Messages we did nothing with are left where they are, for a person to read."""
        return self.outcome in {self.Outcome.UNMATCHED, self.Outcome.NOT_A_REPORT}
