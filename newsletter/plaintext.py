"""Turn an issue's sanitised HTML into the plain-text part of the email."""

import re
from html.parser import HTMLParser

WHITESPACE = re.compile(r"\s+")
SPACES = re.compile(r" {2,}")


class _TextWriter(HTMLParser):
    BLOCKS = {"p", "h2", "h3", "ul", "ol"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.href = None
        self.lists = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS and self.parts:
            self.parts.append("\n\n")
        if tag in {"ul", "ol"}:
            self.lists.append([tag, 0])
        elif tag == "li" and self.lists:
            self.lists[-1][1] += 1
            kind, number = self.lists[-1]
            self.parts.append("\n" + ("* " if kind == "ul" else f"{number}. "))
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "a":
            self.href = dict(attrs).get("href")

    def handle_endtag(self, tag):
        if tag in {"ul", "ol"} and self.lists:
            self.lists.pop()
        elif tag == "a" and self.href:
            self.parts.append(f" ({self.href})")
            self.href = None

    def handle_data(self, data):
        # Each run of whitespace becomes one space, but is kept: in "to the
        # <a>action plan</a>" the space before the tag is what separates two words.
        self.parts.append(WHITESPACE.sub(" ", data))


def html_to_text(html):
    """Plain text with paragraphs, list markers and link addresses kept."""
    writer = _TextWriter()
    writer.feed(html or "")
    writer.close()
    lines = "".join(writer.parts).splitlines()
    # Spaces from both sides of a tag (or a list marker) may meet: one is enough.
    text = "\n".join(SPACES.sub(" ", line).strip() for line in lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip()
