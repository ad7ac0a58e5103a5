"""History and undo in the admin: every change recorded, compare, restore, recover, conflicts."""

import base64
import hashlib
import re
from html.parser import HTMLParser

import pytest
import reversion
from django.contrib.admin.models import DELETION, LogEntry
from django.test import Client
from django.urls import reverse
from reversion.models import Revision, Version

from medway_send.admin_history import STARTING_POINT
from strategy.models import (
    ActionPlanItem,
    Ambition,
    Board,
    ChildRight,
    NewsPost,
    Page,
    ParentCarerCommitment,
    Priority,
    ProgressUpdate,
    RelatedStrategy,
    Strategy,
    VisionStatement,
)
from tests.conftest import visible_text
from tests.factories import NewsPostFactory
from tests.staff.conftest import sign_in_fully

pytestmark = pytest.mark.django_db

CONTENT_MODELS = [
    Strategy,
    VisionStatement,
    RelatedStrategy,
    Priority,
    Ambition,
    ChildRight,
    ParentCarerCommitment,
    Board,
    ActionPlanItem,
    ProgressUpdate,
    NewsPost,
    Page,
]


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


class _FormReader(HTMLParser):
    """Reads what a browser would submit from one form on a page."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.data = form_id, False, []
        self._textarea = self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type", "text") not in {"submit", "button"}:
            if attrs.get("type") not in {"checkbox", "radio"} or "checked" in attrs:
                self.data.append([name, attrs.get("value", "on" if "checked" in attrs else "")])
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
            self.data.append(self._textarea)
        elif tag == "select" and name:
            self._select = [name, None]
            self.data.append(self._select)
        elif (
            tag == "option"
            and self._select is not None
            and (self._select[1] is None or "selected" in attrs)
        ):
            self._select[1] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data


def form_data(response, form_id):
    """The fields of ``form_id`` in the page, as the browser would post them."""
    assert response.status_code == 200, response.status_code
    reader = _FormReader(form_id)
    reader.feed(response.content.decode())
    data = {}
    for name, value in reader.data:
        data.setdefault(name, []).append(value or "")
    assert data, f"no form {form_id} on the page"
    return {name: values if len(values) > 1 else values[0] for name, values in data.items()}


def change_form(client, obj):
    """The change form for ``obj`` as the editor's browser would send it back unchanged."""
    response = client.get(admin_url(type(obj), "change", obj.pk))
    return form_data(response, f"{obj._meta.model_name}_form")


def inline_scripts_are_only_the_allowed_import_map(response):
    """True if every script without a src is one the page's CSP allows by hash."""
    html = response.content.decode()
    policy = response["Content-Security-Policy"]
    for attrs, body in re.findall(r"(?is)<script\b([^>]*)>(.*?)</script>", html):
        if "src=" in attrs:
            continue
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        if 'type="importmap"' not in attrs or f"'sha256-{digest}'" not in policy:
            return False
    return "unsafe-inline" not in policy.split("script-src", 1)[1].split(";")[0]


@pytest.fixture
def colleague(django_user_model):
    """A second editor, signed in on their own browser."""
    user = django_user_model.objects.create_superuser(
        "sam", "sam@example.com", "another long passphrase for tests", first_name="Sam"
    )
    user.last_name = "Jones"
    user.save()
    return sign_in_fully(Client(), user)


def versions_of(obj):
    return Version.objects.get_for_object(obj).select_related("revision__user")


# What is versioned.


def test_every_content_model_and_newsletter_issues_are_versioned_but_not_people():
    from newsletter.models import ConsentEvent, Delivery, NewsletterIssue, OutboundEmail, Subscriber

    for model in [*CONTENT_MODELS, NewsletterIssue]:
        assert reversion.is_registered(model), model
    for model in [Subscriber, ConsentEvent, OutboundEmail, Delivery]:
        assert not reversion.is_registered(model), model


# Single add, change and delete.


def test_add_change_and_delete_are_each_recorded_with_who_did_them(staff_client):
    add = form_data(staff_client.get(admin_url(NewsPost, "add")), "newspost_form")
    add.update(title="Short breaks", slug="short-breaks", summary="New short breaks.")
    add["body"] = "<p>More short breaks this summer.</p>"
    assert staff_client.post(admin_url(NewsPost, "add"), add).status_code == 302
    post = NewsPost.objects.get(slug="short-breaks")

    data = change_form(staff_client, post)
    data["title"] = "More short breaks"
    assert staff_client.post(admin_url(NewsPost, "change", post.pk), data).status_code == 302

    versions = list(versions_of(post))
    assert [v.revision.get_comment() for v in versions] == ["Changed Title.", "Added."]
    assert {v.revision.user.username for v in versions} == {"editor"}
    assert versions[0].field_dict["title"] == "More short breaks"
    assert versions[1].field_dict["title"] == "Short breaks"

    response = staff_client.post(admin_url(NewsPost, "delete", post.pk), {"post": "yes"})
    assert response.status_code == 302 and not NewsPost.objects.exists()
    deletion = Version.objects.get_deleted(NewsPost).get()
    assert deletion.revision.get_comment() == "Deleted."
    assert deletion.revision.user.username == "editor"
    # Django's own admin log is written as well.
    assert LogEntry.objects.filter(action_flag=DELETION, object_repr="More short breaks").exists()


def test_a_strategy_version_includes_the_items_on_its_page(staff_client):
    strategy = Strategy.objects.current()
    data = change_form(staff_client, strategy)
    data["summary_heading"] = "The strategy in brief"
    response = staff_client.post(admin_url(Strategy, "change", strategy.pk), data)
    assert response.status_code == 302
    revision = versions_of(strategy).first().revision
    saved = {version.content_type.model for version in revision.version_set.all()}
    assert {"strategy", "visionstatement", "ambition", "childright", "priority"} <= saved


def test_the_first_change_to_seeded_content_can_be_undone(staff_client):
    ambition = Ambition.objects.get(slug="best-outcomes")
    assert not versions_of(ambition).exists()  # loaded by a data migration
    original = ambition.text
    data = change_form(staff_client, ambition)
    data["text"] = "achieving the very best outcomes"
    staff_client.post(admin_url(Ambition, "change", ambition.pk), data)
    oldest = versions_of(ambition).last()
    assert oldest.revision.comment == STARTING_POINT and oldest.field_dict["text"] == original


# Bulk actions.


def test_bulk_delete_records_each_item_with_who_and_they_can_be_recovered(staff_client, client):
    first, second = NewsPostFactory(title="First post"), NewsPostFactory(title="Second post")
    response = staff_client.post(
        admin_url(NewsPost, "changelist"),
        {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"},
    )
    assert response.status_code == 302 and not NewsPost.objects.exists()
    deleted = Version.objects.get_deleted(NewsPost).select_related("revision__user")
    assert {version.object_repr for version in deleted} == {"First post", "Second post"}
    assert {version.revision.user.username for version in deleted} == {"editor"}
    assert "Deleted, with the other selected news posts (2)." in {
        version.revision.comment for version in deleted
    }

    listing = staff_client.get(admin_url(NewsPost, "recoverlist")).content.decode()
    assert "First post" in listing and "Second post" in listing
    version = deleted.get(object_repr="Second post")
    data = form_data(staff_client.get(admin_url(NewsPost, "recover", version.pk)), "newspost_form")
    assert staff_client.post(admin_url(NewsPost, "recover", version.pk), data).status_code == 302
    assert client.get(f"/news/{second.slug}/").status_code == 200


def test_reordering_from_the_list_is_recorded_with_who(staff_client):
    changelist = staff_client.get(admin_url(Ambition, "changelist"))
    data = form_data(changelist, "changelist-form")
    data.update({"form-0-order": "95", "form-1-order": "96", "_save": "Save"})
    data.pop("action", None)
    moved = [Ambition.objects.get(pk=data["form-0-id"]), Ambition.objects.get(pk=data["form-1-id"])]
    response = staff_client.post(admin_url(Ambition, "changelist"), data)
    assert response.status_code == 302
    for ambition, order in zip(moved, [95, 96], strict=True):
        latest = versions_of(ambition).first()
        assert latest.field_dict["order"] == order
        assert latest.revision.user.username == "editor"
        assert latest.revision.get_comment() == "Changed Order."
    # One list save is one revision, and the order before it is kept too.
    assert versions_of(moved[0]).first().revision == versions_of(moved[1]).first().revision
    assert versions_of(moved[0]).last().revision.comment == STARTING_POINT


def test_an_inline_item_deleted_on_the_strategy_page_can_be_recovered(staff_client):
    strategy = Strategy.objects.current()
    right = strategy.rights.order_by("order", "pk").first()
    data = change_form(staff_client, strategy)
    index = next(
        key for key, value in data.items() if key.startswith("rights-") and value == str(right.pk)
    )
    data[index.replace("-id", "-DELETE")] = "on"
    assert staff_client.post(admin_url(Strategy, "change", strategy.pk), data).status_code == 302
    assert not ChildRight.objects.filter(pk=right.pk).exists()
    deletion = Version.objects.get_deleted(ChildRight).get()
    assert deletion.object_repr == str(right) and deletion.revision.user.username == "editor"


# Compare and restore.


def test_history_lists_versions_and_compare_shows_what_changed(staff_client):
    ambition = Ambition.objects.get(slug="best-outcomes")
    data = change_form(staff_client, ambition)
    data["easy_read"] = "Doing well at school and in life."
    staff_client.post(admin_url(Ambition, "change", ambition.pk), data)

    history = staff_client.get(admin_url(Ambition, "history", ambition.pk))
    html = history.content.decode()
    assert "Changed Easy read version." in html and "editor" in html
    assert STARTING_POINT in html
    assert inline_scripts_are_only_the_allowed_import_map(history)

    newer, older = versions_of(ambition)
    compare = staff_client.get(
        admin_url(Ambition, "compare", ambition.pk),
        {"version_id1": older.pk, "version_id2": newer.pk},
    )
    assert compare.status_code == 200
    text = compare.content.decode()
    assert "Easy read version" in text and "<ins>" in text and "Doing well at school" in text
    assert "Restore the older version" in text
    assert inline_scripts_are_only_the_allowed_import_map(compare)


def test_restoring_an_earlier_version_puts_the_old_text_back_on_the_public_page(
    staff_client, client
):
    ambition = Ambition.objects.get(slug="best-outcomes")
    original = ambition.heading
    data = change_form(staff_client, ambition)
    data["text"] = "doing brilliantly"
    staff_client.post(admin_url(Ambition, "change", ambition.pk), data)
    assert "Doing brilliantly" in visible_text(
        client.get("/ambitions/best-outcomes/").content.decode()
    )

    before = versions_of(ambition).last()
    url = admin_url(Ambition, "revision", ambition.pk, before.pk)
    page = staff_client.get(url)
    assert "Check it, change anything you need" in page.content.decode()
    assert inline_scripts_are_only_the_allowed_import_map(page)
    assert staff_client.post(url, form_data(page, "ambition_form")).status_code == 302

    public = visible_text(client.get("/ambitions/best-outcomes/").content.decode())
    assert original in public and "Doing brilliantly" not in public
    latest = versions_of(ambition).first()
    assert latest.revision.get_comment().startswith("Reverted to previous version")
    assert latest.revision.user.username == "editor"


def test_recovering_a_deleted_news_post_puts_it_back_on_the_site(staff_client, client):
    post = NewsPostFactory(title="Holiday clubs")
    staff_client.post(admin_url(NewsPost, "delete", post.pk), {"post": "yes"})
    assert client.get(f"/news/{post.slug}/").status_code == 404

    changelist = staff_client.get(admin_url(NewsPost, "changelist")).content.decode()
    assert "Recover deleted news posts" in changelist
    listing = staff_client.get(admin_url(NewsPost, "recoverlist"))
    assert "Holiday clubs" in listing.content.decode()
    assert inline_scripts_are_only_the_allowed_import_map(listing)
    version = Version.objects.get_deleted(NewsPost).get()
    url = admin_url(NewsPost, "recover", version.pk)
    page = staff_client.get(url)
    assert "bring it back" in page.content.decode()
    assert inline_scripts_are_only_the_allowed_import_map(page)
    assert staff_client.post(url, form_data(page, "newspost_form")).status_code == 302

    assert "Holiday clubs" in client.get(f"/news/{post.slug}/").content.decode()


# Two editors at once.


def test_a_save_over_someone_elses_change_stops_and_loses_neither_edit(staff_client, colleague):
    ambition = Ambition.objects.get(slug="best-outcomes")
    mine = change_form(staff_client, ambition)  # I open the form...
    theirs = change_form(colleague, ambition)  # ...so does Sam,
    theirs["description"] = "<p>Sam’s new description.</p>"
    assert colleague.post(admin_url(Ambition, "change", ambition.pk), theirs).status_code == 302

    mine["easy_read"] = "My easy read words."  # and I save after Sam.
    response = staff_client.post(admin_url(Ambition, "change", ambition.pk), mine)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Sam Jones changed this ambition at " in html
    assert "your changes have not been saved. Copy anything you need, then reload the page." in html
    assert "Saved version: “Sam’s new description.”" in html  # theirs, by the field
    assert "My easy read words." in html  # mine, still in the form
    ambition.refresh_from_db()
    assert ambition.description == "<p>Sam’s new description.</p>" and ambition.easy_read == ""

    # Reloading gives a fresh form with Sam's change; my edit then saves.
    fresh = change_form(staff_client, ambition)
    fresh["easy_read"] = "My easy read words."
    assert staff_client.post(admin_url(Ambition, "change", ambition.pk), fresh).status_code == 302
    ambition.refresh_from_db()
    assert ambition.description == "<p>Sam’s new description.</p>"
    assert ambition.easy_read == "My easy read words."


def test_an_item_changed_elsewhere_stops_the_strategy_page_overwriting_it(staff_client, colleague):
    strategy = Strategy.objects.current()
    mine = change_form(staff_client, strategy)
    ambition = strategy.ambitions.get(slug="best-outcomes")
    theirs = change_form(colleague, ambition)
    theirs["text"] = "achieving the best outcomes in life"
    assert colleague.post(admin_url(Ambition, "change", ambition.pk), theirs).status_code == 302

    mine["summary_heading"] = "The strategy in brief"
    response = staff_client.post(admin_url(Strategy, "change", strategy.pk), mine)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sam Jones changed this strategy" in html
    assert "Ambition “achieving the best outcomes in life”: text is now “achieving the best" in html
    ambition.refresh_from_db()
    assert ambition.text == "achieving the best outcomes in life"


def test_a_change_nobody_else_made_saves_normally(staff_client):
    ambition = Ambition.objects.get(slug="best-outcomes")
    data = change_form(staff_client, ambition)
    assert data["edit_check"]  # the form carries the fingerprint
    data["easy_read"] = "First."
    assert staff_client.post(admin_url(Ambition, "change", ambition.pk), data).status_code == 302
    data = change_form(staff_client, ambition)
    data["easy_read"] = "Second."
    assert staff_client.post(admin_url(Ambition, "change", ambition.pk), data).status_code == 302
    assert Ambition.objects.get(pk=ambition.pk).easy_read == "Second."
    assert Revision.objects.filter(comment__icontains="edit check").count() == 0


def test_restoring_an_edition_warns_about_items_added_since_and_needs_delete_rights(
    staff_client, django_user_model
):
    from django.contrib.auth.models import Group

    strategy = Strategy.objects.current()
    data = change_form(staff_client, strategy)
    staff_client.post(admin_url(Strategy, "change", strategy.pk), data)
    before = versions_of(strategy).first()
    added = VisionStatement.objects.create(strategy=strategy, text="a vision added later", order=99)

    editor = django_user_model.objects.create_user(
        "casey", "casey@example.com", "a long passphrase for the editor", is_staff=True
    )
    editor.groups.add(Group.objects.get(name="Content editor"))
    editor_client = sign_in_fully(Client(), editor)
    url = admin_url(Strategy, "revision", strategy.pk, before.pk)
    page = editor_client.get(url)
    assert "will also delete what has been added to this page since" in page.content.decode()
    assert "a vision added later" in page.content.decode()
    refused = editor_client.post(url, form_data(page, "strategy_form"), follow=True)
    assert "you do not have permission to delete" in refused.content.decode()
    assert VisionStatement.objects.filter(pk=added.pk).exists()

    page = staff_client.get(url)
    assert staff_client.post(url, form_data(page, "strategy_form")).status_code == 302
    assert not VisionStatement.objects.filter(pk=added.pk).exists()
    assert Version.objects.get_deleted(VisionStatement).filter(object_id=str(added.pk)).exists()
