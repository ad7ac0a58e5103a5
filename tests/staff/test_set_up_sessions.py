"""Setting up an app: each session gets its own key, so a password alone cannot capture it.

The attack this guards against: someone who knows the password of a person with
no authenticator app yet opens the set-up page, reads the key, and waits. If the
real person were later shown the same key and confirmed it, the attacker could
sign in with the password and a code from that key for good.
"""

import base64
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from staff import two_factor
from tests.conftest import visible_text

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

SET_UP = "/admin/two-factor/set-up/"
CODE = "/admin/two-factor/code/"


def signed_in_with_password(address):
    """A new browser that has typed the password into the real login form, from ``address``."""
    browser = Client(REMOTE_ADDR=address)
    response = browser.post(
        "/admin/login/?next=/admin/",
        {"username": "it-admin", "password": PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302, response.content.decode()
    return browser


def key_on_set_up_page(browser):
    """The key the set-up page shows for typing into an app, as bytes."""
    page = browser.get(SET_UP)
    assert page.status_code == 200
    html = page.content.decode()
    secret = re.search(r'<code class="staff-sign-in__secret">([A-Z2-7 ]+)</code>', html)
    return base64.b32decode(secret.group(1).replace(" ", "")), html


def code_from(key):
    """What an authenticator app holding ``key`` shows now, by django-otp's own TOTP."""
    return f"{totp(key):06d}"


def test_a_password_alone_cannot_capture_the_real_persons_app(staff_user):
    attacker = signed_in_with_password("203.0.113.66")
    attacker_key, _ = key_on_set_up_page(attacker)

    person = signed_in_with_password("198.51.100.20")
    person_key, person_page = key_on_set_up_page(person)
    # Each set-up session has its own key; the person is never shown the attacker's.
    assert person_key != attacker_key
    assert base64.b32encode(attacker_key).decode()[:8] not in person_page.replace(" ", "")
    # Reloading keeps each session's own key.
    assert key_on_set_up_page(attacker)[0] == attacker_key
    assert key_on_set_up_page(person)[0] == person_key
    # A session can only confirm the key it was shown: the person's code fails for the attacker.
    wrong = attacker.post(SET_UP, {"code": code_from(person_key)})
    assert "That code is not right" in visible_text(wrong.content.decode())

    confirmed = person.post(SET_UP, {"code": code_from(person_key), "next": "/admin/"})
    assert confirmed["Location"].startswith("/admin/two-factor/backup-codes/")
    # Only the person's app is left; the attacker's half-made one is gone.
    devices = TOTPDevice.objects.filter(user=staff_user)
    assert [(d.bin_key, d.confirmed) for d in devices] == [(person_key, True)]

    # The attacker's open set-up page can no longer confirm their key...
    late = attacker.post(SET_UP, {"code": code_from(attacker_key)})
    assert late.status_code == 302 and late["Location"].startswith(CODE)
    assert attacker.get("/admin/")["Location"].startswith(CODE)
    # ...and a code from it does not get them in with the password either.
    again = signed_in_with_password("203.0.113.66")
    assert again.get(SET_UP)["Location"].startswith(CODE)
    refused = again.post(CODE, {"code": code_from(attacker_key), "next": "/admin/"})
    assert refused.status_code == 200
    assert "That code is not right" in visible_text(refused.content.decode())
    assert again.get("/admin/")["Location"].startswith(CODE)
    # While the person's own sessions work.
    assert person.get("/admin/").status_code == 200


def test_a_set_up_left_open_in_another_session_is_sent_to_the_code_step(staff_user):
    first = signed_in_with_password("198.51.100.20")
    second = signed_in_with_password("198.51.100.20")
    first_key, _ = key_on_set_up_page(first)
    key_on_set_up_page(second)
    first.post(SET_UP, {"code": code_from(first_key)})
    # The other session's page now says to enter the code from the app just added.
    response = second.post(SET_UP, {"code": "123456", "next": "/admin/strategy/"})
    assert response["Location"] == "/admin/two-factor/code/?next=%2Fadmin%2Fstrategy%2F"
    assert TOTPDevice.objects.filter(user=staff_user).count() == 1


def test_abandoned_set_ups_are_cleared_when_a_new_one_starts(staff_user):
    old = TOTPDevice.objects.create(user=staff_user, name="Authenticator app", confirmed=False)
    TOTPDevice.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=13))
    recent = TOTPDevice.objects.create(user=staff_user, name="Authenticator app", confirmed=False)
    key_on_set_up_page(signed_in_with_password("198.51.100.20"))
    left = set(TOTPDevice.objects.filter(user=staff_user).values_list("pk", flat=True))
    # The 13-hour-old one can have no session left; one from today may still be in use.
    assert old.pk not in left and recent.pk in left and len(left) == 2


def test_the_code_page_says_when_the_app_was_added(enrolled_user):
    TOTPDevice.objects.filter(pk=enrolled_user.device.pk).update(
        created_at=timezone.make_aware(timezone.datetime(2024, 3, 5, 10, 0))
    )
    page = signed_in_with_password("198.51.100.20").get(CODE)
    text = visible_text(page.content.decode())
    assert "An authenticator app was added to your account on 5 March 2024." in text
    assert "tell an IT administrator straight away" in text


def test_a_set_up_cannot_be_confirmed_once_the_person_has_an_app(staff_user):
    """The check under the person's row lock: it closes the race between two set-up pages."""
    pending = TOTPDevice.objects.create(user=staff_user, name="Authenticator app", confirmed=False)
    TOTPDevice.objects.create(user=staff_user, name="Authenticator app", confirmed=True)
    result = two_factor.confirm_authenticator(pending, code_from(pending.bin_key))
    assert result.superseded and not result.accepted
    pending.refresh_from_db()
    assert not pending.confirmed
