"""Middleware that keeps staff sessions short-lived, two-factor verified and uncached.

Every class leaves a request alone unless it is for the admin or carries a
session cookie, so public pages for the public never load a session (they set
no cookies, do not vary on Cookie and stay cacheable).
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import add_never_cache_headers

from staff import two_factor
from staff.pages import sign_in_page

ADMIN_PREFIX = "/admin/"
STARTED_KEY = "staff_session_started"
LAST_SEEN_KEY = "staff_session_last_seen"
# Refreshing "last seen" at most once a minute saves a session write per click;
# the idle timeout is then exact to within that minute.
LAST_SEEN_RESOLUTION_SECONDS = 60
# The pages of the second step itself, which check what they need on their own.
SECOND_STEP_VIEWS = {"staff:verify", "staff:set_up", "staff:backup_codes"}


def _is_admin(request):
    return request.path.startswith(ADMIN_PREFIX)


def _view_name(request):
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return ""


async def _anonymous_user():
    return AnonymousUser()


def _may_have_session(request):
    return _is_admin(request) or settings.SESSION_COOKIE_NAME in request.COOKIES


class PrivatePagesMiddleware:
    """Forbid storing any admin page, or any page for someone signed in, anywhere.

    Django's admin leaves a few pages cacheable (the password change page among
    them), and a page elsewhere, such as a draft preview, may show a signed-in
    person what the public cannot see. Neither may be kept by a shared
    computer's browser or by a proxy. Whether the person is signed in is
    decided before the view runs, so the response to signing out is covered too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        private = _is_admin(request) or (
            _may_have_session(request) and request.user.is_authenticated
        )
        response = self.get_response(request)
        if private:
            # no-store, no-cache, must-revalidate, private, max-age=0 and an Expires in the past.
            add_never_cache_headers(response)
        return response


class StaffSessionTimeoutMiddleware:
    """Sign staff out after ADMIN_SESSION_IDLE_SECONDS idle or ADMIN_SESSION_MAX_SECONDS in all.

    Also ends, for good, a session whose user can no longer sign in (deactivated
    or deleted): Django already treats it as signed out, this deletes it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _may_have_session(request):
            self._enforce(request)
        return self.get_response(request)

    def _enforce(self, request):
        session = request.session
        if not request.user.is_authenticated:
            if SESSION_KEY in session:
                session.flush()
            return
        now = int(time.time())
        started = session.get(STARTED_KEY)
        last_seen = session.get(LAST_SEEN_KEY)
        if started is None or last_seen is None:
            session[STARTED_KEY] = session[LAST_SEEN_KEY] = now
        elif now - started > settings.ADMIN_SESSION_MAX_SECONDS:
            self._sign_out(request, "You have been signed in for a long time")
        elif now - last_seen > settings.ADMIN_SESSION_IDLE_SECONDS:
            self._sign_out(request, "You have not done anything for a while")
        elif now - last_seen >= LAST_SEEN_RESOLUTION_SECONDS:
            session[LAST_SEEN_KEY] = now

    def _sign_out(self, request, reason):
        logout(request)
        if _is_admin(request):
            messages.info(
                request, f"{reason}, so we signed you out to keep the site safe. Sign in again."
            )


class TwoFactorRequiredMiddleware:
    """With DEBUG off, a session signed in with only a password reaches no admin page.

    Such a session is sent to set up an authenticator app (if the person has
    none) or to enter a code (if they have one). A request that would change
    something is refused outright instead, since a redirect would quietly drop
    what was sent. Outside the admin the session counts as signed out, so no
    staff-only page elsewhere is reachable with a password alone either.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (_may_have_session(request) and self._half_signed_in(request)):
            return self.get_response(request)
        if not _is_admin(request):
            request.user = AnonymousUser()
            request.auser = _anonymous_user
            return self.get_response(request)
        if self._is_exempt(request):
            return self.get_response(request)
        if request.method in ("GET", "HEAD"):
            return redirect(self._second_step_url(request))
        return sign_in_page(
            request,
            "staff/finish_signing_in.html",
            {"title": "Finish signing in first", "next_url": self._second_step_url(request)},
            status=403,
        )

    @staticmethod
    def _half_signed_in(request):
        user = request.user
        return user.is_authenticated and two_factor.two_factor_required() and not user.is_verified()

    @staticmethod
    def _is_exempt(request):
        # The second step's own pages; signing out; and posting the password form,
        # which is how someone switches to a different account.
        view = _view_name(request)
        return (
            view in SECOND_STEP_VIEWS
            or view == "admin:logout"
            or (view == "admin:login" and request.method == "POST")
        )

    @staticmethod
    def _second_step_url(request):
        if _view_name(request) == "admin:login":
            # Keep where the login page was asked to go, not the login page itself.
            target = request.GET.get("next", "")
        else:
            target = request.get_full_path()
        name = "staff:verify" if two_factor.has_authenticator(request.user) else "staff:set_up"
        url = reverse(name)
        return f"{url}?{urlencode({'next': target})}" if target else url
