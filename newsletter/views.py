"""Newsletter pages: sign up, check your email, confirm, manage your subscription, unsubscribe.

Links in emails open a page with a button; only the button's POST changes
anything, because mail scanners open (GET) every link in an email.
"""

import logging

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from newsletter import services, subscriptions
from newsletter.consent import SIGNUP_WORDING
from newsletter.forms import ChoicesForm, SignupForm, Timing, make_form_token, make_step_token
from newsletter.ratelimit import client_ip, hit
from newsletter.tokens import LinkExpired, LinkInvalid, make_unsubscribe_token

logger = logging.getLogger(__name__)


def _page(request, template, title, *, status=200, **context):
    crumbs = [("Home", reverse("strategy:overview")), ("Newsletter", reverse("newsletter:signup"))]
    context.setdefault("breadcrumbs", [*crumbs, (title, None)])
    return render(
        request,
        f"newsletter/{template}.html",
        {"page_title": title, "meta_description": SIGNUP_WORDING, **context},
        status=status,
    )


def _local_path(value):
    """A path on this site (where the reader came from), or "" for anything else."""
    value = (value or "")[:200]
    if not value.startswith("/") or value.startswith("//") or any(c < " " for c in value):
        return ""
    return value


def _signup_form(request, form, *, stale=False):
    return _page(
        request,
        "signup",
        "Get news and updates by email",
        form=form,
        form_token=make_form_token(),
        stale=stale,
        signup_wording=SIGNUP_WORDING,
        breadcrumbs=[("Home", reverse("strategy:overview")), ("Newsletter", None)],
        source=_local_path(request.POST.get("source") or request.GET.get("from")),
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def signup(request):
    """The sign-up form. Whatever happens to a valid address, the reply is the same.

    Only a filled-in honeypot is turned away silently. A form sent back too late
    (or with its timing token missing or broken) is shown again with a note; one
    sent back too fast gets a "confirm your email address" button first.
    """
    form = SignupForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return _signup_form(request, form)
    if form.honeypot_filled():
        logger.info("Newsletter sign-up ignored: the hidden field was filled in")
        return redirect("newsletter:check_email")
    email = form.cleaned_data["email"]
    timing = form.timing()
    if timing is Timing.STALE:
        return _signup_form(request, form, stale=True)
    if timing is Timing.TOO_FAST:
        return _page(
            request,
            "confirm_address",
            "Confirm your email address",
            email=email,
            step_token=make_step_token(email),
            source=_local_path(request.POST.get("source")),
        )
    if not hit(
        "signup-ip",
        client_ip(request),
        limit=settings.NEWSLETTER_SIGNUPS_PER_IP_PER_HOUR,
        window_seconds=3600,
    ):
        return _page(request, "rate_limited", "Too many sign-ups", status=429)
    services.subscribe(
        email=email,
        signup_page=_local_path(request.POST.get("source")) or reverse("newsletter:signup"),
    )
    return redirect("newsletter:check_email")


def check_email(request):
    return _page(request, "check_email", "Check your email")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """GET shows a Confirm button (or says at once why the link won't work); POST confirms."""
    try:
        if request.method == "POST":
            services.confirm(token=token)
            return redirect("newsletter:confirmed")
        services.check_confirm_link(token=token)
    except LinkExpired:
        return _page(request, "link_expired", "This link has expired")
    except LinkInvalid:
        return _page(request, "link_invalid", "This link does not work")
    return _page(request, "confirm", "Confirm you want news and updates", token=token)


def confirmed(request):
    return _page(request, "confirmed", "You're signed up")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """GET shows an Unsubscribe button; POST unsubscribes."""
    try:
        subscriber = services.subscriber_for_unsubscribe(token)
    except LinkInvalid:
        return _page(request, "link_invalid", "This link does not work")
    if request.method == "POST":
        services.unsubscribe(token=token)
        return redirect("newsletter:unsubscribed")
    if subscriber is None or subscriber.status == subscriber.Status.UNSUBSCRIBED:
        return redirect("newsletter:unsubscribed")
    return _page(request, "unsubscribe", "Unsubscribe from news and updates", token=token)


def unsubscribed(request):
    return _page(request, "unsubscribed", "You've unsubscribed")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def manage(request, token):
    """GET shows what the person gets now; only the POST of "Save my choices" changes it."""
    try:
        subscriber, issue_id = subscriptions.subscriber_for_manage(token)
    except LinkInvalid:
        return _page(request, "link_invalid", "This link does not work")
    if subscriber is None or subscriber.status == subscriber.Status.UNSUBSCRIBED:
        return _page(request, "not_subscribed", "You're not subscribed")
    form = ChoicesForm(request.POST or None, initial=subscriptions.current_choices(subscriber))
    if request.method == "POST" and form.is_valid():
        subscriptions.update_choices(token=token, choices=form.cleaned_data)
        return redirect("newsletter:choices_saved")
    return _page(
        request,
        "manage",
        "Manage your subscription",
        form=form,
        token=token,
        subscriber=subscriber,
        unsubscribe_token=make_unsubscribe_token(subscriber, issue_id),
    )


def choices_saved(request):
    return _page(request, "choices_saved", "Your choices are saved")


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def one_click_unsubscribe(request, token):
    """RFC 8058 one-click unsubscribe: a cookieless POST from the reader's mail app.

    No CSRF token is possible here, and none is needed: the signed token in the
    address is the proof, and unsubscribing twice is harmless. A mail program
    without one-click support opens the address in a browser instead: that GET
    gets the ordinary page with the Unsubscribe button, and changes nothing.
    """
    if request.method != "POST":
        return unsubscribe(request, token)
    try:
        services.unsubscribe(token=token)
    except LinkInvalid:
        return HttpResponse(
            "This unsubscribe link does not work.\n",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    return HttpResponse("You have been unsubscribed.\n", content_type="text/plain; charset=utf-8")
