"""How long importing a 50,000-row subscriber export takes: the preview, then the import.

    .venv/bin/python bench/newsletter_import.py [--rows 50000] [--database-url URL]

Without --database-url it starts a throwaway PostgreSQL cluster of its own
(scripts/throwaway.py: a free port, a private folder) and removes it at the
end. The file is like a mailing-list service's export: a header row, a repeat
of an earlier address every 50 rows and a row that is not an address every
100 (tests/newsletter/import_files.py). It runs what the admin's pages and the worker run
(newsletter.importing): reading and checking the upload plus the preview
(a web request: it must stay well inside gunicorn's 30-second timeout), then
cancelling (and checking nothing was written), then uploading again and the
worker's import job. It prints the counts and the seconds for each step. Point --database-url only
at a throwaway database: its subscribers are deleted first.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for medway_send, newsletter and tests.newsletter
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "bench"))

import throwaway  # noqa: E402
from newsletter_delivery import django_env  # noqa: E402

REQUEST_TIMEOUT_SECONDS = 30


def timed(function, *args, **kwargs):
    started = time.monotonic()
    result = function(*args, **kwargs)
    return result, time.monotonic() - started


def run(rows):
    from django.contrib.auth import get_user_model

    from newsletter import importing
    from newsletter.models import ImportRecord, Subscriber
    from tests.newsletter.import_files import big_export

    Subscriber.objects.all().delete()
    ImportRecord.objects.all().delete()
    user, _ = get_user_model().objects.get_or_create(username="bench-manager")
    data, expected = big_export(rows)

    def upload_and_preview():
        upload = importing.read_upload(data=data, file_name="export.csv", user=user)
        return upload, importing.preview(upload)

    (upload, plan), preview_seconds = timed(upload_and_preview)
    assert len(plan.new) == expected["new"], (len(plan.new), expected)
    assert plan.invalid_count == expected["invalid"]
    assert plan.duplicate_count == expected["duplicates"]
    importing.cancel(upload_id=upload.public_id, user=user)
    assert not Subscriber.objects.exists(), "cancelling wrote something"

    (upload, _plan), _ = timed(upload_and_preview)
    importing.queue_import(upload_id=upload.public_id, user=user, ask_to_confirm=False)
    imported, import_seconds = timed(importing.run_queued_imports)
    assert imported == 1
    assert ImportRecord.objects.get().added_count == expected["new"] == Subscriber.objects.count()
    print(
        f"newsletter import: {rows} rows ({expected['new']} new, {expected['duplicates']} "
        f"repeated, {expected['invalid']} not usable); upload and preview {preview_seconds:.1f} s "
        f"(a request; timeout {REQUEST_TIMEOUT_SECONDS} s), cancel wrote nothing, "
        f"import by the worker {import_seconds:.1f} s"
    )
    return preview_seconds < REQUEST_TIMEOUT_SECONDS


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000, help="rows in the file")
    parser.add_argument("--database-url", help="a throwaway PostgreSQL database to use")
    args = parser.parse_args()
    own_postgres = None if args.database_url else throwaway.postgres()
    database_url = args.database_url or own_postgres.__enter__()
    try:
        env = django_env(database_url)
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], env=env, check=True)
        os.environ.update(env)
        import django

        django.setup()
        within_time = run(args.rows)
    finally:
        if own_postgres is not None:
            own_postgres.__exit__(None, None, None)
    sys.exit(0 if within_time else 1)


if __name__ == "__main__":
    main()
