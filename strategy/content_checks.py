"""Checks that help editors write for families: reading age, long sentences, links, headings.

Families of disabled children read this site, often on a phone, often tired,
sometimes in a second language or with a screen reader. These checks point out
text that is likely to be hard for them. They are advice, not rules: only an
image without alternative text is "blocking", because it shuts some readers
out completely. Nothing here ever stops a draft being saved; the admin decides
what to do with a report.

Everything is a plain function over a string of HTML or plain text, so the
same checks run in the admin and over all published content from the
``content_report`` management command. No models are imported at module level,
so the checks can be used (and tested) without a database.
"""

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import NamedTuple

TARGET_READING_AGE = (9, 11)
LONG_SENTENCE_WORDS = 25
# Below this many words the Flesch–Kincaid formula is mostly noise: one long
# word in a five-word heading would make it look like university reading.
MIN_WORDS_TO_JUDGE = 10
# The formula runs off both ends of any real scale (a list of short words can
# score below zero; one dense sentence can score "age 39"), so ages are kept
# between these and shown as "5 or under" and "18 or over".
YOUNGEST_READING_AGE = 5
OLDEST_READING_AGE = 18

GUIDANCE = "guidance"
BLOCKING = "blocking"

# Link text that makes no sense when a screen reader lists the links on a
# page on their own, compared after lower-casing and removing punctuation.
UNCLEAR_LINK_TEXTS = frozenset(
    {
        "click",
        "click here",
        "here",
        "read more",
        "more",
        "more info",
        "more information",
        "this link",
        "link",
        "find out more",
        "learn more",
        "this page",
    }
)

_BLOCK_TAGS = frozenset(
    {
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
    }
)
_HEADING_TAGS = {f"h{level}": level for level in range(1, 7)}
_LOOKS_LIKE_HTML = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")
# A word is letters or digits, possibly joined by an apostrophe, hyphen or
# full stop ("we'll", "co-produced", "2.5", "e.g") so each counts once.
_WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s|$)")
_BARE_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)

# Abbreviations after which a full stop never ends a sentence.
_NEVER_ENDS_SENTENCE = frozenset(
    {"e.g.", "i.e.", "eg.", "ie.", "dr.", "mr.", "mrs.", "ms.", "prof.", "cllr.", "st.", "vs."}
)


# ---------------------------------------------------------------------------
# Results


class ReadingAge(NamedTuple):
    """A Flesch–Kincaid estimate of how hard some text is to read."""

    grade: float
    age: int
    words: int
    sentences: int
    syllables: int

    @property
    def status(self):
        """Where the age falls against the target: "below", "within" or "above"."""
        low, high = TARGET_READING_AGE
        if self.age < low:
            return "below"
        return "above" if self.age > high else "within"

    @property
    def label(self):
        """The age as a reader would say it, such as "13" or "18 or over"."""
        if self.age >= OLDEST_READING_AGE:
            return f"{OLDEST_READING_AGE} or over"
        if self.age <= YOUNGEST_READING_AGE:
            return f"{YOUNGEST_READING_AGE} or under"
        return str(self.age)

    @property
    def within_target(self):
        """True when the text is no harder than the target (simpler text is fine too)."""
        return self.status != "above"

    @property
    def above_target(self):
        """True when the text is harder than the target and worth simplifying."""
        return self.status == "above"


class LongSentence(NamedTuple):
    """A sentence over the word limit, and how many words it has."""

    text: str
    words: int


class UnclearLink(NamedTuple):
    """A link whose words do not say where it goes."""

    text: str
    href: str
    reason: str  # "vague", "address" or "empty"


class HeadingSkip(NamedTuple):
    """A heading more than one level below the heading before it."""

    text: str
    level: int
    previous_level: int


class ImageWithoutAlt(NamedTuple):
    """An image with no description for people who cannot see it."""

    src: str


class Finding(NamedTuple):
    """One message for the editor; ``severity`` is ``GUIDANCE`` or ``BLOCKING``."""

    kind: str
    severity: str
    message: str


@dataclass
class ContentReport:
    """Everything the checks found in one piece of text."""

    reading_age: ReadingAge | None = None
    long_sentences: list[LongSentence] = field(default_factory=list)
    unclear_links: list[UnclearLink] = field(default_factory=list)
    heading_problems: list[HeadingSkip] = field(default_factory=list)
    images_without_alt: list[ImageWithoutAlt] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def is_clean(self):
        """True when there is nothing to suggest, not even guidance."""
        return not self.findings

    @property
    def has_blocking(self):
        """True when something would stop some readers using the content at all."""
        return any(finding.severity == BLOCKING for finding in self.findings)

    def summary(self):
        """One plain-English line for the admin's save message."""
        parts = []
        if self.reading_age is not None:
            low, high = TARGET_READING_AGE
            parts.append(f"Reading age {self.reading_age.label} (target {low} to {high}).")
        if self.long_sentences:
            parts.append(
                f"{_count(len(self.long_sentences), 'sentence')} over {LONG_SENTENCE_WORDS} words."
            )
        if len(self.unclear_links) == 1:
            parts.append(f"1 link {_link_problem(self.unclear_links[0])}.")
        elif self.unclear_links:
            parts.append(f"{len(self.unclear_links)} links do not say where they go.")
        if self.heading_problems:
            verb = "skips" if len(self.heading_problems) == 1 else "skip"
            parts.append(f"{_count(len(self.heading_problems), 'heading')} {verb} a level.")
        if self.images_without_alt:
            verb = "has" if len(self.images_without_alt) == 1 else "have"
            parts.append(
                f"{_count(len(self.images_without_alt), 'image')} {verb} no alternative text."
            )
        return " ".join(parts) or "No problems found."


def _count(number, noun):
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _link_problem(link):
    if link.reason == "empty":
        return "has no words"
    if link.reason == "address":
        return "is a bare web address"
    return f"says “{link.text}”"


# ---------------------------------------------------------------------------
# Reading the text


class _ContentParser(HTMLParser):
    """One pass over the HTML, collecting blocks of text, links, headings and images."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks = []
        self.links = []
        self.headings = []
        self.images = []
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
        # <br/> and <img/>: a start tag with nothing inside.
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "a" and self._link is not None:
            href, pieces = self._link
            self.links.append((_collapse("".join(pieces)), href))
            self._link = None
        if tag in _HEADING_TAGS and self._heading is not None:
            level, pieces = self._heading
            self.headings.append((level, _collapse("".join(pieces))))
            self._heading = None
        if tag in _BLOCK_TAGS:
            self._end_block()

    def handle_data(self, data):
        self._text.append(data)
        if self._link is not None:
            self._link[1].append(data)
        if self._heading is not None:
            self._heading[1].append(data)

    def close(self):
        super().close()
        self._end_block()

    def _end_block(self):
        text = _collapse("".join(self._text))
        if text:
            self.blocks.append(text)
        self._text = []


def _collapse(text):
    return re.sub(r"\s+", " ", text).strip()


def _is_html(value):
    return bool(_LOOKS_LIKE_HTML.search(value))


def _parse(html):
    parser = _ContentParser()
    parser.feed(html or "")
    parser.close()
    return parser


def html_to_text_blocks(html):
    """Return the text of each block (paragraph, list item, heading) as a list of strings.

    Keeping blocks apart means a heading or list item without a full stop is
    not run into the next sentence. Plain text (no tags) is split into
    paragraphs on blank lines and into lines on line breaks, except that a
    line starting with a small letter after one with no closing punctuation
    is treated as the same sentence wrapped onto a new line.
    """
    if not html:
        return []
    if _is_html(html):
        return _parse(html).blocks
    blocks = []
    for paragraph in re.split(r"\n\s*\n", html):
        lines = []
        for line in paragraph.splitlines():
            line = _collapse(line)
            if not line:
                continue
            if lines and line[:1].islower() and not re.search(r"[.!?:;]$", lines[-1]):
                lines[-1] = f"{lines[-1]} {line}"
            else:
                lines.append(line)
        blocks.extend(lines)
    return blocks


def words_in(text):
    """Return the words in ``text``; numbers count as words, punctuation does not."""
    return _WORD.findall(text or "")


def count_syllables(word):
    """Estimate the syllables in an English word; always at least 1.

    This is a heuristic, not a dictionary: it counts groups of vowels, then
    allows for a silent final "e" ("make"), "-le" endings that are sounded
    ("table"), silent "-es" and "-ed" endings ("likes", "helped" but not
    "places", "wanted") and a silent "e" before suffixes like "-ly" and
    "-ment" ("lovely", "statement"). It is usually right and rarely out by
    more than one, which is close enough for a reading-age estimate.
    """
    w = re.sub(r"[^a-z]", "", word.lower())
    if len(w) <= 3:
        return 1
    count = len(re.findall(r"[aeiouy]+", w))
    if _has_silent_ending(w):
        count -= 1
    if re.search(r"[^aeiouy]e(ly|ment|ments|ness|ful|less)$", w):
        count -= 1
    return max(1, count)


def _has_silent_ending(w):
    """Whether a final "e", "es" or "ed" adds no syllable ("make", "likes", "helped")."""
    if re.search(r"[^aeiouyl]l(e|es|ed)$", w):
        return False  # sounded: "table", "tables", "disabled"
    if w.endswith("e"):
        return not w.endswith(("ee", "ie", "ye", "oe"))
    if w.endswith("es"):
        return w[-3] not in "aeiouysxzcgh"  # "places", "matches" keep the syllable
    if w.endswith("ed"):
        return w[-3] not in "aeiouytd"  # "wanted", "needed" keep it
    return False


def split_sentences(text):
    """Split ``text`` into sentences at a full stop, "!" or "?" followed by a space or the end.

    Common abbreviations do not end a sentence: "e.g.", "i.e.", "Dr.", "Mr.",
    "Mrs.", initials such as "J.", "No." before a number, and "etc." unless a
    capital letter follows it. Text is collapsed onto one line first; call
    this on each block from ``html_to_text_blocks`` so list items and
    headings count as sentences of their own.
    """
    text = _collapse(text or "")
    sentences = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        if match.group() == "." and not _ends_sentence(text, start, match.start(), end):
            continue
        sentence = text[start:end].strip()
        if sentence:
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
    if lowered in _NEVER_ENDS_SENTENCE:
        return False
    if re.fullmatch(r"[A-Z]\.", last_word):
        return False  # an initial, as in "J. Smith"
    if lowered == "no.":
        return not following[:1].isdigit()
    if lowered == "etc.":
        return following[:1].isupper() or not following
    return True


def _sentences(value):
    """Every sentence in HTML or plain text, never running across blocks."""
    return [s for block in html_to_text_blocks(value) for s in split_sentences(block)]


# ---------------------------------------------------------------------------
# The checks


def reading_age(text_or_html):
    """Estimate the reading age of some HTML or plain text, or None if it is too short to judge.

    Uses the Flesch–Kincaid grade level, a US school grade, and adds 5 to give
    the UK reading age (grade 4 is about age 9), kept between
    ``YOUNGEST_READING_AGE`` and ``OLDEST_READING_AGE``. Text under
    ``MIN_WORDS_TO_JUDGE`` words returns None. Compare the result with
    ``TARGET_READING_AGE`` using its ``status``.
    """
    sentences = _sentences(text_or_html)
    words = [word for sentence in sentences for word in words_in(sentence)]
    if len(words) < MIN_WORDS_TO_JUDGE:
        return None
    sentence_count = sum(1 for sentence in sentences if words_in(sentence))
    syllables = sum(count_syllables(word) for word in words)
    grade = 0.39 * len(words) / sentence_count + 11.8 * syllables / len(words) - 15.59
    # Round half up: Python's round() rounds 10.5 to 10, which reads oddly.
    age = math.floor(grade + 5 + 0.5)
    age = min(OLDEST_READING_AGE, max(YOUNGEST_READING_AGE, age))
    return ReadingAge(round(grade, 1), age, len(words), sentence_count, syllables)


def long_sentences(text_or_html, limit=LONG_SENTENCE_WORDS):
    """Return the sentences with more than ``limit`` words, with their word counts."""
    found = []
    for sentence in _sentences(text_or_html):
        count = len(words_in(sentence))
        if count > limit:
            found.append(LongSentence(sentence, count))
    return found


def unclear_link_text(html):
    """Return links whose words make no sense out of context.

    Screen reader users often list a page's links on their own, so "click
    here" or "read more" tells them nothing. Flags the phrases in
    ``UNCLEAR_LINK_TEXTS`` (ignoring case, punctuation and spacing), links
    whose text is a bare web address, and links with no words at all.
    """
    if not html or not _is_html(html):
        return []
    found = []
    for text, href in _parse(html).links:
        normalised = _collapse(re.sub(r"[^\w\s]", " ", text.lower()))
        if not normalised:
            found.append(UnclearLink(text, href, "empty"))
        elif normalised in UNCLEAR_LINK_TEXTS:
            found.append(UnclearLink(text, href, "vague"))
        elif _BARE_URL.fullmatch(text):
            found.append(UnclearLink(text, href, "address"))
    return found


def skipped_heading_levels(html, start_level=1):
    """Return headings that jump more than one level deeper than the heading before.

    The page template supplies the level 1 heading (the page title), so
    content starting at level 2 is fine, but level 2 straight to level 4, or
    content starting at level 3, is flagged. Screen reader users move around
    a page by its headings, and a missing level suggests something is lost.
    """
    if not html or not _is_html(html):
        return []
    found = []
    previous = start_level
    for level, text in _parse(html).headings:
        if level > previous + 1:
            found.append(HeadingSkip(text, level, previous))
        previous = level
    return found


def images_without_alt(html):
    """Return images whose ``alt`` text is missing or empty.

    The sanitiser in ``medway_send.richtext`` strips images today, so this
    finds nothing in saved content. It exists so that if images are ever
    allowed, one without a description is blocked from the start. Empty
    ``alt`` is treated as missing because editors are not expected to add
    purely decorative images.
    """
    if not html or not _is_html(html):
        return []
    return [
        ImageWithoutAlt(attrs.get("src") or "")
        for attrs in _parse(html).images
        if not (attrs.get("alt") or "").strip()
    ]


def check_content(value):
    """Run every check over some HTML or plain text and return a ``ContentReport``."""
    value = value or ""
    report = ContentReport(
        reading_age=reading_age(value),
        long_sentences=long_sentences(value),
        unclear_links=unclear_link_text(value),
        heading_problems=skipped_heading_levels(value, start_level=1),
        images_without_alt=images_without_alt(value),
    )
    report.findings = list(_findings(report))
    return report


def _findings(report):
    """The messages an editor sees, in plain English, most serious first."""
    for image in report.images_without_alt:
        name = f" ({image.src})" if image.src else ""
        yield Finding(
            "image_without_alt",
            BLOCKING,
            f"An image{name} has no alternative text. Add a short description of what it "
            "shows, for people who cannot see it.",
        )
    low, high = TARGET_READING_AGE
    if report.reading_age is not None and report.reading_age.above_target:
        yield Finding(
            "reading_age",
            GUIDANCE,
            f"The reading age is {_about(report.reading_age)}. Aim for {low} to {high}: "
            "use shorter sentences and everyday words.",
        )
    for sentence in report.long_sentences:
        yield Finding(
            "long_sentence",
            GUIDANCE,
            f"This sentence has {sentence.words} words. Try splitting it: "
            f"“{_opening(sentence.text)}”",
        )
    for link in report.unclear_links:
        if link.reason == "empty":
            message = "A link has no words. Add words that say where it goes."
        elif link.reason == "address":
            message = (
                f"A link’s words are a web address ({link.text}). Use words that say where "
                "it goes instead, for example “Read the action plan”."
            )
        else:
            message = (
                f"A link says “{link.text}”. Say where it goes instead, for example "
                "“Read the action plan”: some people hear links read out on their own."
            )
        yield Finding("unclear_link", GUIDANCE, message)
    for heading in report.heading_problems:
        expected = heading.previous_level + 1
        if heading.previous_level <= 1:
            where = f"is level {heading.level}, but the first heading should be level {expected}"
        else:
            where = (
                f"is level {heading.level} straight after a level {heading.previous_level} "
                f"heading. Use level {expected}"
            )
        yield Finding(
            "heading_skip",
            GUIDANCE,
            f"The heading “{heading.text}” {where}, so people using screen readers can "
            "follow the page.",
        )


def _about(result):
    # "about 13" but not "about 18 or over": the label already says it is a bound.
    return result.label if " or " in result.label else f"about {result.label}"


def _opening(sentence, words=8):
    """The first few words of a sentence, so the editor can find it."""
    parts = sentence.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


# ---------------------------------------------------------------------------
# Published content, for the report

STRATEGY_FIELDS = [
    "introduction",
    "summary",
    "partnership",
    "ambitions_introduction",
    "action_plan_introduction",
]


class ContentItem(NamedTuple):
    """One published text field, with where to edit it and where the public sees it."""

    label: str
    admin_url: str
    public_url: str | None
    field: str
    value: str


def iter_published_content() -> Iterator[ContentItem]:
    """Yield every non-empty text field the public can read, with where to edit and see it.

    Each item is ``(label, admin_url, public_url, field, value)``. Models are
    imported here, not at the top of the module, so the checks above work
    without Django's app registry being ready.
    """
    from django.urls import reverse

    from strategy.models import (
        ActionPlanItem,
        Ambition,
        ChildRight,
        NewsPost,
        Page,
        ParentCarerCommitment,
        Priority,
        ProgressUpdate,
        RelatedStrategy,
        Strategy,
        VisionStatement,
    )

    def items(objects, fields, public_url):
        for obj in objects:
            opts = obj._meta
            label = f"{opts.verbose_name[:1].upper()}{opts.verbose_name[1:]}: {_short(obj)}"
            admin_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            url = public_url(obj)
            for name in fields:
                value = getattr(obj, name) or ""
                if value.strip():
                    yield ContentItem(label, admin_url, url, name, value)

    def on_topic_page(url_name):
        # Items of the current edition have their own topic page; those of a
        # superseded edition are only shown on that edition's page.
        def public_url(obj):
            if obj.strategy.is_current:
                return reverse(url_name)
            return obj.strategy.get_absolute_url()

        return public_url

    published = Strategy.objects.published()
    yield from items(
        published,
        STRATEGY_FIELDS,
        lambda obj: obj.get_absolute_url(),
    )
    in_published = {"strategy__in": published}
    for model, url_name, fields in [
        (VisionStatement, "strategy:vision", ["text", "easy_read"]),
        (RelatedStrategy, "strategy:priorities", ["description", "easy_read"]),
        (Priority, "strategy:priorities", ["text", "easy_read"]),
        (ChildRight, "strategy:rights", ["text", "easy_read"]),
        (ParentCarerCommitment, "strategy:rights", ["text", "easy_read"]),
    ]:
        objects = model.objects.published().filter(**in_published).select_related("strategy")
        yield from items(objects, fields, on_topic_page(url_name))
    yield from items(
        Ambition.objects.published().filter(**in_published).select_related("strategy"),
        ["text", "description", "easy_read"],
        lambda obj: obj.get_absolute_url(),
    )
    yield from items(
        ActionPlanItem.objects.published(),
        ["title", "description"],
        lambda obj: obj.get_absolute_url(),
    )
    yield from items(
        ProgressUpdate.objects.published()
        .filter(action_item__in=ActionPlanItem.objects.published())
        .select_related("action_item"),
        ["what_we_said", "what_we_did"],
        lambda obj: obj.action_item.get_absolute_url(),
    )
    yield from items(
        NewsPost.objects.published(),
        ["title", "summary", "body"],
        lambda obj: obj.get_absolute_url(),
    )
    yield from items(Page.objects.published(), ["body"], lambda obj: obj.get_absolute_url())


def _short(obj, length=60):
    text = str(obj)
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
