"""Score the parsers on a blind labelled set: exchange boundaries and speaker resolution.

The set (tests/data/labelled/, described in its README) gives, per whole briefing, every
turn's start line, role, person and outlet, and whether it begins an exchange. Parsed
turns are matched to labelled turns by start line: the same line, or, where a label
stands on a line of its own (SCIO, MFA text), within the two lines after it and before
the next labelled turn. A turn the parser splits or merges differently is a miss.

- Boundary precision: of the parsed exchanges (those made only of notes left out), the
  share whose first turn matches a labelled turn that begins an exchange.
- Boundary recall: of the labelled turns that begin an exchange, the share matched by
  the first turn of a parsed exchange.
- Speaker accuracy ("speakers"): of the labelled turns, the share matched by a parsed
  turn whose person (the name the parser gives) and outlet have the label's
  `text.name_key`.
- Stored speaker accuracy ("stored"): the same, with the name the archive stores: the
  parser's name resolved within the briefing by `roster.resolve_speakers`, as the loader
  does (misprints of a roster name, officials on background). The resolution across the
  archive (`load.PersonResolver`) needs a database and is not scored here.

`score_briefing` is pure (labels and a ParsedConference in, counts out); `evaluate_set`
reads the files (raw bytes, decoded and parsed as an ingest would, one file at a time).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from briefings.text import MODERATOR, NOTE, name_key

from .decode import decode_transcript
from .detect import parse_transcript
from .records import ParsedConference, ParsedTurn, ParseError
from .roster import resolve_speakers

REPO = Path(__file__).resolve().parents[2]
DEFAULT_SET = REPO / "tests" / "data" / "labelled"
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
SOURCES = ("whitehouse", "timestamped", "scio", "mfa")
LABEL_WINDOW = 2  # lines after a label on its own line where its text may start
# Whole-page HTML: a turn is reported at its `<p>`, which stands on the line before the one
# where the label's text starts (the line the labels give).
HTML_LEAD = 1


@dataclass(frozen=True)
class LabelledTurn:
    line: int
    label: str
    role: str
    person: str
    outlet: str
    new_exchange: bool


@dataclass(frozen=True)
class LabelledBriefing:
    name: str
    source: str
    path: str
    turns: tuple[LabelledTurn, ...]


@dataclass
class Counts:
    """Counts that add up across briefings; the rates are computed from them."""

    parsed_boundaries: int = 0
    labelled_boundaries: int = 0
    boundaries_found: int = 0  # parsed boundaries that are labelled ones
    turns: int = 0
    speakers_right: int = 0
    stored_right: int = 0  # with the names the loader stores (resolve_speakers)
    # The same, by where each exchange's question (or statement) begins: the chair's lines and
    # notes at an exchange's head left out on both sides, so where a hand-off is filed (its own
    # procedural exchange in the labels, the head of the question it calls in the archive)
    # does not count. Exchanges of only such lines are not counted.
    parsed_openings: int = 0
    labelled_openings: int = 0
    openings_found: int = 0
    briefings: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: Counts) -> None:
        self.parsed_boundaries += other.parsed_boundaries
        self.labelled_boundaries += other.labelled_boundaries
        self.boundaries_found += other.boundaries_found
        self.turns += other.turns
        self.speakers_right += other.speakers_right
        self.stored_right += other.stored_right
        self.parsed_openings += other.parsed_openings
        self.labelled_openings += other.labelled_openings
        self.openings_found += other.openings_found
        self.briefings += other.briefings
        self.errors.extend(other.errors)

    @property
    def precision(self) -> float:
        return _rate(self.boundaries_found, self.parsed_boundaries)

    @property
    def recall(self) -> float:
        return _rate(self.boundaries_found, self.labelled_boundaries)

    @property
    def opening_precision(self) -> float:
        return _rate(self.openings_found, self.parsed_openings)

    @property
    def opening_recall(self) -> float:
        return _rate(self.openings_found, self.labelled_openings)

    @property
    def speaker_accuracy(self) -> float:
        return _rate(self.speakers_right, self.turns)

    @property
    def stored_accuracy(self) -> float:
        return _rate(self.stored_right, self.turns)


def _rate(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def load_labels(folder: Path = DEFAULT_SET) -> list[LabelledBriefing]:
    """Every labelled briefing in the folder, sorted by file name; a bad file is a ValueError."""
    briefings = []
    for path in sorted(folder.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            turns = tuple(LabelledTurn(**turn) for turn in data["turns"])
            briefing = LabelledBriefing(path.stem, data["source"], data["path"], turns)
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f"{path.name}: not a labelled briefing ({error})") from None
        if briefing.source not in SOURCES:
            raise ValueError(f"{path.name}: unknown source {briefing.source!r}")
        briefings.append(briefing)
    return briefings


def _match(
    labelled: tuple[LabelledTurn, ...], lines: Iterable[int], lead: int = 0
) -> dict[int, LabelledTurn]:
    """Parsed start line -> the labelled turn it starts (each labelled turn at most once);
    `lead` is how many lines before the labelled line a parsed turn may start."""
    starts = sorted(turn.line for turn in labelled)
    by_line = {turn.line: turn for turn in labelled}
    matched: dict[int, LabelledTurn] = {}
    taken: set[int] = set()
    for line in sorted(set(lines)):
        candidates = [
            start
            for start in starts
            if start - lead <= line <= start + LABEL_WINDOW
            and start not in taken
            # no other labelled turn starts between the label and this line
            and not any(start < other <= line for other in starts)
        ]
        if candidates:
            start = candidates[-1]
            matched[line] = by_line[start]
            taken.add(start)
    return matched


def score_briefing(labelled: LabelledBriefing, parsed: ParsedConference, lead: int = 0) -> Counts:
    turns = [turn for exchange in parsed.exchanges for turn in exchange.turns]
    matched = _match(labelled.turns, (turn.line for turn in turns), lead)
    firsts = [
        exchange.turns[0]
        for exchange in parsed.exchanges
        if exchange.turns and any(turn.role != NOTE for turn in exchange.turns)
    ]
    found = {
        matched[turn.line].line
        for turn in firsts
        if turn.line in matched and matched[turn.line].new_exchange
    }
    labelled_openings = _labelled_openings(labelled.turns)
    parsed_openings = [
        opening
        for exchange in parsed.exchanges
        if (opening := next((t for t in exchange.turns if t.role not in _HEADS), None))
    ]
    openings_found = {
        matched[turn.line].line
        for turn in parsed_openings
        if turn.line in matched and matched[turn.line].line in labelled_openings
    }
    right = _right_speakers(turns, [turn.speaker_name for turn in turns], matched)
    stored = _right_speakers(turns, resolve_speakers(parsed), matched)
    return Counts(
        parsed_boundaries=len(firsts),
        labelled_boundaries=sum(turn.new_exchange for turn in labelled.turns),
        boundaries_found=len(found),
        turns=len(labelled.turns),
        speakers_right=len(right),
        stored_right=len(stored),
        parsed_openings=len(parsed_openings),
        labelled_openings=len(labelled_openings),
        openings_found=len(openings_found),
        briefings=1,
    )


_HEADS = (MODERATOR, NOTE)  # lines an exchange may open with before its question


def _labelled_openings(turns: tuple[LabelledTurn, ...]) -> set[int]:
    """The line of each labelled exchange's first turn that is not the chair's or a note."""
    openings: set[int] = set()
    waiting = False  # a labelled exchange began and its opening is not found yet
    for turn in turns:
        waiting = waiting or turn.new_exchange
        if waiting and turn.role not in _HEADS:
            openings.add(turn.line)
            waiting = False
    return openings


def _right_speakers(
    turns: list[ParsedTurn], names: list[str], matched: dict[int, LabelledTurn]
) -> set[int]:
    """The labelled turns (by line) matched by a turn of the labelled person and outlet."""
    right = set()
    for turn, name in zip(turns, names, strict=True):
        label = matched.get(turn.line)
        if label is None or label.line in right:
            continue
        if name_key(name) == name_key(label.person) and name_key(turn.outlet) == name_key(
            label.outlet
        ):
            right.add(label.line)
    return right


def file_of(briefing: LabelledBriefing, corpus: Path = DEFAULT_CORPUS) -> Path:
    """Where the labelled file is: demo/ files in the repository, the rest in the corpus."""
    if briefing.path.startswith("demo/"):
        return REPO / briefing.path
    return corpus / briefing.path


def parse_file(path: Path) -> ParsedConference:
    return parse_transcript(decode_transcript(path.read_bytes(), max_bytes=1 << 26))


def evaluate_set(folder: Path = DEFAULT_SET, corpus: Path = DEFAULT_CORPUS) -> dict[str, Counts]:
    """Counts per source and "overall"; a file that is missing or fails to parse scores
    nothing found for its labels and is named in `errors`."""
    report = {source: Counts() for source in (*SOURCES, "overall")}
    for briefing in load_labels(folder):
        path = file_of(briefing, corpus)
        try:
            lead = HTML_LEAD if path.suffix.lower() in {".html", ".htm"} else 0
            counts = score_briefing(briefing, parse_file(path), lead)
        except (OSError, ParseError) as error:
            counts = Counts(
                labelled_boundaries=sum(turn.new_exchange for turn in briefing.turns),
                turns=len(briefing.turns),
                briefings=1,
                errors=[f"{briefing.name}: {error}"],
            )
        report[briefing.source].add(counts)
        report["overall"].add(counts)
    return report


def format_report(report: dict[str, Counts]) -> str:
    lines = [
        f"{'source':<12} {'briefings':>9} {'turns':>6} {'exchanges':>9} "
        f"{'precision':>9} {'recall':>7} {'q-precision':>11} {'q-recall':>8} "
        f"{'speakers':>8} {'stored':>6}"
    ]
    for source, counts in report.items():
        if not counts.briefings:
            continue
        lines.append(
            f"{source:<12} {counts.briefings:>9} {counts.turns:>6} "
            f"{counts.labelled_boundaries:>9} {counts.precision:>9.2f} {counts.recall:>7.2f} "
            f"{counts.opening_precision:>11.2f} {counts.opening_recall:>8.2f} "
            f"{counts.speaker_accuracy:>8.2f} {counts.stored_accuracy:>6.2f}"
        )
    lines.extend(f"error: {error}" for error in report["overall"].errors)
    return "\n".join(lines) + "\n"
