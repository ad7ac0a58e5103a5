"""The content checks that help editors write for families, and the report that runs them."""

import csv
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from strategy.content_checks import (
    BLOCKING,
    GUIDANCE,
    TARGET_READING_AGE,
    check_content,
    count_syllables,
    html_to_text_blocks,
    images_without_alt,
    iter_published_content,
    long_sentences,
    reading_age,
    skipped_heading_levels,
    split_sentences,
    unclear_link_text,
)

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


# --- Blocks and sentences ---------------------------------------------------


def test_blocks_keep_paragraphs_list_items_and_headings_apart():
    html = "<h2>Our aims</h2><p>We help. We listen.</p><ul><li>one thing</li><li>another</li></ul>"
    assert html_to_text_blocks(html) == [
        "Our aims",
        "We help. We listen.",
        "one thing",
        "another",
    ]


def test_blocks_decode_entities_and_keep_inline_tags_in_the_same_block():
    html = "<p>Families &amp; <strong>carers</strong> are <a href='/x'>welcome</a>.</p>"
    assert html_to_text_blocks(html) == ["Families & carers are welcome."]


def test_line_breaks_split_blocks():
    assert html_to_text_blocks("<p>Medway Council<br>Gun Wharf</p>") == [
        "Medway Council",
        "Gun Wharf",
    ]


def test_plain_text_splits_on_lines_and_blank_lines():
    text = "First paragraph.\n\nSecond paragraph.\nA new line."
    assert html_to_text_blocks(text) == ["First paragraph.", "Second paragraph.", "A new line."]


def test_plain_text_rejoins_a_sentence_wrapped_onto_a_new_line():
    text = "This sentence was typed\nacross two lines."
    assert html_to_text_blocks(text) == ["This sentence was typed across two lines."]


def test_nothing_gives_no_blocks():
    assert html_to_text_blocks("") == []
    assert html_to_text_blocks(None) == []


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
        "Mrs. Khan runs the group.",
        "Bring forms, letters etc. to the meeting.",
        "Read section No. 4 of the plan.",
        "Talk to J. Smith about it.",
        "The grant rose by 2.5 per cent.",
    ],
)
def test_abbreviations_do_not_split_sentences(text):
    assert split_sentences(text) == [text]


def test_etc_before_a_capital_letter_ends_the_sentence():
    assert split_sentences("Bring forms, letters etc. The team will help.") == [
        "Bring forms, letters etc.",
        "The team will help.",
    ]


def test_a_closing_quote_stays_with_its_sentence():
    assert split_sentences("She said “we will help.” Then she did.") == [
        "She said “we will help.”",
        "Then she did.",
    ]


@pytest.mark.parametrize(
    ("word", "syllables"),
    [
        ("cat", 1),
        ("the", 1),
        ("make", 1),
        ("table", 2),
        ("people", 2),
        ("children", 2),
        ("helped", 1),
        ("wanted", 2),
        ("places", 2),
        ("family", 3),
        ("strategy", 3),
        ("beautiful", 3),
        ("education", 4),
        ("independent", 4),
        ("disability", 5),
        ("communication", 5),
    ],
)
def test_syllable_estimates_are_within_one(word, syllables):
    assert abs(count_syllables(word) - syllables) <= 1


def test_every_word_has_at_least_one_syllable():
    assert count_syllables("rhythm") >= 1
    assert count_syllables("2025") == 1
    assert count_syllables("SEND") == 1


# --- Reading age ----------------------------------------------------------------


def test_simple_text_has_a_young_reading_age():
    result = reading_age(SIMPLE)
    assert result.words == 10
    assert result.sentences == 2
    assert result.age <= TARGET_READING_AGE[1]
    assert result.within_target
    assert not result.above_target


def test_dense_bureaucratic_text_is_above_the_target():
    result = reading_age(DENSE)
    assert result.age > TARGET_READING_AGE[1]
    assert result.above_target
    assert result.status == "above"


def test_text_within_the_target_is_reported_as_within():
    text = (
        "We want every child to get the right help at school. "
        "Parents told us that waiting lists are too long for families."
    )
    result = reading_age(text)
    assert TARGET_READING_AGE[0] <= result.age <= TARGET_READING_AGE[1]
    assert result.status == "within"


def test_reading_age_is_uk_age_from_the_us_grade():
    result = reading_age(DENSE)
    assert result.age == min(18, round(result.grade + 5))


def test_extreme_scores_are_kept_to_a_sensible_range():
    assert reading_age(SIMPLE).label == "5 or under"
    assert reading_age(DENSE).label == "18 or over"


def test_short_text_is_too_short_to_judge():
    assert reading_age("Contact us") is None
    assert reading_age("") is None


def test_reading_age_reads_html_without_counting_tags():
    assert reading_age(f"<p>{SIMPLE}</p>") == reading_age(SIMPLE)


# --- Long sentences ---------------------------------------------------------------


def test_a_thirty_word_sentence_is_flagged():
    found = long_sentences(f"<p>Short one. {words(30)}</p>")
    assert len(found) == 1
    assert found[0].words == 30


def test_a_twenty_word_sentence_is_not_flagged():
    assert long_sentences(words(20)) == []


def test_exactly_the_limit_is_not_flagged():
    assert long_sentences(words(25)) == []
    assert len(long_sentences(words(26))) == 1


def test_list_items_count_as_sentences_of_their_own():
    items = "".join(f"<li>{' '.join(['item'] * 10)}</li>" for _ in range(4))
    assert long_sentences(f"<p>Children have the right to:</p><ul>{items}</ul>") == []


def test_the_limit_can_be_changed():
    assert len(long_sentences(words(20), limit=15)) == 1


# --- Link text ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["click here", "Click Here", "Read more.", "read more…", "here", "More", "find out more"],
)
def test_vague_link_text_is_flagged(text):
    found = unclear_link_text(f'<p>For the plan <a href="/plan/">{text}</a></p>')
    assert [(link.reason, link.href) for link in found] == [("vague", "/plan/")]


def test_a_bare_web_address_is_flagged():
    found = unclear_link_text('<p><a href="https://x.example">https://x.example</a></p>')
    assert [link.reason for link in found] == ["address"]


def test_a_link_with_no_words_is_flagged():
    assert [link.reason for link in unclear_link_text('<a href="/x/"> </a>')] == ["empty"]


@pytest.mark.parametrize(
    "text",
    ["Read the action plan", "contact the SEND team", "info@medway.gov.uk", "More about us"],
)
def test_link_text_that_says_where_it_goes_is_fine(text):
    assert unclear_link_text(f'<p><a href="/x/">{text}</a></p>') == []


def test_plain_text_has_no_links_to_check():
    assert unclear_link_text("click here") == []


# --- Headings -------------------------------------------------------------------


def test_headings_in_order_are_fine():
    html = "<h2>About</h2><p>Text.</p><h3>Detail</h3><h2>Next</h2><h3>More detail</h3>"
    assert skipped_heading_levels(html) == []


def test_going_back_up_a_level_is_fine():
    assert skipped_heading_levels("<h2>A</h2><h3>B</h3><h2>C</h2>") == []


def test_jumping_from_level_2_to_level_4_is_flagged():
    found = skipped_heading_levels("<h2>About</h2><h4>Too deep</h4>")
    assert [(h.text, h.level, h.previous_level) for h in found] == [("Too deep", 4, 2)]


def test_starting_at_level_3_is_flagged():
    found = skipped_heading_levels("<h3>Where to start</h3><p>Text.</p>")
    assert [(h.text, h.level) for h in found] == [("Where to start", 3)]


def test_start_level_can_be_set_for_content_under_a_section_heading():
    assert skipped_heading_levels("<h3>Sub</h3>", start_level=2) == []


# --- Images ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "tag",
    ['<img src="a.png">', '<img src="a.png" alt="">', '<img src="a.png" alt="  " />'],
)
def test_an_image_without_alt_text_is_found(tag):
    assert [image.src for image in images_without_alt(f"<p>{tag}</p>")] == ["a.png"]


def test_an_image_with_alt_text_is_fine():
    assert images_without_alt('<p><img src="a.png" alt="A family at a picnic"></p>') == []


def test_an_image_without_alt_is_the_only_blocking_finding():
    report = check_content(
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


def test_an_image_with_alt_text_does_not_block():
    report = check_content('<p><img src="a.png" alt="A family at a picnic"></p>')
    assert report.is_clean
    assert not report.has_blocking


# --- The whole report -----------------------------------------------------------


def test_empty_content_is_clean():
    report = check_content("")
    assert report.is_clean
    assert report.reading_age is None
    assert report.summary() == "No problems found."
    assert check_content(None).is_clean


def test_simple_content_is_clean_and_says_its_reading_age():
    report = check_content(f"<h2>Play</h2><p>{SIMPLE}</p>")
    assert report.is_clean
    assert report.summary() == "Reading age 5 or under (target 9 to 11)."


def test_summary_reads_as_plain_english():
    html = (
        f"{DENSE}<p>{words(30)}</p><p>{words(28)}</p>"
        '<p>For the plan <a href="/plan/">click here</a>.</p>'
    )
    assert check_content(html).summary() == (
        "Reading age 18 or over (target 9 to 11). 2 sentences over 25 words. "
        "1 link says “click here”."
    )


def test_summary_counts_several_problems():
    html = (
        '<h3>A</h3><h2>B</h2><h4>C</h4><p><a href="/a/">here</a> <a href="/b/">more</a></p>'
        '<img src="a.png"><img src="b.png">'
    )
    assert check_content(html).summary() == (
        "2 links do not say where they go. 2 headings skip a level. "
        "2 images have no alternative text."
    )


def test_messages_speak_to_editors_in_plain_words():
    report = check_content(f"<p>{words(31)}</p>")
    (finding,) = [finding for finding in report.findings if finding.kind == "long_sentence"]
    assert finding.message == (
        "This sentence has 31 words. Try splitting it: “word word word word word word word word…”"
    )
    link = check_content('<p><a href="/x/">Read more</a></p>').findings[0]
    assert "“Read more”" in link.message
    heading = check_content("<h2>A</h2><h4>Deep</h4>").findings[0]
    assert "“Deep” is level 4 straight after a level 2 heading. Use level 3" in heading.message


# --- Published content and the report command ----------------------------------


@pytest.mark.django_db
def test_published_content_includes_the_seeded_strategy():
    items = list(iter_published_content())
    fields = {(item.label.split(":")[0], item.field) for item in items}
    assert ("Strategy", "introduction") in fields
    assert ("Ambition", "text") in fields
    assert ("Children's right", "text") in fields
    assert ("Page", "body") in fields
    assert all(item.admin_url.startswith("/admin/strategy/") for item in items)
    assert all(item.value.strip() for item in items)
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
    output = out.getvalue()
    summary = output.strip().splitlines()[-1]
    checked = int(summary.split(" fields checked:")[0])
    assert checked > 0
    assert "above the target reading age" in summary
    assert summary.endswith("images without alt text.")
    assert "Reading age:" in output


@pytest.mark.django_db
def test_report_command_all_lists_every_field():
    out = StringIO()
    call_command("content_report", "--all", stdout=out)
    output = out.getvalue()
    assert "Strategy: Medway Local Area SEND Strategy 2022 to 2025 (introduction)" in output
    assert output.count("  Edit: /admin/") == int(output.strip().splitlines()[-1].split()[0])


@pytest.mark.django_db
def test_report_command_writes_csv_with_the_summary_kept_apart():
    out, err = StringIO(), StringIO()
    call_command("content_report", "--all", "--format", "csv", stdout=out, stderr=err)
    rows = list(csv.DictReader(StringIO(out.getvalue())))
    assert rows
    assert {"label", "field", "reading_age", "severity", "message"} <= set(rows[0])
    assert "fields checked:" in err.getvalue()


@pytest.mark.django_db
def test_report_command_fails_on_blocking_only_when_asked(monkeypatch):
    from strategy.content_checks import ContentItem
    from strategy.management.commands import content_report

    item = ContentItem("Page: Test", "/admin/x/", None, "body", '<img src="a.png">')
    monkeypatch.setattr(content_report, "iter_published_content", lambda: iter([item]))
    out = StringIO()
    call_command("content_report", stdout=out)
    assert "BLOCKING: An image (a.png) has no alternative text." in out.getvalue()
    with pytest.raises(CommandError):
        call_command("content_report", "--fail-on-blocking", stdout=StringIO())
