"""Reading age: the Flesch–Kincaid grade of a document, as a UK reading age.

Syllables are counted by textstat, which looks words up in the CMU
pronouncing dictionary and falls back on pyphen's hyphenation rules. On the
seed strategy's 635 words it differs from the hand-written counter this
replaced on 25 words, and is right on most of them ("area", "create",
"appropriate", "individual"); sentences come from our own splitter
(``document.split_sentences``).
"""

import math
from typing import NamedTuple

import textstat

from strategy.writing.document import words_in

TARGET_READING_AGE = (9, 11)
EASY_READ_TARGET_AGE = 9
# Below this many words the formula is mostly noise: one long word in a
# five-word heading would make it look like university reading.
MIN_WORDS_TO_JUDGE = 10
# The formula runs off both ends of any real scale, so ages are kept between
# these and shown as "5 or under" and "18 or over".
YOUNGEST_READING_AGE = 5
OLDEST_READING_AGE = 18


class ReadingAge(NamedTuple):
    """A Flesch–Kincaid estimate of how hard some text is to read."""

    grade: float
    age: int
    words: int
    sentences: int
    syllables: int

    @property
    def label(self):
        """The age as a reader would say it, such as "13" or "18 or over"."""
        if self.age >= OLDEST_READING_AGE:
            return f"{OLDEST_READING_AGE} or over"
        if self.age <= YOUNGEST_READING_AGE:
            return f"{YOUNGEST_READING_AGE} or under"
        return str(self.age)

    @property
    def status(self):
        """Where the age falls against the target: "below", "within" or "above"."""
        low, high = TARGET_READING_AGE
        if self.age < low:
            return "below"
        return "above" if self.age > high else "within"

    @property
    def above_target(self):
        """True when the text is harder than the target and worth simplifying."""
        return self.status == "above"


def syllables(word):
    """The syllables in one word, at least 1."""
    return max(1, textstat.syllable_count(word))


def reading_age(document):
    """The document's reading age, or None if it is too short to judge.

    The Flesch–Kincaid grade is a US school grade; adding 5 gives the UK
    reading age (grade 4 is about age 9).
    """
    words = document.words
    if len(words) < MIN_WORDS_TO_JUDGE:
        return None
    sentence_count = sum(1 for sentence in document.sentences if words_in(sentence))
    syllable_count = sum(syllables(word) for word in words)
    grade = 0.39 * len(words) / sentence_count + 11.8 * syllable_count / len(words) - 15.59
    # Round half up: Python's round() rounds 10.5 to 10, which reads oddly.
    age = min(OLDEST_READING_AGE, max(YOUNGEST_READING_AGE, math.floor(grade + 5.5)))
    return ReadingAge(round(grade, 1), age, len(words), sentence_count, syllable_count)
