"""Lockout: repeated wrong passwords or codes pause sign-in per account and per address."""

import io
import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import visible_text

from .conftest import PASSWORD, sign_in_fully

pytestmark = pytest.mark.django_db

LIMIT = 5


def fail_passwords(sign_in_password, username, times, **extra):
    return [sign_in_password(username, "not the password at all", **extra) for _ in range(times)]


def test_five_wrong_passwords_lock_the_account_from_anywhere(
    client, staff_user, sign_in_password, caplog
):
    with caplog.at_level(logging.WARNING, logger="axes"):
        responses = fail_passwords(sign_in_password, "it-admin", LIMIT - 1)
        assert all(r.status_code == 200 for r in responses)  # the login form, with its error
        locked = fail_passwords(sign_in_password, "it-admin", 1)[0]
    assert locked.status_code == 429
    assert "Locking out" in caplog.text and "it-admin" in caplog.text
    # Even the right password, from another address, is refused while locked.
    response = sign_in_password("it-admin", PASSWORD, REMOTE_ADDR="192.0.2.50")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AccessFailureLog.objects.filter(username="it-admin").count() == LIMIT


def test_the_lockout_page_is_polite_and_styled(client, staff_user, sign_in_password):
    response = fail_passwords(sign_in_password, "it-admin", LIMIT)[-1]
    html = response.content.decode()
    text = visible_text(html)
    assert response.status_code == 429
    assert "<h1>Sign-in paused</h1>" in html
    assert "Try again in 30 minutes" in text
    assert "contact an IT administrator" in text
    assert "admin/css/base.css" in html
    assert "<script>" not in html


def test_failures_spread_over_many_addresses_still_lock_the_account(
    client, staff_user, sign_in_password
):
    for n in range(LIMIT):
        sign_in_password("it-admin", "wrong", REMOTE_ADDR=f"198.51.100.{n}")
    assert sign_in_password("it-admin", PASSWORD, REMOTE_ADDR="198.51.100.99").status_code == 429


def test_five_failures_from_one_address_lock_that_address(
    client, staff_user, django_user_model, sign_in_password
):
    for n in range(LIMIT):
        sign_in_password(f"guess-{n}", "wrong", REMOTE_ADDR="203.0.113.7")
    # Another account from that address is refused...
    assert sign_in_password("it-admin", PASSWORD, REMOTE_ADDR="203.0.113.7").status_code == 429
    # ...while the same account from elsewhere is not.
    response = sign_in_password("it-admin", PASSWORD, REMOTE_ADDR="203.0.113.8")
    assert response.status_code == 302


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_the_address_is_the_one_our_proxy_saw_not_one_the_client_claims(
    client, staff_user, sign_in_password
):
    for n in range(LIMIT):
        # An attacker varies the part of X-Forwarded-For they control; our proxy appends theirs.
        sign_in_password(f"guess-{n}", "wrong", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 203.0.113.9")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}
    response = sign_in_password("it-admin", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert response.status_code == 429


def test_failures_are_forgotten_after_the_cool_off(client, staff_user, sign_in_password):
    fail_passwords(sign_in_password, "it-admin", LIMIT)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    assert sign_in_password("it-admin").status_code == 302


def test_wrong_codes_count_too_and_end_the_half_signed_in_session(
    client, enrolled_user, sign_in_password
):
    sign_in_password("it-admin")
    for _ in range(LIMIT):
        # Step past django-otp's own growing wait between tries.
        TOTPDevice.objects.update(throttling_failure_timestamp=timezone.now() - timedelta(hours=1))
        response = client.post("/admin/two-factor/code/", {"code": "000000"})
    assert response.status_code == 429
    assert "Sign-in paused" in response.content.decode()
    assert "_auth_user_id" not in client.session
    stored = AccessAttempt.objects.get(username="it-admin")
    assert "000000" not in stored.post_data  # what was typed is never kept
    # And the password step is now refused as well.
    assert sign_in_password("it-admin").status_code == 429


def test_a_superuser_sees_and_lifts_a_lock(client, staff_user, sign_in_password, django_user_model):
    fail_passwords(sign_in_password, "it-admin", LIMIT, REMOTE_ADDR="192.0.2.1")
    it = sign_in_fully(Client(), django_user_model.objects.create_superuser("it-2", "", PASSWORD))
    page = it.get("/admin/two-factor/locks/")
    text = visible_text(page.content.decode())
    assert page.status_code == 200
    assert "Account it-admin" in text and "Locked until about" in text
    assert "Address 192.0.2.1" in text
    response = it.post("/admin/two-factor/locks/", {"kind": "username", "value": "it-admin"})
    assert response.status_code == 302
    assert "Unlocked it-admin" in visible_text(it.get(response["Location"]).content.decode())
    assert not AccessAttempt.objects.filter(username="it-admin").exists()
    assert sign_in_password("it-admin", REMOTE_ADDR="192.0.2.1").status_code == 302


def test_a_superuser_can_also_unlock_from_the_command_line(client, staff_user, sign_in_password):
    fail_passwords(sign_in_password, "it-admin", LIMIT)
    call_command("axes_reset_username", "it-admin", stdout=io.StringIO())
    assert sign_in_password("it-admin").status_code == 302


def test_only_superusers_may_lift_locks(client, django_user_model):
    editor = django_user_model.objects.create_user(
        "content-editor", "ce@example.com", PASSWORD, is_staff=True
    )
    sign_in_fully(client, editor)
    assert client.get("/admin/two-factor/locks/").status_code == 403
    AccessAttempt.objects.create(
        username="x",
        ip_address="192.0.2.1",
        user_agent="",
        failures_since_start=9,
        attempt_time=timezone.now(),
        get_data="",
        post_data="",
        http_accept="",
        path_info="",
    )
    response = client.post("/admin/two-factor/locks/", {"kind": "username", "value": "x"})
    assert response.status_code == 403
    assert AccessAttempt.objects.exists()


def test_locks_page_needs_the_code_step_too(client, staff_user, sign_in_password):
    sign_in_password("it-admin")
    assert client.get("/admin/two-factor/locks/").status_code == 302
    assert client.post("/admin/two-factor/locks/", {"kind": "ip", "value": "1"}).status_code == 403
