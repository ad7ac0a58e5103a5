"""Two-step sign-in: a password alone reaches no admin page while DEBUG is off."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.http import HttpResponse
from django.test import override_settings
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from staff.middleware import TwoFactorRequiredMiddleware
from strategy.models import Ambition
from tests.conftest import visible_text

from .conftest import code_for

pytestmark = pytest.mark.django_db


def admin_pages():
    ambition = Ambition.objects.first()
    return [
        "/admin/",
        "/admin/strategy/strategy/",
        f"/admin/strategy/ambition/{ambition.pk}/change/",
        "/admin/auth/user/",
    ]


def location(response):
    parts = urlsplit(response["Location"])
    return parts.path, parse_qs(parts.query)


def test_password_only_session_without_an_app_is_sent_to_set_up(
    client, staff_user, sign_in_password
):
    sign_in_password("it-admin")
    for path in admin_pages():
        response = client.get(path)
        assert response.status_code == 302, path
        assert location(response) == ("/admin/two-factor/set-up/", {"next": [path]}), path


def test_password_only_session_with_an_app_is_asked_for_a_code(
    client, enrolled_user, sign_in_password
):
    response = sign_in_password("it-admin", next_url="/admin/strategy/strategy/")
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert location(response) == (
        "/admin/two-factor/code/",
        {"next": ["/admin/strategy/strategy/"]},
    )
    for path in admin_pages():
        assert location(client.get(path))[0] == "/admin/two-factor/code/", path
    # The login page itself passes the person on, keeping where they were going.
    response = client.get("/admin/login/?next=/admin/strategy/ambition/")
    assert location(response) == (
        "/admin/two-factor/code/",
        {"next": ["/admin/strategy/ambition/"]},
    )


def test_password_only_session_cannot_change_anything(client, enrolled_user, sign_in_password):
    sign_in_password("it-admin")
    ambition = Ambition.objects.first()
    response = client.post(f"/admin/strategy/ambition/{ambition.pk}/change/", {"text": "Hijacked"})
    assert response.status_code == 403
    assert "Finish signing in first" in visible_text(response.content.decode())
    ambition.refresh_from_db()
    assert ambition.text != "Hijacked"


def test_right_code_opens_every_admin_page(client, enrolled_user, sign_in_password):
    sign_in_password("it-admin")
    response = client.post(
        "/admin/two-factor/code/",
        {"code": code_for(enrolled_user.device), "next": "/admin/strategy/strategy/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/strategy/strategy/"
    for path in admin_pages():
        assert client.get(path).status_code == 200, path


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/admin/"])
def test_after_the_code_only_our_own_pages_are_next(
    client, enrolled_user, sign_in_password, target
):
    sign_in_password("it-admin")
    response = client.post(
        "/admin/two-factor/code/", {"code": code_for(enrolled_user.device), "next": target}
    )
    assert response["Location"] == "/admin/"


def test_code_page_explains_what_to_do(client, enrolled_user, sign_in_password):
    sign_in_password("it-admin")
    response = client.get("/admin/two-factor/code/?next=/admin/")
    text = visible_text(response.content.decode())
    assert response.status_code == 200
    assert "Enter your sign-in code" in text
    assert "authenticator app" in text and "backup codes" in text
    assert "IT administrator" in text
    assert "no-store" in response["Cache-Control"]
    assert 'autocomplete="one-time-code"' in response.content.decode()


def test_set_up_end_to_end_with_a_real_code(client, staff_user, sign_in_password):
    sign_in_password("it-admin")
    page = client.get("/admin/two-factor/set-up/?next=/admin/strategy/strategy/")
    html = page.content.decode()
    text = visible_text(html)
    assert page.status_code == 200
    assert "An authenticator app shows a new 6-digit code" in text
    img = re.search(
        r'<img class="staff-sign-in__qr" src="(data:image/svg\+xml[^"]+)"[^>]*alt="([^"]+)"',
        html,
        re.S,
    )
    assert img and "QR code" in img.group(2)
    device = TOTPDevice.objects.get(user=staff_user)
    assert not device.confirmed
    secret = re.search(r'<code class="staff-sign-in__secret">([A-Z2-7 ]+)</code>', html).group(1)
    assert all(len(group) == 4 for group in secret.split()) and len(secret.split()) == 8
    # Reloading shows the same key, so an app that scanned it already keeps working.
    assert secret in client.get("/admin/two-factor/set-up/").content.decode()

    wrong = client.post("/admin/two-factor/set-up/", {"code": "000000"})
    assert "That code is not right" in visible_text(wrong.content.decode())
    device.refresh_from_db()
    device.throttling_failure_timestamp -= timedelta(seconds=5)  # the wait for one wrong code
    device.save()

    response = client.post(
        "/admin/two-factor/set-up/",
        {"code": code_for(device), "next": "/admin/strategy/strategy/"},
    )
    assert location(response) == (
        "/admin/two-factor/backup-codes/",
        {"next": ["/admin/strategy/strategy/"]},
    )
    device.refresh_from_db()
    assert device.confirmed
    codes_page = client.get(response["Location"])
    codes = re.findall(
        r"<li><code>([a-z2-7]{4} [a-z2-7]{4})</code></li>", codes_page.content.decode()
    )
    assert len(codes) == 10
    assert "You will not see them again" in visible_text(codes_page.content.decode())
    assert 'href="/admin/strategy/strategy/"' in codes_page.content.decode()
    # Shown once only.
    assert not re.findall(r"<li><code>", client.get(response["Location"]).content.decode())
    assert client.get("/admin/strategy/strategy/").status_code == 200


def test_someone_with_an_app_cannot_add_another_with_a_password_alone(
    client, enrolled_user, sign_in_password
):
    sign_in_password("it-admin")
    response = client.get("/admin/two-factor/set-up/")
    assert location(response)[0] == "/admin/two-factor/code/"
    assert TOTPDevice.objects.filter(user=enrolled_user).count() == 1


def test_backup_code_works_once(client, enrolled_user, sign_in_password):
    device = StaticDevice.objects.create(user=enrolled_user, name="Backup codes")
    device.token_set.create(token="abcd2345")
    device.token_set.create(token="efgh6723")
    sign_in_password("it-admin")
    response = client.post("/admin/two-factor/code/", {"code": "ABCD 2345", "next": "/admin/"})
    assert response["Location"] == "/admin/"
    page = client.get("/admin/")
    assert page.status_code == 200
    assert "You signed in with a backup code" in visible_text(page.content.decode())
    assert "You have 1 left" in visible_text(page.content.decode())
    assert not StaticToken.objects.filter(token="abcd2345").exists()

    client.post("/admin/logout/")
    sign_in_password("it-admin")
    again = client.post("/admin/two-factor/code/", {"code": "abcd2345", "next": "/admin/"})
    assert again.status_code == 200
    assert "That code is not right" in visible_text(again.content.decode())
    assert location(client.get("/admin/"))[0] == "/admin/two-factor/code/"


def test_wrong_codes_are_rejected_and_throttled(client, enrolled_user, sign_in_password):
    sign_in_password("it-admin")
    wrong = client.post("/admin/two-factor/code/", {"code": "123456"})
    assert wrong.status_code == 200
    assert "That code is not right" in visible_text(wrong.content.decode())
    # Straight after a wrong code even the right one must wait: guessing is slowed down.
    throttled = client.post("/admin/two-factor/code/", {"code": code_for(enrolled_user.device)})
    assert "Wait 1 second" in visible_text(throttled.content.decode())
    assert location(client.get("/admin/"))[0] == "/admin/two-factor/code/"
    device = TOTPDevice.objects.get(pk=enrolled_user.device.pk)
    assert device.throttling_failure_count == 1
    device.throttling_failure_timestamp = timezone.now() - timedelta(seconds=2)
    device.save()
    response = client.post("/admin/two-factor/code/", {"code": code_for(device), "next": "/admin/"})
    assert response["Location"] == "/admin/"


def test_a_code_cannot_be_used_twice(client, enrolled_user, sign_in_password):
    code = code_for(enrolled_user.device)
    sign_in_password("it-admin")
    assert client.post("/admin/two-factor/code/", {"code": code})["Location"] == "/admin/"
    client.post("/admin/logout/")
    sign_in_password("it-admin")
    again = client.post("/admin/two-factor/code/", {"code": code})
    assert "That code is not right" in visible_text(again.content.decode())


def test_making_new_backup_codes_replaces_the_old_ones(client, enrolled_user, sign_in_password):
    old = StaticDevice.objects.create(user=enrolled_user, name="Backup codes")
    old.token_set.create(token="oldcode2")
    sign_in_password("it-admin")
    client.post("/admin/two-factor/code/", {"code": code_for(enrolled_user.device)})
    page = client.get("/admin/two-factor/backup-codes/")
    assert "You have 1 unused backup code." in visible_text(page.content.decode())
    response = client.post("/admin/two-factor/backup-codes/")
    html = client.get(response["Location"]).content.decode()
    assert len(re.findall(r"<li><code>", html)) == 10
    assert not StaticToken.objects.filter(token="oldcode2").exists()
    assert StaticToken.objects.filter(device__user=enrolled_user).count() == 10


def test_backup_codes_page_needs_the_code_step(client, enrolled_user, sign_in_password):
    sign_in_password("it-admin")
    assert location(client.post("/admin/two-factor/backup-codes/"))[0] == "/admin/two-factor/code/"
    assert not StaticToken.objects.exists()


def test_the_code_step_cycles_the_session_key(client, enrolled_user, sign_in_password):
    sign_in_password("it-admin")
    after_password = client.cookies["sessionid"].value
    client.post("/admin/two-factor/code/", {"code": code_for(enrolled_user.device)})
    assert client.cookies["sessionid"].value != after_password


@pytest.mark.parametrize(("verified", "signed_in"), [(False, False), (True, True)])
def test_outside_the_admin_a_password_only_session_counts_as_signed_out(
    rf, enrolled_user, verified, signed_in
):
    """So a staff-only page elsewhere (such as a draft preview) needs the code step too."""
    request = rf.get("/some/staff-only/page/")
    request.COOKIES["sessionid"] = "anything"
    enrolled_user.is_verified = lambda: verified
    request.user = enrolled_user
    seen = []
    TwoFactorRequiredMiddleware(lambda r: seen.append(r.user) or HttpResponse())(request)
    assert seen[0].is_authenticated == signed_in


def test_unknown_users_see_the_normal_login_page(client):
    response = client.get("/admin/")
    assert location(response)[0] == "/admin/login/"
    page = client.get("/admin/login/?next=/admin/")
    text = visible_text(page.content.decode())
    assert "Sign in" in text and "a code from the authenticator app" in text


def test_superusers_reset_a_lost_device_in_the_admin(staff_client, enrolled_user):
    """Deleting someone's devices makes them set up an app again at their next sign-in."""
    response = staff_client.get("/admin/otp_totp/totpdevice/")
    assert response.status_code == 200 and "it-admin" in response.content.decode()
    staff_client.post(
        "/admin/otp_totp/totpdevice/",
        {"action": "delete_selected", "_selected_action": [enrolled_user.device.pk], "post": "yes"},
    )
    assert not TOTPDevice.objects.filter(user=enrolled_user).exists()


@override_settings(DEBUG=True)
def test_with_debug_on_a_password_is_enough(client, staff_user, sign_in_password):
    sign_in_password("it-admin")
    for path in admin_pages():
        assert client.get(path).status_code == 200, path
    # Developers can still try the set-up page.
    assert client.get("/admin/two-factor/set-up/").status_code == 200
