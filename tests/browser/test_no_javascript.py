"""Every page works without JavaScript: same content, same heading."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

MAIN_TEXT = "() => { const m = document.querySelector('main'); return m ? m.innerText : null; }"
H1_TEXT = "() => [...document.querySelectorAll('h1')].map(h => h.innerText.trim())"


def test_every_page_works_without_javascript(new_context, site_paths):
    with_js = new_context().new_page()
    without_js = new_context(java_script_enabled=False).new_page()
    assert without_js.evaluate("() => 1") == 1  # Playwright's evaluate still works
    problems = []
    for path in site_paths:
        response = without_js.goto(path)
        if response is None or response.status != 200:
            problems.append(f"{path}: HTTP {response.status if response else 'no response'}")
            continue
        # JavaScript really is off: GOV.UK Frontend never marked the body as supported.
        if without_js.evaluate(
            "() => document.body.classList.contains('govuk-frontend-supported')"
        ):
            problems.append(f"{path}: scripts ran although JavaScript is disabled")
        plain = (without_js.evaluate(MAIN_TEXT) or "").strip()
        headings = without_js.evaluate(H1_TEXT)
        with_js.goto(path)
        scripted = (with_js.evaluate(MAIN_TEXT) or "").strip()
        if not plain:
            problems.append(f"{path}: <main> is missing or empty without JavaScript")
        elif len(plain) < 0.9 * len(scripted):
            problems.append(
                f"{path}: <main> has {len(plain)} characters without JavaScript, "
                f"{len(scripted)} with it (under 90%)"
            )
        if not headings or not any(headings):
            problems.append(f"{path}: no <h1> without JavaScript")
    assert not problems, "Pages that need JavaScript:\n" + "\n".join(problems)
