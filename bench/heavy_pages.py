"""Heavy pages at 10,000 action items: bytes and time per page, and 20 clients at once.

    .venv/bin/python bench/heavy_pages.py [--items 10000] [--database postgres|sqlite]
    .venv/bin/python bench/heavy_pages.py --url http://127.0.0.1:8000   # a running site

Without ``--url`` it starts the site the way production runs it
(``tests/browser/site_server.py``: gunicorn with ``DJANGO_DEBUG=false``, 2 workers)
on a throwaway PostgreSQL cluster (``scripts/throwaway.py``: a free port, a private
folder) or a private SQLite file, and fills it with ``load_demo_data --items N``.

For each page it prints the median of ``--runs`` requests: bytes on the wire (the
client asks for gzip, as browsers do), bytes once decoded, time to the first byte
and total time. Then ``--clients`` clients load ``/action-plan/`` (or
``--load-path``) for ``--seconds`` seconds while a probe asks for ``/healthz`` twice
a second; it prints requests per second, latency percentiles, how long the probe
waited, the workers' CPU time per request, and how many times gunicorn restarted a
worker (``max_requests``) during the run. To see how often workers restart at a
given rate, load a cheap page with ``--skip-pages --load-path /robots.txt``, with
and without ``--max-requests 2000``.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import re
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
import xml.etree.ElementTree as ET
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "browser"))
sys.path.insert(0, str(REPO / "scripts"))

import site_server  # noqa: E402 (one copy of the server start-up, shared with the tests)
import throwaway  # noqa: E402

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
WORKER_RESTART = "Autorestarting worker after current request"


@dataclass
class Fetch:
    status: int
    wire_bytes: int
    bytes: int
    ttfb: float
    total: float
    body: bytes


@dataclass
class PageFigures:
    label: str
    path: str
    status: int
    wire_bytes: int
    bytes: int
    ttfb_ms: float
    total_ms: float


def fetch(base: str, path: str, *, timeout: float = 600) -> Fetch:
    """GET ``path`` on a new connection, as a browser would (gzip accepted), and time it."""
    parts = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        began = time.perf_counter()
        conn.request("GET", path, headers={"Accept-Encoding": "gzip", "Host": parts.netloc})
        response = conn.getresponse()  # returns once the status line and headers are in
        ttfb = time.perf_counter() - began
        wire = response.read()
        total = time.perf_counter() - began
    finally:
        conn.close()
    body = wire
    if response.getheader("Content-Encoding") == "gzip":
        body = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(wire)
    return Fetch(response.status, len(wire), len(body), ttfb, total, body)


def measure(base: str, label: str, path: str, runs: int) -> PageFigures:
    """The median of ``runs`` fetches of ``path``."""
    fetches = [fetch(base, path) for _ in range(runs)]
    return PageFigures(
        label=label,
        path=path,
        status=fetches[-1].status,
        wire_bytes=int(statistics.median(f.wire_bytes for f in fetches)),
        bytes=int(statistics.median(f.bytes for f in fetches)),
        ttfb_ms=statistics.median(f.ttfb for f in fetches) * 1000,
        total_ms=statistics.median(f.total for f in fetches) * 1000,
    )


def first_ambition_path(base: str) -> str:
    html = fetch(base, "/ambitions/").body.decode()
    found = re.search(r'href="(/ambitions/[a-z0-9-]+/)"', html)
    if not found:
        raise SystemExit("/ambitions/ links to no ambition")
    return found.group(1)


def sitemap_section_path(base: str) -> str | None:
    """The last page of the largest section, if /sitemap.xml is an index; else None."""
    tree = ET.fromstring(fetch(base, "/sitemap.xml").body)  # noqa: S314 (our own server)
    locs = [(loc.text or "").strip() for loc in tree.iterfind("sm:sitemap/sm:loc", SITEMAP_NS)]
    if not locs:
        return None
    sections: dict[str, list[str]] = {}
    for loc in locs:
        parts = urllib.parse.urlsplit(loc)
        sections.setdefault(parts.path, []).append(
            parts.path + (f"?{parts.query}" if parts.query else "")
        )
    return max(sections.values(), key=len)[-1]


def page_figures(base: str, runs: int, later_page: int) -> list[PageFigures]:
    """Bytes and times for each heavy page."""
    pages = [
        ("action plan", "/action-plan/"),
        ("an ambition", first_ambition_path(base)),
        ("filtered action plan", "/action-plan/?status=on_track&board=send-partnership-board"),
        (f"action plan page {later_page}", f"/action-plan/?page={later_page}"),
        ("CSV download", "/action-plan/action-plan.csv"),
        ("JSON download", "/action-plan/action-plan.json"),
        ("sitemap", "/sitemap.xml"),
    ]
    section = sitemap_section_path(base)
    if section:
        pages.append(("sitemap section", section))
    return [measure(base, label, path, runs) for label, path in pages]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def load(base: str, path: str, clients: int, seconds: float) -> dict:
    """``clients`` threads fetch ``path`` back to back for ``seconds``; a probe times /healthz."""
    latencies: list[float] = []
    failures: list[str] = []
    probe: list[float] = []
    deadline = time.monotonic() + seconds
    gate = threading.Barrier(clients + 2)

    def client():
        gate.wait()
        while time.monotonic() < deadline:
            try:
                result = fetch(base, path)
            except OSError as exc:
                failures.append(repr(exc))
                continue
            latencies.append(result.total)
            if result.status != 200:
                failures.append(f"HTTP {result.status}")

    def prober():
        gate.wait()
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                probe.append(fetch(base, "/healthz").total)
            time.sleep(0.5)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    threads.append(threading.Thread(target=prober))
    for thread in threads:
        thread.start()
    gate.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    return {
        "path": path,
        "clients": clients,
        "seconds": seconds,
        "elapsed_s": elapsed,
        "requests": len(latencies),
        "req_per_s": len(latencies) / elapsed,
        "p50_ms": percentile(latencies, 0.5) * 1000 if latencies else None,
        "p99_ms": percentile(latencies, 0.99) * 1000 if latencies else None,
        "max_ms": max(latencies) * 1000 if latencies else None,
        "failures": len(failures),
        "healthz_probes": len(probe),
        "healthz_max_ms": max(probe) * 1000 if probe else None,
    }


def workers(master_pid: int) -> dict[int, list[str]]:
    """The gunicorn workers of ``master_pid``: pid and the fields of /proc/<pid>/stat."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if len(fields) > 12 and fields[1] == str(master_pid):
            found[int(stat.parent.name)] = fields
    return found


def worker_peak_rss_mb(master_pid: int) -> list[float]:
    """Peak resident memory (VmHWM) of each gunicorn worker of ``master_pid``, in MB."""
    peaks = []
    for pid in workers(master_pid):
        with contextlib.suppress(OSError):
            found = re.search(r"^VmHWM:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text(), re.M)
            if found:
                peaks.append(int(found.group(1)) / 1024)
    return sorted(peaks)


def worker_cpu_seconds(master_pid: int) -> dict[int, float]:
    """User plus system CPU time each worker has used so far, in seconds."""
    tick = os.sysconf("SC_CLK_TCK")
    # Fields after the command name: utime and stime are the 12th and 13th.
    return {pid: (int(f[11]) + int(f[12])) / tick for pid, f in workers(master_pid).items()}


def print_pages(pages: list[PageFigures], runs: int) -> None:
    print(f"\nPages (median of {runs} runs; gzip accepted)")
    header = ("page", "status", "on the wire", "decoded", "first byte", "total")
    rows = [header] + [
        (
            f"{p.label}: {p.path}",
            str(p.status),
            f"{p.wire_bytes:,} B",
            f"{p.bytes:,} B",
            f"{p.ttfb_ms:,.0f} ms",
            f"{p.total_ms:,.0f} ms",
        )
        for p in pages
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for row in rows:
        cells = [row[0].ljust(widths[0])]
        cells += [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        print("  " + "  ".join(cells))


def print_load(result: dict, restarts: int | None) -> None:
    cpu = result.get("worker_cpu_ms_per_request")
    print(
        f"\nLoad: {result['clients']} clients on {result['path']} for {result['seconds']:g} s "
        f"(all finished after {result['elapsed_s']:.1f} s): {result['requests']} requests, "
        f"{result['req_per_s']:.1f} req/s; latency p50 {fmt_ms(result['p50_ms'])}, "
        f"p99 {fmt_ms(result['p99_ms'])}, max {fmt_ms(result['max_ms'])}; "
        f"failures {result['failures']}"
    )
    print(
        f"  /healthz meanwhile: {result['healthz_probes']} answers, slowest "
        f"{fmt_ms(result['healthz_max_ms'])}"
    )
    if cpu is not None:
        print(
            f"  gunicorn workers' CPU per request: {cpu:,.1f} ms (user + system; steadier "
            f"than wall-clock time on a shared machine; too low if a worker restarted)"
        )
    if restarts is not None:
        print(f"  gunicorn worker restarts (max_requests) during the run: {restarts}")


def fmt_ms(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f} ms"


def run(base: str, args, site=None) -> dict:
    fetch(base, "/healthz")
    memory_before = worker_peak_rss_mb(site.process.pid) if site else []
    pages = [] if args.skip_pages else page_figures(base, args.runs, args.later_page)
    memory_after = worker_peak_rss_mb(site.process.pid) if site else []
    if pages:
        print_pages(pages, args.runs)
    if site and pages:
        print(
            f"\nWorker peak memory (VmHWM): {', '.join(f'{m:.0f}' for m in memory_before)} MB "
            f"after start; {', '.join(f'{m:.0f}' for m in memory_after)} MB after the pages"
        )
    restarts_before = site.log().count(WORKER_RESTART) if site else None
    cpu_before = worker_cpu_seconds(site.process.pid) if site else {}
    result = load(base, args.load_path, args.clients, args.seconds)
    restarts = site.log().count(WORKER_RESTART) - restarts_before if site else None
    if site and result["requests"]:
        # A worker that restarted took its CPU time with it: count what is left.
        cpu_after = worker_cpu_seconds(site.process.pid)
        used = sum(cpu_after[pid] - cpu_before.get(pid, 0.0) for pid in cpu_after)
        result["worker_cpu_ms_per_request"] = used / result["requests"] * 1000
    print_load(result, restarts)
    return {
        "pages": [asdict(p) for p in pages],
        "memory_mb": {"after_start": memory_before, "after_pages": memory_after},
        "load": {**result, "worker_restarts": restarts},
    }


def start_and_run(args) -> dict:
    demo = ("--items", str(args.items), "--updates", str(args.updates), "--news", "15")
    with contextlib.ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="medway-bench-")))
        # A longer request timeout than production's 30 s, so a slow page under load is
        # measured rather than killed half-way.
        extra_env = {"WEB_CONCURRENCY": str(args.workers), "GUNICORN_TIMEOUT": "120"}
        if args.max_requests is not None:
            extra_env["GUNICORN_MAX_REQUESTS"] = str(args.max_requests)
        if args.database == "postgres":
            extra_env["DATABASE_URL"] = stack.enter_context(throwaway.postgres())
        began = time.perf_counter()
        site = site_server.start(workdir, demo_args=demo, extra_env=extra_env, timeout=60)
        stack.callback(site.stop)
        print(
            f"Site ready in {time.perf_counter() - began:.0f} s (migrate, collectstatic, "
            f"load_demo_data {' '.join(demo)}) on {args.database}, gunicorn "
            f"{args.workers} workers, {site.url}"
            + (f", GUNICORN_MAX_REQUESTS={args.max_requests}" if args.max_requests else "")
        )
        return run(site.url, args, site)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="base URL of a running site (default: start one)")
    parser.add_argument("--items", type=int, default=10_000, help="demo action items")
    parser.add_argument("--updates", type=int, default=3, help="progress updates per item")
    parser.add_argument("--database", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--runs", type=int, default=5, help="requests per page (median)")
    parser.add_argument("--later-page", type=int, default=400, help="the ?page=N measured")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients")
    parser.add_argument(
        "--load-path",
        default="/action-plan/",
        help="the page the clients load (a cheap one, /robots.txt, shows worker restarts)",
    )
    parser.add_argument("--skip-pages", action="store_true", help="only the load run")
    parser.add_argument("--seconds", type=float, default=20, help="length of the load run")
    parser.add_argument(
        "--max-requests", type=int, help="GUNICORN_MAX_REQUESTS (default: the config's own)"
    )
    parser.add_argument("--save", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    try:
        figures = run(args.url.rstrip("/"), args) if args.url else start_and_run(args)
    except (site_server.SiteStartError, throwaway.ServiceError) as exc:
        print(f"Could not start the site:\n{exc}", file=sys.stderr)
        return 2
    if args.save:
        args.save.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
