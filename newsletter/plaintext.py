"""Turn an issue's sanitised HTML into the plain-text part of the email."""

from html.parser import HTMLParser


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
        self.parts.append(" ".join(data.split()) if data.strip() else (" " if data else ""))


def html_to_text(html):
    """Plain text with paragraphs, list markers and link addresses kept."""
    writer = _TextWriter()
    writer.feed(html or "")
    writer.close()
    lines = "".join(writer.parts).splitlines()
    text = "\n".join(line.strip() for line in lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip()
