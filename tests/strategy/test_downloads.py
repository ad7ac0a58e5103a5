"""The CSV and JSON downloads are streamed a chunk at a time, whatever the size of the plan."""

import csv
import io
import json
import tracemalloc
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from strategy.models import ActionPlanItem
from strategy.views import action_plan
from tests.factories import ActionPlanItemFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db

CSV = "/action-plan/action-plan.csv"
JSON = "/action-plan/action-plan.json"
COLUMNS = [
    "ambition",
    "action",
    "lead_service",
    "monitored_by",
    "co_produced_with",
    "start_date",
    "target_date",
    "status",
    "latest_update_date",
    "latest_update_what_we_said",
    "page",
]


def body(response):
    assert response.status_code == 200
    assert response.streaming, "downloads are streamed, not built in memory"
    return b"".join(response.streaming_content)


def demo_items(count):
    call_command("load_demo_data", items=count, updates=2, news=0, stdout=StringIO())


def test_csv_has_the_bom_the_same_columns_and_a_row_per_action(client):
    demo_items(45)
    data = body(client.get(CSV))
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == COLUMNS
    assert len(rows) == 46
    assert {row[1] for row in rows[1:]} == set(
        ActionPlanItem.objects.values_list("title", flat=True)
    )


def test_csv_keeps_formula_protection_in_every_column(client):
    ActionPlanItemFactory(title="=1+2", lead="@SUM(A1)", co_produced_with="+cmd", status="delayed")
    rows = list(csv.DictReader(io.StringIO(body(client.get(CSV)).decode("utf-8-sig"))))
    assert rows[0]["action"] == "'=1+2"
    assert rows[0]["lead_service"] == "'@SUM(A1)"
    assert rows[0]["co_produced_with"] == "'+cmd"


def test_json_is_valid_with_every_action_in_order(client):
    demo_items(45)
    data = json.loads(body(client.get(JSON)))
    assert set(data) == {"strategy", "source", "items"}
    assert data["source"] == "http://testserver/action-plan/"
    assert [row["action"] for row in data["items"]] == list(
        ActionPlanItem.objects.values_list("title", flat=True)
    )
    assert all(list(row) == COLUMNS for row in data["items"])


def test_json_with_no_matching_actions_is_still_valid(client):
    ActionPlanItemFactory(status="on_track")
    assert json.loads(body(client.get(JSON, {"status": "complete"})))["items"] == []
    ActionPlanItem.objects.all().delete()
    assert json.loads(body(client.get(JSON)))["items"] == []


def test_downloads_apply_the_filters(client):
    item = ActionPlanItemFactory(title="Only this one", status="at_risk")
    ProgressUpdateFactory(action_item=item, what_we_said="Said this")
    ActionPlanItemFactory(title="Not this one", status="on_track")
    rows = list(csv.DictReader(io.StringIO(body(client.get(CSV, {"status": "at_risk"})).decode())))
    assert [row["action"] for row in rows] == ["Only this one"]
    items = json.loads(body(client.get(JSON, {"status": "at_risk"})))["items"]
    assert [(row["action"], row["latest_update_what_we_said"]) for row in items] == [
        ("Only this one", "Said this")
    ]


@pytest.mark.parametrize("path", [CSV, JSON])
def test_actions_are_read_a_chunk_at_a_time(client, monkeypatch, path):
    # Each chunk of actions brings one query for its progress updates: 35 actions in
    # chunks of 10 is 4 such queries. Reading everything at once would be 1.
    monkeypatch.setattr(action_plan, "DOWNLOAD_CHUNK_SIZE", 10)
    demo_items(35)
    response = client.get(path)
    with CaptureQueriesContext(connection) as queries:
        content = body(response)
    update_queries = [q for q in queries if 'FROM "strategy_progressupdate"' in q["sql"]]
    assert len(update_queries) == 4
    assert content.count(b"We said we would make progress on") == 35


def peak_memory_of_download(client, path):
    tracemalloc.start()
    try:
        for _piece in client.get(path).streaming_content:
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("path", [CSV, JSON])
def test_memory_does_not_grow_with_the_number_of_actions(client, monkeypatch, path):
    # Small chunks and pieces, so a short plan already runs to many of each.
    monkeypatch.setattr(action_plan, "DOWNLOAD_CHUNK_SIZE", 20)
    monkeypatch.setattr(action_plan, "DOWNLOAD_PIECE_SIZE", 4096)
    demo_items(200)
    peak_memory_of_download(client, path)  # first use: templates, URL patterns, caches
    small = peak_memory_of_download(client, path)
    demo_items(1400)
    large = peak_memory_of_download(client, path)
    # 8 times the actions. Held in memory, the peak would be 5 or more times higher.
    assert large < 2 * small, (small, large)
