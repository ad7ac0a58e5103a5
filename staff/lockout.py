"""Lockout after repeated failed sign-ins (django-axes): the pages people see.

django-axes counts failures and refuses sign-in; this module shows the locked
person a polite page, and gives superusers a plain page to see and lift locks
(instead of axes' own admin tables, which show raw request data).
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Sum
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from staff.pages import sign_in_page

logger = logging.getLogger(__name__)


def locked_out(request, original_response=None, credentials=None):
    """The "sign-in paused" page (AXES_LOCKOUT_CALLABLE), answered with 429 Too Many Requests."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"title": "Sign-in paused", "cool_off_minutes": minutes}
    return sign_in_page(request, "staff/locked_out.html", context, status=429)


@dataclass
class SignInLock:
    """Recent failed sign-ins for one account or one client address."""

    kind: str  # "username" or "ip"
    value: str
    failures: int
    last_failure: datetime

    @property
    def locked(self):
        return self.failures >= settings.AXES_FAILURE_LIMIT

    @property
    def unlocks_at(self):
        return self.last_failure + settings.AXES_COOLOFF_TIME


def recent_failures():
    """Accounts and addresses with failed sign-ins still counted, locked ones first."""
    recent = AccessAttempt.objects.filter(
        attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME
    )
    found = []
    for kind, field in (("username", "username"), ("ip", "ip_address")):
        rows = (
            recent.exclude(**{f"{field}__isnull": True})
            .values(field)
            .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        )
        found += [SignInLock(kind, row[field], row["failures"], row["last"]) for row in rows]
    return sorted(found, key=lambda lock: (not lock.locked, lock.kind, lock.value))


@require_http_methods(["GET", "POST"])
def sign_in_locks(request):
    """List locked accounts and addresses; a superuser can unlock one at once."""
    if not request.user.is_superuser:
        raise PermissionDenied
    if request.method == "POST":
        kind, value = request.POST.get("kind"), request.POST.get("value", "")
        if kind in ("username", "ip") and value:
            reset(**{kind: value})
            logger.warning("%s unlocked sign-in for %s %s", request.user, kind, value)
            messages.success(request, f"Unlocked {value}. They can sign in again now.")
        return redirect(request.path)
    context = {
        **admin.site.each_context(request),
        "title": "Locked sign-ins",
        "locks": recent_failures(),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cool_off_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return TemplateResponse(request, "staff/sign_in_locks.html", context)
