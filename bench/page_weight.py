"""Page weight of the home page (budgeted) and the action plan (for information).

    python bench/page_weight.py               # starts a production-like server itself
    python bench/page_weight.py --url BASE    # measures a running site instead

Chromium loads each page with an empty cache and Playwright records every request's
transferred body size (``request.sizes()["responseBodySize"]``, the encoded bytes on
the wire) and its decoded size. Exits 1 when the home page is over budget.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "tests" / "browser"))

import site_server  # noqa: E402 (one copy of the server start-up, shared with the tests)

BUDGET_BYTES = 60 * 1024
BUDGET_REQUESTS = 6
BUDGETED_PATH = "/"
INFORMATION_PATHS = ("/action-plan/",)

CHROMIUM = site_server.CHROMIUM
CHROMIUM_ARGS = site_server.CHROMIUM_ARGS


@dataclass
class Transfer:
    resource_type: str
    url: str
    status: int
    encoded: int
    decoded: int
    encoding: str
    started: float = 0.0


@dataclass
class Weight:
    path: str
    transfers: list[Transfer]

    @property
    def encoded(self) -> int:
        return sum(t.encoded for t in self.transfers)

    @property
    def decoded(self) -> int:
        return sum(t.decoded for t in self.transfers)

    @property
    def requests(self) -> int:
        return len(self.transfers)

    @property
    def within_budget(self) -> bool:
        return self.encoded <= BUDGET_BYTES and self.requests <= BUDGET_REQUESTS

    def summary(self) -> str:
        verdict = "PASS" if self.within_budget else "FAIL"
        return (
            f"page weight {self.path}: {kb(self.encoded)} KB transferred "
            f"({kb(self.decoded)} KB uncompressed), {self.requests} requests; "
            f"budget {BUDGET_BYTES // 1024} KB / {BUDGET_REQUESTS} requests: {verdict}"
        )


def kb(size: int) -> str:
    return f"{size / 1024:.1f}"


def measure(browser, base_url: str, path: str) -> Weight:
    """Load ``path`` in a fresh context (so an empty cache) and record every request."""
    context = browser.new_context(base_url=base_url)
    try:
        finished = []
        failed = []
        # On the context, so requests the page does not own (the favicon) are counted too.
        context.on("requestfinished", lambda request: finished.append(request))
        context.on("requestfailed", lambda request: failed.append(request))
        page = context.new_page()
        page.goto(path, wait_until="networkidle")
        if failed:
            raise SystemExit(
                "requests failed: " + ", ".join(f"{r.url} ({r.failure})" for r in failed)
            )
        transfers = []
        for request in finished:
            response = request.response()
            if response is None:
                continue
            sizes = request.sizes()
            try:
                decoded = len(response.body())
            except Exception:  # a redirect has no body to read
                decoded = 0
            headers = response.all_headers()
            transfers.append(
                Transfer(
                    resource_type=request.resource_type,
                    url=request.url.removeprefix(base_url),
                    status=response.status,
                    encoded=sizes["responseBodySize"],
                    decoded=decoded,
                    encoding=headers.get("content-encoding", "identity"),
                    started=request.timing["startTime"],
                )
            )
        return Weight(path, sorted(transfers, key=lambda t: t.started))
    finally:
        context.close()


def print_table(weight: Weight) -> None:
    rows = [("type", "URL", "status", "encoded B", "decoded B", "encoding")]
    rows += [
        (t.resource_type, t.url, str(t.status), str(t.encoded), str(t.decoded), t.encoding)
        for t in weight.transfers
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    right = {2, 3, 4}
    for row in rows:
        cells = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        print("  " + "  ".join(cells).rstrip())
    print()


def run(base_url: str) -> int:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            weights = [
                measure(browser, base_url, path) for path in (BUDGETED_PATH, *INFORMATION_PATHS)
            ]
        finally:
            browser.close()
    for weight in weights:
        print(f"{weight.path}")
        print_table(weight)
    budgeted, *others = weights
    print(budgeted.summary())
    for weight in others:
        print(weight.summary() + " (for information)")
    return 0 if budgeted.within_budget else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="base URL of a running site (default: start one)")
    args = parser.parse_args(argv)
    if args.url:
        return run(args.url.rstrip("/"))
    try:
        with site_server.running_site() as site:
            return run(site.url)
    except site_server.SiteStartError as exc:
        print(f"Could not start the site:\n{exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
