"""Writing checks that help editors write for families, and the content report.

Families of disabled children read this site, often on a phone, often tired,
sometimes in a second language or with a screen reader. The checks point out
text that is likely to be hard for them: a reading age above 9 to 11, long
sentences, links that do not say where they go, skipped heading levels, and
images without alternative text.

- ``document``: a field's text parsed once into blocks, sentences and words;
- ``readability``: its reading age (textstat counts the syllables);
- ``checks``: the checks, small functions over one document, and the one rule
  on which of them may block a save;
- ``report``: ``check_text(value)`` runs them all and sums them up.

Nothing here imports a model, so the checks run (and are tested) without a
database; ``strategy.writing.published`` lists the published text to check.
"""

from strategy.writing.checks import BLOCKING, CHECKS, GUIDANCE, LONG_SENTENCE_WORDS, Finding
from strategy.writing.document import Document
from strategy.writing.readability import EASY_READ_TARGET_AGE, TARGET_READING_AGE, reading_age
from strategy.writing.report import Report, check_text

__all__ = [
    "BLOCKING",
    "CHECKS",
    "EASY_READ_TARGET_AGE",
    "GUIDANCE",
    "LONG_SENTENCE_WORDS",
    "TARGET_READING_AGE",
    "Document",
    "Finding",
    "Report",
    "check_text",
    "reading_age",
]
