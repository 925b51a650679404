"""The deadline grammar (docs/commitments.md): phrases resolve to the last day they allow."""

from __future__ import annotations

import datetime as dt

import pytest

from briefings.commitments import find_deadlines, resolve_deadline
from briefings.commitments.deadlines import five_year_plan_end


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.mark.parametrize(
    ("phrase", "said_on", "due", "precision"),
    [
        # The issue's own case: a conference on 2022-02-28.
        ("by the end of this year", "2022-02-28", "2022-12-31", "year"),
        # Year boundaries: said two days before New Year, and two days after.
        ("by the end of this year", "2022-12-30", "2022-12-31", "year"),
        ("next year", "2023-01-02", "2024-12-31", "year"),
        ("by the end of next year", "2022-12-30", "2023-12-31", "year"),
        ("next month", "2024-12-30", "2025-01-31", "month"),
        ("in the first quarter of next year", "2022-12-29", "2023-03-31", "quarter"),
        ("in the first quarter", "2023-12-24", "2024-03-31", "quarter"),
        ("in the fourth quarter", "2023-10-24", "2023-12-31", "quarter"),
        ("by the end of the third quarter", "2024-06-20", "2024-09-30", "quarter"),
        ("this quarter", "2022-05-04", "2022-06-30", "quarter"),
        ("in the first half of next year", "2023-11-16", "2024-06-30", "half"),
        ("in the second half of the year", "2023-08-17", "2023-12-31", "half"),
        ("by mid-2023", "2022-10-18", "2023-06-30", "half"),
        # A month already past this year means next year's.
        ("before the end of March", "2024-04-23", "2025-03-31", "month"),
        ("before the end of March", "2024-01-19", "2024-03-31", "month"),
        ("in April next year", "2022-12-27", "2023-04-30", "month"),
        ("before the end of August 2023", "2022-12-29", "2023-08-31", "month"),
        ("by the end of the month", "2022-05-17", "2022-05-31", "month"),
        ("during the 14th Five-Year Plan period", "2021-07-27", "2025-12-31", "period"),
        ("over the 13th Five-Year Plan period (2016-2020)", "2016-03-05", "2020-12-31", "period"),
        ("by 2025", "2021-11-16", "2025-12-31", "year"),
        ("by the year 2030", "2021-11-30", "2030-12-31", "year"),
        ("until the end of 2024", "2022-03-01", "2024-12-31", "year"),
        ("in the next three years", "2023-05-10", "2026-05-10", "duration"),
        ("within 30 days", "2023-05-10", "2023-06-09", "duration"),
        ("over the next decade", "2023-03-08", "2033-03-08", "duration"),
        ("by the end of this time next year", "2021-10-27", "2022-10-27", "duration"),
        ("within 15 working days", "2023-08-17", "2023-09-07", "duration"),
        ("starting from January 1 next year", "2022-11-29", "2023-01-01", "day"),
        ("starting Jan. 1, 2024", "2023-12-19", "2024-01-01", "day"),
        ("from Aug. 31 to Sept. 5", "2022-08-23", "2022-09-05", "day"),
        ("on March 29th and 30th of 2023", "2022-11-29", "2023-03-30", "day"),
        ("tomorrow", "2023-03-08", "2023-03-09", "day"),
        ("this Sunday", "2021-07-02", "2021-07-04", "day"),
        ("next week", "2021-09-03", "2021-09-12", "week"),
        # "This coming week": next week, or on a weekend the one about to start.
        ("this coming week", "2021-09-01", "2021-09-12", "week"),
        ("this coming week", "2022-02-26", "2022-03-06", "week"),
        ("in two weeks", "2021-02-26", "2021-03-12", "duration"),
        ("in two years' time", "2022-02-26", "2024-02-26", "duration"),
        # February 29 already past in a leap year: next year has none (it once crashed).
        ("by February 29", "2024-03-05", "2025-02-28", "day"),
    ],
)
def test_it_resolves_the_phrase(phrase: str, said_on: str, due: str, precision: str) -> None:
    deadline = resolve_deadline(phrase, d(said_on))

    assert deadline is not None
    assert deadline.text.lower() == phrase.lower()
    assert deadline.date == d(due)
    assert deadline.precision == precision


@pytest.mark.parametrize(
    "phrase",
    ["soon", "in due course", "in the coming weeks", "before the Spring Festival"],
)
def test_it_keeps_a_vague_phrase_without_a_date(phrase: str) -> None:
    deadline = resolve_deadline(phrase, d("2023-01-10"))

    assert deadline is not None
    assert deadline.date is None
    assert deadline.text == phrase


def test_it_resolves_a_past_phrase_to_the_past() -> None:
    """So that the extractor can tell a report from a promise."""
    assert resolve_deadline("By the end of last year", d("2022-02-23")).date == d("2021-12-31")
    assert resolve_deadline("since November", d("2022-12-29")).date == d("2022-11-30")
    # A date after "since" too, whatever its grammar; a weekday that points back is none.
    assert resolve_deadline("since March 3", d("2023-08-28")).date == d("2023-03-03")
    assert find_deadlines("since Monday we have shipped", d("2023-08-28")) == []
    assert find_deadlines("as we said last Monday", d("2023-08-28")) == []


@pytest.mark.parametrize(
    "text",
    [
        "we may consider it",  # the modal, not the month
        "the 60th anniversary of the March on Washington",
        "the 2021 NBA championship",
        "the Ukraine Democracy Defense Lend-Lease Act of 2022",
        "a three-year action plan",
        "tomorrow's events",
        "we're preparing our students for a tomorrow that we want",
        # A month-day that is part of a name (issue 13).
        "the January 6 Committee will hold a hearing",
        "the January 6th attack on the Capitol",
        "since the September 11 attacks",
        # A date after "from" or "since" is where something started.
        "Executive Order 14105, from August of 2023, will be implemented",
        # A weekday or date in a past-tense clause.
        "we will build on what we announced on Wednesday",
        "the order the President signed on March 3 will take effect",
        # A count of days or years that is not a time from now.
        "in two years of work",
        "in 30 days since the storm",
    ],
)
def test_it_finds_no_deadline_in(text: str) -> None:
    assert find_deadlines(text, d("2023-08-28")) == []


@pytest.mark.parametrize(
    ("text", "said_on", "due"),
    [
        # "after" inside "afternoon" once made it the day after tomorrow (issue 13).
        ("We will have more on that this afternoon.", "2023-08-28", "2023-08-28"),
        ("The bill will be signed on Friday.", "2023-08-28", "2023-09-01"),
        ("He signed it on Monday, and we will act on Friday.", "2023-08-28", "2023-09-01"),
        ("We're scheduled to announce it on Friday.", "2023-08-28", "2023-09-01"),
        ("Starting from January 1 next year, the tariffs rise.", "2023-08-28", "2024-01-01"),
    ],
)
def test_it_reads_the_clause_around_the_date(text: str, said_on: str, due: str | None) -> None:
    found = find_deadlines(text, d(said_on))

    assert [x.date for x in found] == ([d(due)] if due else [])


def test_it_finds_each_deadline_with_its_offsets() -> None:
    text = "China will peak emissions before 2030 and achieve neutrality before 2060."

    found = find_deadlines(text, d("2021-06-15"))

    assert [(x.text, x.date) for x in found] == [
        ("before 2030", d("2030-12-31")),
        ("before 2060", d("2060-12-31")),
    ]
    assert all(text[x.start : x.end] == x.text for x in found)


def test_it_prefers_the_longest_phrase_where_two_overlap() -> None:
    found = find_deadlines("by the end of the first quarter of next year", d("2022-11-15"))

    assert len(found) == 1
    assert found[0].date == d("2023-03-31")


@pytest.mark.parametrize(("plan", "last_year"), [(1, 1957), (11, 2010), (14, 2025), (15, 2030)])
def test_it_knows_when_a_five_year_plan_ends(plan: int, last_year: int) -> None:
    assert five_year_plan_end(plan) == last_year
