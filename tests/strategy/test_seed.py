"""The published strategy text is on the site, every sentence, in its order."""

import re
from pathlib import Path

import pytest

from strategy.models import Board, ChildRight, Page, Priority, Strategy, VisionStatement
from tests.conftest import visible_text

pytestmark = pytest.mark.django_db

SEED = Path(__file__).parent / "data" / "medway-send-strategy.txt"


def seed_sentences():
    """Every sentence, heading and list item of the published strategy, in order."""
    sentences = []
    for line in SEED.read_text(encoding="utf-8").splitlines():
        line = re.sub(r"\s+", " ", line.replace("•", "")).strip()
        if not line:
            continue
        for sentence in re.split(r"(?<=[.:])\s+(?=[A-Z])", line):
            sentences.append(sentence)
    return sentences


def test_seed_file_is_split_into_many_sentences():
    sentences = seed_sentences()
    assert len(sentences) > 35
    assert "Summary of the strategy" in sentences


def test_every_seed_sentence_is_on_the_home_page_in_order(client):
    text = visible_text(client.get("/").content.decode())
    position = 0
    for sentence in seed_sentences():
        found = text.find(sentence, position)
        assert found != -1, f"missing or out of order: {sentence!r}"
        position = found + len(sentence)


@pytest.mark.parametrize(
    ("path", "sentence"),
    [
        ("/vision/", "the author of their own life story."),
        ("/priorities/", "children in Medway will have the best start in life"),
        ("/priorities/", "Core to achieving these goals is ensuring there is a robust"),
        ("/ambitions/", "Achieving the best outcomes, through inclusion and participation"),
        ("/rights/", "access opportunities without discrimination or prejudice"),
        ("/rights/", "Parents and carers are crucial to understanding"),
        ("/action-plan/", "The action plan will be co-produced and monitored at SEND"),
    ],
)
def test_each_topic_page_carries_its_part_of_the_strategy(client, path, sentence):
    assert sentence in visible_text(client.get(path).content.decode())


def test_seed_counts_match_the_published_strategy():
    strategy = Strategy.objects.current()
    assert strategy.slug == "2022-to-2025"
    assert Priority.objects.filter(strategy=strategy).count() == 4
    assert strategy.ambitions.count() == 5
    assert ChildRight.objects.filter(strategy=strategy).count() == 4
    assert VisionStatement.objects.filter(strategy=strategy).count() == 3
    assert strategy.related_strategies.count() == 2
    assert strategy.parent_carer_commitments.count() == 2
    assert set(Board.objects.values_list("name", flat=True)) == {
        "SEND Partnership Board",
        "SEND Operational Board",
    }
    assert not strategy.ambitions.filter(action_items__isnull=False).exists()


def test_standard_pages_exist():
    assert set(Page.objects.values_list("kind", flat=True)) == {
        "accessibility",
        "privacy",
        "cookies",
        "contact",
    }


def test_seed_migration_never_overwrites_staff_edits(db):
    from importlib import import_module

    from django.apps import apps

    seed = import_module("strategy.migrations.0002_seed_strategy_2022_2025")
    pages = import_module("strategy.migrations.0003_seed_standard_pages")
    strategy = Strategy.objects.current()
    strategy.summary = "<p>Edited by staff.</p>"
    strategy.save()
    Page.objects.filter(kind="contact").update(title="Edited contact page")

    seed.seed_strategy(apps, None)
    pages.seed_pages(apps, None)

    assert Strategy.objects.get(pk=strategy.pk).summary == "<p>Edited by staff.</p>"
    assert Strategy.objects.count() == 1
    assert Page.objects.get(kind="contact").title == "Edited contact page"
