"""Name variants: the one rule (briefings/variants.py) that the loader resolves with, within
a briefing (ingest/roster.py) and across the archive (load.PersonResolver), and that the
audit lists the uncertain rest by; officials on background as one pseudo-person per kind.

The names are those of the White House and timestamped transcripts where the archive
first split them (issue 12): Sullivan printed five ways, "The Presidnet", "Jean-Piere",
"Raimonodo", Debbie/Deborah Birx, Sema/Seema Verma.
"""

from __future__ import annotations

import datetime as dt

import pytest

from briefings.ingest.load import FREQUENT_BRIEFINGS, load_conference, settle_people
from briefings.ingest.records import ParsedConference, ParsedParticipant, ParsedTurn
from briefings.ingest.roster import resolve_speakers
from briefings.ingest.run import reparse_conferences
from briefings.models import Conference, Person, Turn
from briefings.text import ANSWER, MODERATOR
from briefings.variants import (
    Known,
    background_name,
    candidate_pairs,
    edit_distance,
    spelling_variant,
)
from tests.conftest import briefing, reporter, source_file


def test_it_counts_a_swap_of_two_letters_as_one_edit():
    assert edit_distance("sullian", "sullivan", 2) == 1
    assert edit_distance("sullvian", "sullivan", 2) == 1
    assert edit_distance("presidnet", "president", 2) == 1
    assert edit_distance("psaki", "sullivan", 2) == 3


@pytest.mark.parametrize(
    ("key", "other", "edits"),
    [
        ("sullian", "jake sullivan", 1),
        ("sullican", "sullivan", 1),
        ("jean-piere", "karine jean-pierre", 1),
        ("gina raimonodo", "gina raimondo", 1),
        ("debbie birx", "deborah birx", 0),
        ("bob menendez", "robert menendez", 0),
        ("psaki", "jen psaki", 0),
    ],
)
def test_a_misprint_or_a_short_form_is_a_variant(key, other, edits):
    variant = spelling_variant(key, other, min_letters=6, loose=False)

    assert variant is not None
    assert variant.edits == edits


@pytest.mark.parametrize(
    ("key", "other"),
    [
        ("yang", "lu kang"),  # short names a letter apart are other people
        ("rose", "wilbur ross"),
        ("sema verma", "seema verma"),  # a letter apart in the given name: only loosely
        ("dan kelly", "dean kelly"),
        ("walesnky", "volodymyr zelenskyy"),  # too far to be a misprint
        ("raymond", "gina raimondo"),  # two letters: MS. RAYMOND is someone else
        ("feldman", "philip weidman"),
    ],
)
def test_short_or_far_names_are_not_variants_across_the_archive(key, other):
    assert spelling_variant(key, other, min_letters=6, loose=False, max_edits=1) is None


@pytest.mark.parametrize(
    ("label", "name"),
    [
        ("SENIOR ADMINISTRATION OFFICIAL", "Senior administration official"),
        ("SENIOR ADMINISTRATION OFFICIAL 1", "Senior administration official"),
        ("SENIOR ADMINISTRATION OFFICIAL ONE", "Senior administration official"),
        ("SENIOR ADMINSTRATION OFFICIAL", "Senior administration official"),
        ("Senior State Department Official #2", "Senior State Department official"),
        ("FBI OFFICIAL", "FBI official"),
        ("MODERATOR", ""),
        ("MS. PSAKI", ""),
        ("ADMINISTRATION OFFICIALS", ""),
    ],
)
def test_a_background_label_names_its_kind(label, name):
    assert background_name(label) == name


def wh_turn(label: str, text: str, name: str = "", *, role: str = ANSWER) -> ParsedTurn:
    """A turn as the White House parsers give it: the label's name, or none for a role."""
    return ParsedTurn(speaker_label=label, role=role, text=text, speaker_name=name)


def call(*turns: ParsedTurn, title: str = "Press Call", day: int = 1) -> ParsedConference:
    return briefing(title, dt.date(2021, 3, day), list(turns))


def test_a_misprinted_label_resolves_to_the_roster_spelling_of_its_briefing():
    parsed = call(
        reporter("CNN", "On the summit?"),
        wh_turn("MR. SULLIVAN", "We expect progress.", "Jake Sullivan"),
        reporter("CNN", "And the date?"),
        wh_turn("MR. SULLIVAN", "Next week.", "Jake Sullivan"),
        reporter("CNN", "Who goes?"),
        wh_turn("MR. SULLIAN", "The President.", "Sullian"),
        wh_turn("MR. SULLVIAN", "And the Secretary.", "Sullvian"),
        wh_turn("MR. SULLIVAN", "Alone.", "Sullivan"),
    )

    sullivan = "Jake Sullivan"
    assert resolve_speakers(parsed) == ["", sullivan, "", sullivan, "", *[sullivan] * 3]


def test_a_misprinted_role_label_is_whoever_the_role_is_in_that_briefing():
    parsed = call(
        wh_turn("THE PRESIDENT", "Thank you all.", "Joe Biden"),
        reporter("CNN", "Mr. President?"),
        wh_turn("THE PRESIDNET", "Yes.", "The Presidnet"),
    )

    assert resolve_speakers(parsed)[2] == "Joe Biden"


def test_short_forms_of_a_given_name_fold_to_the_more_frequent_one():
    parsed = call(
        wh_turn("Dr. Deborah Birx", "The data.", "Deborah Birx"),
        wh_turn("Dr. Deborah Birx", "More data.", "Deborah Birx"),
        wh_turn("Dr. Debbie Birx", "Still more.", "Debbie Birx"),
        wh_turn("Seema Verma", "Nursing homes.", "Seema Verma"),
        wh_turn("Seema Verma", "Nursing homes again.", "Seema Verma"),
        wh_turn("Sema Verma", "And hospitals.", "Sema Verma"),
    )

    assert resolve_speakers(parsed) == [*["Deborah Birx"] * 3, *["Seema Verma"] * 3]


def test_the_roster_leaves_short_names_and_the_other_side_alone():
    parsed = call(
        wh_turn("MR. ROSS", "Trade.", "Ross"),
        wh_turn("MR. ROSS", "More trade.", "Ross"),
        wh_turn("MS. ROSE", "Health.", "Rose"),
        ParsedTurn("Jake Sullivn", "question", "A question?", speaker_name="Jake Sullivn"),
        wh_turn("MR. SULLIVAN", "An answer.", "Jake Sullivan"),
        wh_turn("MR. SULLIVAN", "Another.", "Jake Sullivan"),
        wh_turn("MODERATOR", "Next.", role=MODERATOR),
        wh_turn("SECRETARY RAIMONDO", "Chips.", "Gina Raimondo"),
        wh_turn("SECRETARY RAIMONDO", "More chips.", "Gina Raimondo"),
        wh_turn("MS. RAYMOND", "Last question.", "Raymond"),  # two letters: someone else
    )

    assert resolve_speakers(parsed) == [
        "Ross", "Ross", "Rose", "Jake Sullivn", "Jake Sullivan", "Jake Sullivan", "",
        "Gina Raimondo", "Gina Raimondo", "Raymond",
    ]  # fmt: skip


def speak_often(label: str, name: str) -> None:
    """An official who speaks at enough briefings to be known well (FREQUENT_BRIEFINGS)."""
    for day in range(1, FREQUENT_BRIEFINGS + 1):
        load_conference(
            call(wh_turn(label, f"Day {day}.", name), day=day),
            [source_file(f"{day}.md", f"day {day}")],
        )


@pytest.mark.django_db
def test_the_loader_stores_the_roster_name_and_keeps_the_label_as_printed():
    load_conference(
        call(
            wh_turn("MR. SULLIVAN", "We expect progress.", "Jake Sullivan"),
            wh_turn("MR. SULLIVAN", "Next week.", "Jake Sullivan"),
            wh_turn("MR. SULLICAN", "The President.", "Sullican"),
        ),
        [source_file("call.md", "call")],
    )

    sullivan = Person.objects.get()
    assert sullivan.name == "Jake Sullivan"
    misprinted = Turn.objects.get(text="The President.")
    assert (misprinted.person, misprinted.speaker_label) == (sullivan, "MR. SULLICAN")


@pytest.mark.django_db
def test_a_participant_listed_under_a_misprint_is_the_official_the_roster_read():
    parsed = call(
        wh_turn("ACTING ADMINISTRATOR SLAVITT", "Good morning.", "Slavitt"),
        wh_turn("ACTING ADMINSTRATOR SLAVITT", "Thank you.", "Adminstrator Slavitt"),
    )
    # As the White House parsers list them: one participant per name printed.
    parsed.participants = [ParsedParticipant("Slavitt"), ParsedParticipant("Adminstrator Slavitt")]

    load_conference(parsed, [source_file("call.md", "call")])

    slavitt = Person.objects.get()
    assert (slavitt.name, slavitt.turns.count(), slavitt.participations.count()) == (
        "Slavitt",
        2,
        1,
    )


@pytest.mark.django_db
def test_a_misprint_of_a_frequent_official_joins_them_and_a_rare_one_does_not():
    speak_often("SECRETARY RAIMONDO", "Gina Raimondo")
    load_conference(
        call(wh_turn("SECRETARY BUTTIGIEG", "Roads.", "Pete Buttigieg"), day=20),
        [source_file("roads.md", "roads")],
    )
    load_conference(
        call(
            wh_turn("SECRETARY RAIMONODO", "Chips.", "Raimonodo"),
            wh_turn("SECRETARY BUTTIGEIG", "Bridges.", "Buttigeig"),
            reporter("CNN", "A question?"),
            day=21,
        ),
        [source_file("later.md", "later")],
    )

    raimondo = Person.objects.get(name="Gina Raimondo")
    assert Turn.objects.get(text="Chips.").person == raimondo
    assert "Raimonodo" in raimondo.aliases
    # Pete Buttigieg of one briefing is not known well enough: "Buttigeig" stays apart.
    assert Turn.objects.get(text="Bridges.").person.name == "Buttigeig"


@pytest.mark.django_db
def test_a_misprint_stored_before_its_official_was_frequent_is_merged_at_the_next_run(client):
    # The misprint arrives first, when nobody of that name is known well enough.
    load_conference(
        call(wh_turn("SECRETARY RAIMONODO", "Chips.", "Raimonodo"), day=28),
        [source_file("early.md", "early")],
    )
    misprint = Person.objects.get(name="Raimonodo")
    old_address = misprint.get_absolute_url()
    speak_often("SECRETARY RAIMONDO", "Gina Raimondo")
    assert Turn.objects.get(text="Chips.").person == misprint  # the order decided, so far

    # Any ingest or re-parse run ends by settling what the loader would resolve today.
    # A run of nothing to re-parse: what settles the people is the end of the run itself.
    run = reparse_conferences(Conference.objects.none()).run

    raimondo = Person.objects.get(name="Gina Raimondo")
    assert Turn.objects.get(text="Chips.").person == raimondo
    assert not Person.objects.filter(name="Raimonodo").exists()
    assert "merged   Raimonodo into Gina Raimondo" in run.report
    response = client.get(old_address)
    assert (response.status_code, response["Location"]) == (301, raimondo.get_absolute_url())


@pytest.mark.django_db
def test_a_stored_name_that_begins_with_a_misprinted_office_word_is_renamed(client):
    load_conference(
        call(
            wh_turn("ACTING ADMINSTRATION SLAVITT", "Good morning.", "Slavitt"),
            wh_turn("DR. WALENSKY", "Thank you.", "Rochelle Walensky"),
        ),
        [source_file("call.md", "call")],
    )
    load_conference(
        call(wh_turn("ACTING ADMINSTRATOR SLAVITT", "Next question.", "Slavitt"), day=2),
        [source_file("call2.md", "call2")],
    )
    # As the parsers before the roster stored them: two records, one person.
    first = Turn.objects.get(text="Good morning.").person
    second = Person.objects.create(name="Adminstrator Slavitt", slug="adminstrator-slavitt")
    Turn.objects.filter(text="Next question.").update(person=second)
    Person.objects.filter(pk=first.pk).update(
        name="Administration Slavitt", slug="administration-slavitt"
    )

    said = settle_people()

    slavitt = Person.objects.get(name="Slavitt")
    assert said == [
        "renamed  Administration Slavitt to Slavitt",
        "merged   Adminstrator Slavitt into Slavitt",
    ]
    assert slavitt.slug == "slavitt"
    assert {"Administration Slavitt", "Adminstrator Slavitt"} <= set(slavitt.aliases)
    assert slavitt.turns.count() == 2
    for old in ["/people/administration-slavitt/", "/people/adminstrator-slavitt/"]:
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, "/people/slavitt/")


@pytest.mark.django_db
def test_a_person_a_re_parse_left_with_no_turn_is_merged_into_the_closest_name(client):
    load_conference(
        call(wh_turn("SECRETARY BUTTIGIEG", "Roads.", "Pete Buttigieg")),
        [source_file("roads.md", "roads")],
    )
    # Stored by the parsers before the roster; a re-parse moved its turn to Pete Buttigieg.
    Person.objects.create(name="Buttitgieg", slug="buttitgieg")
    Person.objects.create(name="Presidnet", slug="presidnet")  # close to nobody: stays
    Person.objects.create(name="Senior Administration Official One", slug="one")
    load_conference(
        call(wh_turn("SENIOR ADMINISTRATION OFFICIAL", "On background.", ""), day=3),
        [source_file("background.md", "background")],
    )

    said = settle_people()

    buttigieg = Person.objects.get(name="Pete Buttigieg")
    assert said == [
        "merged   Buttitgieg into Pete Buttigieg (no turns left)",
        "merged   Senior Administration Official One into Senior administration official"
        " (no turns left)",
    ]
    assert "Buttitgieg" in buttigieg.aliases
    assert Person.objects.filter(name="Presidnet").exists()
    response = client.get("/people/buttitgieg/")
    assert (response.status_code, response["Location"]) == (301, buttigieg.get_absolute_url())


@pytest.mark.django_db
def test_a_family_name_stored_alone_joins_the_whole_name_that_came_later():
    load_conference(
        call(wh_turn("MS. MCCARTHY", "Climate.", "McCarthy")), [source_file("a.md", "a")]
    )
    load_conference(
        call(wh_turn("ADVISOR GINA MCCARTHY", "Methane.", "Gina McCarthy"), day=2),
        [source_file("b.md", "b")],
    )
    # As an archive stored the two apart (the order of arrival decided): one record each.
    Turn.objects.filter(text="Climate.").update(
        person=Person.objects.create(name="McCarthy", slug="mccarthy-stored-apart")
    )

    said = settle_people()

    assert said == ["merged   McCarthy into Gina McCarthy"]
    assert {t.person.name for t in Turn.objects.all()} == {"Gina McCarthy"}


@pytest.mark.django_db
def test_a_short_form_of_a_frequent_officials_given_name_joins_them():
    speak_often("DR. FAUCI", "Anthony Fauci")
    load_conference(
        call(wh_turn("Dr. Tony Fauci", "Masks work.", "Tony Fauci"), day=20),
        [source_file("rev.txt", "rev")],
    )

    fauci = Turn.objects.get(text="Masks work.").person
    assert (fauci.name, fauci.aliases) == ("Anthony Fauci", ["Tony Fauci"])


@pytest.mark.django_db
def test_a_family_name_someone_bears_is_not_read_as_a_misprint():
    speak_often("GENERAL KELLY", "John Kelly")
    for day, name in ((20, "Tom Kelley"), (21, "Ann Kelley")):
        load_conference(
            call(wh_turn("MR. KELLEY", f"Hello from {name}.", name), day=day),
            [source_file(f"{day}.md", name)],
        )
    load_conference(
        call(wh_turn("MR. KELLEY", "Hello again.", "Kelley"), day=22),
        [source_file("kelley.md", "kelley")],
    )

    # Which Kelley is unknown, but it is not General Kelly.
    assert Turn.objects.get(text="Hello again.").person.name == "Kelley"


@pytest.mark.django_db
def test_officials_on_background_are_one_pseudo_person_per_kind(client):
    load_conference(
        call(
            reporter("CNN", "On the summit?"),
            ParsedTurn(
                speaker_label="SENIOR ADMINISTRATION OFFICIAL",
                role=ANSWER,
                text="We expect progress.",
                speaker_title="Senior Administration Official",  # as the parsers print it
            ),
            reporter("CNN", "And the date?"),
            wh_turn(
                "SENIOR ADMINISTRATION OFFICIAL ONE",
                "Next week.",
                "Senior Administration Official One",
            ),
            wh_turn("MODERATOR", "Thank you.", role=MODERATOR),
        ),
        [source_file("call.md", "call")],
    )

    background = Person.objects.get()
    assert (background.name, background.kind) == (
        "Senior administration official",
        Person.Kind.BACKGROUND,
    )
    assert background.turns.count() == 2
    # The label is the pseudo-person's name, not a title beside it ("Senior administration
    # official, Senior Administration Official" on result lines; found in a search check).
    assert Turn.objects.get(text="We expect progress.").speaker_title == ""
    assert Turn.objects.get(text="Thank you.").person is None
    page = client.get(background.get_absolute_url()).content.decode()
    assert "Not one person: officials who spoke on background, their names withheld." in page


def test_the_candidates_pair_a_rare_spelling_with_the_frequent_one_and_say_why():
    people = [
        Known(1, ("Jake Sullivan",), 40),
        Known(2, ("Sullian",), 1),
        Known(3, ("Lu Kang",), 30),
        Known(4, ("Yang",), 1),
        Known(5, ("Psaki", "MS. PSAKI"), 1),
        Known(6, ("Jen Psaki",), 50),
        Known(7, ("Jan Psaki",), 1),
    ]

    found = {(pair.rare, pair.known, pair.edits, pair.why) for pair in candidate_pairs(people)}

    assert found == {
        (2, 1, 1, "1 letter apart in the family name"),
        (4, 3, 1, "1 letter apart in the family name"),  # uncertain: for a person to decide
        (5, 6, 0, "the family name alone"),
        (7, 6, 0, "Jan is a form of Jen"),
    }


def test_a_misprinted_office_word_is_no_given_name():
    parsed = call(
        wh_turn("ACTING ADMINISTRATOR SLAVITT", "Good morning.", "Slavitt"),
        wh_turn("ACTING ADMINISTRATION SLAVITT", "Thank you.", "Administration Slavitt"),
        wh_turn("SENIOR ADMINISTRIVE OFFICIAL", "On background."),
        ParsedTurn("Major Garrett", "question", "A question?", speaker_name="Major Garrett"),
    )

    assert resolve_speakers(parsed) == [
        "Slavitt", "Slavitt", "Senior administration official", "Major Garrett"
    ]  # fmt: skip


@pytest.mark.django_db
def test_a_given_name_alone_follows_the_short_form_it_belongs_to_into_the_official():
    speak_often("DR. FAUCI", "Anthony Fauci")
    # Stored apart by an older ingest: a short form of the whole name, then its given name
    # alone, after it.
    for day, (text, name) in enumerate([("Masks work.", "Tony Fauci"), ("Vaccines.", "Tony")]):
        load_conference(
            call(wh_turn("MS. X", text, "X"), day=20 + day),
            [source_file(f"{name}.md", name)],
        )
        Turn.objects.filter(text=text).update(
            person=Person.objects.create(name=name, slug=name.lower().replace(" ", "-"))
        )

    said = settle_people()

    assert said[:2] == [
        "merged   Tony Fauci into Anthony Fauci",
        "merged   Tony into Anthony Fauci",
    ]
    assert {t.person.name for t in Turn.objects.all()} == {"Anthony Fauci"}
