"""Each staff role can do what it needs in the admin, and nothing else."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from strategy.models import Ambition
from tests.conftest import sign_in_with_code
from tests.newsletter.factories import NewsletterIssueFactory, SubscriberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_role(django_user_model):
    """A signed-in client for a new staff member in the named group."""

    def make(role):
        user = django_user_model.objects.create_user(
            role.lower().replace(" ", "-"),
            f"{role[:3]}@medway.gov.uk",
            "a long passphrase here",
            is_staff=True,
        )
        user.groups.add(Group.objects.get(name=role))
        return sign_in_with_code(Client(), user)

    return make


def test_the_three_roles_exist():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "Content editor",
        "Publisher",
        "Newsletter manager",
    }


def test_content_editor_edits_content_but_cannot_delete_or_see_the_newsletter(as_role):
    editor = as_role("Content editor")
    ambition = Ambition.objects.get(slug="best-outcomes")
    assert editor.get(f"/admin/strategy/ambition/{ambition.pk}/change/").status_code == 200
    assert editor.get("/admin/strategy/newspost/add/").status_code == 200
    assert editor.get(f"/admin/strategy/ambition/{ambition.pk}/delete/").status_code == 403
    assert editor.get("/admin/strategy/strategy/add/").status_code == 403
    assert editor.get("/admin/newsletter/subscriber/").status_code == 403
    assert editor.get("/admin/newsletter/newsletterissue/").status_code == 403


def test_publisher_can_also_delete_and_add_editions(as_role):
    publisher = as_role("Publisher")
    ambition = Ambition.objects.get(slug="best-outcomes")
    assert publisher.get(f"/admin/strategy/ambition/{ambition.pk}/delete/").status_code == 200
    assert publisher.get("/admin/strategy/strategy/add/").status_code == 200
    assert publisher.get("/admin/newsletter/subscriber/").status_code == 403


def test_newsletter_manager_runs_the_newsletter_and_cannot_touch_the_strategy(as_role):
    manager = as_role("Newsletter manager")
    SubscriberFactory()
    issue = NewsletterIssueFactory()
    assert manager.get("/admin/newsletter/subscriber/").status_code == 200
    assert manager.get("/admin/newsletter/subscriber/export.csv").status_code == 200
    assert manager.get(f"/admin/newsletter/newsletterissue/{issue.pk}/send/").status_code == 200
    ambition = Ambition.objects.get(slug="best-outcomes")
    assert manager.get(f"/admin/strategy/ambition/{ambition.pk}/change/").status_code == 403
    assert manager.get("/admin/strategy/strategy/").status_code == 403


@pytest.mark.parametrize("role", ["Content editor", "Publisher", "Newsletter manager"])
def test_only_superusers_manage_users_and_groups(as_role, role):
    client = as_role(role)
    assert client.get("/admin/auth/user/").status_code == 403
    assert client.get("/admin/auth/group/").status_code == 403


def test_superuser_manages_users(staff_client):
    assert staff_client.get("/admin/auth/user/").status_code == 200
