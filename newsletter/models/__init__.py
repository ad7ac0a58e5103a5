"""Newsletter models. Import them from here."""

from newsletter.models.erasures import ErasureRecord
from newsletter.models.issues import Delivery, NewsletterIssue
from newsletter.models.outbox import OutboundEmail, QueuedMessage
from newsletter.models.subscribers import ConsentEvent, RateLimitCounter, Subscriber

__all__ = [
    "ConsentEvent",
    "Delivery",
    "ErasureRecord",
    "NewsletterIssue",
    "OutboundEmail",
    "QueuedMessage",
    "RateLimitCounter",
    "Subscriber",
]
