"""The second sign-in step: set up an authenticator app, enter a code, see backup codes.

These pages come after Django's admin login form (the password step) and look
like the rest of the admin. None of them needs JavaScript.
"""

import functools
import logging
from urllib.parse import urlencode

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_credentials
from axes.utils import reset as reset_failed_attempts
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django_otp.plugins.otp_static.models import StaticDevice

from staff import two_factor
from staff.client_ip import client_ip
from staff.forms import CodeForm
from staff.lockout import locked_out
from staff.pages import sign_in_page

logger = logging.getLogger(__name__)

# New backup codes wait here between being made and being shown, once.
NEW_BACKUP_CODES_KEY = "staff_new_backup_codes"


def _next_url(request):
    """Where to go once signed in: the page first asked for, if it is one of ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


def _with_next(name, next_url):
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def _after_password(view):
    """Only for someone who has got past the password step."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        return view(request, *args, **kwargs)

    return never_cache(wrapper)


@_after_password
def set_up(request):
    """Guide someone with no authenticator app through adding one, then show backup codes."""
    user, next_url = request.user, _next_url(request)
    if two_factor.has_authenticator(user):
        # Never let a password alone add a second app: that would defeat the point.
        return redirect(_with_next("staff:verify", next_url))
    device = two_factor.pending_authenticator(request)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        result = two_factor.confirm_authenticator(device, form.cleaned_data["code"])
        if result.superseded:
            # Another session set up an app while this page was open: ask for its code.
            return redirect(_with_next("staff:verify", next_url))
        if result.accepted:
            two_factor.mark_verified(request, result.device)
            request.session[NEW_BACKUP_CODES_KEY] = two_factor.make_backup_codes(user)
            # A warning, so IT can be alerted: it is also what an attacker with the password does.
            logger.warning(
                "Staff member %s set up an authenticator app from %s",
                user.get_username(),
                client_ip(request),
            )
            return redirect(_with_next("staff:backup_codes", next_url))
        form.add_error("code", _code_error(result))
    context = {
        "title": "Set up two-step sign-in",
        "form": form,
        "next_url": next_url,
        "qr_code": two_factor.qr_code_data_uri(device),
        "secret": two_factor.secret_in_groups(device),
        "issuer": settings.OTP_TOTP_ISSUER,
        "username": user.get_username(),
    }
    return sign_in_page(request, "staff/set_up.html", context)


@_after_password
def verify(request):
    """Ask for the code from the app (or a backup code) after the password."""
    user, next_url = request.user, _next_url(request)
    if user.is_verified():
        return redirect(next_url)
    if not two_factor.has_authenticator(user):
        return redirect(_with_next("staff:set_up", next_url))
    credentials = get_credentials(user.get_username())
    if AxesProxyHandler.is_locked(request, credentials):
        logout(request)
        return locked_out(request)
    form = CodeForm(request.POST or None, backup_codes=True)
    if form.is_valid():
        result = two_factor.check_code(user, form.cleaned_data["code"])
        if result.accepted:
            two_factor.mark_verified(request, result.device)
            # Only this person's own tries from here: an attacker elsewhere gets no fresh start.
            reset_failed_attempts(ip=client_ip(request), username=user.get_username())
            if isinstance(result.device, StaticDevice):
                _warn_backup_code_used(request, user)
            return redirect(next_url)
        if not result.throttled:
            # Wrong codes count towards the same lockout as wrong passwords.
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            if getattr(request, "axes_locked_out", False):
                logout(request)
                return locked_out(request)
        form.add_error("code", _code_error(result))
    context = {
        "title": "Enter your sign-in code",
        "form": form,
        "next_url": next_url,
        "issuer": settings.OTP_TOTP_ISSUER,
        # Someone who never added an app learns here that another person did.
        "app_added_on": two_factor.authenticator_added_on(user),
    }
    return sign_in_page(request, "staff/verify.html", context)


@_after_password
def backup_codes(request):
    """Show newly made backup codes once; offer to replace them with new ones."""
    user, next_url = request.user, _next_url(request)
    if not user.is_verified():
        step = "staff:verify" if two_factor.has_authenticator(user) else "staff:set_up"
        return redirect(_with_next(step, next_url))
    if request.method == "POST":
        request.session[NEW_BACKUP_CODES_KEY] = two_factor.make_backup_codes(user)
        return redirect(_with_next("staff:backup_codes", next_url))
    codes = request.session.pop(NEW_BACKUP_CODES_KEY, None)
    context = {
        "title": "Your backup codes" if codes else "Backup codes",
        "codes": [f"{code[:4]} {code[4:]}" for code in codes or ()],
        "codes_left": two_factor.backup_codes_left(user),
        "next_url": next_url,
    }
    return sign_in_page(request, "staff/backup_codes.html", context)


def _code_error(result):
    if result.throttled:
        seconds = result.wait_seconds
        return (
            "That's been tried too many times. Wait "
            f"{seconds} second{'s' if seconds != 1 else ''} and enter the newest code."
        )
    return "That code is not right. Check the newest code in your app and try again."


def _warn_backup_code_used(request, user):
    left = two_factor.backup_codes_left(user)
    messages.warning(
        request,
        format_html(
            "You signed in with a backup code. It will not work again. You have {} left: "
            '<a href="{}">make new backup codes</a> if you are running out.',
            left,
            reverse("staff:backup_codes"),
        ),
    )
