"""Lockout: repeated wrong passwords or codes pause sign-in per account and per address."""

import io
import logging
import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import visible_text

from .conftest import PASSWORD, code_for, sign_in_fully

pytestmark = pytest.mark.django_db

LIMIT = 5  # for one account from one address
ADDRESS_LIMIT = 20  # from one address, for any accounts


def fail_passwords(sign_in_password, username, times, **extra):
    return [sign_in_password(username, "not the password at all", **extra) for _ in range(times)]


def test_an_attackers_wrong_passwords_never_lock_the_real_person_out(
    client, staff_user, sign_in_password, caplog
):
    attacker = {"REMOTE_ADDR": "203.0.113.66"}
    with caplog.at_level(logging.WARNING, logger="axes"):
        responses = fail_passwords(sign_in_password, "it-admin", LIMIT - 1, **attacker)
        assert all(r.status_code == 200 for r in responses)  # the login form, with its error
        locked = fail_passwords(sign_in_password, "it-admin", 3, **attacker)
    # Guessing that password from that address stops at the limit...
    assert [r.status_code for r in locked] == [429, 429, 429]
    assert "Locking out" in caplog.text and "it-admin" in caplog.text
    assert sign_in_password("it-admin", PASSWORD, **attacker).status_code == 429
    assert AccessFailureLog.objects.filter(username="it-admin").count() == LIMIT
    # ...while the real person, signing in from anywhere else, gets straight in.
    response = sign_in_password("it-admin", PASSWORD, REMOTE_ADDR="198.51.100.20")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff_user.pk)


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


def test_one_address_trying_many_accounts_is_stopped(client, staff_user, sign_in_password):
    sprayer = {"REMOTE_ADDR": "203.0.113.7"}
    tries = [
        sign_in_password(f"guess-{n}", "Summer2024!", **sprayer).status_code
        for n in range(ADDRESS_LIMIT)
    ]
    assert tries == [200] * (ADDRESS_LIMIT - 1) + [429]
    # Every account is refused from that address now, even with the right password...
    assert sign_in_password("it-admin", PASSWORD, **sprayer).status_code == 429
    # ...while the same account from elsewhere is not.
    assert sign_in_password("it-admin", PASSWORD, REMOTE_ADDR="203.0.113.8").status_code == 302


def test_a_shared_office_address_is_not_paused_by_a_few_typing_mistakes(
    django_user_model, sign_in_password
):
    office = {"REMOTE_ADDR": "192.0.2.80"}
    names = [f"officer-{n}" for n in range(4)]
    for name in names:
        django_user_model.objects.create_superuser(name, "", PASSWORD)
        fail_passwords(sign_in_password, name, LIMIT - 1, **office)
    # 16 mistakes from the office address in all: each person still signs in there.
    for name in names:
        assert sign_in_password(name, PASSWORD, **office).status_code == 302, name


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_the_address_is_the_one_our_proxy_saw_not_one_the_client_claims(
    client, staff_user, sign_in_password
):
    for n in range(ADDRESS_LIMIT):
        # An attacker varies the part of X-Forwarded-For they control; our proxy appends theirs.
        sign_in_password(f"guess-{n}", "wrong", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 203.0.113.9")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}
    response = sign_in_password("it-admin", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert response.status_code == 429


def test_signing_in_fully_clears_only_the_persons_own_tries_from_there(
    client, enrolled_user, sign_in_password
):
    fail_passwords(sign_in_password, "it-admin", LIMIT - 1, REMOTE_ADDR="203.0.113.66")
    fail_passwords(sign_in_password, "it-admin", 2, REMOTE_ADDR="198.51.100.20")
    sign_in_password("it-admin", PASSWORD, REMOTE_ADDR="198.51.100.20")
    code = {"code": code_for(enrolled_user.device)}
    client.post("/admin/two-factor/code/", code, REMOTE_ADDR="198.51.100.20")
    assert client.get("/admin/").status_code == 200
    # The person's own two mistakes are forgiven; the guesses from elsewhere are not.
    assert not AccessAttempt.objects.filter(ip_address="198.51.100.20").exists()
    last_guess = fail_passwords(sign_in_password, "it-admin", 1, REMOTE_ADDR="203.0.113.66")[0]
    assert last_guess.status_code == 429


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


def superuser_client(django_user_model):
    return sign_in_fully(Client(), django_user_model.objects.create_superuser("it-2", "", PASSWORD))


def test_a_superuser_sees_and_lifts_a_lock(client, staff_user, sign_in_password, django_user_model):
    fail_passwords(sign_in_password, "it-admin", LIMIT, REMOTE_ADDR="192.0.2.1")
    it = superuser_client(django_user_model)
    page = it.get("/admin/two-factor/locks/")
    html = page.content.decode()
    text = visible_text(html)
    assert page.status_code == 200
    assert "After 5 wrong passwords or codes for one account from one internet address" in text
    assert "After 20 from one address, for any accounts" in text
    assert re.search(r"Account it-admin from address 192\.0\.2\.1 5 .* Locked until about", text)
    # The address itself is not locked: 5 of its 20.
    assert re.search(r"Address 192\.0\.2\.1 5 [^A]* Not locked", text)
    response = it.post(
        "/admin/two-factor/locks/", {"username": "it-admin", "ip_address": "192.0.2.1"}
    )
    assert response.status_code == 302
    message = visible_text(it.get(response["Location"]).content.decode())
    assert "Unlocked account it-admin from address 192.0.2.1" in message
    assert not AccessAttempt.objects.filter(username="it-admin").exists()
    assert sign_in_password("it-admin", REMOTE_ADDR="192.0.2.1").status_code == 302


def test_a_superuser_unlocks_an_address(client, staff_user, sign_in_password, django_user_model):
    for n in range(ADDRESS_LIMIT):
        sign_in_password(f"guess-{n}", "wrong", REMOTE_ADDR="192.0.2.9")
    it = superuser_client(django_user_model)
    text = visible_text(it.get("/admin/two-factor/locks/").content.decode())
    assert re.search(r"Address 192\.0\.2\.9 20 .* Locked until about", text)
    it.post("/admin/two-factor/locks/", {"ip_address": "192.0.2.9"})
    assert not AccessAttempt.objects.exists()
    assert sign_in_password("it-admin", REMOTE_ADDR="192.0.2.9").status_code == 302


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
    response = client.post("/admin/two-factor/locks/", {"username": "x", "ip_address": "192.0.2.1"})
    assert response.status_code == 403
    assert AccessAttempt.objects.exists()


def test_locks_page_needs_the_code_step_too(client, staff_user, sign_in_password):
    sign_in_password("it-admin")
    assert client.get("/admin/two-factor/locks/").status_code == 302
    assert client.post("/admin/two-factor/locks/", {"ip_address": "192.0.2.1"}).status_code == 403


def test_a_username_longer_than_any_account_gets_the_ordinary_message(client):
    """It used to reach the lockout's 255-character column: a 500 on PostgreSQL."""
    response = client.post("/admin/login/", {"username": "a" * 300, "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter the correct username and password" in response.content.decode()
    assert not AccessAttempt.objects.exists()
