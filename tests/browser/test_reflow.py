"""WCAG 1.4.10 Reflow: at 320 CSS pixels wide no page scrolls sideways."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

WIDTH = 320

OVERFLOW = """(width) => {
  const doc = document.documentElement;
  const offenders = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.right > width + 0.5) {
      // Report the outermost offenders only: skip children of an element already listed.
      if (offenders.some(o => o.el.contains(el))) continue;
      const cls = typeof el.className === 'string' && el.className
        ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
      offenders.push({
        el,
        desc: `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${cls}`
          + ` right=${Math.round(r.right)} width=${Math.round(r.width)}`
          + ` text=${JSON.stringify((el.innerText || '').trim().slice(0, 60))}`,
      });
    }
  }
  return {
    scrollWidth: doc.scrollWidth,
    clientWidth: doc.clientWidth,
    offenders: offenders.slice(0, 15).map(o => o.desc),
  };
}"""


def test_no_page_scrolls_sideways_at_320px(new_context, site_paths):
    page = new_context(viewport={"width": WIDTH, "height": 640}, device_scale_factor=1).new_page()
    assert page.evaluate("() => window.innerWidth") == WIDTH
    problems = []
    for path in [*site_paths, "/action-plan/?ambition=nope&status=nope", "/no-such-page/"]:
        page.goto(path)
        result = page.evaluate(OVERFLOW, WIDTH)
        if result["scrollWidth"] > WIDTH:
            lines = "\n".join(f"    {o}" for o in result["offenders"]) or "    (none found)"
            problems.append(f"{path}: scrollWidth {result['scrollWidth']} > {WIDTH}\n{lines}")
    assert not problems, "Pages that scroll sideways at 320px:\n" + "\n".join(problems)
