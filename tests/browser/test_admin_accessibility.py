"""axe-core in Chromium on the admin pages council staff use every day.

The login and two-factor pages are checked in test_staff_sign_in.py; this covers
the dashboard and, for every content type, its list, add and change pages.
"""

from __future__ import annotations

import pytest

from .staff_accounts import create_account, sign_in
from .test_accessibility import axe_violations, describe

pytestmark = pytest.mark.browser

CONTENT_TYPES = [
    "strategy/strategy",
    "strategy/ambition",
    "strategy/actionplanitem",
    "strategy/progressupdate",
    "strategy/newspost",
    "strategy/page",
    "strategy/board",
    "strategy/childright",
    "strategy/visionstatement",
    "strategy/priority",
    "strategy/relatedstrategy",
    "strategy/parentcarercommitment",
    "newsletter/subscriber",
    "newsletter/newsletterissue",
    "newsletter/delivery",
    "newsletter/outboundemail",
]


def admin_pages(page, model):
    """The list page, the first item's change page, and the add page when there is one."""
    yield f"/admin/{model}/"
    page.goto(f"/admin/{model}/")
    first = page.locator("#result_list tbody tr th a, #result_list tbody tr td a").first
    if first.count():
        yield first.get_attribute("href")
    if page.locator(".object-tools a.addlink").count():
        yield f"/admin/{model}/add/"


def test_admin_dashboard_lists_and_forms_have_no_axe_violations(new_page, live_site, axe_source):
    page = new_page(bypass_csp=True)
    sign_in(page, create_account(live_site, prefix="axe"))
    problems = []
    for path in [
        "/admin/",
        *(p for model in CONTENT_TYPES for p in list(admin_pages(page, model))),
    ]:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        violations = axe_violations(page, axe_source)
        if violations:
            problems.append(describe(path, violations))
    assert not problems, "\n".join(problems)


def test_erasing_people_asks_on_pages_with_no_axe_violations(new_page, live_site, axe_source):
    page = new_page(bypass_csp=True)
    address = "erase-axe@example.com"
    page.goto("/newsletter/")
    page.fill("#id_email", address)
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url("**/newsletter/check-your-email/")
    sign_in(page, create_account(live_site, prefix="erase"))
    problems = []

    def check(label):
        violations = axe_violations(page, axe_source)
        if violations:
            problems.append(describe(label, violations))

    page.goto(f"/admin/newsletter/subscriber/?q={address}")
    page.locator("#result_list tbody input.action-select").check()
    page.select_option("select[name=action]", "erase_completely")
    page.get_by_role("button", name="Go", exact=True).click()
    assert "You cannot undo this." in page.locator("#content").inner_text()
    check("erase selected: confirmation")
    page.get_by_role("link", name="Cancel").click()
    page.locator("#result_list tbody th a").first.click()
    page.get_by_role("link", name="Delete").click()
    check("delete one: confirmation")
    page.get_by_role("button", name="Yes, erase them").click()
    page.wait_for_url("**/admin/newsletter/subscriber/")
    page.goto("/admin/newsletter/erasurerecord/")
    check("erasure records")
    page.locator("#result_list tbody th a").first.click()
    check("one erasure record")
    assert not problems, "\n".join(problems)
