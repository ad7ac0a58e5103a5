"""Editors see writing guidance on change forms and after saving; it never blocks a save."""

import pytest
from django.urls import reverse

from strategy.models import Ambition, NewsPost
from tests.factories import NewsPostFactory

pytestmark = pytest.mark.django_db

HARD = (
    "<p>The implementation of multidisciplinary interventions necessitates comprehensive "
    "interagency collaboration, notwithstanding considerable organisational complexity and "
    "the continuing reconfiguration of commissioning arrangements across the integrated care "
    "system, which stakeholders have repeatedly characterised as insufficiently transparent. "
    '<a href="https://example.com">Click here</a>.</p><h3>Skipped a level</h3>'
)


def test_change_form_shows_the_writing_checks_for_saved_text(staff_client):
    post = NewsPostFactory(body=HARD)
    html = staff_client.get(
        reverse("admin:strategy_newspost_change", args=[post.pk])
    ).content.decode()
    assert "Writing checks" in html
    assert "Reading age 18 or over (target 9 to 11)" in html
    assert "click here" in html.lower()
    assert "over 25 words" in html


def test_plain_text_shows_no_panel(staff_client):
    post = NewsPostFactory(body="<p>We met parents today. We will meet again in May.</p>")
    html = staff_client.get(
        reverse("admin:strategy_newspost_change", args=[post.pk])
    ).content.decode()
    assert "Writing checks: help" not in html


def test_saving_hard_text_is_allowed_and_summed_up(staff_client):
    response = staff_client.post(
        reverse("admin:strategy_newspost_add"),
        {
            "title": "Hard words",
            "slug": "hard-words",
            "summary": "A summary that is long enough for the list.",
            "body": HARD,
            "published_at_0": "2024-01-01",
            "published_at_1": "10:00:00",
            "publishing_status": "published",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert NewsPost.objects.filter(slug="hard-words").exists()  # guidance never blocks
    messages = [str(m) for m in response.context["messages"]]
    assert any(m.startswith("Writing check, Body: Reading age") for m in messages), messages


def test_the_seeded_ambitions_form_loads_with_checks(staff_client):
    ambition = Ambition.objects.get(slug="best-outcomes")
    response = staff_client.get(reverse("admin:strategy_ambition_change", args=[ambition.pk]))
    assert response.status_code == 200
