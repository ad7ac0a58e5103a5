"""Rich text written by staff: the editor they use and the one allow-list it must pass.

The admin editor can only produce the elements below, but the server never
trusts the browser: every value is cleaned with nh3 each time a model is saved
(admin, shell, fixtures). ``QuerySet.update()`` and historical models in data
migrations bypass ``pre_save``, so code using those must pass clean HTML. Shared by the
strategy content and the newsletter, which is why it lives in the project package.
"""

import re

import nh3
from django_prose_editor.fields import ProseEditorField

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


# What the editor toolbar offers. Kept in step with ALLOWED_TAGS above.
EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Heading": {"levels": [2, 3]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto", "tel"]},
    "History": True,
}


class RichTextField(ProseEditorField):
    """Text written in the constrained editor, sanitised every time it is saved.

    Sanitising in ``pre_save`` (not only in the admin form) means content that
    arrives any other way, such as a data migration or the shell, is cleaned too.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("extensions", EDITOR_EXTENSIONS)
        kwargs["sanitize"] = sanitise_html
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        value = sanitise_html(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value
