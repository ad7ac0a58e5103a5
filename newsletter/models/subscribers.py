"""People who asked for news and updates, what they chose to get, and what they agreed to."""

import uuid

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone


def normalise_email(address):
    """Trim the address and lower-case its domain (the part before @ is left alone)."""
    address = (address or "").strip()
    local, at, domain = address.rpartition("@")
    return f"{local}@{domain.lower()}" if at else address


class Frequency(models.TextChoices):
    """How often a subscriber wants one kind of email."""

    OFF = "off", "No, do not send these"
    IMMEDIATELY = "immediately", "Yes, as it happens"
    WEEKLY = "weekly", "Yes, in a weekly summary"


class Topic(models.TextChoices):
    """The kinds of email a subscriber can choose; each has a ``<topic>_frequency`` field."""

    ISSUES = "issues", "Newsletters"
    PROGRESS = "progress", "Changes to the action plan and ambitions"
    NEWS = "news", "News posts"


def frequency_field(topic):
    """The Subscriber field holding how often they want ``topic``."""
    return f"{Topic(topic).value}_frequency"


class SubscriberQuerySet(models.QuerySet):
    def confirmed(self):
        """People who confirmed and have not unsubscribed."""
        return self.filter(status=Subscriber.Status.CONFIRMED)

    def sendable(self):
        """Confirmed people whose address is not suppressed: the only ones we send news to."""
        return self.confirmed().filter(suppressed_at__isnull=True)

    def wanting(self, topic, frequency):
        """Sendable people who want ``topic`` at ``frequency``."""
        return self.sendable().filter(**{frequency_field(topic): frequency})

    def for_email(self, address):
        """The subscriber with this address, compared without regard to case."""
        return self.alias(email_lower=Lower("email")).filter(
            email_lower=normalise_email(address).lower()
        )


class Subscriber(models.Model):
    """One email address on the newsletter list, in one of three states.

    An address is never stored twice, whatever its case (a database
    constraint). Nothing about the person is kept beyond the address, what
    they chose to get and the consent record: no names, no IP addresses.
    A suppressed address (it bounced, see ``newsletter.bounces``) gets no email
    of any kind, whatever its status, until the suppression is lifted.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        CONFIRMED = "confirmed", "Confirmed"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField("email address", max_length=254)
    status = models.CharField(max_length=20, choices=Status, default=Status.PENDING)
    signed_up_at = models.DateTimeField(default=timezone.now)
    signup_page = models.CharField(
        max_length=200, blank=True, help_text="The page the person signed up from."
    )
    signup_wording_version = models.CharField(
        max_length=40, help_text="Which version of the sign-up wording they saw."
    )
    privacy_notice_version = models.CharField(
        max_length=40, help_text="Which version of the privacy notice applied."
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    # Limits on confirmation emails to one address: at most a few a day, and
    # not two within minutes (a double click, or many tabs, sends one).
    last_confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    confirmation_window_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    confirmations_in_window = models.PositiveSmallIntegerField(default=0, editable=False)
    # What they chose on the "manage your subscription" page. Everyone starts
    # with what the list always sent: newsletter issues, as they happen.
    issues_frequency = models.CharField(
        "newsletters", max_length=20, choices=Frequency, default=Frequency.IMMEDIATELY
    )
    progress_frequency = models.CharField(
        "action plan changes", max_length=20, choices=Frequency, default=Frequency.OFF
    )
    news_frequency = models.CharField(
        "news posts", max_length=20, choices=Frequency, default=Frequency.OFF
    )
    suppressed_at = models.DateTimeField(
        "suppressed",
        null=True,
        blank=True,
        help_text="When we stopped all email to this address because it bounced.",
    )
    suppression_reason = models.CharField(
        max_length=500, blank=True, help_text="Why: what the receiving mail server said."
    )
    # Where an imported person first gave consent (the import's "source" column),
    # and when. Who imported them and when is on the import record.
    imported_from = models.CharField(max_length=200, blank=True)
    original_consent_at = models.DateTimeField("original consent date", null=True, blank=True)
    import_record = models.ForeignKey(
        "newsletter.ImportRecord",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="subscribers",
        verbose_name="imported by",
    )

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_up_at"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="subscriber_email_unique_ignoring_case",
                violation_error_message="This address is already on the list.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "confirmed", "unsubscribed"]),
                name="subscriber_status_valid",
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{frequency_field(topic)}__in": Frequency.values}),
                    name=f"subscriber_{topic}_frequency_valid",
                )
                for topic in Topic.values
            ),
        ]
        indexes = [models.Index(fields=["status", "signed_up_at"])]

    def __str__(self):
        return self.email

    @property
    def is_suppressed(self):
        return self.suppressed_at is not None

    def frequency(self, topic):
        """How often this person wants ``topic`` (a Frequency value)."""
        return getattr(self, frequency_field(topic))

    def choices_summary(self):
        """Their choices in words, for the consent record."""
        return "; ".join(
            f"{label}: {Frequency(self.frequency(topic)).label}" for topic, label in Topic.choices
        )


class ConsentEvent(models.Model):
    """A dated entry in one subscriber's consent record."""

    class Kind(models.TextChoices):
        SIGNED_UP = "signed_up", "Signed up"
        CONFIRMED = "confirmed", "Confirmed"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
        IMPORTED = "imported", "Imported from another list"
        CHOICES_CHANGED = "choices_changed", "Changed what they get"
        COMPLAINED = "complained", "Unsubscribed by marking an email as spam"

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind)
    at = models.DateTimeField(default=timezone.now)
    signup_page = models.CharField(max_length=200, blank=True)
    signup_wording_version = models.CharField(max_length=40, blank=True)
    privacy_notice_version = models.CharField(max_length=40, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%d %B %Y %H:%M}"


class RateLimitCounter(models.Model):
    """How many times a key (such as a hashed client address) was seen in a time window.

    Kept in the database so the limit holds across every web process and
    machine; expired rows are removed by purge_newsletter_data.
    """

    key = models.CharField(max_length=120, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.key}: {self.count}"
