"""Publishing scheduled content when its time comes, with nobody pressing a button."""

import logging

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from strategy.models.publishing import Publishable, PublishingStatus

logger = logging.getLogger(__name__)


def publishable_models():
    return [
        model
        for model in apps.get_app_config("strategy").get_models()
        if issubclass(model, Publishable)
    ]


def publish_due(now=None):
    """Publish every scheduled item whose time has come; return how many."""
    now = now or timezone.now()
    count = 0
    for model in publishable_models():
        with transaction.atomic():
            due = model._default_manager.select_for_update().filter(
                publishing_status=PublishingStatus.SCHEDULED, publish_at__lte=now
            )
            for obj in due:
                obj.publish()
                count += 1
    if count:
        logger.info("Published %d scheduled items", count)
    return count
