"""Scoring commitments on whole labelled transcripts (tests/data/commitments/whole/)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from briefings.ingest import evaluate_commitments as whole
from briefings.ingest.sentences import sentence_key

LABELS = whole.load_labels()


def test_it_keys_a_sentence_by_its_words_not_its_spacing() -> None:
    assert sentence_key("We will  build\n10 bridges.") == sentence_key("we will build 10 bridges.")
    assert sentence_key("We will build 10 bridges.") != sentence_key("We will build 11 bridges.")


def test_the_set_has_every_source_and_a_held_out_split() -> None:
    counts = {(t.source, t.split) for t in LABELS}

    for source in ("wh-briefing", "wh-call", "mfa"):
        assert (source, "dev") in counts
        assert (source, "test") in counts
    # All six third-party transcripts are labelled; the held-out ones were opened (test1).
    assert ("timestamped", "dev") in counts
    assert ("timestamped", "test1") in counts
    assert sum(t.source.startswith("wh-") for t in LABELS) >= 25
    assert sum(t.source == "mfa" for t in LABELS) >= 25


@pytest.mark.parametrize("labelled", LABELS, ids=[t.name for t in LABELS])
def test_every_label_names_a_sentence_the_parser_gives(labelled, corpus: Path) -> None:
    """A parser change that moves or splits a labelled sentence shows here, not as a silent
    drop in recall."""
    read = whole.read_labelled(labelled, corpus)

    assert read is not None, f"{labelled.path} is not in the corpus"
    _, sentences = read

    assert len(sentences) == labelled.sentences
    by_number = {s.number: s for s in sentences}
    for label in labelled.labels:
        assert by_number[label.n].key == label.key


def _sentence(number: int, text: str) -> whole.OfficialSentence:
    return whole.OfficialSentence(
        number=number, key=sentence_key(text), turn=0, speaker="X", text=text, start=0, end=1
    )


def test_it_counts_hits_misses_false_finds_and_deadlines() -> None:
    sentences = [
        _sentence(1, "We will open 20 testing sites by Friday."),
        _sentence(2, "We will continue to work."),
        _sentence(3, "The President will sign the order tomorrow."),
        _sentence(4, "There will be a fund."),
    ]
    friday = dt.date(2024, 3, 8)
    labelled = whole.LabelledTranscript(
        name="made-up",
        path="",
        source="wh-call",
        split="dev",
        sentences=4,
        labels=(
            whole.Label(1, sentences[0].key, friday, friday, borderline=False),
            whole.Label(3, sentences[2].key, None, None, borderline=True),
            whole.Label(4, sentences[3].key, None, None, borderline=False),
        ),
    )
    predicted = {
        1: whole.Prediction(deadline_date=friday),
        2: whole.Prediction(),
        3: whole.Prediction(),
    }

    counts, errors = whole.score_transcript(labelled, sentences, predicted)

    assert (counts.positives, counts.true_positives, counts.false_positives) == (3, 2, 1)
    assert counts.recall == pytest.approx(2 / 3)
    assert counts.precision == pytest.approx(2 / 3)
    # Strictly, the borderline sentence 3 is neither right nor wrong.
    assert counts.strict_precision == pytest.approx(1 / 2)
    assert counts.strict_recall == pytest.approx(1 / 2)
    assert (counts.deadlines_scored, counts.deadlines_right) == (1, 1)
    assert sorted((e.kind, e.n) for e in errors) == [("false", 2), ("missed", 4)]


def test_a_week_deadline_is_right_on_any_day_of_the_week() -> None:
    sentence = _sentence(1, "The determination will be released this week.")
    labelled = whole.LabelledTranscript(
        "made-up", "", "wh-call", "dev", 1,
        (whole.Label(1, sentence.key, dt.date(2023, 11, 27), dt.date(2023, 12, 3), False),),
    )  # fmt: skip

    sunday = whole.Prediction(deadline_date=dt.date(2023, 12, 3))
    counts, _ = whole.score_transcript(labelled, [sentence], {1: sunday})
    assert counts.deadlines_right == 1

    a_week_early = whole.Prediction(deadline_date=dt.date(2023, 11, 26))
    counts, _ = whole.score_transcript(labelled, [sentence], {1: a_week_early})
    assert counts.deadlines_right == 0
