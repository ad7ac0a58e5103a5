"""The newsletter as a resident meets it, in Chromium, with a real SMTP server.

The site runs under gunicorn with production settings; the email worker runs as
its own process and delivers to an aiosmtpd sink, exactly as it would to the
council's relay. The shared site lets a sign-up form go back at once; the
timing checks run on a site of their own with the production minimum.
"""

from __future__ import annotations

import contextlib
import re
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.browser import site_server
from tests.browser.site_server import MANAGE_PY, REPO_ROOT
from tests.browser.test_accessibility import axe_violations, describe
from tests.newsletter.smtp_sink import SmtpSink

pytestmark = pytest.mark.browser

MIN_FORM_SECONDS = 30  # NEWSLETTER_MIN_FORM_SECONDS on timing_site (production: 2)
STALE_MESSAGE = (
    "This page was open for a long time. Check your email address and press the button again."
)


def manage(site, *args):
    """Run a management command against the live site's database; return its stdout."""
    result = subprocess.run(
        [sys.executable, str(MANAGE_PY), *args],
        cwd=REPO_ROOT,
        env=site.env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@contextlib.contextmanager
def mail_for(site):
    """An SMTP sink, and the email worker delivering ``site``'s outbox to it."""
    sink = SmtpSink().start()
    env = {
        **site.env,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink.port),
        "EMAIL_USE_TLS": "false",
        "EMAIL_RATE_LIMIT": "0",
    }
    worker = subprocess.Popen(  # noqa: S603 (fixed argument list)
        [sys.executable, str(MANAGE_PY), "run_email_worker"],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        yield sink
    finally:
        worker.terminate()
        worker.wait(timeout=15)
        sink.stop()


@pytest.fixture(scope="module")
def mail(live_site):
    """The live site's emails, as its relay would receive them."""
    with mail_for(live_site) as sink:
        yield sink


@pytest.fixture(scope="module")
def timing_site(live_site, tmp_path_factory):
    """A second server on the live site's database whose sign-up form has a minimum time.

    The minimum is far above the fraction of a second a browser takes to fill in
    and send the form, so "instant" stays instant on a busy machine. Its emails
    go through the live site's outbox, so the ``mail`` fixture receives them.
    """
    shared = ["DATABASE_URL", "DJANGO_STATIC_ROOT", "DJANGO_MEDIA_ROOT", "DJANGO_SECRET_KEY"]
    try:
        site = site_server.start(
            tmp_path_factory.mktemp("timing_site"),
            extra_env={
                **{name: live_site.env[name] for name in shared},
                "NEWSLETTER_MIN_FORM_SECONDS": str(MIN_FORM_SECONDS),
                "WEB_CONCURRENCY": "1",
            },
            prepared=True,
        )
    except site_server.SiteStartError as exc:
        pytest.fail(f"Could not start the timing site:\n{exc}", pytrace=False)
    try:
        yield site
    finally:
        site.stop()


def message_to(sink, address, *, subject_contains, timeout=20):
    """The newest message to ``address`` whose subject contains the given words."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in reversed(sink.snapshot()):
            if address in message.envelope_to and subject_contains in message["Subject"]:
                return message
        time.sleep(0.1)
    raise AssertionError(f"no email to {address} about {subject_contains!r} within {timeout} s")


def list_unsubscribe_url(message):
    """The address in the List-Unsubscribe header (which mail programs may fold)."""
    return re.search(r"<([^>]+)>", re.sub(r"\s+", "", message["List-Unsubscribe"])).group(1)


def text_part(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def link_in(message, pattern):
    match = re.search(rf"http://127\.0\.0\.1:\d+({pattern}\S*/)", text_part(message))
    assert match, f"no {pattern} link in:\n{text_part(message)}"
    return match.group(1)


def sign_up_with_keyboard(page, address):
    """Load the form, then type and submit with the keyboard only."""
    page.goto("/newsletter/")
    page.locator("#id_email").focus()
    page.keyboard.type(address)
    page.keyboard.press("Enter")
    page.wait_for_url("**/newsletter/check-your-email/")


def test_sign_up_confirm_and_unsubscribe_journey(new_page, live_site, mail):
    page = new_page()
    address = "journey@example.com"
    sign_up_with_keyboard(page, address)
    assert page.locator("h1").inner_text() == "Check your email"

    confirmation = message_to(mail, address, subject_contains="Confirm")
    assert confirmation.get_body(preferencelist=("html",)) is not None
    confirm_path = link_in(confirmation, "/newsletter/confirm/")
    page.goto(confirm_path)
    assert manage(live_site, "shell", "-c", STATUS.format(address)).split()[-1] == "pending"
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/newsletter/confirmed/")
    assert "You're signed up" in page.locator("h1").inner_text()
    assert manage(live_site, "shell", "-c", STATUS.format(address)).split()[-1] == "confirmed"

    manage(live_site, "shell", "-c", SEND_ISSUE)
    issue = message_to(mail, address, subject_contains="Browser test news")
    assert issue["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    one_click_url = list_unsubscribe_url(issue)
    assert "You are getting this email because you signed up" in text_part(issue)

    page.goto(link_in(issue, "/newsletter/unsubscribe/"))
    page.get_by_role("button", name="Unsubscribe").click()
    page.wait_for_url("**/newsletter/unsubscribed/")
    assert "You've unsubscribed" in page.locator("h1").inner_text()
    assert manage(live_site, "shell", "-c", STATUS.format(address)).split()[-1] == "unsubscribed"

    # What a mail app does with RFC 8058: a cookieless POST, answered 200, no redirect.
    request = urllib.request.Request(
        one_click_url,
        data=b"List-Unsubscribe=One-Click",
        method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (our server)
        assert response.status == 200
        assert response.url == one_click_url
        assert response.headers.get("Set-Cookie") is None


def test_one_click_unsubscribe_from_a_mail_app(live_site, mail):
    address = "oneclick@example.com"
    manage(live_site, "shell", "-c", CONFIRMED_SUBSCRIBER.format(address))
    manage(live_site, "shell", "-c", SEND_ISSUE.replace("Browser test news", "One-click news"))
    issue = message_to(mail, address, subject_contains="One-click news")
    request = urllib.request.Request(
        list_unsubscribe_url(issue), data=b"List-Unsubscribe=One-Click", method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (our server)
        assert response.status == 200
    assert manage(live_site, "shell", "-c", STATUS.format(address)).split()[-1] == "unsubscribed"


def test_every_newsletter_state_passes_axe(new_page, live_site, mail, axe_source):
    page = new_page(bypass_csp=True)
    problems = []

    def check(label, expected_h1=None):
        if expected_h1:
            assert expected_h1 in page.locator("h1").inner_text(), label
        violations = axe_violations(page, axe_source)
        if violations:
            problems.append(describe(label, violations))

    page.goto("/newsletter/")
    check("sign-up form (empty)", "Get news and updates by email")
    for label, value in [
        ("error: empty", ""),
        ("error: not an email", "not-an-email"),
        ("error: too long", "a@" + "b" * 260 + ".com"),
    ]:
        page.goto("/newsletter/")
        page.fill("#id_email", value)
        page.get_by_role("button", name="Sign up").click()
        assert page.locator(".govuk-error-summary").is_visible(), label
        assert page.title().startswith("Error: "), label
        check(label)

    address = "states@example.com"
    sign_up_with_keyboard(page, address)
    check("check your email", "Check your email")
    confirm_path = link_in(
        message_to(mail, address, subject_contains="Confirm"), "/newsletter/confirm/"
    )
    page.goto(confirm_path)
    check("confirm", "Confirm you want news and updates")
    page.get_by_role("button", name="Confirm").click()
    check("confirmed", "You're signed up")

    expired = manage(live_site, "shell", "-c", EXPIRED_TOKEN.format(address)).split()[-1]
    page.goto(f"/newsletter/confirm/{expired}/")  # says so at once, before any button
    check("expired link", "This link has expired")
    page.goto("/newsletter/unsubscribe/not-a-real-link/")
    check("broken link", "This link does not work")

    unsubscribe_path = manage(live_site, "shell", "-c", UNSUBSCRIBE_PATH.format(address)).split()[
        -1
    ]
    page.goto(unsubscribe_path)
    check("unsubscribe", "Unsubscribe from news and updates")
    page.get_by_role("button", name="Unsubscribe").click()
    check("unsubscribed", "You've unsubscribed")
    assert not problems, "\n".join(problems)


def press_enter_and_wait(page):
    """Send the form with Enter and wait for the answer.

    The form posts back to its own address, so waiting for that URL would return
    before the answer arrives; wait for the navigation itself.
    """
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_an_instant_submit_gets_a_confirm_step_that_sends_the_email(
    new_page, timing_site, mail, axe_source
):
    """A password manager fills the address and presses Enter at once: one more press."""
    page = new_page(base_url=timing_site.url, bypass_csp=True)
    address = "instant@example.com"
    page.goto("/newsletter/")
    page.fill("#id_email", address)
    press_enter_and_wait(page)
    assert page.locator("h1").inner_text() == "Confirm your email address"
    assert address in page.locator("main").inner_text()
    assert page.locator("main form button").all_inner_texts() == ["Confirm your email address"]
    violations = axe_violations(page, axe_source)
    assert not violations, describe("confirm your email address", violations)
    assert manage(timing_site, "shell", "-c", COUNT.format(address)).split()[-1] == "0"

    page.get_by_role("button", name="Confirm your email address").click()
    page.wait_for_url("**/newsletter/check-your-email/")
    assert message_to(mail, address, subject_contains="Confirm")


def test_a_form_left_open_too_long_is_shown_again_and_works(new_page, live_site, mail, axe_source):
    """Sent back after NEWSLETTER_MAX_FORM_AGE_SECONDS: a note, the address kept, a new token.

    Waiting a day is not practical, so the form carries a token the server itself
    signed for a time 24 hours and 1 second ago: the bytes a browser would send
    back if the page had really been open that long.
    """
    page = new_page(bypass_csp=True)
    address = "left-open@example.com"
    page.goto("/newsletter/")
    old_token = manage(live_site, "shell", "-c", OLD_FORM_TOKEN).split()[-1]
    page.locator("input[name=form_token]").evaluate("(el, v) => { el.value = v }", old_token)
    page.fill("#id_email", address)
    press_enter_and_wait(page)

    banner = page.locator(".govuk-notification-banner")
    assert STALE_MESSAGE in banner.inner_text()
    # GOV.UK Frontend moves focus to a role="alert" banner, so screen readers read it.
    assert page.evaluate("document.activeElement.classList.contains('govuk-notification-banner')")
    assert page.input_value("#id_email") == address
    assert page.input_value("input[name=form_token]") != old_token
    violations = axe_violations(page, axe_source)
    assert not violations, describe("form shown again after a long time", violations)
    assert manage(live_site, "shell", "-c", COUNT.format(address)).split()[-1] == "0"

    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url("**/newsletter/check-your-email/")
    assert message_to(mail, address, subject_contains="Confirm")


def test_error_summary_takes_focus_and_links_to_the_field(new_page):
    page = new_page()
    page.goto("/newsletter/")
    page.get_by_role("button", name="Sign up").click()
    # GOV.UK Frontend moves focus to the summary so screen readers announce it.
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    page.get_by_role("link", name="Enter your email address").click()
    assert page.evaluate("document.activeElement.id") == "id_email"


def test_manage_your_subscription_pages_pass_axe_and_work_without_javascript(
    new_page, live_site, axe_source
):
    """Every state of the manage page passes axe; saving works with JavaScript off too."""
    page = new_page(bypass_csp=True)
    problems = []

    def check(label, expected_h1):
        assert expected_h1 in page.locator("h1").inner_text(), label
        violations = axe_violations(page, axe_source)
        if violations:
            problems.append(describe(label, violations))

    address = "choices@example.com"
    manage(live_site, "shell", "-c", CONFIRMED_SUBSCRIBER.format(address))
    path = manage(live_site, "shell", "-c", MANAGE_PATH.format(address)).split()[-1]
    page.goto(path)
    check("manage: choices", "Manage your subscription")
    for topic in ("issues", "progress", "news"):
        page.locator(f"input[name={topic}][value=off]").check()
    page.get_by_role("button", name="Save my choices").click()
    assert page.title().startswith("Error: ")
    check("manage: nothing chosen (error)", "Manage your subscription")
    page.locator("input[name=progress][value=weekly]").check()
    page.get_by_role("button", name="Save my choices").click()
    page.wait_for_url("**/newsletter/choices-saved/")
    check("choices saved", "Your choices are saved")
    assert manage(live_site, "shell", "-c", CHOICES.format(address)).split()[-1] == "off,weekly,off"

    no_script = new_page(java_script_enabled=False)
    no_script.goto(path)
    no_script.locator("input[name=news][value=immediately]").check()
    no_script.get_by_role("button", name="Save my choices").click()
    no_script.wait_for_url("**/newsletter/choices-saved/")
    choices = manage(live_site, "shell", "-c", CHOICES.format(address)).split()[-1]
    assert choices == "off,weekly,immediately"

    manage(live_site, "shell", "-c", SUPPRESS.format(address))
    page.goto(path)
    assert "could not be delivered" in page.locator("main").inner_text()
    check("manage: address suppressed", "Manage your subscription")

    page.get_by_role("button", name="Unsubscribe from everything").click()
    page.wait_for_url("**/newsletter/unsubscribed/")
    page.goto(path)
    check("manage: after unsubscribing", "You're not subscribed")
    assert not problems, "\n".join(problems)


COUNT = (
    "from newsletter.models import Subscriber; print(Subscriber.objects.for_email('{}').count())"
)
OLD_FORM_TOKEN = (
    "import time; from newsletter.forms import make_form_token; "
    "print(make_form_token(now=time.time() - 86401))"
)
STATUS = (
    "from newsletter.models import Subscriber; "
    "print(Subscriber.objects.for_email('{}').get().status)"
)
SEND_ISSUE = (
    "from newsletter.models import NewsletterIssue; from newsletter import services; "
    "issue = NewsletterIssue.objects.create(subject='Browser test news', "
    "body='<p>The first actions are agreed.</p>'); "
    "print(services.send_issue(issue_id=issue.pk))"
)
CONFIRMED_SUBSCRIBER = (
    "from newsletter.models import Subscriber; "
    "Subscriber.objects.create(email='{}', status='confirmed', "
    "signup_wording_version='test', privacy_notice_version='test')"
)
EXPIRED_TOKEN = (
    "import time; from unittest import mock; from newsletter.models import Subscriber; "
    "from newsletter.tokens import make_confirm_token; "
    "s = Subscriber.objects.for_email('{}').get(); "
    "p = mock.patch('time.time', return_value=time.time() - 8 * 86400); p.start(); "
    "t = make_confirm_token(s); p.stop(); print(t)"
)
MANAGE_PATH = (
    "from newsletter.models import Subscriber; from newsletter.emails import manage_url; "
    "from urllib.parse import urlsplit; "
    "print(urlsplit(manage_url(Subscriber.objects.for_email('{}').get())).path)"
)
CHOICES = (
    "from newsletter.models import Subscriber; s = Subscriber.objects.for_email('{}').get(); "
    "print(s.issues_frequency, s.progress_frequency, s.news_frequency, sep=',')"
)
SUPPRESS = (
    "from django.utils import timezone; from newsletter.models import Subscriber; "
    "Subscriber.objects.for_email('{}').update(suppressed_at=timezone.now(), "
    "suppression_reason='Hard bounce: 5.1.1')"
)
UNSUBSCRIBE_PATH = (
    "from newsletter.models import Subscriber; from newsletter.emails import unsubscribe_url; "
    "from urllib.parse import urlsplit; "
    "print(urlsplit(unsubscribe_url(Subscriber.objects.for_email('{}').get())).path)"
)
