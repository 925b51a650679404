"""Citations of an exchange (briefings/citation.py): pure, so each style is checked on
named examples, character for character, against APA 7 and Chicago 17."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from briefings.citation import Author, CitedExchange, apa, bibtex, bibtex_key, chicago, cite, plain

PERMALINK = "https://archive.example/briefings/press-briefing-by-jen-psaki/12/"
ACCESSED = dt.date(2025, 5, 6)


def psaki_answer(**changes: object) -> CitedExchange:
    """Exchange 12 of a White House briefing, answered by Jen Psaki alone."""
    cited = CitedExchange(
        title="Press Briefing by Press Secretary Jen Psaki",
        url=PERMALINK,
        position=12,
        accessed_on=ACCESSED,
        held_on=dt.date(2021, 2, 1),
        speaker=Author("Jen Psaki"),
        speaker_title="Press Secretary",
        organizer="The White House",
        kind="Press briefing",
        location="James S. Brady Press Briefing Room",
    )
    return dataclasses.replace(cited, **changes)


def scio_answer(**changes: object) -> CitedExchange:
    """Exchange 3 of an SCIO press conference, answered by Liang Wenhua alone."""
    cited = CitedExchange(
        title="SCIO press conference on industry and ICTs",
        url="https://archive.example/briefings/scio-industry/3/",
        position=3,
        accessed_on=ACCESSED,
        held_on=dt.date(2022, 2, 28),
        speaker=Author("Liang Wenhua", family_name_first=True),
        organizer="State Council Information Office",
        kind="Press conference",
        location="Beijing",
    )
    return dataclasses.replace(cited, **changes)


# APA 7: Author. (Year, Month Day). Title [Transcript]. Site Name. URL


def test_apa_puts_the_speakers_family_name_and_initial_first():
    assert apa(psaki_answer()) == (
        "Psaki, J. (2021, February 1). Press Briefing by Press Secretary Jen Psaki "
        f"[Transcript]. Briefing Archive. {PERMALINK}"
    )


def test_apa_has_no_retrieval_date_for_a_transcript_that_does_not_change():
    assert "Retrieved" not in apa(psaki_answer())
    assert "2025" not in apa(psaki_answer())


def test_apa_cites_the_organizer_when_several_officials_answered():
    cited = apa(psaki_answer(speaker=None))

    assert cited.startswith("The White House. (2021, February 1). Press Briefing by")


def test_apa_moves_the_title_first_when_there_is_no_author_and_says_no_date():
    cited = apa(psaki_answer(speaker=None, organizer="", held_on=None))

    assert cited == (
        "Press Briefing by Press Secretary Jen Psaki [Transcript]. (n.d.). "
        f"Briefing Archive. {PERMALINK}"
    )


def test_apa_keeps_a_chinese_family_name_first_and_initials_the_given_name():
    assert apa(scio_answer()).startswith("Liang, W. (2022, February 28). SCIO press")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Gina M. Raimondo", "Raimondo, G. M."),
        ("Karine Jean-Pierre", "Jean-Pierre, K."),
        ("Jean-Pierre Raffarin", "Raffarin, J.-P."),
        ("Joseph R. Biden Jr.", "Biden, J. R., Jr."),
        ("Ursula von der Leyen", "von der Leyen, U."),
        ("Cher", "Cher."),
    ],
)
def test_apa_writes_names_as_its_rules_say(name, expected):
    cited = apa(psaki_answer(speaker=Author(name)))

    assert cited.startswith(f"{expected} (2021, February 1).")


# Chicago 17, bibliography: Family, Given. “Title.” Kind, Place, Month Day, Year. ...


def test_chicago_inverts_the_name_and_describes_the_briefing():
    assert chicago(psaki_answer()) == (
        "Psaki, Jen. “Press Briefing by Press Secretary Jen Psaki.” Press briefing, "
        "James S. Brady Press Briefing Room, February 1, 2021. Transcript, Briefing Archive. "
        f"{PERMALINK}."
    )


def test_chicago_does_not_invert_a_chinese_name():
    assert chicago(scio_answer()).startswith(
        "Liang Wenhua. “SCIO press conference on industry and ICTs.” Press conference, "
        "Beijing, February 28, 2022."
    )


def test_chicago_gives_an_access_date_only_when_the_briefing_is_undated():
    assert "Accessed" not in chicago(psaki_answer())
    assert "n.d. Transcript, Briefing Archive. Accessed May 6, 2025. https://" in chicago(
        psaki_answer(held_on=None)
    )


def test_chicago_does_not_double_the_full_stop_after_a_question_title():
    cited = chicago(psaki_answer(title="What Next for Vaccines?", speaker=None))

    assert cited.startswith("The White House. “What Next for Vaccines?” Press briefing,")


# BibTeX


def test_bibtex_is_a_misc_entry_with_url_date_and_exchange():
    assert bibtex(psaki_answer()) == "\n".join(
        [
            "@misc{psaki2021press-12,",
            "  author = {Psaki, Jen},",
            "  title = {{Press Briefing by Press Secretary Jen Psaki}},",
            "  howpublished = {Transcript, Briefing Archive},",
            "  organization = {The White House},",
            "  address = {James S. Brady Press Briefing Room},",
            "  year = {2021},",
            "  month = feb,",
            "  date = {2021-02-01},",
            "  note = {Exchange 12},",
            f"  url = {{{PERMALINK}}},",
            "  urldate = {2025-05-06}",
            "}",
        ]
    )


def test_bibtex_braces_a_body_so_it_is_not_read_as_a_persons_name():
    entry = bibtex(psaki_answer(speaker=None))

    assert "  author = {{The White House}}," in entry
    assert "organization" not in entry


def test_bibtex_escapes_what_tex_would_read_as_commands():
    entry = bibtex(psaki_answer(title="Jobs & 100% growth_{now} #1 ~ $5 \\o/"))

    assert (
        r"title = {{Jobs \& 100\% growth\_\{now\} \#1 \textasciitilde{} \$5 \textbackslash{}o/}},"
        in entry
    )


def test_bibtex_writes_a_chinese_name_family_name_first():
    assert "  author = {Liang, Wenhua}," in bibtex(scio_answer())


def test_bibtex_keys_are_plain_ascii():
    cited = psaki_answer(speaker=Author("José Núñez"), title="Économie: Ça va?", held_on=None)

    assert bibtex_key(cited) == "nunezndeconomie-12"


# Plain text, and the whole set.


def test_plain_says_who_with_their_title_which_exchange_and_when_it_was_read():
    assert plain(psaki_answer()) == (
        "Jen Psaki (Press Secretary), “Press Briefing by Press Secretary Jen Psaki”, "
        "exchange 12. The White House, James S. Brady Press Briefing Room, 1 February 2021. "
        f"Briefing Archive, {PERMALINK} (accessed 6 May 2025)."
    )


def test_plain_names_the_organizer_once_when_it_is_the_author():
    cited = plain(scio_answer(speaker=None, held_on=None))

    assert cited.startswith(
        "State Council Information Office, “SCIO press conference on industry and ICTs”, "
        "exchange 3. Beijing, undated. Briefing Archive,"
    )


def test_cite_gives_every_format_with_the_permalink():
    citations = cite(psaki_answer())

    assert list(citations) == ["plain", "apa", "chicago", "bibtex"]
    assert all(PERMALINK in text for text in citations.values())
