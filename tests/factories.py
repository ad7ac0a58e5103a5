"""factory-boy factories for the content models."""

import datetime

import factory
from django.utils import timezone

from strategy.models import (
    ActionPlanItem,
    Ambition,
    Board,
    ChildRight,
    NewsPost,
    ProgressUpdate,
    Strategy,
)


class StrategyFactory(factory.django.DjangoModelFactory):
    """A draft edition by default: the seed data already holds the published one."""

    class Meta:
        model = Strategy

    title = factory.Sequence(lambda n: f"Test SEND Strategy {2030 + n}")
    slug = factory.Sequence(lambda n: f"test-strategy-{n}")
    start_year = factory.Sequence(lambda n: 2030 + n)
    end_year = factory.LazyAttribute(lambda o: o.start_year + 3)
    status = Strategy.Status.DRAFT
    introduction = "<p>Introduction.</p>"
    summary = "<p>Summary.</p>"
    partnership = "<p>Partnership.</p>"
    ambitions_introduction = "<p>Our ambitions are:</p>"
    action_plan_introduction = "<p>The action plan.</p>"


class AmbitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ambition

    publishing_status = "published"
    strategy = factory.LazyFunction(lambda: Strategy.objects.current())
    text = factory.Sequence(lambda n: f"test ambition number {n}")
    slug = factory.Sequence(lambda n: f"test-ambition-{n}")
    order = factory.Sequence(lambda n: 100 + n)


class ChildRightFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChildRight

    publishing_status = "published"
    strategy = factory.SubFactory(StrategyFactory)
    text = factory.Sequence(lambda n: f"test right {n}")


class BoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Board

    name = factory.Sequence(lambda n: f"Test Board {n}")
    slug = factory.Sequence(lambda n: f"test-board-{n}")


class ActionPlanItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionPlanItem

    publishing_status = "published"
    ambition = factory.LazyFunction(lambda: Strategy.objects.current().ambitions.first())
    title = factory.Sequence(lambda n: f"Test action {n}")
    slug = factory.Sequence(lambda n: f"test-action-{n}")
    lead = "SEND Services, Medway Council"
    board = factory.LazyFunction(lambda: Board.objects.get(slug="send-partnership-board"))
    status = ActionPlanItem.Status.ON_TRACK
    start_date = datetime.date(2023, 1, 1)
    target_date = datetime.date(2024, 1, 1)


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressUpdate

    publishing_status = "published"
    action_item = factory.SubFactory(ActionPlanItemFactory)
    date = datetime.date(2023, 6, 1)
    what_we_said = "We said we would start."
    what_we_did = "<p>We started.</p>"


class NewsPostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsPost

    publishing_status = "published"
    title = factory.Sequence(lambda n: f"Test news {n}")
    slug = factory.Sequence(lambda n: f"test-news-{n}")
    summary = "A short summary of the news for the list and the feed."
    body = "<p>The body.</p>"
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
