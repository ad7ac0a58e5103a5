"""Lockout after repeated failed sign-ins (django-axes): the pages people see.

django-axes counts failures and refuses sign-in; this module shows the locked
person a polite page, and gives superusers a plain page to see and lift locks
(instead of axes' own admin tables, which show raw request data).
"""

import logging

from axes.utils import reset
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from staff.lockout_rules import FIELD_NAMES, recent_failures, rule_for_fields
from staff.pages import sign_in_page

logger = logging.getLogger(__name__)


def locked_out(request, original_response=None, credentials=None):
    """The "sign-in paused" page (AXES_LOCKOUT_CALLABLE), answered with 429 Too Many Requests."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"title": "Sign-in paused", "cool_off_minutes": minutes}
    return sign_in_page(request, "staff/locked_out.html", context, status=429)


@require_http_methods(["GET", "POST"])
def sign_in_locks(request):
    """List locked accounts and addresses; a superuser can unlock one at once."""
    if not request.user.is_superuser:
        raise PermissionDenied
    if request.method == "POST":
        _unlock(request)
        return redirect(request.path)
    context = {
        **admin.site.each_context(request),
        "title": "Locked sign-ins",
        "locks": recent_failures(),
        "account_limit": settings.STAFF_SIGN_IN_FAILURE_LIMIT,
        "address_limit": settings.STAFF_SIGN_IN_ADDRESS_FAILURE_LIMIT,
        "cool_off_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return TemplateResponse(request, "staff/sign_in_locks.html", context)


def _unlock(request):
    """Forget the failures of the lock whose fields (account, address) were posted."""
    values = {f: request.POST[f] for f in FIELD_NAMES if request.POST.get(f)}
    rule = rule_for_fields(values)
    if rule is None:
        return
    reset(ip=values.get("ip_address"), username=values.get("username"))
    logger.warning("%s unlocked sign-in for %s", request.user, rule.describe(values))
    messages.success(
        request, f"Unlocked {rule.describe(values)}. Signing in from there works again now."
    )
