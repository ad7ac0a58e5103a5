"""The one place that decides which HTML an editor's rich text may contain.

The admin editor can only produce these elements, but the server never trusts
the browser: everything stored passes through this allow-list first.
"""

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


def sanitise_html(html):
    """Return ``html`` with everything outside the allow-list removed."""
    if not html:
        return ""
    cleaned = _cleaner.clean(html).strip()
    # The editor leaves "<p></p>" in an emptied field; store that as empty.
    return "" if cleaned in {"<p></p>", "<p><br></p>"} else cleaned
