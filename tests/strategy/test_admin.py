"""Every part of the admin that council staff use loads and saves."""

import pytest
from django.contrib import admin
from django.urls import reverse

from strategy.models import Ambition, Page, Strategy
from tests.factories import ActionPlanItemFactory, NewsPostFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db

CONTENT_MODELS = [model for model in admin.site._registry if model._meta.app_label == "strategy"]
ALL_MODELS = list(admin.site._registry)


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_content_model_is_in_the_admin():
    names = {model.__name__ for model in CONTENT_MODELS}
    assert names >= {
        "Strategy",
        "VisionStatement",
        "RelatedStrategy",
        "Priority",
        "Ambition",
        "ChildRight",
        "ParentCarerCommitment",
        "Board",
        "ActionPlanItem",
        "ProgressUpdate",
        "NewsPost",
        "Page",
    }


@pytest.mark.parametrize("model", CONTENT_MODELS, ids=lambda m: m.__name__)
def test_changelist_add_and_change_pages_load(staff_client, model):
    ProgressUpdateFactory(action_item=ActionPlanItemFactory())
    NewsPostFactory()
    assert staff_client.get(admin_url(model, "changelist")).status_code == 200
    assert staff_client.get(admin_url(model, "changelist"), {"q": "medway"}).status_code == 200
    add = staff_client.get(admin_url(model, "add"))
    assert add.status_code == (403 if model is Page else 200)
    obj = model.objects.first()
    change = staff_client.get(admin_url(model, "change", obj.pk))
    assert change.status_code == 200


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda m: m._meta.label)
def test_every_registered_changelist_and_add_page_loads(staff_client, model):
    assert staff_client.get(admin_url(model, "changelist")).status_code == 200
    add = staff_client.get(admin_url(model, "add"))
    # Some things are never added by hand: subscribers sign up (or are imported),
    # emails are queued, the four standard pages already exist, and erasures,
    # imports, bounce reports and updates for subscribers are recorded as they happen.
    assert add.status_code in (200, 403)
    never_by_hand = {
        "subscriber",
        "outboundemail",
        "delivery",
        "subscriberemail",
        "page",
        "erasurerecord",
        "importrecord",
        "mailboxmessage",
        "contentalert",
    }
    if model._meta.model_name not in never_by_hand:
        assert add.status_code == 200


def test_admin_home_lists_the_content(staff_client):
    response = staff_client.get("/admin/")
    assert response.status_code == 200
    assert "SEND strategy content" in response.content.decode()


def test_strategy_change_form_has_inlines_and_view_on_site(staff_client):
    strategy = Strategy.objects.current()
    html = staff_client.get(admin_url(Strategy, "change", strategy.pk)).content.decode()
    for inline in ["ambitions", "rights", "priorities", "vision_statements"]:
        assert f'id="{inline}-group"' in html, inline
    assert "View on site" in html
    assert "Leave gaps (10, 20, 30)" in html  # ordering help text for editors


def test_ambition_change_form_has_action_items_inline(staff_client):
    ambition = Ambition.objects.get(slug="best-outcomes")
    ActionPlanItemFactory(ambition=ambition, title="Inline action")
    html = staff_client.get(admin_url(Ambition, "change", ambition.pk)).content.decode()
    assert 'id="action_items-group"' in html
    assert "Inline action" in html


def test_action_item_change_form_has_progress_updates_inline(staff_client):
    update = ProgressUpdateFactory(what_we_said="Said in the inline")
    model = type(update.action_item)
    html = staff_client.get(admin_url(model, "change", update.action_item.pk)).content.decode()
    assert 'id="progress_updates-group"' in html
    assert "Said in the inline" in html


def test_reordering_ambitions_from_the_list_uses_plain_number_fields(staff_client):
    html = staff_client.get(admin_url(Ambition, "changelist")).content.decode()
    assert 'name="form-0-order"' in html and 'type="number"' in html


def test_editor_can_change_an_ambition_and_the_public_page_shows_it(staff_client, client):
    ambition = Ambition.objects.get(slug="right-support")
    data = {
        "strategy": ambition.strategy_id,
        "order": 5,
        "text": ambition.text,
        "slug": ambition.slug,
        "description": "<p>What this means for your family.</p>",
        "easy_read": "Help when you need it.",
        "publishing_status": "published",
        "action_items-TOTAL_FORMS": 0,
        "action_items-INITIAL_FORMS": 0,
    }
    response = staff_client.post(admin_url(Ambition, "change", ambition.pk), data)
    assert response.status_code == 302
    html = client.get("/ambitions/right-support/").content.decode()
    assert "What this means for your family." in html
    assert "Help when you need it." in html
    overview = client.get("/").content.decode()
    assert overview.index("access to the right support") < overview.index(
        "achieving the best outcomes"
    )


def test_rich_text_fields_use_the_constrained_editor(staff_client):
    html = staff_client.get(admin_url(Strategy, "add")).content.decode()
    assert "data-django-prose-editor" in html
    assert '"Heading"' in html or "Heading" in html


@pytest.mark.parametrize("encoding", ["identity", "gzip"])
def test_admin_pages_allow_only_the_editor_import_map_by_hash(staff_client, encoding):
    response = staff_client.get(admin_url(Strategy, "add"), HTTP_ACCEPT_ENCODING=encoding)
    directives = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert "'sha256-" in directives["script-src"]
    assert "unsafe-inline" not in directives["script-src"]
    public = staff_client.get("/", HTTP_ACCEPT_ENCODING=encoding)["Content-Security-Policy"]
    assert "unsafe-inline" not in public


def test_standard_pages_cannot_be_deleted(staff_client):
    page = Page.objects.get(kind="privacy")
    assert staff_client.get(admin_url(Page, "delete", page.pk)).status_code == 403


def test_admin_needs_a_staff_login(client):
    response = client.get("/admin/strategy/strategy/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
