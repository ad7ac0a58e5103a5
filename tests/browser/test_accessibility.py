"""axe-core finds no WCAG 2.2 A/AA violations on any page the site publishes."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {
    runOnly: {type: 'tag', values: tags},
    resultTypes: ['violations'],
  });
  return results.violations.map(v => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html})),
  }));
}"""


def axe_violations(page, axe_source: str) -> list[dict]:
    """Inject axe-core into the loaded page and return its violations."""
    page.add_script_tag(content=axe_source)  # the context bypasses CSP for this
    return page.evaluate(RUN_AXE, WCAG_TAGS)


def describe(label: str, violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{label}: {v['id']} ({v['impact']}) – {v['help']}")
        for node in v["nodes"]:
            lines.append(f"    target: {node['target']}")
            lines.append(f"    html:   {node['html'][:300]}")
    return "\n".join(lines)


def audit(page, axe_source: str, path: str, expected_status: int = 200) -> list[str]:
    """Load ``path`` and return failure descriptions (empty when the page is clean)."""
    response = page.goto(path)
    problems = []
    if response is None or response.status != expected_status:
        status = response.status if response else "no response"
        problems.append(f"{path}: HTTP {status}, expected {expected_status}")
        if response is None:
            return problems
    violations = axe_violations(page, axe_source)
    if violations:
        problems.append(describe(path, violations))
    return problems


def test_every_sitemap_page_has_no_axe_violations(new_page, site_paths, axe_source):
    page = new_page(bypass_csp=True)
    problems = []
    for path in site_paths:
        problems += audit(page, axe_source, path)
    assert not problems, (
        f"axe found WCAG A/AA violations on {len(problems)} of {len(site_paths)} pages:\n"
        + "\n".join(problems)
    )


@pytest.mark.parametrize(
    ("path", "status"),
    [
        pytest.param("/no-such-page/", 404, id="404-page"),
        pytest.param("/action-plan/?ambition=nope&status=nope", 200, id="action-plan-errors"),
        pytest.param("/news/?page=2", 200, id="news-page-2"),
    ],
)
def test_special_states_have_no_axe_violations(new_page, axe_source, path, status):
    page = new_page(bypass_csp=True)
    problems = audit(page, axe_source, path, expected_status=status)
    assert not problems, "\n".join(problems)


def test_invalid_filters_show_the_error_summary(new_page):
    """The error state audited above really is the error state."""
    page = new_page()
    page.goto("/action-plan/?ambition=nope&status=nope")
    summary = page.locator(".govuk-error-summary")
    assert summary.count() == 1, "no GOV.UK error summary for invalid filters"
    assert page.locator(".govuk-error-message").count() >= 2
    assert page.title().startswith("Error:"), page.title()


def test_news_page_two_exists(new_page):
    page = new_page()
    page.goto("/news/?page=2")
    assert page.locator("main a[href^='/news/demo-news-']").count() >= 1


def test_home_page_at_320px_has_no_axe_violations(new_page, axe_source):
    page = new_page(bypass_csp=True, viewport={"width": 320, "height": 640})
    problems = audit(page, axe_source, "/")
    assert not problems, "\n".join(problems)
