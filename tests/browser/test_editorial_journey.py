"""An editor drafts a change, previews it, and a publisher publishes it: in Chromium.

Both sign in with a password and a code from their authenticator app, as every
member of staff must with DJANGO_DEBUG off.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from .site_server import MANAGE_PY, REPO_ROOT
from .staff_accounts import StaffAccount, sign_in

pytestmark = pytest.mark.browser

MAKE_STAFF = """
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice
user = get_user_model().objects.create_user({username!r}, "", {password!r}, is_staff=True)
user.groups.add(Group.objects.get(name={role!r}))
print(TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True).key)
"""


def staff_member(site, role, username):
    password = f"{username} has a long enough passphrase"
    result = subprocess.run(
        [
            sys.executable,
            str(MANAGE_PY),
            "shell",
            "-c",
            MAKE_STAFF.format(username=username, password=password, role=role),
        ],
        cwd=REPO_ROOT,
        env=site.env,
        check=True,
        capture_output=True,
        text=True,
    )
    return StaffAccount(username, password, bytes.fromhex(result.stdout.split()[-1]))


def ambition_id(site, slug):
    result = subprocess.run(
        [
            sys.executable,
            str(MANAGE_PY),
            "shell",
            "-c",
            f"from strategy.models import Ambition; print(Ambition.objects.get(slug={slug!r}).pk)",
        ],
        cwd=REPO_ROOT,
        env=site.env,
        check=True,
        capture_output=True,
        text=True,
    )
    return int(result.stdout.split()[-1])


def test_editor_drafts_previews_and_publisher_publishes(new_page, live_site):
    slug, new_text = "successful-future", "preparing young people for a successful future early"
    pk = ambition_id(live_site, slug)
    public = new_page()

    editor = new_page()
    sign_in(
        editor,
        staff_member(live_site, "Content editor", "journey-editor"),
        next_path=f"/admin/strategy/ambition/{pk}/change/",
    )
    editor.fill("#id_text", new_text)
    editor.click("input[name=_save]")
    assert "Saved as a draft" in editor.locator(".messagelist").inner_text()

    public.goto(f"/ambitions/{slug}/")
    assert "Preparing young people" not in public.locator("h1").inner_text()

    editor.goto(f"/admin/strategy/ambition/{pk}/change/")
    editor.get_by_role("link", name="Preview the draft").click()
    assert (
        "Preview — not published" in editor.locator(".govuk-notification-banner").first.inner_text()
    )
    assert (
        editor.locator("h1").inner_text() == "Preparing young people for a successful future early"
    )

    publisher = new_page()
    sign_in(
        publisher,
        staff_member(live_site, "Publisher", "journey-publisher"),
        next_path="/admin/strategy/ambition/",
    )
    publisher.check(f"input[name=_selected_action][value='{pk}']")
    publisher.select_option("select[name=action]", "publish_selected")
    publisher.click("button[name=index]")
    assert "Published 1 items" in publisher.locator(".messagelist").inner_text()

    public.goto(f"/ambitions/{slug}/")
    assert (
        public.locator("h1").inner_text() == "Preparing young people for a successful future early"
    )
