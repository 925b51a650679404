"""Score commitment finding on whole labelled transcripts (tests/data/commitments/whole/).

Every official sentence of each transcript was read and labelled, blind, before the
extractor ran on it (the set's README says how). A sentence is predicted a commitment when
a commitment found in its turn overlaps it; it is right when the labels name it (by its
number and key, see `sentences.official_sentences`). Borderline labels count as positives
in the main score; the strict score leaves them out on both sides (a borderline sentence
predicted is then neither right nor wrong).

Deadline accuracy: of the labelled commitments that were found and whose deadline the
labels resolve to dates, the share whose predicted date falls inside the labelled range (a
week or a month phrase allows any day in it, COMMITMENTS.md).

`predict` is pluggable, so the rules and a trained classifier are scored the same way.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from briefings.commitments import extract_commitments
from briefings.commitments.evaluate import PrecisionRecall, rate
from briefings.text import name_key

from .records import ParsedConference
from .sentences import OfficialSentence, official_sentences, read_transcript

REPO = Path(__file__).resolve().parents[2]
DEFAULT_SET = REPO / "tests" / "data" / "commitments" / "whole"
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
SOURCES = ("wh-briefing", "wh-call", "mfa", "scio", "timestamped")


@dataclass(frozen=True)
class Label:
    n: int
    key: str
    deadline_from: dt.date | None
    deadline_to: dt.date | None
    borderline: bool


# The splits opened for development after they were scored (the "test" split stays held out).
OPENED_SPLITS = ("dev", "test1", "test2", "test3")


@dataclass(frozen=True)
class LabelledTranscript:
    name: str
    path: str  # relative to the corpus folder
    source: str
    split: str
    sentences: int
    labels: tuple[Label, ...]


@dataclass(frozen=True)
class Prediction:
    """What a method says of one sentence: a commitment, and its deadline if it has one."""

    deadline_date: dt.date | None = None
    confidence: float = 1.0


# A method: the parsed transcript and its official sentences in, the predicted ones out,
# by sentence number.
Predict = Callable[[ParsedConference, list[OfficialSentence]], dict[int, Prediction]]


@dataclass
class Counts(PrecisionRecall):
    transcripts: int = 0
    sentences: int = 0
    positives: int = 0
    borderline: int = 0
    true_positives: int = 0
    false_positives: int = 0
    borderline_found: int = 0  # borderline labels predicted: leaves the strict score
    unmatched_labels: int = 0  # labels whose sentence the parser no longer gives
    deadlines_scored: int = 0
    deadlines_right: int = 0

    def add(self, other: Counts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def strict_precision(self) -> float:
        right = self.true_positives - self.borderline_found
        return rate(right, right + self.false_positives)

    @property
    def strict_recall(self) -> float:
        return rate(self.true_positives - self.borderline_found, self.positives - self.borderline)

    @property
    def deadline_accuracy(self) -> float:
        return rate(self.deadlines_right, self.deadlines_scored)


@dataclass(frozen=True)
class Error:
    transcript: str
    n: int
    speaker: str
    text: str
    kind: str  # "missed", "false", "deadline"
    detail: str = ""


@dataclass
class Report:
    by_source: dict[str, Counts] = field(default_factory=dict)
    overall: Counts = field(default_factory=Counts)
    errors: list[Error] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # transcripts not in the corpus here


def load_labels(folder: Path = DEFAULT_SET) -> list[LabelledTranscript]:
    found = []
    for file in sorted(folder.glob("*.json")):
        data = json.loads(file.read_text(encoding="utf-8"))
        labels = tuple(
            Label(
                n=row["n"],
                key=row["key"],
                deadline_from=_date(row.get("deadline_from")),
                deadline_to=_date(row.get("deadline_to")),
                borderline=bool(row.get("borderline")),
            )
            for row in data["commitments"]
        )
        found.append(
            LabelledTranscript(
                name=file.stem,
                path=data["path"],
                source=data["source"],
                split=data["split"],
                sentences=data["sentences"],
                labels=labels,
            )
        )
    return found


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def read_labelled(
    labelled: LabelledTranscript, corpus: Path = DEFAULT_CORPUS
) -> tuple[ParsedConference, list[OfficialSentence]] | None:
    """The labelled transcript parsed, with its official sentences; None when its file is
    not in the corpus here."""
    file = corpus / labelled.path
    if not file.is_file():
        return None
    parsed = read_transcript(file)
    return parsed, official_sentences(parsed)


def predict_with_extractor(
    parsed: ParsedConference, sentences: list[OfficialSentence]
) -> dict[int, Prediction]:
    """The rule extractor, run on each official turn as the loader runs it, with one
    difference: a parsed transcript does not say which organisations are companies (the
    loader reads `Organization.kind`), so every official's "we" is taken as the
    government's. None of the labelled transcripts has a company guest."""
    when = parsed.held_on or parsed.published_on
    organizations = {name_key(p.name): p.organization for p in parsed.participants}
    by_turn: dict[int, list[OfficialSentence]] = {}
    for sentence in sentences:
        by_turn.setdefault(sentence.turn, []).append(sentence)
    predicted: dict[int, Prediction] = {}
    for index, in_turn in by_turn.items():
        turn = parsed.turns[index]  # an official's: official_sentences reads no other
        organization = organizations.get(name_key(turn.speaker_name), "")
        found = extract_commitments(
            turn.text,
            when,
            speaker_role=turn.role,
            speaker_org=organization or parsed.organizer,
        )
        for sentence in in_turn:
            overlapping = [c for c in found if c.start < sentence.end and sentence.start < c.end]
            if overlapping:
                dated = [c.deadline_date for c in overlapping if c.deadline_date]
                predicted[sentence.number] = Prediction(
                    deadline_date=dated[0] if dated else None,
                    confidence=max(c.confidence for c in overlapping),
                )
    return predicted


def score_transcript(
    labelled: LabelledTranscript,
    sentences: list[OfficialSentence],
    predicted: dict[int, Prediction],
) -> tuple[Counts, list[Error]]:
    counts = Counts(transcripts=1, sentences=len(sentences))
    errors: list[Error] = []
    numbers_by_key: dict[str, list[int]] = {}
    for sentence in sentences:
        numbers_by_key.setdefault(sentence.key, []).append(sentence.number)
    gold: dict[int, Label] = {}
    for label in labelled.labels:
        counts.positives += 1
        counts.borderline += label.borderline
        number = _locate(label, sentences, numbers_by_key)
        if number is None:
            counts.unmatched_labels += 1
            errors.append(Error(labelled.name, label.n, "", "", "missed", "sentence not found"))
        else:
            gold[number] = label
    for number, label in gold.items():
        sentence = sentences[number - 1]
        prediction = predicted.get(number)
        if prediction is None:
            errors.append(_error(labelled, sentence, "missed"))
            continue
        counts.true_positives += 1
        counts.borderline_found += label.borderline
        if label.deadline_from and label.deadline_to:
            counts.deadlines_scored += 1
            date = prediction.deadline_date
            if date and label.deadline_from <= date <= label.deadline_to:
                counts.deadlines_right += 1
            else:
                wanted = f"{label.deadline_from}..{label.deadline_to}"
                errors.append(_error(labelled, sentence, "deadline", f"{date} not {wanted}"))
    for number in sorted(set(predicted) - set(gold)):
        counts.false_positives += 1
        errors.append(_error(labelled, sentences[number - 1], "false"))
    return counts, errors


def _locate(
    label: Label, sentences: list[OfficialSentence], numbers_by_key: dict[str, list[int]]
) -> int | None:
    """The sentence a label names: at its number if the key still matches, else the
    nearest sentence with its key (the parser may have moved it)."""
    if 0 < label.n <= len(sentences) and sentences[label.n - 1].key == label.key:
        return label.n
    candidates = numbers_by_key.get(label.key, [])
    return min(candidates, key=lambda n: abs(n - label.n)) if candidates else None


def _error(
    labelled: LabelledTranscript, sentence: OfficialSentence, kind: str, detail: str = ""
) -> Error:
    return Error(labelled.name, sentence.number, sentence.speaker, sentence.text, kind, detail)


def evaluate(
    transcripts: Iterable[LabelledTranscript],
    *,
    corpus: Path = DEFAULT_CORPUS,
    predict: Predict = predict_with_extractor,
) -> Report:
    report = Report()
    for labelled in transcripts:
        read = read_labelled(labelled, corpus)
        if read is None:
            report.missing.append(labelled.path)
            continue
        parsed, sentences = read
        counts, errors = score_transcript(labelled, sentences, predict(parsed, sentences))
        report.by_source.setdefault(labelled.source, Counts()).add(counts)
        report.overall.add(counts)
        report.errors.extend(errors)
    return report


def format_report(report: Report, *, title: str, show_errors: bool = False) -> str:
    header = (
        f"{'source':<13}{'files':>6}{'sent.':>7}{'pos':>5}{'bord':>5}{'TP':>5}{'FP':>5}"
        f"{'prec':>7}{'recall':>7}  {'strict P/R':>11}  deadline"
    )
    lines = [title, "", header, "-" * len(header)]
    rows = [(s, report.by_source[s]) for s in SOURCES if s in report.by_source]
    for name, counts in [*rows, ("all", report.overall)]:
        lines.append(
            f"{name:<13}{counts.transcripts:>6}{counts.sentences:>7}{counts.positives:>5}"
            f"{counts.borderline:>5}{counts.true_positives:>5}{counts.false_positives:>5}"
            f"{counts.precision:>7.2f}{counts.recall:>7.2f}  "
            f"{counts.strict_precision:>5.2f}/{counts.strict_recall:<5.2f}  "
            f"{counts.deadline_accuracy:.2f} ({counts.deadlines_right}/{counts.deadlines_scored})"
        )
    if report.overall.unmatched_labels:
        lines.append(f"\n{report.overall.unmatched_labels} labels name a sentence not found")
    if report.missing:
        lines.append(f"\nnot in the corpus here, skipped: {len(report.missing)} transcripts")
    if show_errors:
        lines.append("")
        for error in report.errors:
            detail = f" [{error.detail}]" if error.detail else ""
            lines.append(
                f"{error.kind:<8} {error.transcript} #{error.n} {error.speaker}: "
                f"{error.text}{detail}"
            )
    return "\n".join(lines) + "\n"
