"""Newsletter models. Import them from here."""

from newsletter.models.alerts import ContentAlert, DigestRun, SubscriberEmail
from newsletter.models.bounces import MailboxMessage
from newsletter.models.erasures import ErasureRecord
from newsletter.models.imports import ImportRecord, ImportUpload
from newsletter.models.issues import Delivery, NewsletterIssue, ScheduledSend
from newsletter.models.outbox import Feedback, OutboundEmail, QueuedMessage
from newsletter.models.subscribers import (
    ConsentEvent,
    Frequency,
    RateLimitCounter,
    Subscriber,
    Topic,
)

__all__ = [
    "ConsentEvent",
    "ContentAlert",
    "Delivery",
    "DigestRun",
    "ErasureRecord",
    "Feedback",
    "Frequency",
    "ImportRecord",
    "ImportUpload",
    "MailboxMessage",
    "NewsletterIssue",
    "OutboundEmail",
    "QueuedMessage",
    "RateLimitCounter",
    "ScheduledSend",
    "Subscriber",
    "SubscriberEmail",
    "Topic",
]
