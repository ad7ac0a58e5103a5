"""The privacy notice says what the newsletter counts, and that nothing is tracked."""

import importlib

import pytest
from django.apps import apps

from strategy.models import Page
from tests.conftest import visible_text

pytestmark = pytest.mark.django_db

notice = importlib.import_module("strategy.migrations.0015_privacy_notice_newsletter_choices")


def test_the_published_notice_describes_counting_bounces_imports_and_choices(client):
    text = visible_text(client.get("/privacy/").content.decode())
    assert "We do not record who opens an email or clicks a link" in text
    assert "our emails have no tracking images" in text
    assert "the receiving mail server sends us a report" in text
    assert "If you signed up for our SEND emails through another service" in text
    assert 'and change what you get with the "manage your subscription" link' in text
    assert "never more than once a week" not in text  # no longer true for every choice


@pytest.mark.parametrize(
    ("edit", "changed"),
    [
        pytest.param({}, True, id="as-seeded"),
        pytest.param({"body": notice.OLD_BODY + "<p>Our own words.</p>"}, False, id="edited"),
        pytest.param({"pending_changes": {"body": "<p>Waiting.</p>"}}, False, id="edit-held"),
    ],
)
def test_the_migration_changes_only_text_staff_have_not_edited(edit, changed):
    Page.objects.filter(kind="privacy").update(**{"body": notice.OLD_BODY, **edit})
    before = Page.objects.get(kind="privacy")
    notice.describe_the_new_newsletter(apps, None)
    after = Page.objects.get(kind="privacy")
    assert after.body == (notice.NEW_BODY if changed else before.body)
    # A changed notice is a new version, so new consent records name it.
    assert (after.updated_at != before.updated_at) is changed
