"""Keyboard users can skip to the content on every page and use the action-plan filters."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1024, "height": 768}

ACTIVE_ELEMENT = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const r = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
  const hit = document.elementFromPoint(cx, cy);
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    href: el.getAttribute('href'),
    className: el.className,
    text: (el.innerText || '').trim(),
    box: {x: r.left, y: r.top, width: r.width, height: r.height},
    visibility: style.visibility,
    opacity: style.opacity,
    clipPath: style.clipPath,
    hitIsElement: !!hit && (hit === el || el.contains(hit)),
    html: el.outerHTML.slice(0, 200),
  };
}"""


def skip_link_problems(page, path: str) -> list[str]:
    response = page.goto(path)
    if response is None or response.status != 200:
        return [f"{path}: HTTP {response.status if response else 'no response'}"]
    page.keyboard.press("Tab")
    focused = page.evaluate(ACTIVE_ELEMENT)
    if focused is None:
        return [f"{path}: the first Tab focused nothing"]
    if focused["tag"] != "a" or focused["href"] != "#main-content":
        return [f"{path}: the first Tab focused {focused['html']!r}, not the skip link"]
    problems = []
    box = focused["box"]
    inside = (
        box["width"] > 1
        and box["height"] > 1
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= VIEWPORT["width"]
        and box["y"] + box["height"] <= VIEWPORT["height"]
    )
    if not inside:
        problems.append(f"{path}: focused skip link is not on screen: box {box}")
    if focused["visibility"] != "visible" or float(focused["opacity"]) < 1:
        problems.append(
            f"{path}: focused skip link is hidden "
            f"(visibility {focused['visibility']}, opacity {focused['opacity']})"
        )
    if not focused["hitIsElement"]:
        problems.append(f"{path}: focused skip link is covered or clipped ({focused['clipPath']})")
    if not focused["text"]:
        problems.append(f"{path}: focused skip link has no visible text")
    page.keyboard.press("Enter")
    after = page.evaluate(ACTIVE_ELEMENT)
    if after is None or after["tag"] != "main" or after["id"] != "main-content":
        problems.append(
            f"{path}: Enter on the skip link focused "
            f"{after['html'] if after else 'nothing'!r}, not main#main-content"
        )
    return problems


def test_skip_link_is_first_visible_and_moves_focus_to_main(new_page, site_paths):
    page = new_page(viewport=VIEWPORT)
    problems = []
    for path in site_paths:
        problems += skip_link_problems(page, path)
    assert not problems, "Skip-link failures:\n" + "\n".join(problems)


def test_skip_link_works_without_javascript(new_page):
    """GOV.UK's skip-link module only polishes focus; plain HTML must already work."""
    page = new_page(viewport=VIEWPORT, java_script_enabled=False)
    problems = skip_link_problems(page, "/")
    assert not problems, "\n".join(problems)


def tab_to(page, selector: str, limit: int = 200) -> list[str]:
    """Press Tab until ``selector`` has focus; return what was focused on the way."""
    visited = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return visited
        visited.append(page.evaluate("() => document.activeElement.outerHTML.slice(0, 80)"))
    raise AssertionError(
        f"{selector} never received focus after {limit} Tab presses; focus went to:\n"
        + "\n".join(visited[-20:])
    )


def test_filter_the_action_plan_with_the_keyboard_only(new_page):
    page = new_page(viewport=VIEWPORT)
    page.goto("/action-plan/")
    tab_to(page, "select#id_status")
    assert page.input_value("#id_status") == ""
    # A focused, closed <select> changes option with the arrow keys (Linux/Windows).
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    chosen = page.input_value("#id_status")
    assert chosen, "arrow keys did not change the status filter"
    submit = "form.app-filter button[type=submit]"
    tab_to(page, submit, limit=10)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    query = parse_qs(urlsplit(page.url).query)
    assert query.get("status") == [chosen], page.url
    heading = page.locator("h2#results").inner_text()
    assert heading.startswith("Matching actions"), heading
    # The chosen value is kept, so the user can see what they filtered by.
    assert page.input_value("#id_status") == chosen
    assert page.locator("a", has_text="Clear filters").count() == 1
