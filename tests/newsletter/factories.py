"""factory-boy factories for the newsletter models."""

import factory
from django.utils import timezone

from newsletter.consent import SIGNUP_WORDING_VERSION
from newsletter.models import NewsletterIssue, Subscriber


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscriber

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    status = Subscriber.Status.CONFIRMED
    signup_wording_version = SIGNUP_WORDING_VERSION
    privacy_notice_version = "privacy-test"
    confirmed_at = factory.LazyFunction(timezone.now)


class NewsletterIssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsletterIssue

    subject = factory.Sequence(lambda n: f"Action plan update {n}")
    body = '<p>The first actions are agreed. <a href="https://example.com/plan">Read them</a>.</p>'
