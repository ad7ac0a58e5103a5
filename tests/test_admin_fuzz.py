"""Odd input anywhere in the admin gets a 400, a redirect or a form error: never a 5xx.

Hypothesis sends odd values (NUL bytes, percent-encoded garbage, huge and
negative numbers, SQL-ish and very long strings, unicode) to every registered
model admin's list page, through each of its filter, search, date, ordering and
paging parameters, the generic admin ones and field lookups; and to every
custom admin form: sharing and revoking preview links, previews, sending an
issue or a test copy, history, restore and recover, list actions and list
edits, and change forms. It runs on both legs; PostgreSQL's is the one that
matters, since PostgreSQL refuses some values SQLite takes (a NUL in a string,
a bad regular expression).

Each request runs in a transaction that is rolled back, so every example starts
from the same data. The run is derandomized, so it is the same on every
machine, and it says how many requests it sent and how many were 5xx.
"""

import string
from collections import Counter
from urllib.parse import quote, quote_from_bytes

import pytest
from django.contrib import admin
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsletter import services
from strategy.models import ActionPlanItem, Ambition, NewsPost, PreviewLink, ProgressUpdate
from tests.factories import (
    ActionPlanItemFactory,
    AmbitionFactory,
    BoardFactory,
    ChildRightFactory,
    NewsPostFactory,
    ProgressUpdateFactory,
    StrategyFactory,
)
from tests.newsletter.factories import NewsletterIssueFactory, SubscriberFactory
from tests.strategy.test_history import form_data

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

FUZZ_SETTINGS = settings(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

NASTY = [
    "\x00",
    "a\x00b",
    "-1",
    "0",
    "1.5",
    "1e309",
    "NaN",
    "-inf",
    str(2**63),
    str(-(2**63) - 1),
    "99999999999999999999",
    "' OR '1'='1",
    "1; DROP TABLE strategy_ambition; --",
    "\\",
    "%",
    "_",
    "(",
    "[",
    "*",
    "a" * 3000,
    "2024-13-45",
    "notadate",
    "0000-00-00",
    "10000-01-01",
    "1,2,abc",
    ",",
    "",
    " ",
    "None",
    "ünïcödé",
    "😀",
    "\u202e",
    "\ufeff",
    "\r\n",
    "١٢٣",  # digits int() reads, in another script
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "%(x)s",
]
# Characters that mean something to SQL, regular expressions, URLs or PostgreSQL (NUL),
# mixed with any character at all.
SPIKY = st.one_of(
    st.sampled_from("\x00%'\"\\()[]*?_,.-+;&=/\r\n 0123456789"),
    st.characters(exclude_categories=["Cs"]),
)
# For forms: values as text (the test client encodes them).
TEXT = st.one_of(
    st.sampled_from(NASTY),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text(SPIKY, max_size=30),
)
# For addresses: each value percent-encoded, or raw bytes that are not UTF-8 at all.
ENCODED = st.one_of(
    TEXT.map(lambda value: quote(value, safe="")),
    st.binary(max_size=12).map(lambda raw: quote_from_bytes(raw, safe="")),
)
LOOKUPS = [
    "",
    "__exact",
    "__iexact",
    "__in",
    "__gt",
    "__lte",
    "__range",
    "__isnull",
    "__contains",
    "__startswith",
    "__regex",
    "__iregex",
    "__year",
    "__month",
    "__week_day",
    "__date",
    "__id__exact",
    "__pk__in",
]
GENERIC = ["q", "o", "p", "all", "e", "_popup", "_to_field", "_changelist_filters", "id", "pk"]


class Probe:
    """Sends requests, each in a rolled-back transaction, and records every 5xx or exception."""

    def __init__(self, client):
        self.client, self.sent, self.failures, self.statuses = client, 0, [], Counter()

    def send(self, method, path, data=None):
        self.sent += 1
        try:
            with transaction.atomic():
                response = getattr(self.client, method)(path, data or {})
                transaction.set_rollback(True)
        except Exception as exc:  # the test client re-raises what became a 500
            self.failures.append(f"{method.upper()} {path} {data!r}: {type(exc).__name__}: {exc}")
            self.statuses["exception"] += 1
            return
        self.statuses[response.status_code] += 1
        if response.status_code >= 500:
            self.failures.append(f"{method.upper()} {path} {data!r}: {response.status_code}")

    def report(self, capsys, label):
        with capsys.disabled():
            print(
                f"\nadmin fuzz, {label}: sent {self.sent} requests, "
                f"{len(self.failures)} answered 5xx; answers {dict(sorted(self.statuses.items(), key=str))}"
            )
        assert self.client.get("/admin/").status_code == 200, "signed out part-way"
        assert self.statuses[200], "no request reached a page"
        assert not self.failures, "\n".join(self.failures[:20])


@pytest.fixture
def content(staff_client):
    """A handful of everything, including history to restore and something to recover."""
    strategy = StrategyFactory()
    ChildRightFactory.create_batch(2, strategy=strategy)
    ambitions = [AmbitionFactory(), AmbitionFactory(publishing_status="draft")]
    BoardFactory.create_batch(2)
    items = [ActionPlanItemFactory(ambition=ambitions[0]), ActionPlanItemFactory()]
    ProgressUpdateFactory(action_item=items[0])
    ProgressUpdateFactory(action_item=items[1], publishing_status="draft")
    NewsPostFactory.create_batch(2)
    SubscriberFactory.create_batch(3)
    issues = [NewsletterIssueFactory(), NewsletterIssueFactory()]
    services.send_issue(issue_id=issues[1].pk)
    services.send_test(issue=issues[0], to="editor@example.com")
    PreviewLink.objects.create(item=ambitions[0])
    # One saved change (a version to restore) and one deletion (a version to recover).
    url = reverse("admin:strategy_ambition_change", args=[ambitions[0].pk])
    assert (
        staff_client.post(url, form_data(staff_client.get(url), "ambition_form")).status_code == 302
    )
    doomed = NewsPostFactory()
    delete = reverse("admin:strategy_newspost_delete", args=[doomed.pk])
    assert staff_client.post(delete, {"post": "yes"}).status_code == 302
    return {"ambition": ambitions[0], "item": items[0], "issue": issues[0]}


def changelist_parameters(client):
    """{changelist path: every query parameter name worth trying on it}."""
    found = {}
    for model, model_admin in admin.site._registry.items():
        path = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        changelist = client.get(path).context["cl"]
        names = {name for spec in changelist.filter_specs for name in spec.expected_parameters()}
        if model_admin.date_hierarchy:
            names |= {f"{model_admin.date_hierarchy}__{part}" for part in ["year", "month", "day"]}
        for field in model._meta.concrete_fields:
            names |= {f"{field.name}{lookup}" for lookup in LOOKUPS}
        found[path] = sorted(names | set(GENERIC))
    return found


def test_every_admin_list_answers_odd_query_parameters(staff_client, content, capsys):
    parameters = changelist_parameters(staff_client)
    probe = Probe(staff_client)

    @settings(FUZZ_SETTINGS, max_examples=800)
    @given(data=st.data())
    def run(data):
        path = data.draw(st.sampled_from(sorted(parameters)))
        names = data.draw(st.lists(st.sampled_from(parameters[path]), min_size=1, max_size=3))
        query = "&".join(f"{quote(name)}={data.draw(ENCODED)}" for name in names)
        probe.send("get", f"{path}?{query}")

    run()
    probe.report(capsys, "admin lists")


def custom_requests(content):
    """(method, path template, form field names) for every custom admin page and form.

    ``{pk}`` in a path is filled with a real id or an odd one, ``{odd}`` always with an odd one.
    """
    ambition, item, issue = content["ambition"], content["item"], content["issue"]
    pages = []
    for model in [Ambition, ActionPlanItem, ProgressUpdate, NewsPost]:
        base = f"/admin/strategy/{model._meta.model_name}/"
        pk = {Ambition: ambition.pk, ActionPlanItem: item.pk}.get(model, "{pk}")
        pages += [
            ("post", f"{base}{pk}/share/", ["revoke"]),
            ("get", f"{base}{{pk}}/preview/", []),
            ("post", f"{base}{{pk}}/preview/", ["revoke"]),
            ("get", f"{base}{{odd}}/share/", []),
        ]
    for model, model_admin in admin.site._registry.items():
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        actions = ["action", "_selected_action", "index", "select_across", "post"]
        pages += [
            ("post", base, actions),
            ("post", base, ["form-TOTAL_FORMS", "form-INITIAL_FORMS", "form-0-id", "_save"]),
            ("get", f"{base}{{odd}}/change/", []),
            ("get", f"{base}{{odd}}/delete/", []),
            ("post", f"{base}{{odd}}/delete/", ["post"]),
            ("get", f"{base}{{odd}}/history/", []),
            ("get", f"{base}add/", ["_changelist_filters", "_popup", "ambition", "strategy"]),
        ]
        if hasattr(model_admin, "revision_view"):
            pages += [
                ("get", f"{base}{{pk}}/history/{{pk}}/", []),
                ("post", f"{base}{{pk}}/history/{{pk}}/", ["edit_check", "text", "title"]),
                ("get", f"{base}{{pk}}/history/compare/", ["version_id1", "version_id2"]),
                ("get", f"{base}recover/{{pk}}/", []),
                ("post", f"{base}recover/{{pk}}/", ["text", "title"]),
            ]
    issues = "/admin/newsletter/newsletterissue/"
    for view in ["send", "send-test", "preview", "preview/email.html"]:
        pages += [("post", f"{issues}{issue.pk}/{view}/", ["confirm", "to"])]
        pages += [("get", f"{issues}{{pk}}/{view}/", [])]
    pages += [
        ("get", "/admin/autocomplete/", ["app_label", "model_name", "field_name", "term"]),
        ("get", "/admin/r/{odd}/{odd}/", []),
        ("get", "/admin/{odd}/", []),
    ]
    return pages


def test_every_custom_admin_page_answers_odd_values(staff_client, content, capsys):
    pages = custom_requests(content)
    real_ids = [str(content[name].pk) for name in ["ambition", "item", "issue"]]
    ids = st.one_of(st.sampled_from(real_ids), ENCODED.filter(lambda value: "%2F" not in value))
    probe = Probe(staff_client)

    @settings(FUZZ_SETTINGS, max_examples=800)
    @given(data=st.data())
    def run(data):
        method, template, fields = data.draw(st.sampled_from(pages))
        path = template.replace("{pk}", data.draw(ids)).replace("{odd}", data.draw(ids))
        chosen = data.draw(st.lists(st.sampled_from(fields), max_size=4)) if fields else []
        values = {name: data.draw(st.lists(TEXT, min_size=1, max_size=3)) for name in chosen}
        if method == "get":
            values = {name: found[0] for name, found in values.items()}
        probe.send(method, path, values)

    run()
    probe.report(capsys, "custom admin pages")


CHANGE_FORMS = {
    "strategy/ambition": "ambition",
    "strategy/actionplanitem": "item",
    "newsletter/newsletterissue": "issue",
}


def test_change_forms_answer_odd_values(staff_client, content, capsys):
    forms = {}
    for path, name in CHANGE_FORMS.items():
        url = f"/admin/{path}/{content[name].pk}/change/"
        forms[url] = form_data(staff_client.get(url), f"{path.split('/')[1]}_form")
    probe = Probe(staff_client)
    junk_names = st.text(string.ascii_letters + "-_", min_size=1, max_size=20)

    @settings(FUZZ_SETTINGS, max_examples=200)
    @given(data=st.data())
    def run(data):
        url = data.draw(st.sampled_from(sorted(forms)))
        sent = dict(forms[url])
        names = st.one_of(st.sampled_from(sorted(sent)), junk_names)
        for name in data.draw(st.lists(names, min_size=1, max_size=4)):
            sent[name] = data.draw(TEXT)
        probe.send("post", url, sent)

    run()
    probe.report(capsys, "change forms")
