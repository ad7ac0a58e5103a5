"""A filtered action plan on a phone: GOV.UK pagination that passes axe and keeps the filters."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from .test_accessibility import audit, axe_violations, describe

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 667}
BOARD = "send-partnership-board"  # the demo data gives it more than a page of actions


def test_filtered_action_plan_pages_on_a_phone(new_page, axe_source):
    page = new_page(bypass_csp=True, viewport=PHONE)
    problems = audit(page, axe_source, f"/action-plan/?board={BOARD}&status=")
    assert not problems, "\n".join(problems)

    pagination = page.locator("nav.govuk-pagination")
    assert pagination.count() == 1, "the filtered plan should run to more than one page"
    hrefs = pagination.locator("a").evaluate_all("links => links.map(a => a.href)")
    for href in hrefs:
        query = parse_qs(urlsplit(href).query, keep_blank_values=True)
        assert query.get("board") == [BOARD] and query.get("status") == [""], href
    heading = page.locator("#results").inner_text()
    assert heading.startswith("Matching actions (")

    page.locator("nav.govuk-pagination a[rel=next]").click()
    page.wait_for_load_state()
    address = urlsplit(page.url)
    assert parse_qs(address.query, keep_blank_values=True) == {
        "board": [BOARD],
        "status": [""],
        "page": ["2"],
    }
    assert address.fragment == "results"
    assert page.locator("#results").inner_text() == heading, "the count is of every page"
    assert "(page 2 of " in page.title()
    assert page.locator("#id_board").input_value() == BOARD, "the form still shows the filter"
    boards = page.locator(".app-action-item dd").filter(has_text="Board").all_inner_texts()
    assert boards and set(boards) == {"SEND Partnership Board"}
    violations = axe_violations(page, axe_source)
    assert not violations, describe(page.url, violations)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"page 2 scrolls sideways at 375 px ({width} px wide)"
