"""What a trained commitment classifier reads of one sentence: named, binary features.

bench/commitment_methods.py compares the classifier with the rules (issue 13).

The features are the grammar the rules know (lexicon.py, deadlines.py, quantities.py) made
into evidence rather than verdicts: which future form the sentence uses, who its subject is,
the verb after the modal, whether it has a dated deadline, a quantity or a named
deliverable, and the traps (hedge, condition, negation, schedule, procedure). A handful of
lexical features (the verb, the deliverable word) let a trained model weigh what the lists
alone cannot. No topic words: a model that learned "ventilators" from 2020 briefings would
not carry to a Ministry page.
"""

from __future__ import annotations

import datetime as dt
import re

from briefings.commitments.deadlines import find_deadlines
from briefings.commitments.extract import UNDATED_REFERENCE
from briefings.commitments.lexicon import (
    DELIVERABLE_RE,
    FORECAST_RE,
    GOV_ACRONYMS,
    GOV_COMMON_RE,
    GOV_NAMED_RE,
    HYPOTHETICAL_RE,
    NEGATION_RE,
    PROCEDURAL_OBJECT_RE,
    PROCEDURAL_VERBS,
    RHETORIC_RE,
    SCHEDULE_VERBS,
    TALK_VERBS,
    VAGUE_VERBS,
    lemma,
)
from briefings.commitments.quantities import find_quantities

# The future forms a commitment is made in, most specific first; each match names a feature.
FUTURE_FORMS = [
    ("there_will_be", r"\bthere\s+(?:will|['’]ll)\s+be\b|\bthere\s+(?:is|are)\s+going\s+to\s+be\b"),
    ("to_be_done", r"\bto\s+be\s+(?:\w+ed|built|sent|held|given|made|done|set|put|taken)\b"),
    ("going_to", r"\b(?:going\s+to|gonna)\b"),
    ("will", r"\b(?:will|shall)\b|['’]ll\b"),
    ("plan_to", r"\b(?:plans?|planning)\s+to\b"),
    ("intend_to", r"\bintends?\s+to\b|\bintention\s+(?:is\s+)?to\b"),
    ("aim_to", r"\b(?:aims?|goal|target|objective)\s+(?:is\s+)?to\b"),
    ("ready_to", r"\b(?:prepared|ready|set|poised|scheduled|slated)\s+to\b"),
    ("decided_to", r"\b(?:decided|agreed|pledged|committed)\s+to\b"),
    ("announcing", r"\b(?:is|are|am|['’]re|we)\s+(?:also\s+)?(?:announcing|launching|unveiling"
     r"|releasing|issuing|sending|deploying|providing|opening|establishing|creating)\b"),
    ("progressive", r"\b(?:is|are|am|['’]re)\s+(?:now\s+|also\s+)?\w+ing\b"),
]  # fmt: skip
FUTURE_RES = [(name, re.compile(pattern, re.IGNORECASE)) for name, pattern in FUTURE_FORMS]
MODAL_AT_RE = re.compile(
    r"\b(?:will|shall|going\s+to|gonna|plans?\s+to|intends?\s+to|aims?\s+to|prepared\s+to"
    r"|ready\s+to)\b|['’]ll\b",
    re.IGNORECASE,
)
SUBJECT_CLASSES = [
    ("there", re.compile(r"\bthere$", re.IGNORECASE)),
    ("we", re.compile(r"\b(?:we|our\s+\w+|us)$", re.IGNORECASE)),
    ("i", re.compile(r"\bi$", re.IGNORECASE)),
    ("you", re.compile(r"\byou$", re.IGNORECASE)),
    ("they", re.compile(r"\bthey$", re.IGNORECASE)),
    ("it", re.compile(r"\b(?:it|this|that)$", re.IGNORECASE)),
    ("leader", re.compile(r"\b(?:president|he|she|premier|prime\s+minister|secretary)$",
                          re.IGNORECASE)),
    ("country", re.compile(r"\b(?:china|the\s+united\s+states|america|the\s+u\.?s\.?)$",
                           re.IGNORECASE)),
]  # fmt: skip
EXTRA_DELIVERABLE_RE = re.compile(
    r"\b(?:order|rule|rulemaking|notice|package|grants?|loans?|sanctions|tariffs?|visas?"
    r"|tests?|vaccines?|doses|masks|ventilators|supplies|shipments?|deliveries|flights?"
    r"|sites?|facilit(?:y|ies)|hospitals?|centers?|centres?|bridges?|ports?|ships?"
    r"|troops|teams?|aid|assistance|funding|payments?|investments?|agreements?|treaty"
    r"|memorandum|proclamation|bill|determination|coordinator|office|council|commission"
    r"|protocol|arrangement|lease|sale|auction|dialogue|talks|round|meeting|visit|trip"
    r"|call|remarks|speech|statement|briefing|questions?)\b",
    re.IGNORECASE,
)
PAST_RE = re.compile(
    r"\b(?:have|has|had|['’]ve)\s+(?:already\s+|now\s+|just\s+)?(?:been\s+)?\w+(?:ed|en|t)\b"
    r"|\b(?:announced|was|were|did|signed|launched|released|sent|provided)\b"
    r"|\b(?:yesterday|last\s+(?:week|month|year|night))\b",
    re.IGNORECASE,
)
CONDITION_START_RE = re.compile(r"^\W*(?:once|when|after|as\s+soon\s+as|should)\b", re.IGNORECASE)
GOV_WORD_RE = re.compile(
    r"\b(?:administration|government|department|ministry|agency|treasury|congress"
    r"|white\s+house|state\s+council|federal|coast\s+guard|fda|cdc)\b",
    re.IGNORECASE,
)
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
SKIP_AFTER_MODAL = {"also", "then", "now", "soon", "actually", "really", "just",
                    "still", "continue", "be", "have", "immediately", "quickly", "further",
                    "not"}  # fmt: skip


def sentence_features(
    sentence: str, reference_date: dt.date | None, *, rule_found: bool = False
) -> set[str]:
    """The names of the features that hold for `sentence`, said on `reference_date`."""
    features = {"bias"}
    if rule_found:
        features.add("rule:found")
    text = sentence.strip()
    if text.endswith("?"):
        features.add("question")
    for name, pattern in FUTURE_RES:
        if pattern.search(text):
            features.add(f"future:{name}")
    if not any(f.startswith("future:") for f in features):
        features.add("future:none")
    modal = MODAL_AT_RE.search(text)
    if modal:
        features.add(f"subject:{_subject_class(text[: modal.start()])}")
        verb = _verb_after(text[modal.end() :])
        if verb:
            features.add(f"verb:{verb}")
            for name, words in (
                ("schedule", SCHEDULE_VERBS),
                ("procedural", PROCEDURAL_VERBS),
                ("talk", TALK_VERBS),
                ("vague", VAGUE_VERBS),
            ):
                if verb in words:
                    features.add(f"verbclass:{name}")
        if PROCEDURAL_OBJECT_RE.search(text[modal.end() :]):
            features.add("procedural_object")
    if GOV_WORD_RE.search(text) or any(acronym in text for acronym in GOV_ACRONYMS):
        features.add("government_named")
    if GOV_NAMED_RE.search(text) or GOV_COMMON_RE.search(text):
        features.add("government_body")
    features |= _deadline_features(text, reference_date)
    quantities = find_quantities(text)
    if quantities:
        features.add("quantity")
        if any("$" in q.text or "dollar" in q.text.lower() for q in quantities):
            features.add("quantity:money")
    deliverable = DELIVERABLE_RE.search(text) or EXTRA_DELIVERABLE_RE.search(text)
    if deliverable:
        features.add("deliverable")
        for match in (*DELIVERABLE_RE.finditer(text), *EXTRA_DELIVERABLE_RE.finditer(text)):
            features.add(f"noun:{lemma(match.group().lower().split()[-1])}")
    for name, pattern in (
        ("hedge", FORECAST_RE),
        ("condition", HYPOTHETICAL_RE),
        ("negation", NEGATION_RE),
        ("rhetoric", RHETORIC_RE),
        ("past", PAST_RE),
        ("condition_start", CONDITION_START_RE),
    ):
        if pattern.search(text):
            features.add(name)
    words = len(WORD.findall(text))
    features.add("length:short" if words < 8 else "length:long" if words > 45 else "length:mid")
    return features


def _subject_class(before: str) -> str:
    words = WORD.findall(before[-60:])
    tail = " ".join(words[-3:])
    for name, pattern in SUBJECT_CLASSES:
        if pattern.search(tail):
            return name
    if GOV_NAMED_RE.search(before[-80:]) or GOV_COMMON_RE.search(before[-80:]):
        return "government"
    if any(word in GOV_ACRONYMS for word in words[-3:]) or GOV_WORD_RE.search(tail):
        return "government"
    return "other" if words else "none"


def _verb_after(after: str) -> str:
    for word in WORD.findall(after[:60])[:4]:
        low = word.lower()
        if low in SKIP_AFTER_MODAL:
            continue
        return lemma(low)
    return ""


def _deadline_features(text: str, reference_date: dt.date | None) -> set[str]:
    reference = reference_date or UNDATED_REFERENCE
    found = find_deadlines(text, reference)
    if not found:
        return {"deadline:none"}
    features = set()
    for deadline in found:
        if deadline.date is None:
            features.add("deadline:vague")
        elif deadline.date >= reference:
            features.add("deadline:future")
            features.add(f"deadline:{deadline.precision}")
        else:
            features.add("deadline:past")
    return features
