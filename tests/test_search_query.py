"""The public query language: parsing, limits, dates, names, and what reaches Whoosh."""

from __future__ import annotations

import datetime as dt

import pytest
from whoosh import query as wq

from briefings.ingest.load import load_conference
from briefings.models import Person
from search.analysis import archive_analyzer
from search.filters import ResolvedFilter, combine_filters, resolve_filters
from search.language import (
    MAX_ALTERNATIVES,
    MAX_QUERY_LENGTH,
    FieldFilter,
    Phrase,
    Word,
    describe,
    edit_distance,
    parse_date_bound,
    parse_query,
    replace_filter,
    without_filter,
)
from search.whoosh.compiling import compile_query, word_query
from tests.conftest import miit_briefing, source_file

ANALYZER = archive_analyzer()  # what the index's text fields are analysed with


def test_it_parses_words_phrases_exclusions_and_alternatives():
    parsed = parse_query('digital "supply chain" -masks vaccine OR vaccines -"press release"')

    assert parsed.required == [
        [Word("digital")],
        [Phrase(("supply", "chain"))],
        [Word("vaccine"), Word("vaccines")],
    ]
    assert parsed.excluded == [Word("masks"), Phrase(("press", "release"))]
    assert parsed.messages == []


def test_it_reads_field_filters_with_names_in_quotes():
    parsed = parse_query('speaker:psaki outlet:"China Daily" -org:scio conference:some-slug')

    assert parsed.filters == [
        FieldFilter("speaker", "psaki"),
        FieldFilter("outlet", "China Daily"),
        FieldFilter("organization", "scio", negated=True),
        FieldFilter("conference", "some-slug"),
    ]
    assert parsed.required == []


def test_it_reads_dates_as_inclusive_bounds():
    parsed = parse_query("from:2021-02 to:2022")

    assert parsed.date_from == dt.date(2021, 2, 1)
    assert parsed.date_to == dt.date(2022, 12, 31)
    assert parse_date_bound("2024-02", end=True) == dt.date(2024, 2, 29)
    assert parse_date_bound("2023-08-17", end=False) == dt.date(2023, 8, 17)


@pytest.mark.parametrize("value", ["2021-13", "2021-02-30", "yesterday", "21", "2021/02/01"])
def test_it_answers_a_bad_date_with_a_message(value):
    parsed = parse_query(f"jobs from:{value}")

    assert parsed.date_from is None
    assert parsed.required == [[Word("jobs")]]
    assert parsed.messages == [f"from: “{value}” is not a date; use YYYY, YYYY-MM or YYYY-MM-DD."]


def test_it_says_when_from_comes_after_to():
    parsed = parse_query("from:2024 to:2021")

    assert parsed.messages == ["from: 2024-01-01 is after to: 2021-12-31, so nothing can match."]


def test_it_cuts_a_long_query_with_a_message():
    parsed = parse_query("x" * 10_000)

    assert parsed.messages == [f"Your search was cut to its first {MAX_QUERY_LENGTH} characters."]
    assert len(parsed.required[0][0].text) == MAX_QUERY_LENGTH


def test_it_keeps_twelve_terms():
    parsed = parse_query(" ".join(f"w{number}" for number in range(30)))

    assert len(parsed.required) == 12
    assert "Only the first 12 terms were used." in parsed.messages


def test_it_keeps_two_phrases_of_eight_words():
    parsed = parse_query('"a b c d e f g h i j" "k l" "m n"')

    assert [clause for group in parsed.required for clause in group] == [
        Phrase(tuple("abcdefgh")),
        Phrase(("k", "l")),
    ]
    assert "Phrases are cut to their first 8 words." in parsed.messages
    assert "Only the first 2 phrases were used." in parsed.messages


def test_it_keeps_twenty_alternatives_of_two_thousand():
    # Two thousand short alternatives: within the length limit only a few hundred remain.
    parsed = parse_query(" OR ".join(f"w{number}" for number in range(2000)), speaker="")

    assert sum(len(group) for group in parsed.required) == MAX_ALTERNATIVES
    assert len(parsed.required) == 1
    assert "Only the first 20 alternatives joined by OR were used." in parsed.messages


def test_it_takes_the_form_controls_as_filters():
    parsed = parse_query("jobs", speaker="Jen Psaki", date_from="2021", date_to="bad")

    assert parsed.filters == [FieldFilter("speaker", "Jen Psaki")]
    assert parsed.date_from == dt.date(2021, 1, 1)
    assert parsed.messages == ["to: “bad” is not a date; use YYYY, YYYY-MM or YYYY-MM-DD."]
    assert describe(parsed) == 'jobs speaker:"Jen Psaki" from:2021-01-01'


def test_an_empty_query_is_empty():
    assert parse_query("   ").is_empty
    assert not parse_query("from:2021").is_empty


def queries_in(query: wq.Query) -> list[wq.Query]:
    found = [query]
    for child in query.children():
        found += queries_in(child)
    return found


def test_whoosh_syntax_in_user_text_stays_text():
    parsed = parse_query("vaccin* roll~3 [a TO z] text:secret id:briefings.exchange.1 (a OR b)")

    compiled = compile_query(parsed, [], ANALYZER)

    kinds = {type(query) for query in queries_in(compiled.query)}
    assert kinds <= {wq.And, wq.Or, wq.AndMaybe, wq.Term, wq.Phrase}
    fields = {query.fieldname for query in queries_in(compiled.query) if hasattr(query, "text")}
    assert fields == {"text", "names", "title"}


def test_it_compiles_stemmed_words_and_marks_only_what_is_looked_for():
    parsed = parse_query('transforming "supply chains" -masks')

    compiled = compile_query(parsed, [], ANALYZER)

    assert compiled.highlight.terms == {"transform"}
    assert compiled.highlight.phrases == (("suppli", "chain"),)
    assert compiled.has_text


def test_it_drops_words_too_common_to_search_with_a_message():
    parsed = parse_query("the of vaccine")

    compiled = compile_query(parsed, [], ANALYZER)

    assert compiled.query == word_query("vaccin")
    assert parsed.messages == ["Too common or too short to search for: the, of."]


@pytest.mark.django_db
def test_it_resolves_speakers_and_outlets_by_slug_or_name():
    load_conference(miit_briefing(), [source_file()])
    parsed = parse_query(
        'speaker:"tian yulong" speaker:liang outlet:china-daily outlet:"Science and Technology"'
    )

    resolved = resolve_filters(parsed)

    assert [item.values for item in resolved] == [
        ["tian-yulong"],
        ["liang-wenhua"],
        ["china-daily"],
        ["science-and-technology-daily"],
    ]
    assert [item.label for item in resolved][:2] == ["Tian Yulong", "Liang Wenhua"]
    assert parsed.messages == []


@pytest.mark.django_db
def test_a_name_must_match_word_for_word():
    load_conference(miit_briefing(), [source_file()])
    parsed = parse_query('outlet:"China Technology" speaker:nobody')

    resolved = resolve_filters(parsed)

    assert [item.values for item in resolved] == [[], []]
    assert parsed.messages == [
        "No outlet matches “China Technology”.",
        "No speaker matches “nobody”.",
    ]


@pytest.mark.django_db
def test_a_slug_wins_and_namesakes_are_named():
    Person.objects.create(name="M. Psaki", slug="psaki", aliases=["Psaki"])
    Person.objects.create(name="Jen Psaki", slug="jen-psaki")
    parsed = parse_query("speaker:psaki")

    resolved = resolve_filters(parsed)

    assert resolved[0].values == ["psaki"]
    assert parsed.messages == [
        "speaker:psaki is M. Psaki; also named so: Jen Psaki (speaker:jen-psaki)."
    ]


def test_a_control_may_hold_several_values_each_a_filter():
    parsed = parse_query("jobs speaker:psaki", speaker=["fauci", "", "psaki"], outlet="CNN")

    assert parsed.filters == [
        FieldFilter("speaker", "psaki"),
        FieldFilter("speaker", "fauci"),
        FieldFilter("outlet", "CNN"),
    ]


def test_filters_of_one_kind_are_any_of_their_values_and_kinds_all_of():
    speaker = ResolvedFilter(FieldFilter("speaker", "fauci"), "Fauci", ["fauci"])
    namesakes = ResolvedFilter(FieldFilter("speaker", "smith"), "A or B", ["a-smith", "b-smith"])
    nobody = ResolvedFilter(FieldFilter("speaker", "nobody"), "nobody", [])
    outlet = ResolvedFilter(FieldFilter("outlet", "cnn"), "CNN", ["cnn"])
    excluded = ResolvedFilter(FieldFilter("speaker", "kirby", negated=True), "Kirby", ["kirby"])

    combined = combine_filters([speaker, outlet, namesakes, excluded, nobody])

    assert [(item.filter.kind, item.values) for item in combined] == [
        ("speaker", ["fauci", "a-smith", "b-smith"]),
        ("outlet", ["cnn"]),
        ("speaker", ["kirby"]),  # excluded: none of them, one by one
    ]
    assert combined[2].filter.negated
    assert speaker.values == ["fauci"]  # the page's own filters are left as they were
    only_nobody = combine_filters([nobody])
    assert only_nobody[0].values == []  # still matches nothing


def test_a_filter_typed_in_the_box_can_be_taken_out_or_replaced():
    text = 'vaccine speaker:fauci -speaker:Kirby outlet:"China Daily" SPEAKER:Fauci masks'

    assert without_filter(text, FieldFilter("speaker", "fauci")) == (
        'vaccine -speaker:Kirby outlet:"China Daily" masks'
    )
    assert without_filter(text, FieldFilter("speaker", "kirby", negated=True)) == (
        'vaccine speaker:fauci outlet:"China Daily" SPEAKER:Fauci masks'
    )
    assert without_filter(text, FieldFilter("outlet", "China Daily")) == (
        "vaccine speaker:fauci -speaker:Kirby SPEAKER:Fauci masks"
    )
    assert replace_filter("speaker:psaky jobs", FieldFilter("speaker", "psaky"), "Jen Psaki") == (
        'speaker:"Jen Psaki" jobs'
    )


@pytest.mark.parametrize(
    ("typed", "word", "edits"),
    [
        ("vacine", "vaccine", 1),
        ("chian", "chain", 1),  # two letters swapped: one slip
        ("chian", "china", 1),
        ("inflaton", "inflation", 1),
        ("sanctoins", "sanctions", 1),
        ("kitten", "sitting", 3),
        ("", "abc", 3),
    ],
)
def test_a_swap_of_two_letters_is_one_edit(typed, word, edits):
    assert edit_distance(typed, word) == edits
