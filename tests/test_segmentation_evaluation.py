"""The labelled set for exchange boundaries and speakers runs and reports rates.

No floor: the scores are today's "before" (issue 12); tests/data/labelled/README.md says
how the set was made.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from briefings.ingest.evaluate_segmentation import (
    HTML_LEAD,
    SOURCES,
    LabelledBriefing,
    LabelledTurn,
    evaluate_set,
    file_of,
    load_labels,
    parse_file,
    score_briefing,
)
from briefings.ingest.records import ParsedConference, ParsedExchange, ParsedTurn
from briefings.text import ANSWER, MODERATOR, QUESTION


@pytest.mark.corpus
def test_the_set_scores_every_source_and_keeps_the_floors(corpus):
    """Floors a little under the figures measured in December 2026 (overall boundary
    precision 0.67, recall 0.77, questions found 0.96, stored speakers 0.70): a parser
    change that loses exchanges or speakers shows here."""
    report = evaluate_set(corpus=corpus)
    assert report["overall"].errors == []
    assert report["overall"].briefings == len(load_labels()) >= 2 * len(SOURCES)
    for source in SOURCES:
        assert report[source].briefings >= 2
        assert report[source].turns > 0
    overall = report["overall"]
    assert overall.precision >= 0.62
    assert overall.recall >= 0.72
    assert overall.opening_recall >= 0.92
    assert overall.stored_accuracy >= 0.65


@pytest.mark.corpus
def test_the_command_prints_a_line_per_source(corpus):
    out = StringIO()
    call_command("evaluate_segmentation", corpus=str(corpus), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].split()[-4:] == ["q-precision", "q-recall", "speakers", "stored"]
    assert [line.split()[0] for line in lines[1:]] == [*SOURCES, "overall"]


@pytest.mark.corpus
def test_it_matches_a_whole_page_html_turn_reported_at_the_paragraph_before_its_label(corpus):
    # The labels give the line where the label's text starts; the HTML reader reports the
    # line of the `<p>` just above it.
    [html] = [b for b in load_labels() if b.path.endswith(".html")]
    counts = score_briefing(html, parse_file(file_of(html, corpus)), lead=HTML_LEAD)
    assert counts.boundaries_found > 0
    assert counts.speakers_right > 0


def test_the_question_boundaries_leave_out_where_a_hand_off_is_filed():
    # Labels file a hand-off as its own procedural exchange; the archive files it at the
    # head of the question it calls. The strict boundaries count that; the openings do not.
    labels = LabelledBriefing(
        "handoff",
        "whitehouse",
        "x.md",
        (
            LabelledTurn(1, "Q", "question", "", "", True),
            LabelledTurn(3, "MS. PSAKI", "answer", "Jen Psaki", "", False),
            LabelledTurn(5, "MS. PSAKI", "moderator", "Jen Psaki", "", True),
            LabelledTurn(7, "Q", "question", "", "", True),
            LabelledTurn(9, "MS. PSAKI", "answer", "Jen Psaki", "", False),
        ),
    )
    psaki = {"speaker_label": "MS. PSAKI", "speaker_name": "Jen Psaki"}
    parsed = ParsedConference(
        title="Press Briefing",
        exchanges=[
            ParsedExchange(
                "qa",
                [
                    ParsedTurn("Q", QUESTION, "On the summit?", line=1),
                    ParsedTurn(role=ANSWER, text="Next week.", line=3, **psaki),
                ],
            ),
            ParsedExchange(
                "qa",
                [
                    ParsedTurn(role=MODERATOR, text="Go ahead, Zeke.", line=5, **psaki),
                    ParsedTurn("Q", QUESTION, "And the date?", line=7),
                    ParsedTurn(role=ANSWER, text="Friday.", line=9, **psaki),
                ],
            ),
        ],
    )

    counts = score_briefing(labels, parsed)

    assert (counts.boundaries_found, counts.labelled_boundaries) == (2, 3)
    assert (counts.openings_found, counts.parsed_openings, counts.labelled_openings) == (2, 2, 2)
