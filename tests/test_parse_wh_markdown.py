"""The White House Markdown parser: cut-down real transcripts, small cases, the whole corpus."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from briefings.ingest import detect
from briefings.ingest.formats import timestamped, wh_html, wh_markdown
from briefings.ingest.records import ParseError
from briefings.text import ANSWER, MODERATOR, NOTE, QUESTION, STATEMENT
from tests.conftest import DATA
from tests.golden import assert_matches_golden

COVID_TEAM = DATA / "wh_markdown_covid_team.md"
PRESS_CONFERENCE = DATA / "wh_markdown_press_conference.md"

# Two files in the corpus's press-briefings folder are a press release and a policy
# framework: no one speaks in them.
NOT_TRANSCRIPTS = {
    "2021-02-10-president-biden-announces-members-of-the-biden-harris-administration-covid-19-"
    "health-equity-task-force.md",
    "2024-09-20-a-u-s-framework-for-climate-resilience-and-security.md",
}
_TIME = re.compile(r"\d{1,2}:\d{2} [AP]\.M\.(?: [A-Z]{2,4})?")


def transcript(body: str, *, title: str = "Press Briefing by Press Secretary Jen\\_Psaki") -> str:
    return f"---\ntitle: \"{title}\"\ndate: '2021-03-01'\n---\n{body}"


def test_it_reads_a_covid_team_briefing_as_the_golden_file_says() -> None:
    parsed = wh_markdown.parse(COVID_TEAM.read_text(encoding="utf-8"))
    assert_matches_golden(parsed, DATA / "wh_markdown_covid_team.json")


def test_it_reads_a_press_conference_as_the_golden_file_says() -> None:
    parsed = wh_markdown.parse(PRESS_CONFERENCE.read_text(encoding="utf-8"))
    assert_matches_golden(parsed, DATA / "wh_markdown_press_conference.json")


def test_it_is_chosen_by_format_detection() -> None:
    parsed = detect.parse_transcript(COVID_TEAM.read_text(encoding="utf-8"))
    assert parsed.format == "wh-markdown"


def test_it_gives_each_question_the_outlet_the_moderator_called_on() -> None:
    parsed = wh_markdown.parse(COVID_TEAM.read_text(encoding="utf-8"))
    outlets = [turn.outlet for turn in parsed.turns if turn.role == QUESTION]
    assert outlets == ["USA Today", "WFAA Dallas", "Associated Press"]
    moderator_lines = [(t.speaker_label, t.text) for t in parsed.turns if t.role == MODERATOR]
    assert {label for label, _ in moderator_lines} == {"MODERATOR", "MR. ZIENTS"}
    # Zients's hand-off is cut from the end of his answer; the answer keeps its words.
    assert ("MR. ZIENTS", "Next question.") in moderator_lines


def test_it_reads_an_outlet_a_reporter_or_the_president_names() -> None:
    parsed = wh_markdown.parse(PRESS_CONFERENCE.read_text(encoding="utf-8"))
    outlets = {turn.text[:40]: turn.outlet for turn in parsed.turns if turn.outlet}
    assert outlets == {
        "Perhaps I’ll just project, Mr. President": "Bloomberg",  # "Josh, of Bloomberg."
        "I’m Christina Ruffini from CBS. Thank yo": "CBS",
    }


def test_the_outlet_called_on_stays_with_the_reporter_until_they_are_answered() -> None:
    # On-the-record gaggle, July 18, 2024 (lines 507-520): an audio check, the moderator's
    # "Yep, we can.", then the question; and a reporter called on by initials.
    parsed = wh_markdown.parse(
        transcript(
            "MODERATOR:  Thank you.  Our next question will go to Jonathan with Nine\n"
            "Australia.\n\n"
            "Q    Can you guys hear me there okay?\n\n"
            "MODERATOR:  Yep, we can.\n\n"
            "Q    Thanks very much, Admiral.  How do reports like these impact the work?\n\n"
            "MR. KIRBY:  They do not.  " + "The work goes on every day here.  " * 4 + "\n\n"
            "Q    And one more?\n\n"
            "MR. KIRBY:  Go ahead, J.J. with Bloomberg.\n\n"
            "Q    Is the President going to the summit?\n\n"
            "MR. KIRBY:  Yes.\n"
        )
    )
    outlets = [(turn.text[:20], turn.outlet) for turn in parsed.turns if turn.role == QUESTION]
    assert outlets == [
        ("Can you guys hear me", "Nine Australia"),
        ("Thanks very much, Ad", "Nine Australia"),
        ("And one more?", ""),  # after the answer: nobody was called on
        ("Is the President goi", "Bloomberg"),
    ]


def test_it_names_the_president_from_the_title() -> None:
    parsed = wh_markdown.parse(PRESS_CONFERENCE.read_text(encoding="utf-8"))
    presidents = {
        (turn.speaker_name, turn.speaker_title)
        for turn in parsed.turns
        if turn.speaker_label == "THE PRESIDENT"
    }
    assert presidents == {("Biden", "The President")}
    assert [participant.name for participant in parsed.participants] == ["Biden"]


def test_it_keeps_location_time_and_end_time_out_of_the_turns() -> None:
    parsed = wh_markdown.parse(PRESS_CONFERENCE.read_text(encoding="utf-8"))
    assert parsed.location == "NATO Headquarters, Brussels, Belgium"
    assert parsed.start_time == "6:32 P.M. CET"
    assert parsed.turns[0].text.startswith("Good evening, everyone.")
    assert parsed.turns[-1].text.endswith("thoroughly united.\n\nThank you.")


def test_it_drops_the_slides_link_after_the_end_time() -> None:
    parsed = wh_markdown.parse(COVID_TEAM.read_text(encoding="utf-8"))
    assert parsed.turns[-1].text == (
        "I want to thank everybody for joining today. We’ll be back together on Wednesday. "
        "Thank you."
    )


def test_it_joins_hard_wrapped_lines_and_keeps_paragraphs() -> None:
    parsed = wh_markdown.parse(COVID_TEAM.read_text(encoding="utf-8"))
    opening = parsed.turns[0]
    assert opening.role == STATEMENT
    assert opening.text.split("\n\n")[:2] == [
        "Good morning. Thank you for joining us. We got very good news over the weekend: The "
        "Food and Drug Administration issued an emergency use authorization for a third safe "
        "and effective vaccine, the Johnson & Johnson vaccine, which will help us defeat the "
        "pandemic.",
        "While we have much work ahead of us on so many fronts, this is certainly a very "
        "encouraging development.",
    ]


def test_it_cleans_the_folded_title() -> None:
    parsed = wh_markdown.parse(COVID_TEAM.read_text(encoding="utf-8"))
    assert parsed.title == (
        "Press Briefing by White House COVID-19 Response Team and Public Health Officials"
    )
    assert parsed.kind == "press_briefing"
    assert parsed.held_on == parsed.published_on == dt.date(2021, 3, 1)


def test_it_turns_a_stage_direction_between_speakers_into_a_note() -> None:
    parsed = wh_markdown.parse(
        transcript(
            "MS. PSAKI:  Go ahead.\n\n(A cellphone rings.)\n\n"
            "Q    Sorry.  Is the President travelling?\n\n(Laughter.)\n\n"
            "MS. PSAKI:  Not this week.\n\n(Laughter.)\n\nNot that I know of.\n"
        )
    )
    assert [(turn.role, turn.text) for turn in parsed.turns] == [
        ("moderator", "Go ahead."),  # calling on the reporter, no statement
        ("note", "(A cellphone rings.)"),
        ("question", "Sorry. Is the President travelling?"),
        ("note", "(Laughter.)"),
        ("answer", "Not this week.\n\n(Laughter.)\n\nNot that I know of."),
    ]


def test_it_finds_a_speaker_whose_blank_line_is_missing() -> None:
    parsed = wh_markdown.parse(
        transcript(
            "Q    Will he sign it?\nMS. PSAKI:  He will.  And the treaty says:\n"
            "NATO: We are prepared to discuss it.\n"
        )
    )
    assert [(turn.speaker_label, turn.text) for turn in parsed.turns] == [
        ("Q", "Will he sign it?"),
        ("MS. PSAKI", "He will. And the treaty says: NATO: We are prepared to discuss it."),
    ]


def test_it_reads_a_stray_q_before_a_label_as_that_speaker() -> None:
    parsed = wh_markdown.parse(
        transcript("Q    What about the balloon?\n\nQ    MR. KIRBY:  So, two thoughts here.\n")
    )
    assert [turn.speaker_label for turn in parsed.turns] == ["Q", "MR. KIRBY"]


def test_it_reads_markdown_escapes_and_struck_words_as_plain_text() -> None:
    parsed = wh_markdown.parse(
        transcript("MR. ZIENTS:  President <s>Reagan</s> \\[Biden\\] said *gracias* \\[sic\\].\n")
    )
    assert parsed.turns[0].text == "President Reagan [Biden] said gracias [sic]."


def test_it_strips_an_end_time_split_over_two_lines() -> None:
    parsed = wh_markdown.parse(
        transcript("MS. PSAKI:  Thank you, everyone.\n\u00a0   END   12:30 P.M.\nEST\n")
    )
    assert parsed.turns[-1].text == "Thank you, everyone."


def test_it_takes_the_held_date_from_the_date_line_under_the_location() -> None:
    # Background calls are often published the day after they were held.
    parsed = wh_markdown.parse(
        transcript("Via Teleconference\n(August 9, 2022)\n\nMR. FENTON:  Hi, everybody.\n")
    )
    assert parsed.held_on == dt.date(2022, 8, 9)
    assert parsed.location == "Via Teleconference"


def test_it_splits_a_start_time_printed_on_the_first_speaker_line() -> None:
    parsed = wh_markdown.parse(transcript("7:13 P.M. EDT MODERATOR: Thanks, everyone.\n"))
    assert parsed.start_time == "7:13 P.M. EDT"
    assert parsed.turns[0].speaker_label == "MODERATOR"


def test_it_refuses_a_file_without_front_matter() -> None:
    with pytest.raises(ParseError) as error:
        wh_markdown.parse("MS. PSAKI:  Hi.\n")
    assert error.value.line == 1


def test_it_reports_the_line_of_unreadable_front_matter() -> None:
    with pytest.raises(ParseError) as error:
        wh_markdown.parse('---\ntitle: "Press Briefing\ndate: [2021\n---\nMS. PSAKI:  Hi.\n')
    assert error.value.line == 3


def test_it_refuses_a_statement_in_which_no_one_speaks() -> None:
    with pytest.raises(ParseError, match="no speakers"):
        wh_markdown.parse(transcript("Today, the President announced a task force.\n"))


def test_it_does_not_claim_the_other_formats() -> None:
    assert wh_markdown.sniff(COVID_TEAM.read_text(encoding="utf-8"))
    assert not wh_markdown.sniff((DATA / "wh_html_april_09.html").read_text(encoding="utf-8"))
    assert not wh_markdown.sniff("Shou Xiaoli:\nGood morning.\nCCTV:\nA question.\n")
    assert not wh_markdown.sniff("Hua Chunying: Good afternoon.\nChina Daily: Thank you.\n")
    assert not wh_markdown.sniff('{"format": "briefing-archive", "title": "Press briefing"}')
    assert not timestamped.sniff(COVID_TEAM.read_text(encoding="utf-8"))
    assert not wh_html.sniff(COVID_TEAM.read_text(encoding="utf-8"))


@pytest.mark.corpus
def test_it_parses_every_white_house_briefing_without_leaking_headers(corpus: Path) -> None:
    problems: list[str] = []
    files = sorted((corpus / "wh-briefings").rglob("*.md"))
    assert len(files) > 1100
    for path in files:
        text = path.read_text(encoding="utf-8")
        if path.name in NOT_TRANSCRIPTS:
            with pytest.raises(ParseError):
                wh_markdown.parse(text)
            continue
        parsed = wh_markdown.parse(text)
        if not parsed.exchanges:
            problems.append(f"{path.name}: no exchanges")
        if not parsed.title or "\u00a0" in parsed.title or "\u2060" in parsed.title:
            problems.append(f"{path.name}: title {parsed.title!r}")
        if parsed.held_on is None or parsed.published_on is None:
            problems.append(f"{path.name}: no date")
        for turn in parsed.turns:
            if turn.role != NOTE and not turn.speaker_label:
                problems.append(f"{path.name}:{turn.line}: turn without a speaker label")
            first_line = turn.text.split("\n")[0]
            if turn.text.startswith("---") or _TIME.fullmatch(first_line):
                problems.append(f"{path.name}:{turn.line}: header in turn: {first_line!r}")
            if parsed.location and turn.text == parsed.location:
                problems.append(f"{path.name}:{turn.line}: location in turn")
        last = parsed.turns[-1].text
        if re.search(r"(?:\bEND\b|###|\.pdf|\d:\d\d [AP]\.M\.(?: [A-Z]{2,4})?)\W*$", last):
            problems.append(f"{path.name}: end of transcript in last turn: {last[-60:]!r}")
    assert problems == []


# An official's answer printed under the reporter's "Q" (White House transcripts, public
# domain; the pieces below are quoted from the files named).

# 2023-06-14, Jean-Pierre: the answer opens by addressing the reporter she called on.
ZOLAN = """MS. JEAN-PIERRE:  Go ahead, Zolan.

Q    Local outlets in Connecticut are reporting that the President will
attend a national gun safety summit later this week.

Right now, is the White House purely in an implementation sort of phase
when it comes to gun control?

Q    I mean, Zolan, I appreciate the question, but let’s not forget what
this President has done that has been historic when it comes to dealing
with gun violence.
"""
ZOLAN_TITLE = "Press Briefing by Press Secretary Karine Jean-Pierre"

# 2022-01-20, Psaki: no name, but it asks nothing and speaks for the White House.
UKRAINE = """MS. PSAKI:  Go ahead.

Q    Moving on to Ukraine.  So why wouldn’t the U.S. introduce, sort of,
level-one sanctions as proactive deterrence and then remove them if
Russia deescalates?

Q    Well, one, I said two days ago we’re now at a stage where Russia
could at any point launch an attack in Ukraine.  And we’ve been pretty
transparent about what we’re seeing, both in our briefings but also in
our engagements with all of you and in our conversations with our
European partners.

Q    The President said he thinks Putin will “test” the West.  Isn’t that
in some way already happening?
"""


def test_it_reads_an_answer_printed_as_a_question_that_names_the_reporter_called_on() -> None:
    parsed = wh_markdown.parse(transcript(ZOLAN, title=ZOLAN_TITLE))
    [exchange] = [e for e in parsed.exchanges if e.kind == "qa"]
    question, answer = [t for t in exchange.turns if t.role != MODERATOR]
    assert question.role == QUESTION
    assert question.text.startswith("Local outlets")
    assert answer.role == ANSWER
    assert answer.text.startswith("I mean, Zolan")
    # The transcript's label stays as printed; the official who called on Zolan answers.
    assert answer.speaker_label == "Q"
    assert answer.speaker_name == "Karine Jean-Pierre"
    assert [w for w in parsed.warnings if "printed as a question" in w] == [
        f"line {answer.line}: an official's answer printed as a question (Q) after a "
        "question with no answer; read as MS. JEAN-PIERRE's answer: it answers Zolan, whom "
        "an official had just called on"
    ]


def test_it_reads_an_answer_printed_as_a_question_that_speaks_for_the_white_house() -> None:
    parsed = wh_markdown.parse(transcript(UKRAINE))
    first, second = [e for e in parsed.exchanges if e.kind == "qa"]
    assert [(t.speaker_label, t.role) for t in first.turns if t.role != MODERATOR] == [
        ("Q", QUESTION),
        ("Q", ANSWER),
    ]
    assert first.turns[-1].speaker_name == "Jen Psaki"
    # The next reporter's question is a question.
    assert [t.role for t in second.turns] == [QUESTION]


def test_it_keeps_a_reporter_addressing_the_official_by_name_a_question() -> None:
    # 2024-01-08 gaggle, two reporters' turns one after the other (the officials' lines
    # between them left out): "So, Karine, ..." is said to Karine Jean-Pierre.
    body = """MS. JEAN-PIERRE:  Go ahead.

Q One more. There was some reports over the weekend about Elon Musk and
some concerns about his behavior. Aware of that reporting?

Q So, Karine, should the American people — I’m sorry. Do you need a
second?

Okay. Should the American people have confidence in Austin given his
lack of transparency?
"""
    title = "Press Gaggle by Press Secretary Karine Jean-Pierre and John Kirby"
    parsed = wh_markdown.parse(transcript(body, title=title))
    assert [t.role for t in parsed.turns if t.speaker_label == "Q"] == [QUESTION, QUESTION]
    assert not any("printed as a question" in w for w in parsed.warnings)


def test_it_keeps_a_reporters_long_words_that_ask_nothing_a_question() -> None:
    # 2022-05-05, Psaki: a reporter's greeting after a colleague's question; it asks
    # nothing, but speaks for no "we".
    body = """MS. PSAKI:  Go ahead.

Q    When does the President believe life begins?  Thank you.

Q    Let me just first also say congratulations to you and also to
Karine.  I’m so excited to have you as a new person in this position.

Just two quick questions.  My colleague before talked about what Texas
is doing.
"""
    parsed = wh_markdown.parse(transcript(body))
    assert [t.role for t in parsed.turns if t.speaker_label == "Q"] == [QUESTION, QUESTION]


@pytest.mark.corpus
def test_it_reads_the_misprinted_answers_of_whole_briefings(corpus: Path) -> None:
    folder = corpus / "wh-briefings" / "press-briefings"
    kristen = (
        folder
        / "2021-02"
        / "2021-02-11-press-briefing-by-press-secretary-jen-psaki-february-11-2021.md"
    )
    parsed = wh_markdown.parse(kristen.read_text(encoding="utf-8"))
    [masks] = [e for e in parsed.exchanges if e.turns[0].text.startswith("We know that")]
    answer = masks.turns[1]
    assert (answer.line, answer.speaker_label, answer.role, answer.speaker_name) == (
        337,
        "Q",
        ANSWER,
        "Jen Psaki",
    )
    assert answer.text.startswith("Well, Kristen, we certainly continue")
    assert any(w.startswith("line 337: an official's answer") for w in parsed.warnings)

    # A reporter's greeting after a question, printed the same way, stays a question.
    congratulations = (
        folder / "2022-05" / "2022-05-05-press-briefing-by-press-secretary-jen-psaki-may-5-2022.md"
    )
    parsed = wh_markdown.parse(congratulations.read_text(encoding="utf-8"))
    [greeting] = [t for t in parsed.turns if t.text.startswith("Let me just first also say")]
    assert greeting.role == QUESTION

    # "Thanks, John." said by one official to another (John Podesta), then a reporter's
    # "John, your area is climate change." after a colleague's "Go ahead.": a question.
    podesta = next((folder / "2023-08").glob("2023-08-16-press-briefing-*podesta*.md"))
    parsed = wh_markdown.parse(podesta.read_text(encoding="utf-8"))
    [climate] = [t for t in parsed.turns if t.text.startswith("John, your area")]
    assert climate.role == QUESTION
