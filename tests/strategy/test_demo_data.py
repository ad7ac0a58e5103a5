"""The demo-data command fills every page type, and can be removed again."""

from io import StringIO

import pytest
from django.core.management import call_command

from strategy.models import ActionPlanItem, NewsPost, ProgressUpdate

pytestmark = pytest.mark.django_db


def test_no_demo_content_after_migrations_alone():
    assert not ActionPlanItem.objects.exists()
    assert not NewsPost.objects.exists()


def test_demo_data_fills_the_action_plan_and_news(client):
    call_command("load_demo_data", items=20, updates=2, news=12, stdout=StringIO())
    assert ActionPlanItem.objects.count() == 20
    assert ProgressUpdate.objects.count() == 40
    assert NewsPost.objects.count() == 12
    assert all(item.title.startswith("[Demo]") for item in ActionPlanItem.objects.all())
    assert "[Demo]" in client.get("/action-plan/").content.decode()


def test_demo_data_can_be_added_twice_and_removed():
    call_command("load_demo_data", items=3, news=2, stdout=StringIO())
    call_command("load_demo_data", items=3, news=2, stdout=StringIO())
    assert ActionPlanItem.objects.count() == 6
    call_command("load_demo_data", remove=True, stdout=StringIO())
    assert not ActionPlanItem.objects.exists() and not NewsPost.objects.exists()
