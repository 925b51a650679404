"""A person's answers and an outlet's questions, newest briefing first, read a page at a
time (briefings/pages.py, NewestBriefingFirst): every window is the window the plain
ORDER BY over all the turns gives, on real White House briefings and on briefings built
to tie (the same date, no date)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from briefings.ingest.load import load_conference
from briefings.ingest.run import ingest_paths
from briefings.models import Person, Turn
from briefings.pages import NewestBriefingFirst, newest_briefing_first, with_opening
from tests.conftest import briefing, official, reporter, source_file

pytestmark = pytest.mark.django_db


def ordered(turns, within=("exchange__position", "position")) -> list[int]:
    """Every turn's id in the order the pages used to ask the database for."""
    return list(
        with_opening(turns)
        .order_by(*newest_briefing_first("exchange__conference__"), *within)
        .values_list("pk", flat=True)
    )


def windows(total: int, size: int) -> list[slice]:
    """Every page of `size`, a few odd windows and one past the end."""
    pages = [slice(start, start + size) for start in range(0, total, size)]
    return [*pages, slice(0, 1), slice(3, 40), slice(total - 1, total), slice(total, total + 5)]


def load(title: str, held_on: dt.date | None, answers: int) -> None:
    turns = []
    for number in range(answers):
        turns += [reporter("CNN", f"{title} question {number}?"), official("Jen Psaki", "Yes.")]
    parsed = briefing(title, held_on, turns)
    load_conference(parsed, [source_file(f"{title}.txt", title)])


@pytest.mark.corpus
def test_every_window_of_a_real_officials_answers_is_the_ordered_window(corpus: Path):
    files = sorted((corpus / "wh-briefings").rglob("*.md"))[:12]
    report = ingest_paths([str(path) for path in files])
    assert not [outcome for outcome in report.outcomes if outcome.status == "failed"]
    person = max(Person.objects.all(), key=lambda person: person.turns.count())
    answers = Turn.objects.by_officials().filter(person=person)
    expected = ordered(answers)
    assert len(expected) > 60  # several pages over several briefings

    paged = NewestBriefingFirst(answers)

    assert paged.count() == len(paged) == len(expected)
    for window in windows(len(expected), 25):
        assert [turn.pk for turn in paged[window]] == expected[window], window


@pytest.mark.corpus
def test_the_feed_order_reads_each_briefing_backwards(corpus: Path):
    files = sorted((corpus / "wh-briefings").rglob("*.md"))[:6]
    ingest_paths([str(path) for path in files])
    person = max(Person.objects.all(), key=lambda person: person.turns.count())
    answers = Turn.objects.by_officials().filter(person=person)
    backwards = ("-exchange__position", "-position")

    newest = NewestBriefingFirst(answers, within=backwards)[:20]

    assert [turn.pk for turn in newest] == ordered(answers, backwards)[:20]
    assert all(turn.opening_text for turn in newest)


def test_briefings_on_one_date_and_undated_ones_are_ordered_as_before():
    load("Monday", dt.date(2022, 3, 7), 3)
    load("Monday again", dt.date(2022, 3, 7), 2)  # the same date: the later one first
    load("Undated", None, 4)  # last
    load("Tuesday", dt.date(2022, 3, 8), 5)
    load("Earlier", dt.date(2021, 1, 4), 1)
    answers = Turn.objects.by_officials().filter(person__name="Jen Psaki")
    expected = ordered(answers)

    paged = NewestBriefingFirst(answers)

    assert [conference for conference, _ in paged.briefings][-1] == (
        answers.filter(exchange__conference__held_on=None).first().exchange.conference_id
    )
    for size in (1, 2, 4, 7):
        for window in windows(len(expected), size):
            assert [turn.pk for turn in paged[window]] == expected[window], window


def test_a_window_is_read_as_a_slice_only():
    load("Monday", dt.date(2022, 3, 7), 2)
    paged = NewestBriefingFirst(Turn.objects.by_officials())

    with pytest.raises(TypeError):
        paged[0]
    with pytest.raises(TypeError):
        paged[0:2:2]
    assert paged[5:9] == []
    assert NewestBriefingFirst(Turn.objects.none())[0:25] == []
