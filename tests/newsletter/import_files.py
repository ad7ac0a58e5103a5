"""CSV exports like the ones a mailing-list service gives, for the import tests and benchmark."""

import csv
import io

HEADER = ["Email", "Consent date", "Source"]


def export(rows, header=HEADER):
    """CSV bytes (UTF-8 with a byte-order mark, as Excel saves them) of ``rows``."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def big_export(count, *, every_duplicate=50, every_invalid=100):
    """``count`` rows: mostly new people, a repeat every ``every_duplicate`` rows and a bad
    row every ``every_invalid`` rows; returns (bytes, expected counts)."""
    rows, counts = [], {"new": 0, "invalid": 0, "duplicates": 0}
    for n in range(count):
        if n and n % every_invalid == 0:
            rows.append([f"not-an-address-{n}", "01/04/2023", "E-bulletin"])
            counts["invalid"] += 1
        elif n and n % every_duplicate == 0:
            rows.append([f"Person{n - 1}@Example.com", "02/04/2023", "E-bulletin"])
            counts["duplicates"] += 1
        else:
            rows.append([f"person{n}@example.com", "01/04/2023 10:30", "E-bulletin"])
            counts["new"] += 1
    return export(rows), counts
