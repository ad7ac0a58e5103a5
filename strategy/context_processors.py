"""Values every public template needs."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject


def _current_strategy():
    from strategy.models import Strategy

    return Strategy.objects.current()


def site(request):
    """The site's name and the current strategy edition (looked up only if a template asks)."""
    return {
        "site_name": settings.SITE_NAME,
        "organisation_name": settings.ORGANISATION_NAME,
        "site_url": settings.SITE_URL,
        "current_strategy": SimpleLazyObject(_current_strategy),
    }
