"""How long a newsletter issue takes to reach 10,000 subscribers' SMTP server, end to end.

    .venv/bin/python bench/newsletter_delivery.py [--count 10000] [--database-url URL]
                                                  [--workers 1] [--batch-size N]

Without --database-url it starts a throwaway PostgreSQL cluster of its own
(scripts/throwaway.py: a free port, a private folder) and removes it at the
end. It creates --count confirmed subscribers and one issue, starts real
`manage.py run_email_worker --rate 0` processes against a local SMTP sink, then
times from "send" (services.send_issue, as the admin's button does) until every
delivery is finished, and prints one line: messages, seconds, messages a
second, failures, and duplicates (by Message-ID). Point --database-url only at a throwaway
database: earlier benchmark rows are deleted, and anything else queued there
is sent too.
"""

import argparse
import collections
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for medway_send, newsletter and tests.newsletter.smtp_sink
sys.path.insert(0, str(ROOT / "scripts"))

import throwaway  # noqa: E402

KIND = "bench"


def django_env(database_url):
    """Environment for this process and the workers: production settings, this database."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "medway_send.settings",
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "true",
    }


def worker_env(env, sink_port):
    # Debug off, as in production: with it on, Django keeps every query in memory.
    return {
        **env,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "localhost",
        "SITE_URL": "https://localhost",
        "DJANGO_LOG_LEVEL": "WARNING",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink_port),
        "EMAIL_USE_TLS": "false",
        "EMAIL_USE_SSL": "false",
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
    }


def create_subscribers(count):
    """``count`` confirmed subscribers and a typical issue; returns the issue's id."""
    from newsletter.models import NewsletterIssue, Subscriber

    Subscriber.objects.all().delete()
    Subscriber.objects.bulk_create(
        (
            Subscriber(
                email=f"reader{n}@example.com",
                status=Subscriber.Status.CONFIRMED,
                signup_wording_version="bench",
                privacy_notice_version="bench",
            )
            for n in range(count)
        ),
        batch_size=1000,
    )
    body = "<p>A typical short newsletter.</p>" + "<p>Some news about the action plan.</p>" * 40
    return NewsletterIssue.objects.create(subject="News and updates", body=body).pk


def send_issue(issue_id):
    """Queue the issue for everyone, exactly as the admin's "send" button does."""
    from newsletter import services

    return services.send_issue(issue_id=issue_id)


def outbox_counts():
    """Rows in the outbox by status (every queue model)."""
    from django.db.models import Count

    from newsletter.mailer import queue_models

    counts = collections.Counter()
    for model in queue_models():
        rows = model._default_manager.values_list("status").annotate(n=Count("pk"))
        counts.update(dict(rows.order_by()))
    return counts


def wait_until_delivered(workers, timeout):
    """Wait until nothing is queued or sending; fail if a worker dies first."""
    deadline = time.monotonic() + timeout
    while True:
        counts = outbox_counts()
        if not counts["queued"] and not counts["sending"]:
            return counts
        for worker in workers:
            if worker.poll() is not None:
                raise SystemExit(f"a worker exited early with status {worker.returncode}")
        if time.monotonic() > deadline:
            raise SystemExit(f"not finished after {timeout:.0f} s: {dict(counts)}")
        time.sleep(0.1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10000, help="emails to send")
    parser.add_argument("--database-url", help="a throwaway PostgreSQL database to use")
    parser.add_argument("--workers", type=int, default=1, help="worker processes")
    parser.add_argument(
        "--batch-size", type=int, help="rows each worker claims (default: EMAIL_BATCH_SIZE)"
    )
    args = parser.parse_args()

    own_postgres = None if args.database_url else throwaway.postgres()
    database_url = args.database_url or own_postgres.__enter__()
    workers = []
    sink = None
    logs = Path(tempfile.mkdtemp(prefix="medway-send-bench-"))
    finished = False
    try:
        env = django_env(database_url)
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], env=env, check=True)
        os.environ.update(env)
        import django

        django.setup()
        from tests.newsletter.smtp_sink import SmtpSink

        issue_id = create_subscribers(args.count)
        sink = SmtpSink().start()
        command = [*manage, "run_email_worker", "--rate", "0"]
        if args.batch_size:
            command += ["--batch-size", str(args.batch_size)]
        for n in range(args.workers):
            log = (logs / f"worker{n}.log").open("w")
            workers.append(
                subprocess.Popen(
                    command, env=worker_env(env, sink.port), stdout=log, stderr=subprocess.STDOUT
                )
            )
        time.sleep(3)  # let the workers start: the clock measures the send, not Python start-up
        started = time.monotonic()
        assert send_issue(issue_id) == args.count
        counts = wait_until_delivered(workers, timeout=60 + args.count / 20)
        elapsed = time.monotonic() - started
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            worker.wait(timeout=30)

        message_ids = [message["Message-ID"] for message in sink.snapshot()]
        duplicates = len(message_ids) - len(set(message_ids))
        print(
            f"newsletter delivery: an issue to {args.count} subscribers in {elapsed:.1f} s "
            f"({args.count / elapsed:.0f} msg/s), {counts['failed']} failed, "
            f"{duplicates} duplicates"
        )
        finished = True
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
        if sink is not None:
            sink.stop()
        if own_postgres is not None:
            own_postgres.__exit__(None, None, None)
        if finished:
            shutil.rmtree(logs)
        else:
            print(f"worker logs kept in {logs}", file=sys.stderr)


if __name__ == "__main__":
    main()
