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
    "newsletter/subscriberemail",
    "newsletter/mailboxmessage",
    "newsletter/importrecord",
    "newsletter/contentalert",
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


NEWSLETTER_PAGES_DATA = """
from django.utils import timezone
from newsletter import alerts, services
from newsletter.models import MailboxMessage, NewsletterIssue, Subscriber
person = Subscriber.objects.create(email="axe-reader@example.com", status="confirmed",
    signup_wording_version="test", privacy_notice_version="test", progress_frequency="immediately",
    suppressed_at=timezone.now(), suppression_reason="Hard bounce: 5.1.1 user unknown")
sent = NewsletterIssue.objects.create(subject="Axe sent issue", body="<p>News.</p>")
services.send_issue(issue_id=sent.pk)
MailboxMessage.objects.create(folder="INBOX", uid_validity=1, uid=1, outcome="hard_bounce",
    status_code="5.1.1", detail="550 5.1.1 user unknown", subscriber=person, issue=sent)
draft = NewsletterIssue.objects.create(subject="Axe draft issue", body="<p>News.</p>")
alerts.release_due_alerts()
print(sent.pk, draft.pk, person.pk)
"""

IMPORT_FILE = (
    "Email,Consent date,Source\n"
    "axe-new@example.com,25/03/2024,E-bulletin\n"
    "axe-reader@example.com,25/03/2024,E-bulletin\n"
    "not an address,25/03/2024,E-bulletin\n"
    "AXE-NEW@example.com,26/03/2024,E-bulletin\n"
)


def test_newsletter_manager_pages_have_no_axe_violations(new_page, live_site, axe_source, tmp_path):
    """Schedule, report, import (each step and its errors), suppression and the home page."""
    from tests.browser.test_newsletter import manage

    sent, draft, person = manage(live_site, "shell", "-c", NEWSLETTER_PAGES_DATA).split()[-3:]
    page = new_page(bypass_csp=True)
    sign_in(page, create_account(live_site, prefix="manager"))
    problems = []

    def check(label):
        violations = axe_violations(page, axe_source)
        if violations:
            problems.append(describe(label, violations))

    issues = "/admin/newsletter/newsletterissue"
    page.goto("/admin/")
    assert page.locator("#newsletter-panel").is_visible()
    check("admin home with the newsletter panel")
    page.goto(f"{issues}/{sent}/report/")
    assert "Marked as spam" in page.locator("#content").inner_text()
    check("issue report")
    page.goto(f"{issues}/{draft}/schedule/")
    check("schedule an issue")
    page.get_by_role("button", name="Schedule it").click()
    assert page.locator(".errornote").is_visible()
    check("schedule an issue: error")
    page.fill("#id_send_at_0", "31/12/2099")
    page.fill("#id_send_at_1", "09:00")
    page.get_by_role("button", name="Schedule it").click()
    page.wait_for_url(f"**{issues}/{draft}/change/")
    assert "Scheduled to send on 31 December 2099, 09:00" in page.locator("#content").inner_text()
    check("issue page with a schedule")
    page.goto(f"{issues}/{draft}/schedule/")
    check("change or cancel a schedule")
    page.get_by_role("button", name="Cancel the schedule").click()
    page.wait_for_url(f"**{issues}/{draft}/change/")

    page.goto(f"/admin/newsletter/subscriber/{person}/change/")
    assert "Hard bounce: 5.1.1 user unknown" in page.locator("#content").inner_text()
    check("a suppressed subscriber")
    page.goto("/admin/newsletter/subscriber/import/")
    check("import: upload")
    page.get_by_role("button", name="Upload and check").click()
    check("import: upload error")
    csv_file = tmp_path / "export.csv"
    csv_file.write_text(IMPORT_FILE)
    page.set_input_files("#id_file", str(csv_file))
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_url("**/admin/newsletter/subscriber/import/*/")
    text = page.locator("#content").inner_text()
    assert "New people to add: 1" in text and "Repeated in the file: 1" in text
    check("import: preview")
    page.get_by_role("button", name="Import 1 person").click()
    assert "The worker is adding the people" in page.locator("#content").inner_text()
    check("import: waiting for the worker")
    manage(live_site, "run_newsletter_jobs")
    page.get_by_role("link", name="Check again").click()
    page.wait_for_url("**/admin/newsletter/importrecord/*/change/")
    check("import record")
    assert not problems, "\n".join(problems)
