"""The writing checks: small functions over one parsed document, each returning findings.

**Whether a check can block a save** — one rule: a finding blocks only when it
would shut some readers out of the content completely, and such checks say so
with ``blocks=True`` below. Everything else is guidance: shown to the editor
(and the publisher) on the form and after saving, never stopping anyone.
Today only an image without alternative text blocks.

How to add a check: write a function taking a ``Document`` (and the reading
age, if it needs it) and yielding ``Finding``s, and add a ``Check`` for it to
``CHECKS``. The admin, newsletter issues and ``manage.py content_report`` all
run ``CHECKS``.
"""

import re
from dataclasses import dataclass
from typing import NamedTuple

from strategy.writing.document import collapse, words_in
from strategy.writing.readability import TARGET_READING_AGE

GUIDANCE = "guidance"
BLOCKING = "blocking"
LONG_SENTENCE_WORDS = 25
# Link text that makes no sense when a screen reader lists a page's links on
# their own, compared after lower-casing and removing punctuation.
UNCLEAR_LINK_TEXTS = frozenset(
    [
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
    ]
)
_BARE_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


class Finding(NamedTuple):
    """One message for the editor. ``kind`` names the check; ``severity`` follows from it."""

    kind: str
    severity: str
    message: str


def reading_age_above_target(document, age):
    if age is not None and age.above_target:
        low, high = TARGET_READING_AGE
        about = age.label if " or " in age.label else f"about {age.label}"
        yield (
            f"The reading age is {about}. Aim for {low} to {high}: use shorter sentences "
            "and everyday words."
        )


def long_sentences(document, age):
    for sentence in document.sentences:
        count = len(words_in(sentence))
        if count > LONG_SENTENCE_WORDS:
            yield f"This sentence has {count} words. Try splitting it: “{_opening(sentence)}”"


def unclear_links(document, age):
    for link in document.links:
        normalised = collapse(re.sub(r"[^\w\s]", " ", link.text.lower()))
        if not normalised:
            yield "A link has no words. Add words that say where it goes."
        elif normalised in UNCLEAR_LINK_TEXTS:
            yield (
                f"A link says “{link.text}”. Say where it goes instead, for example "
                "“Read the action plan”: some people hear links read out on their own."
            )
        elif _BARE_URL.fullmatch(link.text):
            yield (
                f"A link’s words are a web address ({link.text}). Use words that say where "
                "it goes instead, for example “Read the action plan”."
            )


def skipped_heading_levels(document, age):
    # The page template supplies the level 1 heading, so content starts at level 2.
    previous = 1
    for heading in document.headings:
        if heading.level > previous + 1:
            expected = previous + 1
            if previous <= 1:
                where = f"is level {heading.level}, but the first heading should be level 2"
            else:
                where = (
                    f"is level {heading.level} straight after a level {previous} heading. "
                    f"Use level {expected}"
                )
            yield (
                f"The heading “{heading.text}” {where}, so people using screen readers "
                "can follow the page."
            )
        previous = heading.level


def images_without_alt(document, age):
    # The sanitiser strips images today, so this finds nothing in saved content;
    # if images are ever allowed, one without a description is refused from the start.
    for attrs in document.images:
        if not (attrs.get("alt") or "").strip():
            src = attrs.get("src") or ""
            name = f" ({src})" if src else ""
            yield (
                f"An image{name} has no alternative text. Add a short description of what it "
                "shows, for people who cannot see it."
            )


@dataclass(frozen=True)
class Check:
    """A check in the list: its ``kind``, its function, and whether it blocks (see above)."""

    kind: str
    function: object
    label: str
    blocks: bool = False

    def run(self, document, age):
        severity = BLOCKING if self.blocks else GUIDANCE
        return [Finding(self.kind, severity, message) for message in self.function(document, age)]


# Most serious first: the order findings are shown in.
CHECKS = [
    Check("image_without_alt", images_without_alt, "images without alternative text", True),
    Check("reading_age", reading_age_above_target, "above the target reading age"),
    Check("long_sentence", long_sentences, f"sentences over {LONG_SENTENCE_WORDS} words"),
    Check("unclear_link", unclear_links, "unclear links"),
    Check("heading_skip", skipped_heading_levels, "headings that skip a level"),
]


def _opening(sentence, words=8):
    """The first few words of a sentence, so the editor can find it."""
    parts = sentence.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")
