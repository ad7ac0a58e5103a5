"""With the Content Security Policy enforced, every page runs its scripts cleanly.

Chromium reports CSP violations (and failed loads, and script errors) on the console,
so listening to console messages catches a policy that blocks our own files as well
as markup that needs inline script or style.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from .staff_accounts import create_account, sign_in

pytestmark = pytest.mark.browser


class ConsoleWatcher:
    """Collect console errors, CSP reports, failed loads and uncaught exceptions."""

    def __init__(self, page, *, ignore_missing_favicon: bool = False):
        self.page = page
        self.ignore_missing_favicon = ignore_missing_favicon
        self.problems: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", self._on_pageerror)
        page.on("response", self._on_response)
        page.on("requestfailed", self._on_requestfailed)

    def _is_favicon(self, url: str) -> bool:
        return self.ignore_missing_favicon and urlsplit(url).path == "/favicon.ico"

    def _on_console(self, msg):
        text = msg.text
        if msg.type == "error" or "Content Security Policy" in text:
            if self._is_favicon(msg.location.get("url", "")):
                return
            where = msg.location.get("url") or ""
            self.problems.append(f"console {msg.type}: {text}" + (f" [{where}]" if where else ""))

    def _on_pageerror(self, error):
        self.problems.append(f"uncaught exception: {error}")

    def _on_response(self, response):
        if (
            response.status >= 400
            and response.request.resource_type != "document"
            and not self._is_favicon(response.url)
        ):
            self.problems.append(f"HTTP {response.status} for {response.url}")

    def _on_requestfailed(self, request):
        # ERR_ABORTED is the browser dropping a late request (often the icon) when the
        # test moves on to the next page; a CSP block reports as ERR_BLOCKED_BY_CSP.
        if "ERR_ABORTED" in (request.failure or ""):
            return
        self.problems.append(f"request failed: {request.url} ({request.failure})")

    def take(self) -> list[str]:
        problems, self.problems = self.problems, []
        return problems


def load(page, watcher: ConsoleWatcher, path: str) -> tuple[object, list[str]]:
    response = page.goto(path, wait_until="load")
    # Module scripts run before "load"; a round trip lets their console messages arrive.
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))")
    problems = [f"{path}: {p}" for p in watcher.take()]
    if response is None or response.status != 200:
        problems.append(f"{path}: HTTP {response.status if response else 'no response'}")
    return response, problems


# Pages allowed to set cookies, and which: the sign-up form needs Django's CSRF cookie.
# Every cookie named here must be described on the /cookies/ page.
COOKIE_EXEMPTIONS: dict[str, set[str]] = {"/newsletter/": {"csrftoken"}}


def test_csp_allows_everything_the_pages_use(new_context, site_paths):
    context = new_context()  # CSP enforced: no bypass_csp
    page = context.new_page()
    watcher = ConsoleWatcher(page)
    problems = []
    for path in site_paths:
        response, page_problems = load(page, watcher, path)
        problems += page_problems
        # Public pages are cookie-free (no consent banner needed, nothing to track).
        allowed = COOKIE_EXEMPTIONS.get(path, set())
        problems += [
            f"{path}: sets the cookie {cookie['name']!r}"
            for cookie in context.cookies()
            if cookie["name"] not in allowed
        ]
        context.clear_cookies()
        if response is None:
            continue
        csp = response.headers.get("content-security-policy", "")
        if "script-src 'self'" not in csp or "unsafe-inline" in csp or "unsafe-eval" in csp:
            problems.append(f"{path}: weak or missing Content-Security-Policy: {csp!r}")
        if not page.evaluate("() => document.body.classList.contains('govuk-frontend-supported')"):
            problems.append(f"{path}: GOV.UK Frontend JavaScript did not run")
    assert not problems, "Console/CSP/cookie problems:\n" + "\n".join(problems)


def test_the_cookies_page_describes_every_cookie_we_set(new_context, site_paths):
    context = new_context()
    page = context.new_page()
    page.goto("/cookies/")
    assert context.cookies() == []
    cookies_page = page.locator("main").inner_text()
    for path in COOKIE_EXEMPTIONS:
        assert path in site_paths, f"stale exemption: {path} is not in the sitemap"
        page.goto(path)
        for name in {c["name"] for c in context.cookies()}:
            assert name in cookies_page, f"/cookies/ does not describe {name!r}, set by {path}"
        context.clear_cookies()


def test_admin_login_page_has_no_csp_errors(new_page):
    page = new_page()
    # Django's admin templates have no <link rel=icon>, so Chromium asks for /favicon.ico.
    watcher = ConsoleWatcher(page, ignore_missing_favicon=True)
    response, problems = load(page, watcher, "/admin/login/")
    assert not problems, "\n".join(problems)
    assert page.locator("input[name=username]").count() == 1
    assert "default-src 'none'" in response.headers.get("content-security-policy", "")


def test_admin_rich_text_editor_runs_under_the_csp(new_page, live_site):
    """The editor's inline import map is allowed by hash; nothing else inline is needed."""
    account = create_account(live_site, prefix="csp")
    page = new_page()
    watcher = ConsoleWatcher(page, ignore_missing_favicon=True)
    # Password, then the authenticator app's code (required with DEBUG off).
    sign_in(page, account, "/admin/strategy/newspost/add/")
    assert urlsplit(page.url).path == "/admin/strategy/newspost/add/", page.url
    try:
        page.wait_for_selector(".ProseMirror", state="attached", timeout=5_000)
        editor_started = True
    except PlaywrightTimeoutError:
        editor_started = False
    page.evaluate("() => new Promise(r => setTimeout(r, 100))")
    problems = watcher.take()
    if not editor_started:
        problems.append("the rich-text editor (.ProseMirror) never started")
    assert not problems, "/admin/strategy/newspost/add/:\n" + "\n".join(problems)


def test_an_inline_script_would_be_reported(new_page):
    """The watcher sees CSP violations: an inline script injected on a page is blocked."""
    page = new_page()
    watcher = ConsoleWatcher(page)
    page.goto("/")
    watcher.take()
    page.evaluate(
        """() => { const s = document.createElement('script');
                   s.textContent = 'window.__inlineRan = true';
                   document.body.append(s); }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.__inlineRan") is None
    problems = watcher.take()
    assert any("Content Security Policy" in p for p in problems), problems
