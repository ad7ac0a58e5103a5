"""Newsletter models. Import them from here."""

from newsletter.models.issues import Delivery, NewsletterIssue
from newsletter.models.outbox import OutboundEmail, QueuedMessage
from newsletter.models.subscribers import ConsentEvent, RateLimitCounter, Subscriber

__all__ = [
    "ConsentEvent",
    "Delivery",
    "NewsletterIssue",
    "OutboundEmail",
    "QueuedMessage",
    "RateLimitCounter",
    "Subscriber",
]
