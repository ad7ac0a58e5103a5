"""Content rules enforced by the models and the database."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from strategy.models import ActionPlanItem, NewsPost, Strategy
from tests.factories import (
    ActionPlanItemFactory,
    AmbitionFactory,
    NewsPostFactory,
    ProgressUpdateFactory,
    StrategyFactory,
)

pytestmark = pytest.mark.django_db


def test_only_one_strategy_can_be_current():
    with pytest.raises(IntegrityError), transaction.atomic():
        StrategyFactory(status=Strategy.Status.PUBLISHED)


def test_strategy_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        StrategyFactory(start_year=2030, end_year=2029)


def test_published_editions_exclude_drafts():
    draft = StrategyFactory()
    superseded = StrategyFactory(status=Strategy.Status.SUPERSEDED)
    published = set(Strategy.objects.published())
    assert superseded in published
    assert draft not in published
    assert Strategy.objects.current().slug == "2022-to-2025"


def test_current_strategy_url_is_the_home_page_and_old_ones_have_their_own():
    assert Strategy.objects.current().get_absolute_url() == "/"
    old = StrategyFactory(status=Strategy.Status.SUPERSEDED, slug="2019-to-2022")
    assert old.get_absolute_url() == "/editions/2019-to-2022/"


def test_ambitions_heading_defaults_to_the_period():
    strategy = StrategyFactory(start_year=2025, end_year=2028, ambitions_heading="")
    assert strategy.get_ambitions_heading() == "Ambitions for 2025 to 2028"


def test_ambition_heading_is_sentence_case():
    ambition = AmbitionFactory(text="access to the right support")
    assert ambition.heading == "Access to the right support"


def test_action_item_target_cannot_be_before_start():
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionPlanItemFactory(
            start_date=datetime.date(2024, 1, 1), target_date=datetime.date(2023, 1, 1)
        )


def test_action_item_status_must_be_a_known_value():
    item = ActionPlanItemFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionPlanItem.objects.filter(pk=item.pk).update(status="nearly-done")


def test_action_items_of_draft_strategies_are_not_published():
    draft_ambition = AmbitionFactory(strategy=StrategyFactory())
    hidden = ActionPlanItemFactory(ambition=draft_ambition)
    shown = ActionPlanItemFactory()
    published = set(ActionPlanItem.objects.published())
    assert shown in published and hidden not in published


def test_latest_progress_update_comes_first():
    item = ActionPlanItemFactory()
    ProgressUpdateFactory(action_item=item, date=datetime.date(2023, 1, 1))
    newest = ProgressUpdateFactory(action_item=item, date=datetime.date(2024, 1, 1))
    assert ActionPlanItem.objects.with_related().get(pk=item.pk).latest_update == newest


def test_future_news_is_not_published_yet():
    from django.utils import timezone

    soon = NewsPostFactory(published_at=timezone.now() + datetime.timedelta(days=1))
    now = NewsPostFactory()
    assert list(NewsPost.objects.published()) == [now]
    assert soon not in NewsPost.objects.published()


def test_strategy_last_updated_follows_its_items():
    strategy = Strategy.objects.with_content().current()
    before = strategy.last_updated()
    ambition = strategy.ambitions.first()
    ambition.text = ambition.text + " (edited)"
    ambition.save()
    assert Strategy.objects.with_content().current().last_updated() > before
