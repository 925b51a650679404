"""Empty dates sort the same on SQLite and PostgreSQL.

SQLite puts NULL first in an ascending order and last in a descending one; PostgreSQL does
the opposite. Every ordering on a date that may be empty says where empty ones go.
"""

from __future__ import annotations

import datetime as dt

import pytest

from briefings.ingest.load import load_conference
from briefings.models import Commitment, Conference
from tests.conftest import miit_briefing, source_file

pytestmark = pytest.mark.django_db


def test_undated_briefings_come_after_dated_ones_newest_first():
    for title, held_on in [
        ("Undated briefing", None),
        ("Older briefing", dt.date(2021, 1, 5)),
        ("Newer briefing", dt.date(2023, 6, 1)),
    ]:
        load_conference(miit_briefing(title=title, held_on=held_on), [source_file(text=title)])

    assert list(Conference.objects.values_list("title", flat=True)) == [
        "Newer briefing",
        "Older briefing",
        "Undated briefing",
    ]


def test_commitments_without_a_deadline_come_first_then_the_soonest():
    load_conference(miit_briefing(), [source_file()])

    deadlines = [c.deadline_date for c in Commitment.objects.all()]

    undated = deadlines.count(None)
    assert undated, "the builder's briefing has a pledge with no deadline"
    assert len(deadlines) > undated, "and one with a deadline"
    assert deadlines[:undated] == [None] * undated
    assert deadlines[undated:] == sorted(deadlines[undated:])
