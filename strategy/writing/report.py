"""Running every check over one piece of text, and summing up what they found."""

from collections import Counter
from dataclasses import dataclass, field

from strategy.writing.checks import BLOCKING, CHECKS, Finding
from strategy.writing.document import Document
from strategy.writing.readability import TARGET_READING_AGE, ReadingAge, reading_age


@dataclass
class Report:
    """Everything the checks found in one piece of text."""

    document: Document = field(default_factory=Document)
    reading_age: ReadingAge | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def is_clean(self):
        """True when there is nothing to suggest, not even guidance."""
        return not self.findings

    @property
    def has_blocking(self):
        """True when something would shut some readers out (see strategy.writing.checks)."""
        return any(finding.severity == BLOCKING for finding in self.findings)

    def counts(self):
        """How many findings each check made, by kind."""
        return Counter(finding.kind for finding in self.findings)

    def summary(self):
        """One plain-English line for the admin's save message."""
        parts = []
        if self.reading_age is not None:
            low, high = TARGET_READING_AGE
            parts.append(f"Reading age {self.reading_age.label} (target {low} to {high}).")
        counts = self.counts()
        for check in CHECKS:
            if check.kind != "reading_age" and counts[check.kind]:
                parts.append(f"{_capital(check.label)}: {counts[check.kind]}.")
        return " ".join(parts) or "No problems found."


def check_text(value):
    """Parse ``value`` (HTML or plain text) once and run every check over it."""
    document = Document.parse(value)
    age = reading_age(document)
    findings = [finding for check in CHECKS for finding in check.run(document, age)]
    return Report(document=document, reading_age=age, findings=findings)


def _capital(text):
    return text[:1].upper() + text[1:]
