"""Fixtures for the browser tests: a production-like server and Debian's Chromium.

Nothing here starts unless a browser test asks for it, so `pytest -m "not browser"`
collects these modules without launching gunicorn or Chromium.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from . import site_server
from .site_server import REPO_ROOT, Site

CHROMIUM = site_server.CHROMIUM
CHROMIUM_ARGS = site_server.CHROMIUM_ARGS
AXE_PATH = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"

# Playwright's default timeout is 30 s; a local server answers in milliseconds, so a
# shorter limit turns a hang into a quick, readable failure.
DEFAULT_TIMEOUT_MS = 15_000


def sitemap_paths(base_url: str) -> list[str]:
    """The URL paths listed in /sitemap.xml (fetched with urllib)."""
    return site_server.sitemap_paths(base_url)


@pytest.fixture(scope="session")
def live_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """gunicorn with DJANGO_DEBUG off, real strategy content and demo items; has .url, .env."""
    workdir = tmp_path_factory.mktemp("live_site")
    try:
        # Sign-ups here are not about timing, so the form may go back at once; the
        # timing checks have their own site with the production minimum
        # (test_newsletter.py, timing_site).
        site = site_server.start(
            workdir, timeout=30, extra_env={"NEWSLETTER_MIN_FORM_SECONDS": "0"}
        )
    except site_server.SiteStartError as exc:
        pytest.fail(f"Could not start the site:\n{exc}", pytrace=False)
    try:
        yield site
    finally:
        site.stop()


@pytest.fixture(scope="session")
def site_paths(live_site: Site) -> list[str]:
    """Every path in the sitemap; the sitemap itself must list the core pages."""
    paths = sitemap_paths(live_site.url)
    for expected in ("/", "/action-plan/", "/news/", "/accessibility/"):
        assert expected in paths, f"/sitemap.xml does not list {expected}: {paths}"
    return paths


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance):
    """One Chromium for the whole session; tests make their own contexts."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package", pytrace=False)
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def new_context(browser, live_site) -> Iterator[Callable[..., object]]:
    """Factory for browser contexts on the live site; every context is closed afterwards.

    Keyword arguments go to ``browser.new_context`` (viewport, java_script_enabled,
    bypass_csp, ...); ``base_url`` defaults to the live site.
    """
    contexts = []

    def make(**kwargs):
        kwargs.setdefault("base_url", live_site.url)
        context = browser.new_context(**kwargs)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def new_page(new_context) -> Callable[..., object]:
    """A page in a fresh context: ``new_page(viewport={...})``."""

    def make(**kwargs):
        return new_context(**kwargs).new_page()

    return make


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_PATH.exists():
        pytest.fail(f"{AXE_PATH} is missing: run `npm ci`", pytrace=False)
    return AXE_PATH.read_text()
