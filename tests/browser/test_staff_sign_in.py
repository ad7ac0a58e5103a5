"""Staff sign in to the admin in Chromium: password, then a code from an authenticator app.

The site runs with DEBUG off, so two-step sign-in is required, as in production.
axe-core checks each sign-in page; the console watcher checks them under the CSP.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from .staff_accounts import (
    StaffAccount,
    create_account,
    enter_code,
    enter_password,
    key_from_set_up_page,
)
from .test_accessibility import axe_violations, describe
from .test_security_headers import ConsoleWatcher

pytestmark = pytest.mark.browser


def path_of(page) -> str:
    return urlsplit(page.url).path


def test_signing_in_with_password_and_code(new_page, live_site):
    account = create_account(live_site)
    page = new_page()  # CSP enforced
    watcher = ConsoleWatcher(page, ignore_missing_favicon=True)
    enter_password(page, account, "/admin/strategy/ambition/")
    # A password alone leads to the code page, never to the admin.
    assert path_of(page) == "/admin/two-factor/code/"
    page.goto("/admin/strategy/ambition/")
    assert path_of(page) == "/admin/two-factor/code/"
    enter_code(page, "000000")
    assert "That code is not right" in page.locator("main").inner_text()
    page.wait_for_timeout(1_100)  # django-otp makes the next try wait a second
    enter_code(page, account.code())
    assert path_of(page) == "/admin/strategy/ambition/"
    assert page.locator("h1").inner_text() == "Select ambition to change"
    assert not watcher.take()


def test_setting_up_an_authenticator_app(new_page, live_site):
    account = create_account(live_site, with_app=False, prefix="new")
    page = new_page()
    watcher = ConsoleWatcher(page, ignore_missing_favicon=True)
    enter_password(page, account, "/admin/strategy/newspost/")
    assert path_of(page) == "/admin/two-factor/set-up/"
    qr = page.locator("img.staff-sign-in__qr")
    assert "QR code" in qr.get_attribute("alt")
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", qr.element_handle())
    account.key = key_from_set_up_page(page)
    enter_code(page, account.code())
    assert path_of(page) == "/admin/two-factor/backup-codes/"
    codes = page.locator(".staff-sign-in__codes li").all_inner_texts()
    assert len(codes) == 10
    with page.expect_navigation():
        page.click("text=I have saved my codes")
    assert path_of(page) == "/admin/strategy/newspost/"
    assert not watcher.take()

    # Next time: password, then a backup code works once instead of the app.
    page.context.clear_cookies()
    enter_password(page, account)
    enter_code(page, codes[0])
    assert path_of(page) == "/admin/"
    assert "You signed in with a backup code" in page.locator(".messagelist").inner_text()


def test_sign_in_pages_have_no_axe_violations(new_page, live_site, axe_source):
    page = new_page(bypass_csp=True)  # axe is injected as an inline script
    problems = []

    def audit(label):
        violations = axe_violations(page, axe_source)
        if violations:
            problems.append(describe(label, violations))

    page.goto("/admin/login/")
    audit("login page")
    page.fill("input[name=username]", "nobody")
    page.fill("input[name=password]", "wrong")
    with page.expect_navigation():
        page.click("input[type=submit]")
    audit("login page with an error")

    newcomer = create_account(live_site, with_app=False, prefix="axe")
    enter_password(page, newcomer)
    assert path_of(page) == "/admin/two-factor/set-up/"
    audit("set-up page")
    enter_code(page, "12")
    audit("set-up page with an error")
    newcomer.key = key_from_set_up_page(page)
    page.wait_for_timeout(1_100)
    enter_code(page, newcomer.code())
    assert path_of(page) == "/admin/two-factor/backup-codes/"
    audit("backup codes page")

    page.context.clear_cookies()
    account = create_account(live_site, prefix="axe")
    enter_password(page, account)
    assert path_of(page) == "/admin/two-factor/code/"
    audit("code page")
    enter_code(page, "000000")
    audit("code page with an error")
    page.wait_for_timeout(1_100)
    enter_code(page, account.code())
    assert path_of(page) == "/admin/"
    assert not problems, "\n".join(problems)


def test_a_password_alone_cannot_capture_a_newcomers_app(new_page, live_site):
    """Two browsers with the same password: each sees its own key, and only the first to finish wins."""
    newcomer = create_account(live_site, with_app=False, prefix="newcomer")
    attacker_page, person_page = new_page(), new_page()
    enter_password(attacker_page, newcomer)
    attacker_key = key_from_set_up_page(attacker_page)
    enter_password(person_page, newcomer)
    assert path_of(person_page) == "/admin/two-factor/set-up/"
    newcomer.key = key_from_set_up_page(person_page)
    assert newcomer.key != attacker_key

    enter_code(person_page, newcomer.code())
    assert path_of(person_page) == "/admin/two-factor/backup-codes/"
    # The attacker's set-up page, still open, cannot confirm its key now.
    attacker = StaffAccount(newcomer.username, newcomer.password, attacker_key)
    enter_code(attacker_page, attacker.code())
    assert path_of(attacker_page) == "/admin/two-factor/code/"
    assert (
        "An authenticator app was added to your account on"
        in attacker_page.locator("main").inner_text()
    )
    enter_code(attacker_page, attacker.code())
    assert "That code is not right" in attacker_page.locator("main").inner_text()
    attacker_page.goto("/admin/")
    assert path_of(attacker_page) == "/admin/two-factor/code/"

    # The person's pages are never kept by the browser.
    response = person_page.goto("/admin/password_change/")
    assert response.status == 200
    assert "no-store" in response.headers["cache-control"]
