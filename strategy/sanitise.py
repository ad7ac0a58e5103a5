"""The one place that decides which HTML an editor's rich text may contain.

The admin editor can only produce these elements, but the server never trusts
the browser: everything stored passes through this allow-list first.
"""

import re

import nh3

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "h2", "h3", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = {"https", "http", "mailto", "tel"}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=ALLOWED_URL_SCHEMES,
    link_rel=None,
    strip_comments=True,
)


_EMPTY_PARAGRAPH = re.compile(r"<p>(\s|<br>|&nbsp;)*</p>")


def sanitise_html(html):
    """Return ``html`` with everything outside the allow-list removed."""
    if not html:
        return ""
    cleaned = _cleaner.clean(html)
    # Empty paragraphs (left by the editor, or by removed content) read as
    # blank lines to a screen reader; drop them.
    return _EMPTY_PARAGRAPH.sub("", cleaned).strip()
