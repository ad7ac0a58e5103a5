"""Read the forms in a page as a browser would submit them (a small HTML parser)."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Form:
    """One <form>: its method, action, the inputs it would send and its buttons' words."""

    method: str
    action: str
    inputs: list[tuple[str, str]] = field(default_factory=list)
    buttons: list[str] = field(default_factory=list)

    def names(self):
        return [name for name, _ in self.inputs]

    def value(self, name):
        (value,) = [v for n, v in self.inputs if n == name]
        return value

    def data(self):
        """What pressing the form's button sends (one value per name)."""
        return dict(self.inputs)


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form = None
        self._button_words = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = Form(attrs.get("method", "get").lower(), attrs.get("action", ""))
            self.forms.append(self._form)
        elif self._form is not None and tag == "input" and attrs.get("name"):
            # A browser sends a radio button or checkbox only when it is ticked.
            if attrs.get("type") in {"radio", "checkbox"} and "checked" not in attrs:
                return
            self._form.inputs.append((attrs["name"], attrs.get("value") or ""))
        elif self._form is not None and tag == "button":
            self._button_words = []

    def handle_data(self, data):
        if self._button_words is not None:
            self._button_words.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "button" and self._button_words is not None:
            self._form.buttons.append(" ".join("".join(self._button_words).split()))
            self._button_words = None


def forms_in(html):
    """Every <form> in ``html``, in page order."""
    parser = _FormParser()
    parser.feed(html)
    return parser.forms
