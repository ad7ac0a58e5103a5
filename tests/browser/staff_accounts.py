"""Staff accounts on the live test site, and signing in to its admin with a real TOTP code.

With DEBUG off the admin needs a password and a code from an authenticator app;
these helpers play the app's part by computing the code from the device's key.
"""

from __future__ import annotations

import base64
import secrets
import subprocess
import sys
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django_otp.oath import TOTP

from .site_server import MANAGE_PY, REPO_ROOT, Site

CREATE_ACCOUNT = """
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice
user = get_user_model().objects.create_superuser({username!r}, {email!r}, {password!r})
if {with_app!r}:
    print(TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True).key)
"""


@dataclass
class StaffAccount:
    username: str
    password: str
    key: bytes | None = None  # the authenticator app's secret, once it has one

    def code(self, *, steps_ahead: int = 0) -> str:
        """The 6-digit code the app would show now (or ``steps_ahead`` 30-second steps later)."""
        assert self.key is not None, "this account has no authenticator app yet"
        totp = TOTP(self.key)
        totp.time = time.time() + 30 * steps_ahead
        return f"{totp.token():06d}"


def create_account(site: Site, *, with_app: bool = True, prefix: str = "staff") -> StaffAccount:
    """A new superuser on ``site``; with ``with_app`` it already has a confirmed TOTP device."""
    username = f"{prefix}-{secrets.token_hex(4)}"
    password = secrets.token_urlsafe(24)
    script = CREATE_ACCOUNT.format(
        username=username, email=f"{username}@example.com", password=password, with_app=with_app
    )
    result = subprocess.run(
        [sys.executable, str(MANAGE_PY), "shell", "-c", script],
        cwd=REPO_ROOT,
        env=site.env,
        check=True,
        capture_output=True,
        text=True,
    )
    key = bytes.fromhex(result.stdout.strip().splitlines()[-1]) if with_app else None
    return StaffAccount(username, password, key)


def key_from_set_up_page(page) -> bytes:
    """Read the secret shown for typing into an app by hand, as a person would."""
    secret = page.locator(".staff-sign-in__secret").inner_text().replace(" ", "")
    return base64.b32decode(secret)


def enter_password(page, account: StaffAccount, next_path: str = "/admin/") -> None:
    page.goto(f"/admin/login/?next={next_path}")
    page.fill("input[name=username]", account.username)
    page.fill("input[name=password]", account.password)
    with page.expect_navigation():
        page.click("input[type=submit]")


def enter_code(page, code: str) -> None:
    page.fill("input[name=code]", code)
    with page.expect_navigation():
        page.click("input[type=submit]")


def sign_in(page, account: StaffAccount, next_path: str = "/admin/") -> None:
    """Both steps: password, then the app's code; ends on ``next_path``."""
    enter_password(page, account, next_path)
    assert urlsplit(page.url).path == "/admin/two-factor/code/", page.url
    enter_code(page, account.code())
    assert urlsplit(page.url).path == urlsplit(next_path).path, page.url
