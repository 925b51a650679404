"""What SCIO and Foreign Ministry transcripts print, read the same way by their three formats.

- speaker labels: "Tian Yulong:" alone on a line (SCIO) or "CCTV: ..." before the text (MFA);
- whether a label names a media outlet ("Science and Technology Daily") or a person
  ("Tian Yulong", "Mr. Liang Wenhua"), for pages that print no list of speakers;
- "Name, title" participant lines and the organization inside a title ("vice minister of
  industry and information technology" -> "Ministry of Industry and Information Technology");
- dates as printed: "Aug. 17, 2023", "Feb. 28", "March 3, 2022", "Sept. 5, 2023".
"""

from __future__ import annotations

import datetime as dt
import re

from briefings.text import HONORIFICS, MONTH_ALTERNATION, MONTHS, name_key, normalize_spaces

from ..names import clean_label
from ..records import ParsedParticipant


def split_lines(text: str) -> list[str]:
    """The text's lines with spaces folded; a line's index is its line number minus one."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    return [normalize_spaces(line) for line in text.split("\n")]


def looks_hard_wrapped(lines: list[str]) -> bool:
    """True when most long lines stop mid-sentence: paragraphs were wrapped at a width, so
    lines join into paragraphs at blank lines. Otherwise each line is a paragraph."""
    long_lines = [line for line in lines if len(line) >= 40]
    if len(long_lines) < 4:
        return False
    open_ended = sum(1 for line in long_lines if line[-1] not in ".?!:;\"'”’)]")
    return open_ended > len(long_lines) / 2


# --- dates -------------------------------------------------------------------------------

DATE_PATTERN = re.compile(
    rf"\b(?P<month>{MONTH_ALTERNATION})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b"
    r"(?:,?\s+(?P<year>(?:19|20)\d{2})\b)?",
    re.IGNORECASE,
)
ISO_DATE = re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<month>\d{1,2})-(?P<day>\d{1,2})\b")


def make_date(year: int | None, month: int, day: int) -> dt.date | None:
    """The date, or None when the year is unknown or the day does not exist (Feb. 30)."""
    if year is None:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def find_date(text: str) -> tuple[int | None, int, int] | None:
    """The first printed date in the text as (year or None, month, day)."""
    match = DATE_PATTERN.search(text)
    if match:
        year = int(match["year"]) if match["year"] else None
        return year, MONTHS[match["month"].lower()], int(match["day"])
    match = ISO_DATE.search(text)
    if match:
        return int(match["year"]), int(match["month"]), int(match["day"])
    return None


def parse_date(text: str, *, default_year: int | None = None) -> dt.date | None:
    """The first date printed in the text; a date without a year takes `default_year`."""
    found = find_date(text)
    if found is None:
        return None
    year, month, day = found
    return make_date(year if year is not None else default_year, month, day)


def is_date_line(line: str) -> bool:
    """True for a line that is only a date (and perhaps a time): "Aug. 17, 2023"."""
    rest = DATE_PATTERN.sub("", line)
    rest = ISO_DATE.sub("", rest)
    rest = re.sub(r"\d{1,2}:\d{2}(?::\d{2})?|\b[ap]\.?m\.?", "", rest, flags=re.I)
    return line.strip() != rest.strip() and not rest.strip(" ,.|-")


# --- label lines -------------------------------------------------------------------------

# Words that may stand in lower case inside an outlet or person label
# ("Science and Technology Daily", "CCTV reporter").
_CONNECTORS = {"and", "of", "the", "for", "on", "in", "de", "du", "at", "&", "with", "to", "a"}
_TRAILING_ROLE_WORDS = {"reporter", "correspondent", "journalist"}
MAX_LABEL_WORDS = 8
MAX_LABEL_CHARS = 70

# Short capitalised lines that end in a colon but introduce a list, not a speaker.
NOT_LABELS = {
    "first", "second", "third", "fourth", "fifth", "finally", "lastly", "next", "note",
    "notes", "example", "examples", "background", "in addition", "moreover", "meanwhile",
    "source", "editor", "updated", "date", "time", "venue", "address", "tel", "fax", "email",
    "e-mail", "website", "link", "photo", "video", "related", "share", "print", "http",
    "https", "speakers", "speaker", "chairperson", "chairpersons", "chair", "moderators",
}  # fmt: skip


def is_label_shaped(label: str, *, max_words: int = MAX_LABEL_WORDS) -> bool:
    """True for a short capitalised phrase that can name a speaker or an outlet.

    "Tian Yulong", "Science and Technology Daily", "China.org.cn", "21st Century Business
    Herald", "CCTV reporter" pass; "My answer is as follows", "President Xi said" do not,
    because a lower-case word other than a connector marks running prose.
    """
    words = label.split()
    if not words or len(words) > max_words or len(label) > MAX_LABEL_CHARS:
        return False
    if not any(ch.isalpha() for ch in label) or any(ch in label for ch in ',;?!"“”'):
        return False
    if label.lower().strip(" .") in NOT_LABELS:
        return False
    # Upper-case phrases of several words are White House labels ("MS. PSAKI"), not ours.
    if len(words) > 1 and label.isupper():
        return False
    for index, word in enumerate(words):
        first = word.lstrip("(“\"'")[:1]
        if first.isupper() or first.isdigit():
            continue
        if index and word.lower() in _CONNECTORS:
            continue
        if index == len(words) - 1 and index and word.lower() in _TRAILING_ROLE_WORDS:
            continue
        return False
    return True


_LABEL_ALONE = re.compile(r"^(?P<label>[^:：]+?)\s*[:：]$")


def label_alone(line: str) -> str | None:
    """The label when the line is a speaker label alone ("Tian Yulong:"), else None."""
    match = _LABEL_ALONE.match(line.strip())
    if match and is_label_shaped(match["label"]):
        return match["label"]
    return None


# --- outlets and persons -----------------------------------------------------------------

# Words that make a label a media outlet. Matched as whole words, case-insensitively.
OUTLET_WORDS = {
    "daily", "news", "tv", "television", "radio", "agency", "times", "press", "post",
    "journal", "media", "network", "xinhua", "cctv", "cgtn", "bloomberg", "reuters", "afp",
    "phoenix", "caixin", "economic", "economics", "economist", "observer", "broadcasting",
    "group", "service", "herald", "tribune", "gazette", "review", "weekly", "magazine",
    "online", "satellite", "channel", "net", "globe", "mail", "express", "newspaper",
    "zaobao", "pao", "po", "shimbun", "novosti", "sputnik", "tass", "yonhap", "kyodo",
    "nikkei", "asahi", "yomiuri", "nhk", "kbs", "bbc", "cnn", "nbc", "cbs", "abc", "npr",
    "ap", "efe", "ansa", "bernama", "antara", "anadolu", "jazeera", "welle", "prensa",
    "yicai", "jiemian", "ifeng", "sina", "sohu", "tencent", "netease", "rthk", "tvb", "cnr",
    "cri", "cmg", "segodnya", "dow", "newsweek", "insider", "wire", "dispatch", "chronicle",
    "report", "telegraph", "guardian", "courier", "monitor", "digest", "studio", "broadcast",
    "outlook", "business", "finance", "financial", "evening", "morning", "world", "voice",
    "the paper", "paper",
}  # fmt: skip
QUESTION_LABELS = {
    "q", "question", "reporter", "journalist", "correspondent", "audience", "audience member",
    "follow-up", "follow up",
}  # fmt: skip
_WORD = re.compile(r"[\w'’.-]+")
_REPORTER_SUFFIX = re.compile(r"\s+(?:reporter|correspondent|journalist)s?$", re.IGNORECASE)
_REPORTER_PREFIX = re.compile(r"^(?:reporter|correspondent|journalist)\s+(?:from|of|with)\s+", re.I)


def outlet_from_label(label: str) -> str:
    """The outlet a question label names: "CCTV reporter" -> "CCTV"."""
    return _REPORTER_PREFIX.sub("", _REPORTER_SUFFIX.sub("", label.strip())).strip()


def is_question_label(label: str) -> bool:
    """True for the anonymous question labels: "Q", "Question", "Reporter"."""
    return name_key(label) in QUESTION_LABELS


def looks_like_outlet(label: str) -> bool:
    """True when the label carries a media word, a web domain, or is one acronym ("CGTN")."""
    text = outlet_from_label(label)
    lowered = text.lower()
    words = [word.strip(".'’").lower() for word in _WORD.findall(lowered)]
    if any(word in OUTLET_WORDS for word in words) or "the paper" in lowered:
        return True
    if re.search(r"\.(?:cn|com|net|org)\b", lowered):
        return True
    stripped = text.replace("-", "").replace(" ", "")
    return len(text.split()) == 1 and stripped.isupper() and len(stripped) >= 2


def has_honorific(label: str) -> bool:
    first = label.split()[0].lower().rstrip(".") if label.split() else ""
    return first in HONORIFICS


def looks_like_person(label: str) -> bool:
    """True for a personal name of two to four capitalised words, or one with "Mr."/"Ms."."""
    if looks_like_outlet(label) or is_question_label(label):
        return False
    if has_honorific(label):
        return True
    words = label.split()
    if not 2 <= len(words) <= 4:
        return False
    return all(
        word[:1].isupper() and not word.isupper() and not any(ch.isdigit() for ch in word)
        for word in words
    )


def person_name(label: str) -> str:
    """The name in a person label: "Mr. Liang Wenhua" -> "Liang Wenhua"."""
    return clean_label(label)[0]


# --- participants ------------------------------------------------------------------------

# "Liang Wenhua, vice minister of industry and information technology"
PARTICIPANT_LINE = re.compile(
    r"^(?P<name>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){1,3}),\s+(?P<title>\S.*)$"
)
ABBREVIATIONS = {
    "SCIO": "State Council Information Office",
    "MIIT": "Ministry of Industry and Information Technology",
    "NDRC": "National Development and Reform Commission",
    "NHC": "National Health Commission",
    "MOFCOM": "Ministry of Commerce",
    "MOF": "Ministry of Finance",
    "MOHRSS": "Ministry of Human Resources and Social Security",
    "PBOC": "People's Bank of China",
    "PBC": "People's Bank of China",
    "NFRA": "National Financial Regulatory Administration",
    "CSRC": "China Securities Regulatory Commission",
    "MFA": "Ministry of Foreign Affairs",
}
# A body's name ends or starts with one of these ("Ministry of Commerce", "People's Bank of
# China", "State Council Information Office"); a place ("Chongqing") is not an organization.
ORGANIZATION_WORDS = {
    "ministry", "commission", "administration", "office", "bank", "bureau", "council",
    "committee", "academy", "department", "agency", "government", "corporation",
    "association", "federation", "court", "procuratorate", "congress", "service", "group",
    "company", "university", "institute", "center", "centre", "authority", "board", "fund",
    "exchange", "league", "union",
}  # fmt: skip
_CAPITALISED = r"(?:[A-Z][\w'’.-]*|\([A-Z]+\))"
_CAPITALISED_PHRASE = re.compile(
    rf"{_CAPITALISED}(?:\s+(?:(?:of\s+the|of|and|for|on|the)\s+)?{_CAPITALISED})*"
)
_MINISTER_OF = re.compile(
    r"\bminister\s+of\s+(?P<portfolio>[a-z][a-z ,'-]*?)"
    r"(?=,|;|\s+and\s+(?:spokesperson|director|deputy|head|secretary|chief|member|vice|"
    r"president|chairman|governor|party)\b|$)"
)
_SMALL_WORDS = {"of", "and", "the", "for", "on", "in"}


_ABBREVIATION = re.compile(rf"\b(?:{'|'.join(ABBREVIATIONS)})\b")


def _has_body_word(text: str) -> bool:
    return bool({word.lower() for word in text.split()} & ORGANIZATION_WORDS)


def _body_name(component: str) -> str:
    component = re.sub(r"\s*\([A-Z]+\)", "", component).strip()
    component = re.sub(r"^the\s+", "", component, flags=re.I)
    # "State Council Information Office and State Council Information Office" (from "the
    # SCIO and SCIO spokesperson") is two bodies; "Ministry of Industry and Information
    # Technology" is one.
    first, sep, second = component.partition(" and ")
    if sep and _has_body_word(first) and _has_body_word(second):
        return first
    return component


def organization_from_title(title: str) -> str:
    """The body a printed title belongs to, or "" when the title names none.

    "director general of the Department of Small and Medium-sized Enterprises of the Ministry
    of Industry and Information Technology" -> "Ministry of Industry and Information
    Technology": a sub-unit is followed by the body it belongs to, so the last named body in
    the first capitalised phrase wins.
    """
    # "... of the Press Bureau of the SCIO and SCIO spokesperson": each office held is a
    # clause of its own, and the first office names the body.
    expanded = _ABBREVIATION.sub(lambda match: ABBREVIATIONS[match[0]], title)
    for clause in re.split(r"\s+and\s+(?=[a-z])", expanded):
        for phrase in _CAPITALISED_PHRASE.findall(clause):
            components = [_body_name(part) for part in re.split(r"\s+of\s+the\s+", phrase)]
            bodies = [part for part in components if _has_body_word(part)]
            if bodies:
                return bodies[-1]
    match = _MINISTER_OF.search(title)
    if match:
        words = match["portfolio"].strip(" ,").split()
        portfolio = " ".join(
            word if index and word in _SMALL_WORDS else word.capitalize()
            for index, word in enumerate(words)
        )
        return f"Ministry of {portfolio}"
    return ""


def read_participant(line: str, *, is_chair: bool = False) -> ParsedParticipant | None:
    """A "Name, title" line as a participant, or None when the line is not one."""
    match = PARTICIPANT_LINE.match(line.strip())
    if not match:
        return None
    title = match["title"].strip().rstrip(";.")
    return ParsedParticipant(
        name=match["name"],
        title=title,
        organization=organization_from_title(title),
        is_chair=is_chair,
    )


class Roster:
    """The listed participants, found from a speaker label however it is printed.

    A label matches a participant by the whole name ("Liang Wenhua", "Mr. Liang Wenhua"),
    by a name with an office before it ("Vice Minister Liang Wenhua"), or by the surname
    alone ("Mr. Liang") when only one participant has that surname.

    Names are indexed by their keys: a page that prints thousands of distinct labels, each
    added as a participant, would otherwise compare every label with every name.
    """

    def __init__(self, participants: list[ParsedParticipant] | None = None) -> None:
        self.participants: list[ParsedParticipant] = []
        # name key -> (position, first participant with that key)
        self._by_key: dict[str, tuple[int, ParsedParticipant]] = {}
        # first word of the name key -> participants, for the surname alone
        self._by_first_word: dict[str, list[ParsedParticipant]] = {}
        for participant in participants or []:
            self.add(participant)

    def add(self, participant: ParsedParticipant) -> ParsedParticipant:
        existing = self.find(participant.name, exact=True)
        if existing is not None:
            existing.is_chair = existing.is_chair or participant.is_chair
            return existing
        key = name_key(participant.name)
        if key:
            self._by_key.setdefault(key, (len(self.participants), participant))
            self._by_first_word.setdefault(key.split()[0], []).append(participant)
        self.participants.append(participant)
        return participant

    @property
    def chair(self) -> ParsedParticipant | None:
        return next((p for p in self.participants if p.is_chair), None)

    def find(self, label: str, *, exact: bool = False) -> ParsedParticipant | None:
        key = name_key(label)
        if not key:
            return None
        if key in self._by_key:
            return self._by_key[key][1]
        if exact:
            return None
        # The first listed participant whose whole name ends the label, after a space.
        ends = [
            self._by_key[key[index + 1 :]]
            for index, char in enumerate(key)
            if char == " " and key[index + 1 :] in self._by_key
        ]
        if ends:
            return min(ends, key=lambda found: found[0])[1]
        if " " not in key:
            same_surname = self._by_first_word.get(key, [])
            if len(same_surname) == 1:
                return same_surname[0]
        return None
