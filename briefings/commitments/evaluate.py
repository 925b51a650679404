"""Score the extractor against a labelled JSONL set (tests/data/commitments/evaluation.jsonl).

Each sentence is run as a one-sentence official answer. Sentence level: a sentence is
predicted a commitment when the extractor returns anything for it. Deadline accuracy is an
exact date match over gold commitments that have a deadline and were found; the predicted
deadline is that of the first commitment in the sentence that has one (the gold convention).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .extract import EXTRACTOR_VERSION, Commitment, extract_commitments

DEFAULT_SET = (
    Path(__file__).resolve().parents[2] / "tests" / "data" / "commitments" / ("evaluation.jsonl")
)


@dataclass(frozen=True)
class Example:
    text: str
    reference_date: dt.date
    speaker_org: str
    speaker_is_government: bool
    is_commitment: bool
    deadline_date: dt.date | None
    quantity: str | None
    source: str
    split: str
    category: str


@dataclass(frozen=True)
class Outcome:
    example: Example
    predicted: bool
    deadline_date: dt.date | None
    quantity: str
    commitments: tuple[Commitment, ...]

    @property
    def correct(self) -> bool:
        return self.predicted == self.example.is_commitment

    @property
    def deadline_correct(self) -> bool:
        return self.deadline_date == self.example.deadline_date


def rate(part: int, whole: int) -> float:
    """part / whole, and 0 for an empty slice."""
    return part / whole if whole else 0.0


class PrecisionRecall:
    """Precision and recall of a slice that counts its positives, true and false finds."""

    positives: int
    true_positives: int
    false_positives: int

    @property
    def precision(self) -> float:
        return rate(self.true_positives, self.true_positives + self.false_positives)

    @property
    def recall(self) -> float:
        return rate(self.true_positives, self.positives)


@dataclass
class Scores(PrecisionRecall):
    """Sentence-level counts and the field accuracies for one slice of the set."""

    name: str
    sentences: int = 0
    positives: int = 0
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    deadlines_scored: int = 0
    deadlines_correct: int = 0
    quantities_scored: int = 0
    quantities_correct: int = 0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    @property
    def deadline_accuracy(self) -> float:
        return rate(self.deadlines_correct, self.deadlines_scored)

    @property
    def quantity_accuracy(self) -> float:
        return rate(self.quantities_correct, self.quantities_scored)

    def add(self, outcome: Outcome) -> None:
        gold = outcome.example
        self.sentences += 1
        self.positives += gold.is_commitment
        if outcome.predicted and gold.is_commitment:
            self.true_positives += 1
            if gold.deadline_date is not None:
                self.deadlines_scored += 1
                self.deadlines_correct += outcome.deadline_correct
            if gold.quantity:
                self.quantities_scored += 1
                self.quantities_correct += quantity_matches(outcome.quantity, gold.quantity)
        elif outcome.predicted:
            self.false_positives += 1
        elif gold.is_commitment:
            self.false_negatives += 1


@dataclass
class Report:
    path: str
    extractor_version: str
    overall: Scores
    splits: dict[str, Scores]
    sources: dict[str, Scores]
    outcomes: list[Outcome] = field(default_factory=list)
    false_positive_categories: Counter[str] = field(default_factory=Counter)

    @property
    def errors(self) -> list[Outcome]:
        return [
            o for o in self.outcomes
            if not o.correct or (o.predicted and o.example.deadline_date and not o.deadline_correct)
        ]  # fmt: skip


def load_examples(path: Path | str = DEFAULT_SET) -> list[Example]:
    examples = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            row = json.loads(line)
            try:
                examples.append(
                    Example(
                        text=row["text"],
                        reference_date=dt.date.fromisoformat(row["reference_date"]),
                        speaker_org=row.get("speaker_org") or "",
                        speaker_is_government=bool(row.get("speaker_is_government", True)),
                        is_commitment=bool(row["is_commitment"]),
                        deadline_date=_date(row.get("deadline_date")),
                        quantity=row.get("quantity"),
                        source=row.get("source", ""),
                        split=row.get("split", "all"),
                        category=row.get("category", ""),
                    )
                )
            except (KeyError, ValueError) as error:
                raise ValueError(f"{path}:{number}: {error}") from error
    return examples


def evaluate_commitments(path: Path | str = DEFAULT_SET) -> Report:
    """Run the extractor over the set and score it overall, per split and per source."""
    outcomes = [run_example(example) for example in load_examples(path)]
    report = Report(
        path=str(path), extractor_version=EXTRACTOR_VERSION, overall=Scores("all"),
        splits={}, sources={}, outcomes=outcomes,
    )  # fmt: skip
    for outcome in outcomes:
        gold = outcome.example
        report.overall.add(outcome)
        report.splits.setdefault(gold.split, Scores(gold.split)).add(outcome)
        report.sources.setdefault(gold.source, Scores(gold.source)).add(outcome)
        if outcome.predicted and not gold.is_commitment:
            report.false_positive_categories[gold.category or "?"] += 1
    return report


def run_example(example: Example) -> Outcome:
    commitments = extract_commitments(
        example.text, example.reference_date, speaker_role="answer",
        speaker_org=example.speaker_org, speaker_is_government=example.speaker_is_government,
    )  # fmt: skip
    dated = next((c for c in commitments if c.deadline_date is not None), None)
    first = commitments[0] if commitments else None
    quantity = next((c.quantity_text for c in commitments if c.quantity_text), "")
    return Outcome(
        example=example,
        predicted=bool(commitments),
        deadline_date=dated.deadline_date if dated else None,
        quantity=quantity if first else "",
        commitments=tuple(commitments),
    )


def quantity_matches(predicted: str, gold: str) -> bool:
    """The printed span, leniently: one may extend the other ('100 zones' / '100 zones for X')."""
    a, b = " ".join(predicted.lower().split()), " ".join(gold.lower().split())
    return bool(a) and (a.startswith(b) or b.startswith(a))


def _date(value: object) -> dt.date | None:
    if value in (None, ""):
        return None
    return dt.date.fromisoformat(str(value))


# The order splits are printed in: tuning splits, then held-out ones.
SPLIT_ORDER = ["dev", "dev2", "dev3", "test", "blind"]


def format_report(report: Report, *, show_errors: bool = False) -> str:
    """The report as a plain-text table, with every error listed when asked."""
    header = (
        f"{'slice':<12} {'n':>4} {'pos':>4} {'TP':>4} {'FP':>4} {'FN':>4} "
        f"{'prec':>6} {'recall':>6} {'F1':>6} {'deadline':>12} {'quantity':>12}"
    )
    lines = [f"{report.path}  (extractor {report.extractor_version})", "", header]
    lines.append("-" * len(header))
    splits = sorted(report.splits.values(), key=lambda s: _split_rank(s.name))
    lines += [_row(scores) for scores in [*splits, report.overall]]
    lines.append("")
    lines += [_row(scores) for scores in sorted(report.sources.values(), key=lambda s: s.name)]
    if report.false_positive_categories:
        counts = ", ".join(f"{k} {v}" for k, v in report.false_positive_categories.most_common())
        lines += ["", f"false positives by trap: {counts}"]
    if show_errors:
        lines += ["", "errors:"]
        for outcome in report.errors:
            lines += _error_lines(outcome)
    return "\n".join(lines) + "\n"


def _split_rank(name: str) -> tuple[int, str]:
    return (SPLIT_ORDER.index(name) if name in SPLIT_ORDER else len(SPLIT_ORDER), name)


def _row(scores: Scores) -> str:
    deadline = _ratio(scores.deadline_accuracy, scores.deadlines_correct, scores.deadlines_scored)
    quantity = _ratio(scores.quantity_accuracy, scores.quantities_correct, scores.quantities_scored)
    return (
        f"{scores.name:<12} {scores.sentences:>4} {scores.positives:>4} "
        f"{scores.true_positives:>4} {scores.false_positives:>4} {scores.false_negatives:>4} "
        f"{scores.precision:>6.2f} {scores.recall:>6.2f} {scores.f1:>6.2f} "
        f"{deadline:>12} {quantity:>12}"
    )


def _ratio(value: float, correct: int, total: int) -> str:
    return f"{value:.2f} ({correct}/{total})"


def _error_lines(outcome: Outcome) -> list[str]:
    gold = outcome.example
    if outcome.correct:
        what, detail = "DATE", f"gold {gold.deadline_date} got {outcome.deadline_date}"
    else:
        what, detail = ("FP" if outcome.predicted else "FN"), f"[{gold.category}]"
    lines = [f"  {what} {gold.split}/{gold.source} {gold.reference_date} {detail}"]
    lines.append(f"     {gold.text}")
    for c in outcome.commitments:
        lines.append(
            f"     -> {c.actor} | {c.action[:70]} | {c.deadline_text or '-'} "
            f"{c.deadline_date or ''} | {c.quantity_text or '-'} | {c.kind}/{c.strength}"
        )
    return lines
