"""Find commitments in an official's turn: rules written from the definition in
docs/commitments.md. Long because the pipeline's steps read one clause's state in turn;
the words they know are in lexicon.py, dates in deadlines.py, amounts in quantities.py.

A clause is a commitment when all four hold: it is about the future;
the government speaker or a named government body is committed to it; the wording is
commissive; it is checkable (a quantity, a deadline or a named deliverable).

The pipeline per sentence: drop questions; split into clauses; find each commissive cue
(subject + modal, a goal statement, a passive future); veto the traps of the definition
(hypotheticals, forecasts, procedural lines, itineraries, rhetoric, negation, others' actions);
then keep the cue only if some verb phrase after it is checkable.

Precision comes first: every commitment is shown beside its source, so a wrong one costs more
than a missed one. Without a parser, the subject is recognised from a whitelist of government
actors; anything else ("companies", "the number of graduates") is someone else's future.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from briefings.text import OFFICIAL_ROLES

from .cues import Cue, find_cues, strip_subject
from .deadlines import Deadline, depends_on_reference, find_deadlines
from .lexicon import (
    ACTION_VERBS,
    ANNOUNCE_VERBS,
    BUILDING_VERBS,
    CAPACITY_RE,
    CLAUSE_CONDITION_RE,
    CLAUSE_SPLIT_RE,
    COMMUNICATING_VERBS,
    COMMUNICATION_RE,
    CONTEXT_UNITS,
    COUNTED_SINGULARS,
    DELIVERABLE_RE,
    DELIVERABLE_RE_BLOCK,
    DELIVERY_VERBS,
    EMBEDDED_QUESTION_RE,
    EVENT_RE,
    FINITE_RE,
    FIRM,
    FORECAST_RE,
    FORECAST_VERBS,
    HARD,
    HOSTING_VERBS,
    HYPOTHETICAL_RE,
    I_RE,
    KNOWN_VERBS,
    MEET_GOAL_RE,
    MODAL_RE,
    NEGATION_RE,
    NEUTRAL_VERBS,
    NOT_DELIVERY_RE,
    PAST_PLEDGE_RE,
    PERSON_DELIVERY_VERBS,
    PLACE_RE,
    PLAN_VERBS,
    PROCEDURAL_OBJECT_RE,
    PROCEDURAL_VERBS,
    QUESTION_RE,
    RHETORIC_RE,
    SCHEDULE_VERBS,
    SERVICE_STANDARD_RE,
    SIDES_RE,
    SOFT,
    TALK_VERBS,
    TARGET_VERBS,
    TENTATIVE,
    TIME_UNITS,
    TO_THE_PRESS_RE,
    UNDATABLE_VERBS,
    VAGUE_OBJECT_RE,
    VAGUE_VERBS,
    VP_SPLIT_WORDS,
    WORD_RE,
    lemma,
)
from .quantities import Quantity, find_quantities
from .sentences import Sentence, split_sentences

# Recorded on every commitment it finds. 2.0 (issue 13): the grammar measured on whole
# transcripts of every source (tests/data/commitments/whole/); deadlines that name, start or
# report something are no longer deadlines. 2.1: the fourth round (sanctions imposed and
# airdrops, numbered sessions the Ministry's two sides hold, bodies named before "they").
EXTRACTOR_VERSION = "commitments-2.1"


PLEDGE = "pledge"
TARGET = "target"
PLAN = "plan"


@dataclass(frozen=True)
class Commitment:
    """One commitment candidate in a turn.

    `sentence == text[start:end]` of the turn's text. `actor` is the committed body ("we"
    resolved to the speaker's organisation). `action` is the clause after the commissive cue,
    without the deadline phrase. `kind` is pledge, target or plan; `strength` is hard, firm,
    soft or tentative, a hint rather than a verdict. Quantities and
    deadlines are kept as printed beside their values; `deadline_precision` is day, week,
    month, quarter, half, year, period or duration, or "" when the phrase has no date
    ("soon"). `specificity` counts quantity, dated deadline and named deliverable (0 to 3);
    `confidence` (0 to 1) is meant for a display threshold, not as a probability.
    """

    sentence: str
    start: int
    end: int
    actor: str
    action: str
    kind: str
    strength: str
    confidence: float
    quantity_text: str = ""
    quantity_value: float | None = None
    quantity_unit: str = ""
    quantity_modifier: str = ""
    deadline_text: str = ""
    deadline_date: dt.date | None = None
    deadline_precision: str = ""
    specificity: int = 0
    extractor_version: str = EXTRACTOR_VERSION


def extract_commitments(
    text: str,
    reference_date: dt.date | None,
    *,
    speaker_role: str,
    speaker_org: str = "",
    speaker_is_government: bool = True,
) -> list[Commitment]:
    """Commitment candidates in one turn's text, in reading order.

    `reference_date` is the conference date the deadlines are resolved against; None when
    it is not known: a relative deadline ("by next month") is then kept as printed without
    a date, one that names its own date ("by the end of 2025") keeps it, and one that
    points back whatever the date ("last year") still makes the sentence a report.
    `speaker_org` is what "we" stands for. Only officials' answers and statements are read:
    journalists' questions and the chair's procedural lines are the cheapest false positives
    to avoid, and the archive already knows the role. A guest from a company at a government
    briefing answers too; with `speaker_is_government=False` their "we" is not a government
    actor, though a government body they name still is.
    """
    if speaker_role not in OFFICIAL_ROLES:
        return []
    reference = reference_date or UNDATED_REFERENCE
    found: list[Commitment] = []
    for sentence in split_sentences(text):
        found.extend(
            _sentence_commitments(
                sentence, reference, speaker_org, speaker_is_government=speaker_is_government
            )
        )
    if reference_date is None:
        found = [_without_relative_date(commitment) for commitment in found]
    return found


# An undated turn is read as if said on this day, early enough that every deadline that
# names its own date is still ahead; `_without_relative_date` then drops the dates that
# came from this day rather than from the words.
UNDATED_REFERENCE = dt.date(1900, 1, 1)


def _without_relative_date(commitment: Commitment) -> Commitment:
    if commitment.deadline_date is None or not depends_on_reference(commitment.deadline_text):
        return commitment
    return replace(commitment, deadline_date=None)


@dataclass(frozen=True)
class _Parsed:
    """One sentence with its deadline phrases and quantities, found once for all its cues."""

    sentence: Sentence
    reference: dt.date
    deadlines: list[Deadline]
    quantities: list[Quantity]
    # Response times such as "handled within 15 working days": quantities, not deadlines.
    service_spans: list[tuple[int, int]]

    @property
    def text(self) -> str:
        return self.sentence.text


@dataclass(frozen=True)
class _VerbPhrase:
    start: int
    end: int
    verb: str


def _sentence_commitments(
    sentence: Sentence, reference: dt.date, speaker_org: str, *, speaker_is_government: bool
) -> list[Commitment]:
    text = sentence.text
    if text.rstrip().rstrip("\"”’')").endswith("?") or PAST_PLEDGE_RE.search(text):
        return []
    clauses = []
    for clause_start, clause_end in _clauses(text):
        cues = find_cues(text, clause_start, clause_end, speaker_org)
        if not speaker_is_government:
            # A company's "we" (and a passive future in its mouth) is not the government's.
            own = speaker_org or "speaker"
            cues = [cue for cue in cues if cue.kind == "active" and cue.actor != own]
        if cues:
            clauses.append((clause_start, clause_end, cues))
    if not clauses:
        # Most sentences have no commissive cue; the deadline and quantity grammars
        # (three quarters of the extractor's time) are run only on those that do.
        return []
    parsed = _parse(sentence, reference)
    results: list[Commitment] = []
    for clause_start, clause_end, cues in clauses:
        # Any later modal ends a cue's action, even someone else's: in "the work that we will
        # continue to do is going to give $25", the $25 is not ours to deliver.
        modals = [
            clause_start + m.start() for m in MODAL_RE.finditer(text[clause_start:clause_end])
        ]
        for index, cue in enumerate(cues):
            scope_start = clause_start if index == 0 else cue.subject_start
            scope_end = cues[index + 1].subject_start if index + 1 < len(cues) else clause_end
            if cue.kind != "goal":  # "Under the plan, China will build ...": the goal owns it
                scope_end = min([scope_end] + [m for m in modals if m > cue.action_start])
            commitment = _judge(parsed, cue, scope_start, scope_end)
            if commitment is not None:
                results.append(commitment)
    return _dedupe(results)


def _parse(sentence: Sentence, reference: dt.date) -> _Parsed:
    text = sentence.text
    deadlines = find_deadlines(text, reference)
    service = [d for d in deadlines if _is_service_standard(text, d)]
    deadlines = [d for d in deadlines if d not in service]
    return _Parsed(
        sentence=sentence,
        reference=reference,
        deadlines=deadlines,
        quantities=find_quantities(text, skip=[(d.start, d.end) for d in deadlines]),
        service_spans=[(d.start, d.end) for d in service],
    )


def _is_service_standard(text: str, deadline: Deadline) -> bool:
    return deadline.text.lower().startswith("within") and bool(
        SERVICE_STANDARD_RE.search(text[: deadline.start])
    )


def _clauses(text: str) -> list[tuple[int, int]]:
    """Split at ';' and ', and' when what follows is a clause of its own (it has a finite verb).

    "We will A, and enable B" stays whole: B shares the cue. "X have been built, and this year
    we will add Y" splits, so the pledge takes its own deadline and number.
    """
    bounds = [0]
    for match in CLAUSE_SPLIT_RE.finditer(text):
        following = text[match.end() : match.end() + 80]
        next_break = CLAUSE_SPLIT_RE.search(following)
        window = following[: next_break.start()] if next_break else following
        words = window.split()[:9]
        if match.group().strip().startswith(";") or FINITE_RE.search(" ".join(words)):
            bounds.append(match.start())
            bounds.append(match.end())
    bounds.append(len(text))
    return [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2)]


# Judging a cue ------------------------------------------------------------------------------


def _judge(parsed: _Parsed, cue: Cue, scope_start: int, scope_end: int) -> Commitment | None:
    """The commitment a cue makes over text[scope_start:scope_end], or None for a trap."""
    text = parsed.text
    if cue.vetoed or _is_trap(text, cue, scope_start, scope_end):
        return None
    in_scope = [d for d in parsed.deadlines if scope_start <= d.start < scope_end]
    dated = [d for d in in_scope if d.date is not None]
    future = [d for d in dated if d.date >= parsed.reference]
    if dated and not future:
        return None  # "by the end of last year": a report, not a promise
    # A date in the action beats a fronted one: "Today, X is announcing that it will host ...
    # on March 29th" is due on March 29th. A fronted one serves when the action has none.
    in_action = [d for d in future if d.start >= cue.action_start]
    deadline = (in_action or future or [d for d in in_scope if d.date is None] or [None])[0]
    checkable, deliverable, quantity = _checkability(parsed, cue, scope_end, has_date=bool(future))
    if not checkable:
        return None
    return _commitment(
        cue=cue,
        action=text[cue.action_start : scope_end],
        deadline=deadline,
        quantity=quantity,
        deliverable=deliverable,
        sentence=parsed.sentence,
    )


def _is_trap(text: str, cue: Cue, scope_start: int, scope_end: int) -> bool:
    """The traps of the definition (docs/commitments.md) that the words around the cue reveal."""
    before_cue = text[scope_start : cue.subject_start] + " " + cue.subject
    up_to_subject = text[: cue.subject_start + len(cue.subject)]
    if QUESTION_RE.search(up_to_subject) or EMBEDDED_QUESTION_RE.search(up_to_subject):
        return True  # "You asked whether we will ...", "speak about when we will reach ..."
    if HYPOTHETICAL_RE.search(text) or CLAUSE_CONDITION_RE.search(text[: cue.subject_start]):
        return True
    if FORECAST_RE.search(before_cue) or FORECAST_RE.search(cue.modal):
        return True
    if NEGATION_RE.search(text[cue.subject_start : cue.action_start + 12]):
        return True
    if RHETORIC_RE.search(text[scope_start:scope_end]):
        return True
    return cue.kind != "goal" and not _verb_may_commit(cue, text[cue.action_start : scope_end])


def _checkability(
    parsed: _Parsed, cue: Cue, scope_end: int, *, has_date: bool
) -> tuple[bool, bool, Quantity | None]:
    """Whether some verb phrase after the cue is checkable; whether by a named deliverable;
    and the quantity to show.

    A vague verb needs a number ("cultivate 10,000 firms"), a neutral verb a number, a
    deliverable or a date, a person or an announcement something concrete, any other verb
    a number, a deliverable, or a date if it is a known act.
    """
    text = parsed.text
    quantities = parsed.quantities
    subject_quantities = (
        [q for q in quantities if cue.subject_start <= q.start < cue.action_start]
        if cue.kind in ("passive", "programme", "goal")
        else []
    )
    checkable = False
    deliverable = False
    chosen: Quantity | None = subject_quantities[0] if subject_quantities else None
    if cue.kind == "existential":
        # "There will be 4 million more tests": a number or a named thing, a date is not enough.
        action = text[cue.action_start : scope_end]
        numeric = [q for q in quantities if cue.action_start <= q.start < scope_end and q.value]
        numeric = [q for q in numeric if _counts(q, parsed.service_spans)]
        named = bool(DELIVERABLE_RE.search(action))
        return bool(numeric) or named, named, (numeric[0] if numeric else None)
    for phrase in _verb_phrases(text, cue, scope_end):
        phrase_text = text[phrase.start : phrase.end]
        phrase_quantities = [q for q in quantities if phrase.start <= q.start < phrase.end]
        numeric = [q for q in phrase_quantities + subject_quantities if q.value is not None]
        phrase_quantities = [q for q in phrase_quantities if _counts(q, parsed.service_spans)]
        numeric = [q for q in numeric if _counts(q, parsed.service_spans)]
        has_deliverable = _delivers(phrase.verb, phrase_text)
        if cue.is_person and phrase.verb in HOSTING_VERBS:
            # "The President will host the Summit for Democracy" is an event the government
            # organises; "will host the Prime Minister for a meeting" or "two meetings with
            # House members" is his calendar.
            has_deliverable = ok = bool(EVENT_RE.search(phrase_text))
        elif cue.is_person or phrase.verb in ANNOUNCE_VERBS:
            ok = bool(numeric) or has_deliverable
        elif phrase.verb in VAGUE_VERBS:
            ok = bool(numeric)
        elif phrase.verb in NEUTRAL_VERBS:
            dated = has_date and phrase.verb not in UNDATABLE_VERBS
            ok = bool(numeric) or has_deliverable or (dated and not _vague_object(phrase_text))
        else:
            # A deadline alone makes an action checkable only if the verb is one we know as
            # an action: "we will be detailing the progress tomorrow" is not a promise.
            known_action = phrase.verb in ACTION_VERBS or cue.kind in ("passive", "programme")
            ok = (
                bool(phrase_quantities)
                or bool(subject_quantities)
                or has_deliverable
                or (
                    has_date
                    and (known_action or cue.kind == "goal")
                    and not _vague_object(phrase_text)
                )
            )
        if ok:
            checkable = True
            deliverable = deliverable or has_deliverable
            if chosen is None and (numeric or phrase_quantities):
                chosen = (numeric or phrase_quantities)[0]
    in_action = [q for q in quantities if cue.action_start <= q.start < scope_end]
    if cue.kind == "goal" and not checkable:
        numeric_goal = [q for q in in_action if q.value is not None]
        if numeric_goal or has_date:
            checkable = True
            chosen = chosen or (numeric_goal[0] if numeric_goal else None)
    if chosen is None and in_action:
        chosen = in_action[0]
    return checkable, deliverable, chosen


def _vague_object(phrase_text: str) -> bool:
    return bool(VAGUE_OBJECT_RE.match(phrase_text))


def _counts(quantity: Quantity, service_spans: list[tuple[int, int]]) -> bool:
    """A span of time is a deadline, not a quantity, unless it is a service standard. A
    number that describes the setting is not what the action produces: "the two sides",
    "in two ways", "all countries"; nor is "all" or "zero" before a verb ("let them all
    speak")."""
    words = quantity.unit.lower().split()
    if words and words[-1].rstrip("s") in TIME_UNITS:
        return any(start <= quantity.start < end for start, end in service_spans)
    head = words[0] if words else ""
    if quantity.value == 0:
        return False  # "zero-focused"
    if not words and quantity.value is not None and quantity.value <= 10:
        return False  # "we're going to do three": a count of nothing named
    if head in CONTEXT_UNITS and (quantity.value is None or quantity.value <= 3):
        return False
    return quantity.value is not None or head.endswith("s") or head in COUNTED_SINGULARS


def _delivers(verb: str, phrase_text: str) -> bool:
    """A named deliverable under a delivery verb: the phrase's own or one later in it. A
    physical place is one only when it is built or opened: "send masks to hospitals" does
    not deliver a hospital."""
    match = DELIVERABLE_RE.search(phrase_text)
    if match and PLACE_RE.fullmatch(match.group()):
        built = [lemma(w) for w in WORD_RE.findall(phrase_text[: match.start()])]
        before = phrase_text[max(0, match.start() - 12) : match.start()].lower()
        if not set(built) & BUILDING_VERBS or re.search(
            r"\b(?:to|at|in|for|from)\s+(?:\w+\s+)?$", before
        ):
            return False
    if not match or DELIVERABLE_RE_BLOCK.search(phrase_text):
        return False
    if verb in DELIVERY_VERBS:
        return True
    before = [lemma(w) for w in WORD_RE.findall(phrase_text[: match.start()])]
    return any(word in DELIVERY_VERBS for word in before[1:])


def _verb_may_commit(cue: Cue, action: str) -> bool:
    """False when the verb makes the cue a non-commitment: procedural, itinerary, forecast."""
    verb = cue.verb
    action = action.strip()
    if cue.kind == "existential":
        return True  # its procedural words were read when the cue was found
    if cue.is_person and I_RE.search(strip_subject(cue.subject)):
        return False  # "I will answer ...": the speaker's own turn-taking
    if verb in PROCEDURAL_VERBS and PROCEDURAL_OBJECT_RE.search(action[len(verb) :]):
        return False
    if PROCEDURAL_OBJECT_RE.search(action) and PROCEDURAL_ACTION_RE.search(action):
        return False  # "we will focus on the following work", "we will have more to share"
    if verb == "take" and re.match(r"(?i)take\s+(?:\w+\s+)?questions", action):
        return False
    if NOT_DELIVERY_RE.match(action) or verb in TALK_VERBS:
        return False
    if verb in FORECAST_VERBS:
        return bool(MEET_GOAL_RE.match(action))  # "we will hit the $200 billion goal by 2027"
    if verb == "have" and CAPACITY_RE.match(action[4:]):
        return False
    if verb in COMMUNICATING_VERBS and COMMUNICATION_RE.match(action[len(verb) :]):
        return False  # "we're going to have a briefing tonight", "a fact sheet out today"
    if TO_THE_PRESS_RE.match(action[len(verb) :]):
        return False  # "we'll provide you all a list of that later": the press office's reply
    if cue.is_person:
        return verb in PERSON_DELIVERY_VERBS
    if SIDES_RE.search(strip_subject(cue.subject)):
        return verb in DELIVERY_VERBS or verb in HOSTING_VERBS
    if verb in SCHEDULE_VERBS:
        return verb == "meet" and bool(MEET_GOAL_RE.match(action))
    return True


PROCEDURAL_ACTION_RE = re.compile(
    r"\bthe\s+following\b|\bfocus\s+on\b|^(?:take|have|share|sharing|put\s+out|give)\b",
    re.IGNORECASE,
)


VP_SPLIT_RE = re.compile(
    r"(?:,\s*(?:" + VP_SPLIT_WORDS + r"\s+)?|\s+" + VP_SPLIT_WORDS + r"\s+|(?P<by>\s+by\s+))"
    r"(?P<verb>[A-Za-z-]+)\b"
)


def _verb_phrases(text: str, cue: Cue, scope_end: int) -> list[_VerbPhrase]:
    """The coordinated verb phrases after the cue: 'summarize ..., and issue guidelines'."""
    action = text[cue.action_start : scope_end]
    phrases: list[_VerbPhrase] = []
    start = 0
    verb = cue.verb
    first = WORD_RE.match(action.lstrip())
    progressive = bool(first) and first.group().lower().endswith("ing")
    for match in VP_SPLIT_RE.finditer(action):
        candidate = lemma(match.group("verb"))
        if match.group("by"):
            # "continue our leadership by cohosting the Summit": the gerund names the act.
            if not match.group("verb").lower().endswith("ing") or candidate not in KNOWN_VERBS:
                continue
        elif candidate != match.group("verb").lower() and not (
            progressive and match.group("verb").lower().endswith("ing")
        ):
            # Coordinated verbs after a modal are base forms, "including" is not one; after
            # "will be working ... and unveiling" they are -ing forms.
            continue
        if candidate not in KNOWN_VERBS or candidate in ("make", "have", "work", "use"):
            continue
        if (
            match.group().startswith(",")
            and not re.search(r"(?i)^,\s*(?:" + VP_SPLIT_WORDS + r")", match.group())
            and candidate in NEUTRAL_VERBS
        ):
            continue
        phrases.append(
            _VerbPhrase(cue.action_start + start, cue.action_start + match.start(), verb)
        )
        start = match.start("verb")
        verb = candidate
    phrases.append(_VerbPhrase(cue.action_start + start, scope_end, verb))
    # "extend and expand the relief programs": a verb with no object of its own shares the
    # next one's.
    for index in range(len(phrases) - 1):
        phrase = phrases[index]
        if len(WORD_RE.findall(text[phrase.start : phrase.end])) <= 1:
            phrases[index] = _VerbPhrase(phrase.start, phrases[index + 1].end, phrase.verb)
    return phrases


HARD_MODIFIERS = {
    "at least", "no less than", "no fewer than", "not less than", "not fewer than",
    "no lower than", "not lower than", "above", "more than", "well over", "over", "all", "every",
}  # fmt: skip
SOFT_MODIFIERS = {"around", "about", "approximately", "roughly", "nearly"}


def _commitment(
    *,
    cue: Cue,
    action: str,
    deadline: Deadline | None,
    quantity: Quantity | None,
    deliverable: bool,
    sentence: Sentence,
) -> Commitment:
    kind = _kind(cue, quantity)
    strength = cue.strength
    if quantity is not None and strength == FIRM:
        # The modifier is the English counterpart of 确保 (ensure) and 左右 (around).
        if quantity.modifier in HARD_MODIFIERS:
            strength = HARD
        elif quantity.modifier in SOFT_MODIFIERS:
            strength = SOFT
    has_date = deadline is not None and deadline.date is not None
    has_number = quantity is not None and quantity.value is not None
    # Research section 4.2 step 9: the cue sets a base, each checkable field adds to it.
    base = {"active": 0.55, "goal": 0.5, "passive": 0.45, "programme": 0.45, "existential": 0.45}[
        cue.kind
    ]
    confidence = base + 0.2 * has_date + 0.15 * has_number + 0.1 * deliverable
    confidence -= {TENTATIVE: 0.1, SOFT: 0.05}.get(strength, 0.0)
    confidence -= 0.1 * cue.is_person
    confidence = round(min(0.95, max(0.05, confidence)), 2)
    return Commitment(
        sentence=sentence.text,
        start=sentence.start,
        end=sentence.end,
        actor=cue.actor,
        action=_clean_action(action, deadline),
        kind=kind,
        strength=strength,
        confidence=confidence,
        quantity_text=quantity.text if quantity else "",
        quantity_value=quantity.value if quantity else None,
        quantity_unit=quantity.unit if quantity else "",
        quantity_modifier=quantity.modifier if quantity else "",
        deadline_text=deadline.text if deadline else "",
        deadline_date=deadline.date if deadline else None,
        deadline_precision=deadline.precision if deadline else "",
        specificity=int(has_number) + int(has_date) + int(deliverable),
    )


def _kind(cue: Cue, quantity: Quantity | None) -> str:
    """Research section 2.2: a target is an end state with a number, a plan a scheduled step."""
    if cue.kind == "goal" or cue.modal.startswith(("aim", "strive")):
        return TARGET
    if cue.strength == TENTATIVE or (cue.verb in PLAN_VERBS and quantity is None):
        return PLAN
    if cue.verb in TARGET_VERBS and quantity is not None:
        return TARGET
    return PLEDGE


def _clean_action(action: str, deadline: Deadline | None) -> str:
    """The action without the deadline phrase and trailing punctuation, for display."""
    if deadline is not None and deadline.text in action:
        action = action.replace(deadline.text, " ")
    action = re.sub(r"\s+([,.;])", r"\1", " ".join(action.split()))
    return action.strip(" ,;:—–-").rstrip(".")


def _dedupe(found: list[Commitment]) -> list[Commitment]:
    """False starts ("we will send — this Sunday, we will send 1.5 million doses") repeat a cue."""
    kept: list[Commitment] = []
    for commitment in found:
        twin = next((k for k in kept if _same_cue(k, commitment)), None)
        if twin is None:
            kept.append(commitment)
        elif commitment.specificity > twin.specificity:
            kept[kept.index(twin)] = commitment
    return kept


def _same_cue(a: Commitment, b: Commitment) -> bool:
    return (
        a.start == b.start and a.actor == b.actor and a.action.split()[:1] == b.action.split()[:1]
    )
