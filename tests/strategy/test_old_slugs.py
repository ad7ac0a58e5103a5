"""Links keep working when a slug changes: each old address redirects, permanently."""

import pytest
from reversion.models import Version

from strategy.models import Ambition, OldSlug, Strategy
from tests.factories import ActionPlanItemFactory, AmbitionFactory, NewsPostFactory
from tests.strategy.test_history import admin_url, change_form

pytestmark = pytest.mark.django_db


def rename(obj, slug):
    obj.slug = slug
    obj.save()


def assert_moved(client, old, new):
    response = client.get(old)
    assert response.status_code == 301, (old, response.status_code)
    assert response["Location"] == new


@pytest.mark.parametrize(
    ("make", "url"),
    [
        (lambda: AmbitionFactory(slug="old-name"), "/ambitions/{}/"),
        (lambda: ActionPlanItemFactory(slug="old-name"), "/action-plan/{}/"),
        (lambda: NewsPostFactory(slug="old-name"), "/news/{}/"),
    ],
)
def test_each_public_content_type_redirects_every_old_slug(client, make, url):
    item = make()
    rename(item, "middle-name")
    rename(item, "new-name")

    assert client.get(url.format("new-name")).status_code == 200
    assert_moved(client, url.format("old-name"), url.format("new-name"))
    assert_moved(client, url.format("middle-name"), url.format("new-name"))
    # The query string (a campaign tag in a newsletter link, say) is kept.
    assert_moved(
        client, url.format("old-name") + "?from=email", url.format("new-name") + "?from=email"
    )


def test_editions_and_their_documents_redirect(client, settings, tmp_path):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    current = Strategy.objects.current()
    current.document.save("strategy.pdf", ContentFile(b"%PDF-1.7\n%%EOF\n"))
    current.status = Strategy.Status.SUPERSEDED
    current.save()
    rename(current, "send-strategy-2022-to-2025")

    assert_moved(client, "/editions/2022-to-2025/", "/editions/send-strategy-2022-to-2025/")
    assert_moved(
        client,
        "/editions/2022-to-2025/document/",
        "/editions/send-strategy-2022-to-2025/document/",
    )


def test_a_slug_given_up_and_taken_back_is_live_again(client):
    ambition = AmbitionFactory(slug="first")
    rename(ambition, "second")
    rename(ambition, "first")

    assert client.get("/ambitions/first/").status_code == 200
    assert_moved(client, "/ambitions/second/", "/ambitions/first/")


def test_a_new_item_that_takes_an_old_slug_wins(client):
    moved = AmbitionFactory(slug="shared")
    rename(moved, "moved")
    newcomer = AmbitionFactory(slug="shared", text="the newcomer ambition")

    response = client.get("/ambitions/shared/")
    assert response.status_code == 200
    assert response.context["ambition"] == newcomer


def test_an_old_slug_of_a_draft_is_not_found(client):
    ambition = AmbitionFactory(slug="was-public")
    ambition.publishing_status = "draft"
    rename(ambition, "now-draft")

    assert client.get("/ambitions/was-public/").status_code == 404


def test_a_slug_changed_in_the_admin_and_then_restored_from_the_history_keeps_both(
    staff_client, client
):
    ambition = Ambition.objects.filter(strategy=Strategy.objects.current()).first()
    original = ambition.slug
    data = change_form(staff_client, ambition)
    data["slug"] = "renamed-in-the-admin"
    response = staff_client.post(admin_url(Ambition, "change", ambition.pk), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert_moved(client, f"/ambitions/{original}/", "/ambitions/renamed-in-the-admin/")

    # Restoring the first version (the starting point) puts the old slug back.
    first = Version.objects.get_for_object(ambition).order_by("pk").first()
    first.revision.revert()
    assert client.get(f"/ambitions/{original}/").status_code == 200
    assert_moved(client, "/ambitions/renamed-in-the-admin/", f"/ambitions/{original}/")
    assert OldSlug.objects.filter(slug=original).count() == 0
