"""Run the content checks over everything published, as a report for the content team.

    manage.py content_report                 items with something to look at
    manage.py content_report --all           every item, even those with nothing to fix
    manage.py content_report --format csv    one row per finding, for a spreadsheet

It is a report, so it always succeeds, unless ``--fail-on-blocking`` is given
(for CI or a scheduled job) and something would shut readers out.
"""

import csv
from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from strategy.writing import CHECKS, TARGET_READING_AGE, Document, check_text, reading_age
from strategy.writing.published import iter_published_content

CSV_COLUMNS = [
    "label",
    "field",
    "admin_url",
    "public_url",
    "reading_age",
    "kind",
    "severity",
    "message",
]


class Command(BaseCommand):
    help = "Check all published content for reading age, long sentences, links and headings."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="list every field, not only those with findings"
        )
        parser.add_argument("--format", choices=["text", "csv"], default="text")
        parser.add_argument(
            "--fail-on-blocking",
            action="store_true",
            help="exit with an error if any field has a blocking finding",
        )

    def handle(self, *args, **options):
        show_all = options["all"]
        as_csv = options["format"] == "csv"
        writer = csv.writer(self.stdout) if as_csv else None
        if writer:
            writer.writerow(CSV_COLUMNS)
        fields = 0
        totals = Counter()
        blocking = 0
        all_blocks = []
        for item in iter_published_content():
            report = check_text(item.value)
            all_blocks.extend(report.document.blocks)
            fields += 1
            totals += report.counts()
            blocking += report.has_blocking
            if report.is_clean and not show_all:
                continue
            if writer:
                self._write_rows(writer, item, report)
            else:
                self._write_text(item, report)

        found = ", ".join(f"{totals[check.kind]} {check.label}" for check in CHECKS)
        summary = f"{fields} fields checked: {found}."
        # In CSV mode the summary goes to stderr so stdout stays a clean spreadsheet.
        out = self.stderr if as_csv else self.stdout
        # All the text read as one, so the team can see the trend, not only each field.
        overall = reading_age(Document(blocks=all_blocks))
        if overall is not None:
            low, high = TARGET_READING_AGE
            out.write(
                f"All published text together: reading age {overall.label} "
                f"(target {low} to {high}; grade {overall.grade}, {overall.words} words)."
            )
        out.write(summary)
        if options["fail_on_blocking"] and blocking:
            raise CommandError(f"{blocking} fields have a blocking problem (see above).")

    def _write_text(self, item, report):
        low, high = TARGET_READING_AGE
        self.stdout.write(f"{item.label} ({item.field})")
        self.stdout.write(f"  Edit: {item.admin_url}")
        if item.public_url:
            self.stdout.write(f"  View: {item.public_url}")
        if report.reading_age is None:
            self.stdout.write("  Reading age: too short to judge")
        else:
            age = report.reading_age
            self.stdout.write(
                f"  Reading age: {age.label} (target {low} to {high}; "
                f"grade {age.grade}, {_count(age.words, 'word')}, "
                f"{_count(age.sentences, 'sentence')})"
            )
        for finding in report.findings:
            marker = "BLOCKING: " if finding.severity == "blocking" else ""
            self.stdout.write(f"  - {marker}{finding.message}")
        self.stdout.write("")

    def _write_rows(self, writer, item, report):
        age = report.reading_age.label if report.reading_age else ""
        start = [item.label, item.field, item.admin_url, item.public_url or "", age]
        if not report.findings:
            writer.writerow([*start, "", "", ""])
        for finding in report.findings:
            writer.writerow([*start, finding.kind, finding.severity, finding.message])


def _count(number, noun):
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
