"""The writing checks that help editors write for families, and the report that runs them."""

import csv
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from strategy.writing import (
    BLOCKING,
    CHECKS,
    GUIDANCE,
    TARGET_READING_AGE,
    Document,
    check_text,
    reading_age,
)
from strategy.writing.document import split_sentences
from strategy.writing.published import iter_published_content
from strategy.writing.readability import syllables

SIMPLE = "The cat sat on the mat. We like to play."
DENSE = (
    "<p>The implementation of multidisciplinary commissioning arrangements necessitates "
    "comprehensive consideration of statutory responsibilities, organisational "
    "accountabilities and interdependencies across the integrated care system. Stakeholder "
    "engagement methodologies will be operationalised to facilitate collaborative "
    "co-production.</p>"
)


def words(n):
    """A sentence of exactly ``n`` short words."""
    return " ".join(["word"] * (n - 1) + ["end."])


def kinds(value):
    return [finding.kind for finding in check_text(value).findings]


def age_of(value):
    return reading_age(Document.parse(value))


# --- One parsed document ----------------------------------------------------------


def test_blocks_keep_paragraphs_list_items_and_headings_apart():
    html = "<h2>Our aims</h2><p>We help. We listen.</p><ul><li>one thing</li><li>another</li></ul>"
    assert Document.parse(html).blocks == [
        "Our aims",
        "We help. We listen.",
        "one thing",
        "another",
    ]


def test_blocks_decode_entities_and_keep_inline_tags_in_the_same_block():
    html = "<p>Families &amp; <strong>carers</strong> are <a href='/x'>welcome</a>.</p>"
    assert Document.parse(html).blocks == ["Families & carers are welcome."]


def test_line_breaks_split_blocks():
    assert Document.parse("<p>Medway Council<br>Gun Wharf</p>").blocks == [
        "Medway Council",
        "Gun Wharf",
    ]


def test_plain_text_splits_on_lines_and_rejoins_a_wrapped_sentence():
    text = "First paragraph.\n\nSecond paragraph.\nA new line.\nThis was typed\nacross two lines."
    assert Document.parse(text).blocks == [
        "First paragraph.",
        "Second paragraph.",
        "A new line.",
        "This was typed across two lines.",
    ]


def test_nothing_gives_an_empty_document():
    assert Document.parse("").blocks == [] and Document.parse(None).sentences == []


def test_the_document_holds_links_headings_and_images_from_one_parse():
    document = Document.parse('<h2>A</h2><p><a href="/x/">Go</a><img src="i.png" alt=""></p>')
    assert [(h.level, h.text) for h in document.headings] == [(2, "A")]
    assert [(link.text, link.href) for link in document.links] == [("Go", "/x/")]
    assert document.images == [{"src": "i.png", "alt": ""}]


def test_sentences_split_on_full_stops_and_question_and_exclamation_marks():
    assert split_sentences("We help. Do you need us? Call today! Thank you") == [
        "We help.",
        "Do you need us?",
        "Call today!",
        "Thank you",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Ask a professional, e.g. a teacher, for help.",
        "Some needs, i.e. those in the plan, are met.",
        "Speak to Dr. Patel or Mr. Jones today.",
        "Bring forms, letters etc. to the meeting.",
        "Read section No. 4 of the plan.",
        "Talk to J. Smith about it.",
        "The grant rose by 2.5 per cent.",
    ],
)
def test_abbreviations_do_not_split_sentences(text):
    assert split_sentences(text) == [text]


def test_etc_before_a_capital_letter_and_closing_quotes():
    assert split_sentences("Bring letters etc. The team will help.") == [
        "Bring letters etc.",
        "The team will help.",
    ]
    assert split_sentences("She said “we will help.” Then she did.") == [
        "She said “we will help.”",
        "Then she did.",
    ]


# --- Reading age (textstat's syllables) -------------------------------------------------


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("cat", 1),
        ("table", 2),
        ("helped", 1),
        ("wanted", 2),
        ("area", 3),
        ("create", 2),
        ("individual", 5),
        ("appropriate", 4),
        ("disability", 5),
        ("communication", 5),
    ],
)
def test_syllables_come_from_the_pronouncing_dictionary(word, count):
    # The hand-written counter this replaced said area 2, create 1, individual 4.
    assert syllables(word) == count


def test_every_word_has_at_least_one_syllable():
    assert syllables("2025") >= 1 and syllables("SEND") >= 1 and syllables("hmm") >= 1


def test_simple_text_has_a_young_reading_age_and_dense_text_is_above_the_target():
    simple, dense = age_of(SIMPLE), age_of(DENSE)
    assert (simple.words, simple.sentences) == (10, 2)
    assert simple.label == "5 or under" and not simple.above_target
    assert dense.label == "18 or over" and dense.above_target and dense.status == "above"


def test_text_within_the_target_is_reported_as_within():
    text = (
        "We want every child to get the right help at school. "
        "Parents told us that waiting lists are too long for families."
    )
    result = age_of(text)
    assert TARGET_READING_AGE[0] <= result.age <= TARGET_READING_AGE[1]
    assert result.status == "within"


def test_reading_age_is_the_uk_age_from_the_us_grade():
    result = age_of("<p>We met parents and carers at the school. " * 3 + "</p>")
    assert result.age == int(result.grade + 5.5)


def test_short_text_is_too_short_to_judge_and_tags_are_not_words():
    assert age_of("Contact us") is None and age_of("") is None
    assert age_of(f"<p>{SIMPLE}</p>") == age_of(SIMPLE)


# --- Each check ---------------------------------------------------------------------


def test_long_sentences_over_the_limit_are_flagged():
    assert kinds(words(25)) == []
    assert kinds(f"<p>Short one. {words(26)}</p>") == ["long_sentence"]
    items = "".join(f"<li>{' '.join(['item'] * 10)}</li>" for _ in range(4))
    assert "long_sentence" not in kinds(f"<p>Children have the right to:</p><ul>{items}</ul>")


@pytest.mark.parametrize(
    "text", ["click here", "Click Here", "Read more.", "here", "More", "find out more"]
)
def test_vague_link_text_is_flagged(text):
    assert kinds(f'<p>For the plan <a href="/plan/">{text}</a></p>') == ["unclear_link"]


@pytest.mark.parametrize(
    "html",
    ['<p><a href="https://x.example">https://x.example</a></p>', '<p><a href="/x/"> </a></p>'],
)
def test_bare_addresses_and_empty_links_are_flagged(html):
    assert kinds(html) == ["unclear_link"]


@pytest.mark.parametrize(
    "text", ["Read the action plan", "contact the SEND team", "info@medway.gov.uk", "More about us"]
)
def test_link_text_that_says_where_it_goes_is_fine(text):
    assert kinds(f'<p><a href="/x/">{text}</a></p>') == []


def test_headings_must_not_skip_a_level():
    assert kinds("<h2>About</h2><h3>Detail</h3><h2>Next</h2><h3>More</h3>") == []
    assert kinds("<h2>About</h2><h4>Too deep</h4>") == ["heading_skip"]
    assert kinds("<h3>Where to start</h3>") == ["heading_skip"]


@pytest.mark.parametrize(
    "tag", ['<img src="a.png">', '<img src="a.png" alt="">', '<img src="a.png" alt="  " />']
)
def test_an_image_without_alt_text_is_found(tag):
    assert kinds(f"<p>{tag}</p>") == ["image_without_alt"]
    assert kinds('<p><img src="a.png" alt="A family at a picnic"></p>') == []


# --- The one rule on blocking, and the report ------------------------------------------


def test_only_an_image_without_alt_blocks_every_other_check_is_guidance():
    report = check_text(
        f'{DENSE}<h3>Start</h3><p>{words(30)} <a href="/x/">click here</a></p><img src="a.png">'
    )
    severities = {finding.kind: finding.severity for finding in report.findings}
    assert severities == {
        "image_without_alt": BLOCKING,
        "reading_age": GUIDANCE,
        "long_sentence": GUIDANCE,
        "unclear_link": GUIDANCE,
        "heading_skip": GUIDANCE,
    }
    assert report.has_blocking
    assert [check.kind for check in CHECKS if check.blocks] == ["image_without_alt"]


def test_empty_and_simple_content_is_clean():
    assert check_text("").is_clean and check_text(None).summary() == "No problems found."
    report = check_text(f"<h2>Play</h2><p>{SIMPLE}</p>")
    assert report.is_clean
    assert report.summary() == "Reading age 5 or under (target 9 to 11)."


def test_summary_reads_as_plain_english():
    html = f'{DENSE}<p>{words(30)}</p><p>{words(28)}</p><p>The <a href="/plan/">here</a>.</p>'
    assert check_text(html).summary() == (
        "Reading age 18 or over (target 9 to 11). Sentences over 25 words: 2. Unclear links: 1."
    )


def test_messages_speak_to_editors_in_plain_words():
    findings = check_text(f"<p>{words(31)}</p>").findings
    (finding,) = [finding for finding in findings if finding.kind == "long_sentence"]
    assert finding.message == (
        "This sentence has 31 words. Try splitting it: “word word word word word word word word…”"
    )
    assert "“Read more”" in check_text('<p><a href="/x/">Read more</a></p>').findings[0].message
    heading = check_text("<h2>A</h2><h4>Deep</h4>").findings[0]
    assert "“Deep” is level 4 straight after a level 2 heading. Use level 3" in heading.message


# --- Published content and the report command -------------------------------------------


@pytest.mark.django_db
def test_published_content_includes_the_seeded_strategy():
    items = list(iter_published_content())
    fields = {(item.label.split(":")[0], item.field) for item in items}
    assert {("Strategy", "introduction"), ("Ambition", "text"), ("Page", "body")} <= fields
    assert ("Children's right", "text") in fields
    assert all(item.admin_url.startswith("/admin/strategy/") for item in items)
    strategy = next(item for item in items if item.field == "introduction")
    assert strategy.public_url == "/"


@pytest.mark.django_db
def test_draft_strategies_are_not_reported():
    from strategy.models import Strategy

    Strategy.objects.update(status=Strategy.Status.DRAFT)
    labels = [item.label for item in iter_published_content()]
    assert not any(label.startswith(("Strategy:", "Ambition:")) for label in labels)


@pytest.mark.django_db
def test_report_command_checks_the_seeded_content():
    out = StringIO()
    call_command("content_report", stdout=out)
    lines = out.getvalue().strip().splitlines()
    checked, found = lines[-1].split(" fields checked: ")
    assert int(checked) > 0
    # One count per check, in the order of CHECKS.
    assert [part.split(" ", 1)[1] for part in found.rstrip(".").split(", ")] == [
        check.label for check in CHECKS
    ]
    assert "All published text together: reading age" in lines[-2]


@pytest.mark.django_db
def test_report_command_all_lists_every_field_and_writes_csv():
    out = StringIO()
    call_command("content_report", "--all", stdout=out)
    output = out.getvalue()
    assert "Strategy: Medway Local Area SEND Strategy 2022 to 2025 (introduction)" in output
    assert output.count("  Edit: /admin/") == int(output.strip().splitlines()[-1].split()[0])
    out, err = StringIO(), StringIO()
    call_command("content_report", "--all", "--format", "csv", stdout=out, stderr=err)
    rows = list(csv.DictReader(StringIO(out.getvalue())))
    assert {"label", "field", "reading_age", "severity", "message"} <= set(rows[0])
    assert "fields checked:" in err.getvalue()


@pytest.mark.django_db
def test_report_command_counts_findings_across_fields_and_fails_on_blocking_when_asked(
    monkeypatch,
):
    from strategy.management.commands import content_report
    from strategy.writing.published import ContentItem

    items = [
        ContentItem("Page: A", "/admin/a/", None, "body", '<img src="a.png">'),
        ContentItem("Page: B", "/admin/b/", None, "body", '<img src="b.png"><img src="c.png">'),
    ]
    monkeypatch.setattr(content_report, "iter_published_content", lambda: iter(items))
    out = StringIO()
    call_command("content_report", stdout=out)
    assert "BLOCKING: An image (a.png) has no alternative text." in out.getvalue()
    assert "3 images without alternative text" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("content_report", "--fail-on-blocking", stdout=StringIO())
