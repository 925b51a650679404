"""The research's 40 example sentences (20 commitments, 20 hard negatives) as regression cases.

They are research material, so they are read from ../shared/research where they live, and the
tests skip when that folder is absent. They were written with the definition, not measured on
it: passing them says the rules cover each trap, not how accurate the extractor is.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from briefings.commitments import extract_commitments

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
EXAMPLES = SHARED / "research" / "commitment-examples.jsonl"


def load_examples() -> list[dict]:
    if not EXAMPLES.is_file():
        return []
    with open(EXAMPLES, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def example_id(example: dict) -> str:
    return ("yes-" if example["is_commitment"] else "no-") + example["text"][:40]


pytestmark = pytest.mark.skipif(not EXAMPLES.is_file(), reason="../shared/research is absent")


@pytest.mark.parametrize("example", load_examples(), ids=example_id)
def test_it_labels_the_research_example(example: dict) -> None:
    found = extract_commitments(
        example["text"],
        dt.date.fromisoformat(example["reference_date"]),
        speaker_role="answer",
        speaker_org="Ministry of Industry and Information Technology",
    )

    assert bool(found) == example["is_commitment"], [c.action for c in found]
    if example["is_commitment"]:
        first = found[0]
        expected = example["deadline_date"]
        assert (str(first.deadline_date) if first.deadline_date else None) == expected
        assert (first.quantity_text or None) == example["quantity"]


def test_it_reads_all_forty_examples() -> None:
    examples = load_examples()

    assert len(examples) == 40
    assert sum(e["is_commitment"] for e in examples) == 20
