"""Printing the strategy gives a clean document: the content, without the site's furniture."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

HIDDEN_WHEN_PRINTED = [
    ".govuk-skip-link",
    ".govuk-service-navigation__wrapper",
    ".app-newsletter-cta",
    ".govuk-footer__inline-list",
]


def test_printed_strategy_keeps_the_content_and_drops_the_menus(new_page):
    page = new_page()
    page.goto("/")
    assert page.locator(".app-newsletter-cta").is_visible()  # on screen it is there
    page.emulate_media(media="print")
    for selector in HIDDEN_WHEN_PRINTED:
        assert not page.locator(selector).first.is_visible(), f"{selector} is printed"
    assert page.locator("h1").is_visible()
    text = page.locator("main").inner_text()
    assert "Children have the right to:" in text and "Putting the strategy into action" in text
    colour = page.evaluate("getComputedStyle(document.querySelector('main p')).color")
    assert colour in ("rgb(0, 0, 0)", "rgb(11, 12, 12)"), colour


def test_printed_action_plan_has_no_filter_form(new_page):
    page = new_page()
    page.goto("/action-plan/")
    page.emulate_media(media="print")
    assert not page.locator("form.app-filter").is_visible()
    assert page.locator("h1").inner_text() == "Action plan"
