"""How long one week's summaries take for 10,000 subscribers: building them, then sending them.

    .venv/bin/python bench/newsletter_digest.py [--count 10000] [--database-url URL]
                                                [--workers 1]

Without --database-url it starts a throwaway PostgreSQL cluster of its own
(scripts/throwaway.py) and removes it at the end. It makes --count confirmed
subscribers who chose a weekly summary of everything, and a week with one
newsletter issue, three changes to the action plan and two news posts. Then
it times ``newsletter.digests.build_due_digests`` (the worker job, run as the
week ends; then run again, to show it builds nothing twice), and real
``manage.py run_email_worker --rate 0`` processes sending every summary to a
local SMTP sink. It prints the seconds for each, failures, and duplicates
(people who got two). Point --database-url only at a throwaway database.
"""

import argparse
import collections
import datetime
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "bench"))

import throwaway  # noqa: E402
from newsletter_delivery import django_env, wait_until_delivered, worker_env  # noqa: E402


def create_week(count):
    """``count`` weekly subscribers and last week's content; returns the moment the week ended."""
    from django.utils import timezone

    from newsletter import digests
    from newsletter.mailer import queue_models
    from newsletter.models import ContentAlert, DigestRun, NewsletterIssue, Subscriber

    for model in queue_models():
        model._default_manager.all().delete()
    Subscriber.objects.all().delete()
    ContentAlert.objects.all().delete()
    DigestRun.objects.all().delete()
    Subscriber.objects.bulk_create(
        (
            Subscriber(
                email=f"reader{n}@example.com",
                status=Subscriber.Status.CONFIRMED,
                issues_frequency="weekly",
                progress_frequency="weekly",
                news_frequency="weekly",
                signup_wording_version="bench",
                privacy_notice_version="bench",
            )
            for n in range(count)
        ),
        batch_size=1000,
    )
    start, end = digests.week_containing(timezone.now() - datetime.timedelta(days=7))
    middle = start + datetime.timedelta(days=3)
    body = "<p>A typical short newsletter.</p>" + "<p>Some news about the action plan.</p>" * 40
    NewsletterIssue.objects.create(
        subject="News and updates", body=body, status="sending", send_started_at=middle
    )
    for n, topic in enumerate(["progress"] * 3 + ["news"] * 2):
        ContentAlert.objects.create(
            key=f"bench:{n}",
            topic=topic,
            title=f"A change to the action plan, number {n}",
            url=f"/action-plan/bench-{n}/",
            text="What changed, in one or two plain sentences for families.",
            published_at=middle,
            state="released",
            released_at=middle + datetime.timedelta(hours=n),
        )
    return end


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10000, help="weekly subscribers")
    parser.add_argument("--database-url", help="a throwaway PostgreSQL database to use")
    parser.add_argument("--workers", type=int, default=1, help="worker processes")
    args = parser.parse_args()

    own_postgres = None if args.database_url else throwaway.postgres()
    database_url = args.database_url or own_postgres.__enter__()
    workers, sink, finished = [], None, False
    logs = Path(tempfile.mkdtemp(prefix="medway-send-bench-"))
    try:
        env = django_env(database_url)
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], env=env, check=True)
        os.environ.update(env)
        import django

        django.setup()
        from newsletter import digests
        from tests.newsletter.smtp_sink import SmtpSink

        week_end = create_week(args.count)
        started = time.monotonic()
        built = digests.build_due_digests(now=week_end + datetime.timedelta(minutes=1))
        build_seconds = time.monotonic() - started
        again = digests.build_due_digests(now=week_end + datetime.timedelta(minutes=2))
        assert (built, again) == (args.count, 0), (built, again)

        sink = SmtpSink().start()
        command = [*manage, "run_email_worker", "--rate", "0"]
        started = time.monotonic()
        for n in range(args.workers):
            log = (logs / f"worker{n}.log").open("w")
            workers.append(
                subprocess.Popen(
                    command, env=worker_env(env, sink.port), stdout=log, stderr=subprocess.STDOUT
                )
            )
        counts = wait_until_delivered(workers, timeout=60 + args.count / 20)
        send_seconds = time.monotonic() - started
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            worker.wait(timeout=30)

        messages = sink.snapshot()
        per_person = collections.Counter(m.envelope_to[0] for m in messages)
        duplicates = sum(per_person.values()) - len(per_person)
        size = len(messages[0].as_bytes()) if messages else 0
        print(
            f"weekly summaries: {args.count} subscribers; built in {build_seconds:.1f} s "
            f"(a second run built {again}); sent by {args.workers} worker(s) in "
            f"{send_seconds:.1f} s including start-up ({args.count / send_seconds:.0f} msg/s); "
            f"{len(per_person)} people got one, {counts['failed']} failed, "
            f"{duplicates} duplicates; {size / 1024:.1f} KB each"
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
