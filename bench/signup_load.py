"""Sign-up throughput and latency: 50 concurrent clients against gunicorn and PostgreSQL.

    .venv/bin/python bench/signup_load.py [--clients 50] [--signups 1000]

Starts a throwaway PostgreSQL cluster (scripts/throwaway.py: a free port, a private folder)
and the site under gunicorn with production settings. EMAIL_HOST points at a
"black hole" SMTP port that accepts connections and never answers: if a sign-up
request waited on SMTP, it would hang there. It does not, because the request
only writes an outbox row; no worker runs during the benchmark.

Each client first loads the form (for its CSRF cookie and timing token), waits
out the form's minimum fill-in time, then posts sign-ups for new addresses. The
per-IP limit is lifted for the run, since every client comes from 127.0.0.1.
Prints the POST latency percentiles and throughput, then checks the database:
one subscriber and one queued confirmation email per sign-up.
"""

import argparse
import http.client
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "browser"))
sys.path.insert(0, str(REPO / "scripts"))

import site_server  # noqa: E402
import throwaway  # noqa: E402


def black_hole():
    """A listening socket that accepts SMTP connections and never says a word."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(512)
    return sock


def client(base_port, addresses, latencies, errors, start_gate):
    conn = http.client.HTTPConnection("127.0.0.1", base_port, timeout=30)
    conn.request("GET", "/newsletter/")
    response = conn.getresponse()
    html = response.read().decode()
    cookie = response.getheader("Set-Cookie").split(";", 1)[0]
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    token = re.search(r'name="form_token" value="([^"]+)"', html).group(1)
    time.sleep(2.1)  # the form's minimum fill-in time, counted from this client's GET
    start_gate.wait()
    for address in addresses:
        body = urlencode(
            {"csrfmiddlewaretoken": csrf, "email": address, "form_token": token, "website": ""}
        )
        began = time.perf_counter()
        conn.request(
            "POST",
            "/newsletter/",
            body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
        )
        response = conn.getresponse()
        response.read()
        latencies.append(time.perf_counter() - began)
        if response.status != 302:
            errors.append(response.status)


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--signups", type=int, default=1000, help="total sign-ups")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    args = parser.parse_args()

    cluster = throwaway.postgres()
    url = cluster.__enter__()
    hole = black_hole()
    try:
        with tempfile.TemporaryDirectory(prefix="medway-bench-") as workdir:
            site = site_server.start(
                Path(workdir),
                demo_args=("--items", "0", "--news", "0"),
                extra_env={
                    "DATABASE_URL": url,
                    "WEB_CONCURRENCY": str(args.workers),
                    "NEWSLETTER_SIGNUPS_PER_IP_PER_HOUR": "1000000000",
                    "EMAIL_HOST": "127.0.0.1",
                    "EMAIL_PORT": str(hole.getsockname()[1]),
                    "EMAIL_USE_TLS": "false",
                    "EMAIL_TIMEOUT": "60",
                },
            )
            try:
                result = run_load(site, args)
            finally:
                site.stop()
            check = subprocess.run(
                [
                    sys.executable,
                    "manage.py",
                    "shell",
                    "-c",
                    "from newsletter.models import *; "
                    "print(Subscriber.objects.count(), OutboundEmail.objects.count())",
                ],
                cwd=REPO,
                env={**site.env},
                check=True,
                capture_output=True,
                text=True,
            ).stdout.split()[-2:]
    finally:
        hole.close()
        cluster.__exit__(None, None, None)
    latencies, errors, elapsed = result
    p50, p99 = (percentile(latencies, q) * 1000 for q in (0.5, 0.99))
    print(
        f"signup: {len(latencies)} sign-ups from {args.clients} concurrent clients in "
        f"{elapsed:.1f} s = {len(latencies) / elapsed:.0f} req/s; latency p50 {p50:.0f} ms, "
        f"p99 {p99:.0f} ms, max {max(latencies) * 1000:.0f} ms; non-302 answers {len(errors)}; "
        f"database: {check[0]} subscribers, {check[1]} queued emails "
        f"(gunicorn {args.workers} workers + PostgreSQL; SMTP never answered)"
    )
    return 1 if errors else 0


def run_load(site, args):
    port = int(site.url.rsplit(":", 1)[1])
    per_client = max(1, args.signups // args.clients)
    latencies, errors = [], []
    gate = threading.Barrier(args.clients + 1)
    threads = [
        threading.Thread(
            target=client,
            args=(
                port,
                [f"bench{c}-{n}@example.com" for n in range(per_client)],
                latencies,
                errors,
                gate,
            ),
        )
        for c in range(args.clients)
    ]
    for thread in threads:
        thread.start()
    gate.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return latencies, errors, time.perf_counter() - began


if __name__ == "__main__":
    sys.exit(main())
