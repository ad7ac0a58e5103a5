"""Signing up: clear errors for bad input, and the same answer for every valid address."""

import datetime
import re
import time
from unittest import mock

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsletter.consent import SIGNUP_WORDING_VERSION
from newsletter.forms import Timing, form_timing, make_form_token
from newsletter.models import ConsentEvent, OutboundEmail, Subscriber
from tests.conftest import visible_text
from tests.newsletter.factories import SubscriberFactory
from tests.newsletter.html_forms import forms_in

pytestmark = pytest.mark.django_db


def test_signup_page_has_one_labelled_email_field_and_privacy_link(client):
    html = client.get("/newsletter/").content.decode()
    assert 'name="email"' in html and 'autocomplete="email"' in html and 'type="email"' in html
    assert '<label for="id_email" class="govuk-label govuk-label--m">' in html
    assert 'href="/privacy/"' in html
    assert "about once a month" in html
    assert 'class="app-honeypot" aria-hidden="true"' in html


def test_valid_signup_stores_consent_and_queues_confirmation(sign_up):
    response = sign_up("  Parent@Example.ORG ")
    assert response.status_code == 302
    assert response["Location"] == "/newsletter/check-your-email/"
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "Parent@example.org"
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.signup_page == "/rights/"
    assert subscriber.signup_wording_version == SIGNUP_WORDING_VERSION
    assert subscriber.events.get().kind == ConsentEvent.Kind.SIGNED_UP
    email = OutboundEmail.objects.get()
    assert email.kind == "confirmation" and email.to_email == "Parent@example.org"
    assert "/newsletter/confirm/" in email.body_text and "/newsletter/confirm/" in email.body_html
    assert "/newsletter/unsubscribe/" in email.body_text  # every email can stop the emails
    assert "Medway Council" in email.body_text and "because someone entered" in email.body_text


def test_email_addresses_are_unique_ignoring_case_in_the_database():
    from django.db import IntegrityError, transaction

    SubscriberFactory(email="Someone@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        SubscriberFactory(email="someone@EXAMPLE.com")


def test_check_your_email_page(client):
    html = client.get("/newsletter/check-your-email/").content.decode()
    assert "Check your email" in html and "spam" in html


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Enter your email address"),
        ("not-an-email", "Enter an email address in the correct format, like name@example.com"),
        ("a@" + "b" * 250 + ".com", "Email address must be 254 characters or fewer"),
        (
            "a@example.com\r\nBcc: victim@example.com",
            "Enter an email address in the correct format",
        ),
        ("a@exam\x00ple.com", "Enter an email address in the correct format"),
        ("a@example.com, b@example.com", "Enter an email address in the correct format"),
    ],
)
def test_bad_input_gets_error_summary_and_stores_nothing(sign_up, value, message):
    response = sign_up(value)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="govuk-error-summary"' in html and "There is a problem" in html
    assert message in html
    assert '<span class="govuk-visually-hidden">Error:</span>' in html
    assert "<title>Error: " in html
    assert not Subscriber.objects.exists() and not OutboundEmail.objects.exists()


def _final_page(client, response):
    assert response.status_code == 302
    return response["Location"], client.get(response["Location"]).content


@pytest.mark.parametrize("status", ["pending", "confirmed", "unsubscribed"])
def test_same_response_whether_or_not_the_address_is_known(client, sign_up, status):
    new = _final_page(client, sign_up("new@example.com"))
    SubscriberFactory(email="known@example.com", status=status)
    known = _final_page(client, sign_up("KNOWN@example.com"))
    assert new == known


def test_confirmed_address_gets_an_already_subscribed_email_not_a_new_confirmation(sign_up):
    SubscriberFactory(email="known@example.com")
    sign_up("known@example.com")
    email = OutboundEmail.objects.get()
    assert email.kind == "already_subscribed"
    assert "/newsletter/unsubscribe/" in email.body_text
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED


def test_unsubscribed_address_can_sign_up_again_and_must_confirm_again(sign_up):
    SubscriberFactory(email="back@example.com", status=Subscriber.Status.UNSUBSCRIBED)
    sign_up("back@example.com")
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.PENDING
    assert OutboundEmail.objects.get().kind == "confirmation"


def test_addresses_are_unique_ignoring_case(sign_up):
    sign_up("Case@Example.com")
    sign_up("case@example.com")
    assert Subscriber.objects.count() == 1


def test_honeypot_filled_looks_accepted_but_stores_and_sends_nothing(sign_up):
    response = sign_up("bot@example.com", website="http://spam.example")
    assert response["Location"] == "/newsletter/check-your-email/"
    assert not Subscriber.objects.exists() and not OutboundEmail.objects.exists()


STALE_MESSAGE = (
    "This page was open for a long time. Check your email address and press the button again."
)


def _stale_tokens():
    return [
        pytest.param(lambda: make_form_token(now=time.time() - 86401), id="older-than-a-day"),
        pytest.param(lambda: make_form_token(now=time.time() - 10)[:-3] + "abc", id="tampered"),
        pytest.param(lambda: "", id="empty"),
        pytest.param(lambda: None, id="missing"),
    ]


@pytest.mark.parametrize("make_token", _stale_tokens())
def test_stale_form_is_shown_again_with_the_address_kept_and_nothing_sent(
    client, signup_data, make_token
):
    data = signup_data("Parent@Example.ORG", form_token=make_token())
    if data["form_token"] is None:
        del data["form_token"]
    response = client.post("/newsletter/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert STALE_MESSAGE in visible_text(html)
    assert 'class="govuk-notification-banner" role="alert"' in html
    (form,) = forms_in(html)
    assert form.value("email") == "Parent@Example.ORG"  # as typed, so one press sends it
    assert form.value("source") == "/rights/"
    fresh = form.value("form_token")
    assert fresh != data.get("form_token")
    assert form_timing(fresh, now=time.time() + 10) is Timing.PLAUSIBLE
    assert not Subscriber.objects.exists() and not OutboundEmail.objects.exists()


def test_a_form_is_stale_only_after_the_configured_age(sign_up, settings):
    settings.NEWSLETTER_MAX_FORM_AGE_SECONDS = 600
    inside = sign_up("a@example.com", form_token=make_form_token(now=time.time() - 590))
    assert inside.status_code == 302
    outside = sign_up("b@example.com", form_token=make_form_token(now=time.time() - 610))
    assert outside.status_code == 200 and STALE_MESSAGE in visible_text(outside.content.decode())
    assert [s.email for s in Subscriber.objects.all()] == ["a@example.com"]


def test_the_resubmitted_stale_form_signs_the_person_up(client, signup_data):
    stale = client.post(
        "/newsletter/",
        signup_data("again@example.com", form_token=make_form_token(now=time.time() - 90000)),
    )
    (form,) = forms_in(stale.content.decode())
    with mock.patch("time.time", return_value=time.time() + 5):  # a person reads, then presses
        again = client.post("/newsletter/", form.data())
    assert again["Location"] == "/newsletter/check-your-email/"
    assert OutboundEmail.objects.get().to_email == "again@example.com"


def _confirm_step(client, signup_data, email):
    """Submit the form the instant it was shown; return the confirm step's page."""
    response = client.post("/newsletter/", signup_data(email, form_token=make_form_token()))
    assert response.status_code == 200
    return response.content.decode()


def test_too_fast_gets_a_confirm_button_and_pressing_it_signs_up(client, signup_data):
    html = _confirm_step(client, signup_data, "Quick@Example.COM")
    assert not Subscriber.objects.exists() and not OutboundEmail.objects.exists()
    text = visible_text(html)
    assert re.search(r"<h1[^>]*>Confirm your email address</h1>", html)
    assert "Quick@example.com" in text
    (form,) = forms_in(html)
    assert form.buttons == ["Confirm your email address"]
    assert form.value("email") == "Quick@example.com" and form.value("website") == ""
    assert "form_token" not in form.names()  # the time check is not asked again
    response = client.post("/newsletter/", form.data())  # pressed at once: still accepted
    assert response["Location"] == "/newsletter/check-your-email/"
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "Quick@example.com" and subscriber.signup_page == "/rights/"
    assert OutboundEmail.objects.get().kind == "confirmation"


def test_confirm_step_still_has_the_honeypot(client, signup_data):
    (form,) = forms_in(_confirm_step(client, signup_data, "bot@example.com"))
    response = client.post("/newsletter/", {**form.data(), "website": "http://spam.example"})
    assert response["Location"] == "/newsletter/check-your-email/"
    assert not Subscriber.objects.exists() and not OutboundEmail.objects.exists()


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"email": "other@example.com"}, id="another-address"),
        pytest.param({"step_token": "forged"}, id="forged"),
        pytest.param({"step_token": make_form_token(now=0)}, id="a-form-token"),
    ],
)
def test_confirm_step_token_works_only_for_its_own_address(client, signup_data, change):
    (form,) = forms_in(_confirm_step(client, signup_data, "mine@example.com"))
    response = client.post("/newsletter/", {**form.data(), **change})
    assert response.status_code == 200
    assert STALE_MESSAGE in visible_text(response.content.decode())
    assert not Subscriber.objects.exists() and not OutboundEmail.objects.exists()


def test_an_old_confirm_step_is_stale(client, signup_data):
    (form,) = forms_in(_confirm_step(client, signup_data, "slow@example.com"))
    with mock.patch("time.time", return_value=time.time() + 86401):
        response = client.post("/newsletter/", form.data())
    assert STALE_MESSAGE in visible_text(response.content.decode())
    assert not Subscriber.objects.exists()


def test_confirm_step_counts_towards_the_rate_limit(client, signup_data, settings):
    settings.NEWSLETTER_SIGNUPS_PER_IP_PER_HOUR = 1
    assert client.post("/newsletter/", signup_data("first@example.com")).status_code == 302
    (form,) = forms_in(_confirm_step(client, signup_data, "second@example.com"))
    assert client.post("/newsletter/", form.data()).status_code == 429
    assert Subscriber.objects.count() == 1


def test_confirm_step_needs_the_csrf_token(client, signup_data):
    from django.test import Client

    (form,) = forms_in(_confirm_step(client, signup_data, "forged@example.com"))
    data = {k: v for k, v in form.data().items() if k != "csrfmiddlewaretoken"}
    response = Client(enforce_csrf_checks=True).post("/newsletter/", data)
    assert response.status_code == 403
    assert not Subscriber.objects.exists()


@pytest.mark.parametrize("status", ["pending", "confirmed", "unsubscribed"])
@pytest.mark.parametrize("token", [make_form_token, lambda: ""], ids=["too-fast", "stale"])
def test_timing_pages_are_the_same_whether_or_not_the_address_is_known(
    client, signup_data, status, token
):
    def page(email):
        html = client.post("/newsletter/", signup_data(email, form_token=token())).content
        # Tokens differ on every page; what a reader sees must not.
        return visible_text(html.decode()).replace(email, "ADDRESS")

    new = page("new@example.com")
    SubscriberFactory(email="known@example.com", status=status)
    assert page("known@example.com") == new


def test_at_most_one_confirmation_within_minutes_and_three_a_day(sign_up, settings):
    for _ in range(3):
        sign_up("busy@example.com")
    assert OutboundEmail.objects.count() == 1
    settings.NEWSLETTER_CONFIRMATION_INTERVAL_SECONDS = 0
    for _ in range(5):
        sign_up("busy@example.com")
    assert OutboundEmail.objects.count() == 3
    subscriber = Subscriber.objects.get()
    subscriber.confirmation_window_started_at = timezone.now() - datetime.timedelta(
        days=1, seconds=1
    )
    subscriber.save()
    sign_up("busy@example.com")
    assert OutboundEmail.objects.count() == 4


def test_rate_limit_per_client_ip(client, signup_data, settings):
    settings.NEWSLETTER_SIGNUPS_PER_IP_PER_HOUR = 3
    for n in range(3):
        response = client.post("/newsletter/", signup_data(f"p{n}@example.com"))
        assert response.status_code == 302
    response = client.post("/newsletter/", signup_data("p9@example.com"))
    assert response.status_code == 429
    assert "Try again in an hour" in response.content.decode()
    assert Subscriber.objects.count() == 3
    other = client.post("/newsletter/", signup_data("q@example.com"), REMOTE_ADDR="10.9.9.9")
    assert other.status_code == 302


def test_spoofed_forwarded_for_does_not_escape_the_limit(client, signup_data, settings):
    settings.NEWSLETTER_SIGNUPS_PER_IP_PER_HOUR = 2
    settings.TRUSTED_PROXY_COUNT = 1
    # Behind one proxy: the proxy appends the real client address last.
    statuses = [
        client.post(
            "/newsletter/",
            signup_data(f"s{n}@example.com"),
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, 198.51.100.7",
        ).status_code
        for n in range(4)
    ]
    assert statuses == [302, 302, 429, 429]


def test_without_trusted_proxies_forwarded_for_is_ignored(client, signup_data, settings):
    settings.NEWSLETTER_SIGNUPS_PER_IP_PER_HOUR = 1
    first = client.post(
        "/newsletter/", signup_data("a@example.com"), HTTP_X_FORWARDED_FOR="1.1.1.1"
    )
    second = client.post(
        "/newsletter/", signup_data("b@example.com"), HTTP_X_FORWARDED_FOR="2.2.2.2"
    )
    assert (first.status_code, second.status_code) == (302, 429)


def test_rate_limit_counters_store_no_ip_in_clear(client, signup_data):
    from newsletter.models import RateLimitCounter

    client.post("/newsletter/", signup_data("a@example.com"), REMOTE_ADDR="192.0.2.44")
    (counter,) = RateLimitCounter.objects.all()
    assert "192.0.2.44" not in counter.key


def test_signup_page_is_not_cached_and_uses_csrf(client):
    response = client.get("/newsletter/")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert "csrfmiddlewaretoken" in response.content.decode()


def test_sign_up_without_csrf_token_is_refused_politely():
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/newsletter/", {"email": "a@example.com"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Sorry, we could not send that form" in html and "govuk-skip-link" in html
    assert "<style" not in html  # Django's own page has inline CSS our CSP would block
    assert not Subscriber.objects.exists()


EMAILS = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40).map(lambda s: s + "@"),
    st.builds(lambda a, b: f"{a}\r\n{b}@example.com", st.text(max_size=20), st.text(max_size=20)),
    st.binary(max_size=60).map(lambda b: b.decode("latin-1")),
)


def _is_valid_address(value):
    from django.core.validators import validate_email

    value = value.strip()
    try:
        validate_email(value)
    except Exception:
        return False
    return "\x00" not in value and len(value) <= 254


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    email=EMAILS,
    source=st.one_of(st.just("/rights/"), st.text(max_size=300)),
    website=st.one_of(st.just(""), st.text(max_size=60)),
    form_token=st.one_of(st.none(), st.text(max_size=700)),
)
def test_hypothesis_bad_input_never_500_and_never_stored(
    client, signup_data, settings, email, source, website, form_token
):
    settings.NEWSLETTER_SIGNUPS_PER_IP_PER_HOUR = 10**9
    data = signup_data(email, source=source, website=website)
    if form_token is not None:
        data["form_token"] = form_token
    response = client.post("/newsletter/", data)
    assert response.status_code in (200, 302)
    if not _is_valid_address(email):
        assert response.status_code == 200
        assert "govuk-error-summary" in response.content.decode()
        assert not Subscriber.objects.exists()
    if website or form_token is not None:
        # A robot's submission: whatever else it sent, nothing is stored or sent.
        assert not Subscriber.objects.exists() and not OutboundEmail.objects.exists()
    Subscriber.objects.all().delete()
    OutboundEmail.objects.all().delete()


def test_consent_record_names_the_privacy_notice_as_it_was(sign_up):
    from strategy.models import Page

    sign_up("first@example.com")
    page = Page.objects.get(kind="privacy")
    page.body += "<p>A change.</p>"
    page.save()
    sign_up("second@example.com")
    first, second = (
        Subscriber.objects.for_email(e).get() for e in ("first@example.com", "second@example.com")
    )
    assert first.privacy_notice_version.startswith("privacy-")
    assert first.privacy_notice_version != second.privacy_notice_version
    assert second.events.get().privacy_notice_version == second.privacy_notice_version


def _pages_with_forms(client, signup_data):
    from newsletter import services
    from newsletter.tokens import make_confirm_token, make_unsubscribe_token

    services.subscribe(email="forms@example.com")
    subscriber = Subscriber.objects.get()
    yield "/newsletter/", client.get("/newsletter/")
    yield "stale form", client.post("/newsletter/", signup_data("a@example.com", form_token=""))
    yield (
        "confirm step",
        client.post("/newsletter/", signup_data("a@example.com", form_token=make_form_token())),
    )
    yield "bad address", client.post("/newsletter/", signup_data("not-an-address"))
    yield "confirm", client.get(f"/newsletter/confirm/{make_confirm_token(subscriber)}/")
    yield (
        "unsubscribe",
        client.get(f"/newsletter/unsubscribe/{make_unsubscribe_token(subscriber)}/"),
    )


def test_every_form_carries_exactly_one_csrf_token(client, signup_data):
    for label, response in _pages_with_forms(client, signup_data):
        assert response.status_code == 200, label
        html = response.content.decode()
        post_forms = [form for form in forms_in(html) if form.method == "post"]
        assert post_forms, label
        for form in post_forms:
            assert form.names().count("csrfmiddlewaretoken") == 1, (label, form.names())
        # None outside a form either: every token on the page is in one of them.
        assert html.count('name="csrfmiddlewaretoken"') == len(post_forms), label
