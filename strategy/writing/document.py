"""One parsed document: the text of a field split into blocks, sentences and words.

Every writing check reads the same ``Document``, so the HTML is parsed once
however many checks there are. Plain text (no tags) is split into paragraphs
on blank lines and into lines on line breaks.
"""

import re
from dataclasses import dataclass, field
from functools import cached_property
from html.parser import HTMLParser

_BLOCK_TAGS = frozenset(
    [
        "p",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "div",
        "blockquote",
        "section",
        "article",
        "table",
        "tr",
        "td",
        "th",
        "dl",
        "dt",
        "dd",
        "br",
        "hr",
    ]
)
_HEADING_TAGS = {f"h{level}": level for level in range(1, 7)}
_LOOKS_LIKE_HTML = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")
# A word is letters or digits, possibly joined by an apostrophe, hyphen or full
# stop ("we'll", "co-produced", "2.5", "e.g"), so each counts once.
_WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s|$)")
# Abbreviations after which a full stop never ends a sentence.
_NEVER_ENDS_SENTENCE = frozenset(
    {"e.g.", "i.e.", "eg.", "ie.", "dr.", "mr.", "mrs.", "ms.", "prof.", "cllr.", "st.", "vs."}
)


@dataclass
class Link:
    text: str
    href: str


@dataclass
class Heading:
    level: int
    text: str


@dataclass
class Document:
    """What the checks read: blocks of text, links, headings and images, in order."""

    blocks: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)
    is_html: bool = False

    @classmethod
    def parse(cls, value):
        """The document for some HTML or plain text (None or "" gives an empty one)."""
        value = value or ""
        if _LOOKS_LIKE_HTML.search(value):
            parser = _Parser()
            parser.feed(value)
            parser.close()
            return cls(parser.blocks, parser.links, parser.headings, parser.images, True)
        return cls(blocks=_plain_text_blocks(value))

    @cached_property
    def sentences(self):
        """Every sentence, never running across blocks (a heading is a sentence of its own)."""
        return [sentence for block in self.blocks for sentence in split_sentences(block)]

    @cached_property
    def words(self):
        return [word for sentence in self.sentences for word in words_in(sentence)]


class _Parser(HTMLParser):
    """One pass over the HTML, collecting blocks of text, links, headings and images."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks, self.links, self.headings, self.images = [], [], [], []
        self._text = []
        self._link = None  # (href, [text pieces]) while inside <a>
        self._heading = None  # (level, [text pieces]) while inside <h2> and so on

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in _BLOCK_TAGS:
            self._end_block()
        if tag in _HEADING_TAGS:
            self._heading = (_HEADING_TAGS[tag], [])
        elif tag == "a":
            self._link = (attrs.get("href") or "", [])
        elif tag == "img":
            self.images.append(attrs)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)  # <br/> and <img/>: nothing inside

    def handle_endtag(self, tag):
        if tag == "a" and self._link is not None:
            href, pieces = self._link
            self.links.append(Link(collapse("".join(pieces)), href))
            self._link = None
        if tag in _HEADING_TAGS and self._heading is not None:
            level, pieces = self._heading
            self.headings.append(Heading(level, collapse("".join(pieces))))
            self._heading = None
        if tag in _BLOCK_TAGS:
            self._end_block()

    def handle_data(self, data):
        self._text.append(data)
        for open_element in (self._link, self._heading):
            if open_element is not None:
                open_element[1].append(data)

    def close(self):
        super().close()
        self._end_block()

    def _end_block(self):
        text = collapse("".join(self._text))
        if text:
            self.blocks.append(text)
        self._text = []


def collapse(text):
    """``text`` on one line, runs of whitespace made one space."""
    return re.sub(r"\s+", " ", text).strip()


def _plain_text_blocks(text):
    """Paragraphs and lines, except that a line starting with a small letter after one
    with no closing punctuation is the same sentence wrapped onto a new line."""
    blocks = []
    for paragraph in re.split(r"\n\s*\n", text):
        lines = []
        for line in map(collapse, paragraph.splitlines()):
            if not line:
                continue
            if lines and line[:1].islower() and not re.search(r"[.!?:;]$", lines[-1]):
                lines[-1] = f"{lines[-1]} {line}"
            else:
                lines.append(line)
        blocks.extend(lines)
    return blocks


def words_in(text):
    """The words in ``text``; numbers count as words, punctuation does not."""
    return _WORD.findall(text or "")


def split_sentences(text):
    """Split ``text`` at a full stop, "!" or "?" followed by a space or the end.

    Common abbreviations do not end a sentence: "e.g.", "i.e.", "Dr.", "Mr.",
    initials such as "J.", "No." before a number, and "etc." unless a capital
    letter follows it. (textstat's sentence count splits after "e.g." and
    "Dr.", and gives no sentences to point editors at, so this stays ours.)
    """
    text = collapse(text or "")
    sentences = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        if match.group() == "." and not _ends_sentence(text, start, match.start(), end):
            continue
        if sentence := text[start:end].strip():
            sentences.append(sentence)
        start = end
    rest = text[start:].strip()
    if words_in(rest):
        sentences.append(rest)
    elif rest and sentences:
        # Stray punctuation after the last full stop belongs to that sentence.
        sentences[-1] = f"{sentences[-1]} {rest}"
    return sentences


def _ends_sentence(text, start, stop, end):
    """Whether the full stop at ``stop`` ends a sentence, given what is either side of it."""
    before = text[start : stop + 1].split()
    last_word = before[-1].lstrip("(\"'“‘") if before else ""
    lowered = last_word.lower()
    following = text[end:].lstrip()
    if lowered in _NEVER_ENDS_SENTENCE or re.fullmatch(r"[A-Z]\.", last_word):
        return False
    if lowered == "no.":
        return not following[:1].isdigit()
    if lowered == "etc.":
        return following[:1].isupper() or not following
    return True
