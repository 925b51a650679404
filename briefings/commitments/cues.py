"""Commissive cues: a subject and a modal ("we will", "the Ministry of Commerce plans to"), a
goal statement ("our goal is that"), a passive future ("1,000 centers will be built"), or a
government programme's future ("the pilot will cover seven provinces").

Without a parser, the subject is read back from the modal to the nearest boundary and checked
against a whitelist of government actors (lexicon); anything else is someone else's future.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import (
    ACRONYM_RE,
    ADVERB_PIECE_RE,
    ADVERBS,
    AFTER_MODAL_HEDGE_RE,
    AUXILIARY_VERBS,
    BODY_NAME_RE,
    FIRM,
    GOAL_RE,
    GOV_ACRONYMS,
    GOV_COMMON_RE,
    GOV_NAMED_RE,
    HARD,
    I_RE,
    INSTRUMENT_RE,
    IRREGULAR_PARTICIPLES,
    IT_RE,
    LEADING_WORDS_RE,
    MODAL_RE,
    NOT_DELIVERY_PARTICIPLES,
    NUMBERED_EVENT_RE,
    PERSON_RE,
    PLURAL_BODY_NAME_RE,
    PROCEDURAL_SUBJECT_RE,
    PROGRAMME_SUBJECT_RE,
    PROGRAMME_VERBS,
    SOFT,
    SOFT_AUXILIARIES,
    SUBJECT_BOUNDARY_RE,
    TENTATIVE,
    THERE_PROCEDURAL_RE,
    THERE_WILL_BE_RE,
    THEY_RE,
    TRAILING_ADVERBS_RE,
    UNDER_PLAN_RE,
    WE_RE,
    WORD_RE,
    lemma,
)


@dataclass
class Cue:
    """A commissive cue: where it starts, who its subject is, and where its action begins."""

    kind: str  # "active", "goal", "passive", "programme", "existential" ("there will be")
    subject: str
    subject_start: int
    action_start: int
    modal: str
    verb: str = ""
    actor: str = ""
    is_person: bool = False
    strength: str = FIRM
    # A vetoed cue still ends the previous cue's action; it only cannot be a commitment.
    vetoed: bool = False


def find_cues(text: str, start: int, end: int, speaker_org: str) -> list[Cue]:
    """The cues in the clause text[start:end], in order; their actors are resolved."""
    clause = text[start:end]
    goal = GOAL_RE.search(clause) or UNDER_PLAN_RE.search(clause)
    if goal:
        # The goal owns its clause: in "our goal is that by 2025 the number of base stations
        # will reach 26", the modal after it belongs to the goal, not to "the number".
        cue = Cue(
            kind="goal",
            subject=clause[: goal.start()].strip(),
            subject_start=start + goal.start(),
            action_start=start + goal.end(),
            modal=goal.group(),
            actor=speaker_org or "speaker",
            strength=SOFT,
        )
        return [cue]
    cues = []
    for match in MODAL_RE.finditer(clause):
        cue = _cue_at(text, start, match, speaker_org)
        if cue is not None:
            cues.append(cue)
    instrument = INSTRUMENT_RE.search(clause)
    if instrument and not cues:
        # Its provisions are the government's decided acts: checkable like a passive's.
        cues.append(
            Cue(
                kind="passive",
                subject=instrument.group(),
                subject_start=start + instrument.start(),
                action_start=start + instrument.end(),
                modal="directs",
                # What an order directs is issued: "directs a report" delivers the report.
                verb="issue",
                actor=speaker_org or "speaker",
            )
        )
    there = THERE_WILL_BE_RE.search(clause)
    if there and not THERE_PROCEDURAL_RE.search(clause[there.end() :]):
        cues = [cue for cue in cues if cue.subject_start != start + there.start()]
        cues.append(
            Cue(
                kind="existential",
                subject="there",
                subject_start=start + there.start(),
                action_start=start + there.end(),
                modal=" ".join(there.group().lower().split()[1:-1]),
                verb="be",
                actor=speaker_org or "speaker",
            )
        )
        cues.sort(key=lambda cue: cue.subject_start)
    return cues


def _cue_at(text: str, clause_start: int, match: re.Match[str], speaker_org: str) -> Cue | None:
    modal_start = clause_start + match.start()
    modal_end = clause_start + match.end()
    subject, subject_start = _subject(text, clause_start, modal_start)
    modal = " ".join(match.group("modal").lower().split())
    after = text[modal_end:]
    reading = _verb_after(after, modal)
    verb, passive = reading.verb, reading.passive
    if not verb:
        return None
    cue = Cue(
        kind="active",
        subject=subject,
        subject_start=subject_start,
        action_start=modal_end + reading.offset,
        modal=modal,
        verb=verb,
        strength=reading.strength,
    )
    if AFTER_MODAL_HEDGE_RE.match(after) or re.search(r"n['’]t$", text[:modal_start].rstrip()):
        cue.vetoed = True  # "will likely", "will not", "won't"
    bare = strip_subject(subject)
    if PROCEDURAL_SUBJECT_RE.search(bare) and not NUMBERED_EVENT_RE.search(bare):
        cue.vetoed = True  # "Details will be announced"
        return cue
    government = _government_actor(bare, speaker_org, text[:subject_start])
    if government is not None:
        cue.actor, cue.is_person = government
        if passive and verb in NOT_DELIVERY_PARTICIPLES:
            return None
        cue.verb = lemma(verb)
        return cue
    if passive:
        if verb in NOT_DELIVERY_PARTICIPLES or _is_pronoun(bare) or PERSON_RE.search(bare):
            return None
        cue.verb = lemma(verb)
        cue.kind = "passive"
        cue.actor = speaker_org or "speaker"
        return cue
    if PROGRAMME_SUBJECT_RE.search(bare) and verb in PROGRAMME_VERBS:
        cue.kind = "programme"
        cue.actor = speaker_org or "speaker"
        return cue
    return None


def _subject(text: str, clause_start: int, modal_start: int) -> tuple[str, int]:
    """The words before the modal back to a boundary, and where they start.

    When the modal follows a boundary directly, the subject is further back: "11 countries
    that will be joining" gives "11 countries", "The policy, which was introduced in 2019,
    will expire" gives "The policy", "we've also — will welcome" gives "we've also".
    """
    prefix = text[clause_start:modal_start]
    pieces: list[tuple[int, int, str]] = []  # (start, end, the boundary before it)
    last, boundary = 0, ""
    for match in SUBJECT_BOUNDARY_RE.finditer(prefix):
        pieces.append((last, match.start(), boundary))
        last, boundary = match.end(), match.group().strip().lower()
    pieces.append((last, len(prefix), boundary))
    index = len(pieces) - 1
    while index >= 0:
        piece = prefix[pieces[index][0] : pieces[index][1]]
        if piece.strip() and not (index > 0 and ADVERB_PIECE_RE.fullmatch(piece)):
            break
        if piece.strip() or pieces[index][2] != ",":
            index -= 1  # an adverb ("as well"), or the antecedent of "that will"
            continue
        # The modal follows a comma: skip back over an aside opened by "which" or "who".
        asides = [i for i in range(index) if pieces[i][2] in ("which", "who")]
        index = asides[-1] - 1 if asides else index - 1
    if index < 0:
        return "", clause_start
    start, end, _ = pieces[index]
    piece = prefix[start:end]
    lead = len(piece) - len(piece.lstrip())
    return piece.strip(), clause_start + start + lead


def strip_subject(subject: str) -> str:
    """The subject without contractions, discourse words and adverbs: "And so we've" -> "we"."""
    bare = re.sub(r"['’](?:ve|re|ll|d|s\s+going\s+to)$", "", subject.strip())
    bare = TRAILING_ADVERBS_RE.sub("", bare)
    bare = LEADING_WORDS_RE.sub("", bare).strip()
    return bare


PRONOUNS = frozenset(
    {"it", "they", "he", "she", "i", "you", "this", "that", "there", "we", "these", "those",
     "what", ""}
)  # fmt: skip


def _is_pronoun(subject: str) -> bool:
    return subject.lower() in PRONOUNS


def _government_actor(subject: str, speaker_org: str, before: str) -> tuple[str, bool] | None:
    """(actor, is_person) when the subject is the speaker's side or a government body."""
    candidates = [subject]
    if re.search(r"\s+and\s+", subject):
        # "The United States and the PRC will launch": the first conjunct leads.
        candidates.append(re.split(r"\s+and\s+", subject, maxsplit=1)[0])
    for candidate in candidates:
        if WE_RE.search(candidate):
            return speaker_org or "speaker", False
        if I_RE.search(candidate):
            return speaker_org or "speaker", True
        if PERSON_RE.search(candidate):
            return _person_name(candidate), True
        for pattern in (GOV_NAMED_RE, GOV_COMMON_RE):
            match = pattern.search(candidate)
            if match and _is_whole_subject(candidate, match.start("actor")):
                return _normalise_actor(match.group("actor"), speaker_org), False
    if THEY_RE.search(subject):
        bodies = PLURAL_BODY_NAME_RE.findall(before)
        if bodies:
            return _normalise_actor(bodies[-1], speaker_org), False
    if IT_RE.search(subject):
        # "the Department of State announced it will offer": "it" is the body named before.
        antecedent = _named_body(before)
        if antecedent:
            return _normalise_actor(antecedent, speaker_org), False
    return None


# What may stand before an actor inside its subject: fronted time phrases ("this year we",
# "by 2025 China"), discourse words, and "announced (that) it".
FRONTED_RE = re.compile(
    r"(?:year|month|week|today|tomorrow|now|then|also|and|but|so|\d{4}|quarter|half|period"
    r"|time|soon|first|next|finally|meanwhile|announced|announcing)$",
    re.IGNORECASE,
)


def _is_whole_subject(subject: str, actor_start: int) -> bool:
    """The actor must be the subject, not the tail of a longer noun phrase ('X of China')."""
    prefix = subject[:actor_start].strip()
    if not prefix:
        return True
    if re.search(r"(?i)\b(?:of|for|in|'s|’s|at|from|with|by)$", prefix):
        return False
    return not re.search(r"[a-z]$", prefix) or bool(FRONTED_RE.search(prefix))


def _named_body(text: str) -> str:
    """The last government body named in `text`: the antecedent of a following "it"."""
    found = BODY_NAME_RE.findall(text)
    return found[-1] if found else ""


def _person_name(subject: str) -> str:
    match = PERSON_RE.search(subject)
    name = match.group().strip() if match else subject
    return re.sub(r"(?i)^the\s+", "the ", name)


def _normalise_actor(actor: str, speaker_org: str) -> str:
    actor = " ".join(actor.split())
    lowered = actor.lower()
    acronym = ACRONYM_RE.match(actor)
    if acronym:
        return GOV_ACRONYMS[acronym.group(1)]
    if lowered in ("china", "the country", "the nation"):
        return "China"
    if lowered in ("the united states", "the u.s", "the u.s.", "the us", "america"):
        return "United States"
    if lowered in ("the administration", "the white house") or lowered.startswith(
        ("the biden", "the trump")
    ):
        return speaker_org or actor
    if lowered in ("the ministry", "the department", "the commission", "the bureau", "the agency"):
        return speaker_org or actor
    return re.sub(r"(?i)^the\s+", "", actor)


@dataclass(frozen=True)
class _Reading:
    """The verb after a modal, where it starts (offset after the modal), and its voice."""

    verb: str
    offset: int
    strength: str
    passive: bool = False


TENTATIVE_MODALS = (
    "plan", "are planning", "is planning", "are scheduled", "is scheduled", "'re scheduled",
    "are working", "is working", "'re working", "are drafting", "is drafting",
    "are formulating", "are preparing", "is preparing", "are prepared", "is prepared",
    "have prepared", "has prepared", "intend",
)  # fmt: skip


def _modal_strength(modal: str) -> str:
    if modal.startswith(("aim", "strive")):
        return SOFT
    if modal.startswith(TENTATIVE_MODALS):
        return TENTATIVE
    return HARD if modal == "shall" else FIRM


def _is_participle(word: str) -> bool:
    return word.endswith("ed") or word in IRREGULAR_PARTICIPLES


def _verb_after(after: str, modal: str) -> _Reading:
    """The main verb after the modal, skipping adverbs, "be"/"have" and "strive to"."""
    strength = _modal_strength(modal)
    if re.search(r"working on|drafting|formulating|preparing$", modal):
        return _Reading("prepare", 0, strength)  # "we are working on a guideline ..."
    position = 0
    progressive = False
    while True:
        match = WORD_RE.search(after, position)
        if not match or after[position : match.start()].strip(" ,"):
            # A dash or other mark before the verb: a false start, no verb to read.
            return _Reading("", 0, strength)
        word = match.group().lower()
        position = match.end()
        following = WORD_RE.match(after, _skip_space(after, position))
        next_word = following.group().lower() if following else ""
        if word == "be":
            if following and next_word.endswith("ing"):
                progressive = True  # "will be donating": the verb is "donate"
                continue
            if following and (_is_participle(next_word) or next_word == "available"):
                # "will be built", and "$600 billion in loans will be available"
                return _Reading(next_word, following.start(), strength, passive=True)
            return _Reading("be", match.start(), strength)
        if word == "have" and not progressive:
            if following and _is_participle(next_word):
                continue  # "will have issued": the verb is "issue"
            return _Reading("have", match.start(), strength)
        if word in ADVERBS:
            continue
        base = lemma(word)
        if base in AUXILIARY_VERBS:
            rest = after[position:]
            to = re.match(r"\s+(?:to\s+)?", rest)
            if to and (rest.lstrip().startswith("to ") or re.match(r"\s+\w+ing\b", rest)):
                if base in SOFT_AUXILIARIES:
                    strength = SOFT
                if base == "continue":
                    return _Reading("continue", match.start(), strength)
                position += to.end()
                continue
        if word in ("make", "making") and re.match(r"\s+sure\b", after[position:]):
            return _Reading("make sure", match.start(), HARD if strength == FIRM else strength)
        if base in ("ensure", "guarantee") and strength == FIRM:
            strength = HARD
        return _Reading(base, match.start(), strength)


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\n":
        position += 1
    return position
