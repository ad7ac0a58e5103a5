"""Model fields shared by the content models."""

from django_prose_editor.fields import ProseEditorField

from strategy.sanitise import sanitise_html

# What the editor toolbar offers. Kept in step with strategy.sanitise.ALLOWED_TAGS.
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
