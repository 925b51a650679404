"""Ministry of Foreign Affairs regular press conferences (fmprc.gov.cn and its mirrors).
Long because its label rules are one grammar read in one pass (labels, replies, follow-ups,
separators and late questions each depend on what came before); the page itself is read
by _ministry_page.py.

    Foreign Ministry Spokesperson Wang Wenbin's Regular Press Conference on March 3, 2022
    <opening announcements, without a label>
    CCTV: <question>
    Wang Wenbin: <answer>
    <more paragraphs of the answer, without a label>

Older transcripts (to about 2019) print "Q:" and "A:" instead of the outlet and the
spokesperson's name; the same layout is titled "Daily Briefing Online" (February 2020) or
"Remarks". The opening announcements are the spokesperson's statement. Bilingual copies
put each Chinese paragraph before its English one; they are kept as printed, a Chinese
labelled paragraph going with the English turn that follows it.

The Ministry's own pages (fmprc.gov.cn as served, with the site's menus, breadcrumb, share
tools, appendix and related-news boxes and footer) are read by their structure: the title
is the page's headline, the date its date line (else the headline's), and the transcript
the article body alone. Any other page is read as its text.

A label is a short name or outlet at the start of a paragraph, before a colon that is not
part of a time or a ratio ("As of 24:00" is text). Role rules: the spokesperson named in
the title (or "A") answers; "Q" and outlet labels ask; another personal name answering a
question is read as an official answering, with a warning, and asking after an answer is
read as an outlet. The same reporter speaks again, inside the exchange, as "Journalist:"
(or "Journalist clarifies:"), and as "Follow-up:", which keeps the outlet of the question
it follows; a reply to the spokesperson's counter-question ("Who said that?") continues the
exchange. A separator line ("※※※", "***") is a note, and what follows it, such as "After
the press conference, the following question was raised: ...", begins exchanges of its own.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import Counter
from dataclasses import dataclass

from briefings.text import (
    ANSWER,
    KIND_PROCEDURAL,
    KIND_QA,
    KIND_STATEMENT,
    NOTE,
    QUESTION,
    name_key,
)

from ..exchanges import group_exchanges
from ..html import html_to_text, looks_like_html
from ..names import is_role_label
from ..records import (
    ParsedConference,
    ParsedExchange,
    ParsedParticipant,
    ParsedTurn,
    ParseError,
)
from ._ministry_page import MinistryPage, not_a_transcript, page_date, read_page
from ._printed import (
    Roster,
    find_date,
    is_date_line,
    is_label_shaped,
    is_question_label,
    label_alone,
    looks_hard_wrapped,
    looks_like_outlet,
    looks_like_person,
    outlet_from_label,
    parse_date,
    person_name,
    split_lines,
)
from ._roles import OFFICIAL, OUTLET, RawTurn, Speaker, build_turns, drop_empty_turns
from .protocol import Format

NAME = "mfa"
VERSION = "3"
ORGANIZER = "Ministry of Foreign Affairs"
SPOKESPERSON_TITLE = "spokesperson of the Ministry of Foreign Affairs"
# The statement label when no title names the spokesperson.
SPOKESPERSON_LABEL = "Spokesperson"
# The Ministry's own label for an anonymous question, given to a question it prints
# without one ("After the press conference, the following question was raised: ...").
QUESTION_LABEL = "Q"
ANSWER_LABELS = {"a", "answer"}
MAX_LABEL_WORDS = 6
# A reporter's reply to the spokesperson's counter-question is short and asks nothing.
MAX_REPLY_CHARS = 200

# The colon of a label is not the colon of a time or a ratio ("As of 24:00", "3:1").
_LINE_LABEL = re.compile(r"^(?P<label>[^:：]{1,70}?)\s*[:：](?!\d)\s*(?P<text>.*)$")
_TIMESTAMP = re.compile(r"^\(\d{1,2}:\d{2}(?::\d{2})?\)")
_CJK = re.compile(r"[\u3400-\u9fff]")
_NAME = r"[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,2}"
_SPOKESPERSON = re.compile(
    rf"Spokesperson\s+(?P<name>{_NAME}?)(?:['’]s)?\s+"
    r"(?i:regular press conference|daily briefing online|remarks|hosted|held|presided|"
    r"started|began|opened|chaired)"
)
_TITLE = re.compile(
    r"regular press conference|press conference on|daily briefing online|"
    r"spokesperson\s+[\w\s-]+['’]s\s+remarks\b",
    re.I,
)
_TITLE_TAIL = re.compile(r"^(?:regular press conference|daily briefing online|remarks)\b", re.I)
_NARRATION = re.compile(
    r"\b(?:started|began|opened) the press conference\b|"
    r"\b(?:held|hosted|presided over) a (?:regular )?press conference\b",
    re.I,
)
_END = re.compile(r"^(?:copyright\b|©|all rights reserved|editor\s*[:：]|\[?back to top\]?$)", re.I)
# The reporter again, inside the exchange: "Journalist:", "Journalist clarifies:", "The
# journalist clarified:".
_REPLY_LABEL = re.compile(
    r"^(?:the\s+)?(?:journalist|reporter|correspondent)(?:\s+(?:clarifies|clarified|adds|"
    r"added|explains|explained|replies|replied|says|said|continues|continued|answers|"
    r"answered|asks|asked))?$",
    re.I,
)
_FOLLOW_UP = {"follow-up", "follow up", "followup"}
_REPORTER_ENDING = re.compile(r"\b(?:journalist|reporter|correspondent)s?$", re.I)
# A line of symbols alone: "※※※※※※", "***", "＊＊＊＊", "---".
_SEPARATOR = re.compile(r"^[※＊*\-–—_=~·•. ]{3,}$")
_AFTER_CONFERENCE = r"after the (?:regular )?press conference"
# "After the press conference, the following question was raised: ...", "The following
# question was raised by a journalist after the press conference: ...", "Question raised
# after the press conference: ...", "A journalist asked the following question after ...".
_POST_CONFERENCE = re.compile(
    rf"^(?:{_AFTER_CONFERENCE}\b"
    rf"|(?:the following|this|a|one) questions? (?:was|were|is|are) (?:raised|asked|posed)\b"
    rf"[^:.?]*\b{_AFTER_CONFERENCE}"
    rf"|questions? (?:was |were )?(?:raised|asked) {_AFTER_CONFERENCE}"
    rf"|an? (?:journalist|reporter|correspondent) (?:posed|asked|raised)\b[^:.?]*"
    rf"\b{_AFTER_CONFERENCE})",
    re.I,
)
_LABEL_COLON = re.compile(r"[:：](?!\d)")
_NARRATED_QUESTION = re.compile(r"\basked (?:if|whether|about|how|what|why|when|for)\b", re.I)
_COUNTER_QUESTION = re.compile(r"\?[\"'”’)\]]*$")
_KINDS = (
    (re.compile(r"daily briefing online", re.I), "press_briefing"),
    (re.compile(r"regular press conference|press conference on", re.I), "regular_briefing"),
    (re.compile(r"\bremarks\b", re.I), "other"),
)


@dataclass
class _Turn(RawTurn):
    """A turn as read, with what the page's layout says about it."""

    note: bool = False  # a separator or a narrated line ("After the press conference, ...")
    asks: bool = False  # a question printed without a label
    announces: bool = False  # the spokesperson's words printed without a label
    new_part: bool = False  # begins a part of its own: after a separator, a late question


def _line_label(line: str) -> tuple[str, str] | None:
    """(label, text) when the line opens with a speaker label: "CCTV: ...", "Q: ...",
    "Wang Wenbin:" alone, "Journalist clarifies: ...", or a Chinese label in a bilingual
    copy ("汪文斌:...")."""
    match = _LINE_LABEL.match(line)
    if not match:
        return None
    label, text = match["label"].strip(), match["text"].strip()
    if _CJK.search(label):
        return (label, text) if len(label) <= 12 and " " not in label else None
    if label in ("Q", "A") or _REPLY_LABEL.match(label):
        return label, text
    if not is_label_shaped(label, max_words=MAX_LABEL_WORDS):
        return None
    # "MODERATOR:" and "OPERATOR:" belong to other formats; outlets' acronyms are short.
    if label.isupper() and len(label) > 6 and not looks_like_outlet(label):
        return None
    if is_role_label(label) and not is_question_label(label) and name_key(label) != "answer":
        return None
    if _TIMESTAMP.match(text) or text.startswith("//"):
        return None
    return label, text


def _is_chinese(label: str) -> bool:
    return bool(_CJK.search(label))


# --- recognising the format ------------------------------------------------------------------


def sniff(text: str) -> bool:
    """A Ministry page with labels in its article, or text with several "Label: text" lines
    with short labels, one of them repeated (the spokesperson, or "Q" and "A"); not front
    matter (White House Markdown), not "Name: (mm:ss)" (timestamped), and not more labels
    alone on a line than before text (SCIO). Other HTML is judged by its text, which
    detection offers after the formats that read HTML."""
    if looks_like_html(text):
        try:
            page = read_page(text)
        except ParseError:
            return False
        return page is not None and any(_line_label(line) for line in page.lines)
    return _sniff_text(text)


def _sniff_text(text: str) -> bool:
    if text.lstrip().startswith("---"):
        return False
    counts: Counter[str] = Counter()
    alone = stamps = 0
    for line in split_lines(text[:100_000]):
        if not line:
            continue
        match = _LINE_LABEL.match(line)
        if match and _TIMESTAMP.match(match["text"].strip()):
            stamps += 1
            continue
        found = _line_label(line)
        if found and found[1] and not _is_chinese(found[0]):
            counts[name_key(found[0])] += 1
        elif label_alone(line):
            alone += 1
    total = sum(counts.values())
    if stamps >= 2 or total <= alone:
        return False
    if counts["q"] and counts["a"]:
        return True
    return total >= 3 and len(counts) >= 2 and max(counts.values()) >= 2


# --- reading ---------------------------------------------------------------------------------


def _find_title(preamble: list[str]) -> tuple[str, int]:
    """(title, index of the line after it); ("", 0) when there is none.

    Bilingual copies break the title in two: "... Wang Wenbin's" / "Regular Press
    Conference on August 19, 2022"."""
    for index, line in enumerate(preamble):
        if not line or _CJK.search(line):
            continue
        following = next((later for later in preamble[index + 1 :] if later), "")
        if "spokesperson" in line.lower() and _TITLE_TAIL.match(following):
            after = preamble.index(following, index + 1) + 1
            return f"{line} {following}", after
        if _TITLE.search(line):
            return line, index + 1
    return "", 0


def _spokesperson_from(lines: list[str]) -> str:
    for line in lines:
        match = _SPOKESPERSON.search(line)
        if match:
            return match["name"]
    return ""


def _post_conference(line: str) -> list[_Turn] | None:
    """A question raised after the press conference, printed without a label: the narrated
    introduction as a note, and the question when it follows on the line. None for any
    other line."""
    if not _POST_CONFERENCE.match(line):
        return None
    colon = _LABEL_COLON.search(line)
    question = line[colon.end() :].strip() if colon else ""
    if colon and question:
        return [
            _Turn("", 0, [line[: colon.end()]], note=True, new_part=True),
            _Turn(QUESTION_LABEL, 0, [question], asks=True),
        ]
    if _NARRATED_QUESTION.search(line) and not line.endswith(":"):
        # "After the press conference, a journalist asked if ...": the question, as told.
        return [_Turn(QUESTION_LABEL, 0, [line], asks=True, new_part=True)]
    return [_Turn("", 0, [line], note=True, new_part=True)]


def _answer_unlabelled(turn: _Turn, paragraph: str, spokesperson: str) -> bool:
    """True when an unlabelled paragraph after a question is the answer, its "A:" missing:
    the question ended asking ("...?") and the paragraph asks nothing, or the question was
    the reporter's reply ("Journalist: Yes."), which the spokesperson takes up."""
    if not spokesperson or turn.note or turn.announces or not turn.paragraphs:
        return False
    key = name_key(turn.label)
    if key in ANSWER_LABELS or key == name_key(spokesperson) or _is_chinese(turn.label):
        return False
    if _REPLY_LABEL.match(turn.label):
        return True
    return bool(_COUNTER_QUESTION.search(turn.paragraphs[-1])) and "?" not in paragraph


def _read_turns(
    lines: list[str],
    start: int,
    warnings: list[str],
    *,
    wrapped: bool,
    spokesperson: str,
    number: list[int],
) -> list[_Turn]:
    """Labelled turns from `start`; unlabelled lines go on with the turn before them, but
    a separator, a question raised after the conference and what follows them begin turns
    of their own. `number` gives each line's number in the source."""
    end = next(
        (index for index in range(start, len(lines)) if _END.match(lines[index])), len(lines)
    )
    turns: list[_Turn] = []
    chinese: list[str] = []  # Chinese paragraphs waiting for the English turn they go with
    block: list[str] = []
    # The turn unlabelled lines go on with: None after a separator, where they begin a
    # statement of the spokesperson's; a question after an introduction ending in ":".
    open_turn: _Turn | None = None
    waiting_question = False
    after_separator = False  # the next turn begins a part: the separator stands alone
    block_line = 0

    def add(turn: _Turn) -> None:
        nonlocal after_separator
        turn.new_part = turn.new_part or after_separator
        after_separator = False
        turns.append(turn)

    def flush() -> None:
        nonlocal block, open_turn, waiting_question
        if not block:
            return
        paragraphs = [" ".join(block)] if wrapped else block
        block = []
        if chinese:
            chinese.extend(paragraphs)
            return
        if open_turn is not None and _answer_unlabelled(open_turn, paragraphs[0], spokesperson):
            warnings.append(
                f"line {block_line}: an answer printed without a label after the question; "
                "read as the spokesperson's"
            )
            open_turn = None
        if open_turn is None:
            if waiting_question:
                open_turn = _Turn(QUESTION_LABEL, block_line, [], asks=True)
            else:
                label = spokesperson or SPOKESPERSON_LABEL
                open_turn = _Turn(label, block_line, [], announces=True)
            add(open_turn)
            waiting_question = False
        open_turn.paragraphs.extend(paragraphs)

    for index in range(start, end):
        line = lines[index]
        if not line:
            flush()
            continue
        if _SEPARATOR.match(line):
            flush()
            add(_Turn("", number[index], [line], note=True, new_part=True))
            open_turn, waiting_question, after_separator = None, False, True
            continue
        late = _post_conference(line)
        if late:
            flush()
            for turn in late:
                turn.line = number[index]
                add(turn)
            waiting_question = late[-1].note and line.endswith(":")
            open_turn = None if late[-1].note else late[-1]
            continue
        found = _line_label(line)
        if found and _is_chinese(found[0]):
            flush()
            chinese.append(line)
            continue
        if found:
            flush()
            open_turn = _Turn(found[0], number[index], chinese)
            add(open_turn)
            chinese = []
            waiting_question = False
            if found[1]:
                block.append(found[1])
            continue
        if not block:
            block_line = number[index]
        block.append(line)
        if not wrapped:
            flush()
    flush()
    if chinese:
        if turns:
            turns[-1].paragraphs.extend(chinese)
        else:
            warnings.append("Chinese text with no English turn after it was dropped")
    return turns


def _guess_spokesperson(turns: list[_Turn]) -> str:
    """The personal name that speaks most, for transcripts whose title names nobody."""
    counts = Counter(
        person_name(turn.label)
        for turn in turns
        if not turn.note
        and looks_like_person(turn.label)
        and name_key(turn.label) not in ANSWER_LABELS
    )
    return counts.most_common(1)[0][0] if counts else ""


def _resolve(
    turn: _Turn,
    roster: Roster,
    spokesperson: ParsedParticipant | None,
    warnings: list[str],
    *,
    after_question: bool,
) -> Speaker:
    label = turn.label
    key = name_key(label)
    if turn.note:
        return Speaker(NOTE)
    if turn.asks:
        return Speaker(OUTLET)
    if key in ANSWER_LABELS or turn.announces:
        return Speaker(OFFICIAL, spokesperson)
    listed = roster.find(label)
    if listed is not None:
        return Speaker(OFFICIAL, listed)
    if is_question_label(label) or _REPLY_LABEL.match(label):
        return Speaker(OUTLET)
    if _REPORTER_ENDING.search(label):
        # "CCTV reporter" names the outlet; "Foreign Journalist" names none.
        outlet = outlet_from_label(label)
        return Speaker(OUTLET, outlet=outlet if looks_like_outlet(outlet) else "")
    if looks_like_person(label) and after_question:
        warnings.append(f"{label!r} is not the spokesperson; read as an official answering")
        return Speaker(OFFICIAL, roster.add(ParsedParticipant(name=person_name(label))))
    # A name that asks after an answer is an outlet's ("The Australian", "Macau Monthly").
    return Speaker(OUTLET, outlet=outlet_from_label(label))


def _speakers(
    turns: list[_Turn],
    roster: Roster,
    spokesperson: ParsedParticipant | None,
    warnings: list[str],
) -> list[Speaker]:
    speakers: list[Speaker] = []
    for turn in turns:
        previous = next((s for s in reversed(speakers) if s.kind != NOTE), None)
        after_question = previous is not None and previous.kind == OUTLET
        speakers.append(
            _resolve(turn, roster, spokesperson, warnings, after_question=after_question)
        )
    return speakers


def _is_reply(turn: ParsedTurn, raw: _Turn, question: ParsedTurn, previous: ParsedTurn) -> bool:
    """True when a questioner's turn answers the spokesperson instead of asking anew: the
    reporter again ("Journalist:"), or, after a counter-question ("Who said that?"), a
    "Follow-up:" or a short line that asks nothing from the one who asked."""
    if _REPLY_LABEL.match(raw.label):
        return True
    if previous.role != ANSWER or not _COUNTER_QUESTION.search(previous.text.rstrip()):
        return False
    if name_key(raw.label) in _FOLLOW_UP:
        return True
    return (
        raw.label == question.speaker_label
        and "?" not in turn.text
        and len(turn.text) <= MAX_REPLY_CHARS
    )


def _mark_turns(parsed: list[ParsedTurn], raws: list[_Turn]) -> tuple[set[int], set[int]]:
    """The questioners' replies (by position), which continue their exchange, and the
    turns that begin a part of their own; replies and follow-ups take the outlet of the
    question they go with."""
    replies: set[int] = set()
    parts: set[int] = set()
    question: ParsedTurn | None = None
    previous: ParsedTurn | None = None
    for index, (turn, raw) in enumerate(zip(parsed, raws, strict=True)):
        if raw.new_part:
            parts.add(index)
            question = None
        if turn.role == NOTE:
            continue
        if turn.role == QUESTION:
            if raw.note:
                continue
            same_reporter = name_key(raw.label) in _FOLLOW_UP or _REPLY_LABEL.match(raw.label)
            if question is not None and same_reporter and not turn.outlet:
                turn.outlet = question.outlet
            if (
                question is not None
                and previous is not None
                and _is_reply(turn, raw, question, previous)
            ):
                replies.add(index)
            else:
                question = turn
        previous = turn
    return replies, parts


def _group(turns: list[ParsedTurn], replies: set[int], parts: set[int]) -> list[ParsedExchange]:
    """Exchanges, part by part: a reply stays in its question's exchange, and notes that
    introduce a statement (a question answered after the conference) belong to it."""
    exchanges: list[ParsedExchange] = []
    reply_turns = {id(turns[index]) for index in replies}
    bounds = sorted({0, *parts, len(turns)})
    for begin, end in itertools.pairwise(bounds):
        part: list[ParsedExchange] = []
        for exchange in group_exchanges(turns[begin:end]):
            if part and id(exchange.turns[0]) in reply_turns and part[-1].kind == KIND_QA:
                part[-1].turns.extend(exchange.turns)
            elif (
                part
                and part[-1].kind == KIND_PROCEDURAL
                and exchange.kind == KIND_STATEMENT
                and all(turn.role == NOTE for turn in part[-1].turns)
            ):
                part[-1].turns.extend(exchange.turns)
                part[-1].kind = KIND_STATEMENT
            else:
                part.append(exchange)
        exchanges.extend(part)
    return exchanges


def _kind(title: str) -> str:
    return next((kind for pattern, kind in _KINDS if pattern.search(title)), "regular_briefing")


def parse(text: str) -> ParsedConference:
    if looks_like_html(text):
        page = read_page(text)
        if page is None:
            return _parse_text(html_to_text(text))
        return _parse_page(page)
    return _parse_text(text)


def _parse_page(page: MinistryPage) -> ParsedConference:
    lines = page.lines
    first_label = next((i for i, line in enumerate(lines) if _line_label(line)), None)
    if first_label is None:
        raise ParseError(
            "no speaker labels in the article: expected paragraphs such as 'Q: ...', "
            "'A: ...' or 'CCTV: ...'"
        )
    warnings: list[str] = []
    return _build(
        lines,
        first_label,
        title=page.title,
        after_title=0,
        held_on=page_date(page),
        undated="no date on the page: its date line is empty and its headline has "
        + ("no year" if find_date(page.title) else "no date"),
        wrapped=False,
        warnings=warnings,
        line_numbers=page.line_numbers,
    )


def _parse_text(text: str) -> ParsedConference:
    lines = split_lines(text)
    first_label = next((i for i, line in enumerate(lines) if _line_label(line)), None)
    if first_label is None:
        raise ParseError(
            "no speaker labels: expected lines such as 'CCTV: ...', 'Wang Wenbin: ...' or 'Q: ...'"
        )
    title, after_title = _find_title(lines[:first_label])
    warnings: list[str] = []
    held_on = parse_date(title) if title else None
    return _build(
        lines,
        first_label,
        title=title,
        after_title=after_title,
        held_on=held_on,
        undated="no date found in the title",
        wrapped=looks_hard_wrapped(lines[first_label:]),
        warnings=warnings,
    )


def _build(
    lines: list[str],
    first_label: int,
    *,
    title: str,
    after_title: int,
    held_on: dt.date | None,
    undated: str,
    wrapped: bool,
    warnings: list[str],
    line_numbers: list[int] | None = None,
) -> ParsedConference:
    preamble = lines[:first_label]
    name = _spokesperson_from([title, *preamble])
    number = line_numbers or list(range(1, len(lines) + 1))
    turns = _read_turns(
        lines, first_label, warnings, wrapped=wrapped, spokesperson=name, number=number
    )
    name = name or _guess_spokesperson(turns)
    published_on = None
    summary: list[str] = []
    statement: list[str] = []
    for line in preamble[after_title:]:
        if not line:
            continue
        if is_date_line(line):
            # Mirrors print their posting time under the title: "2020-07-18 00:48".
            published_on = published_on or parse_date(line)
        elif _NARRATION.search(line):
            summary.append(line)
            held_on = held_on or parse_date(line)
        else:
            statement.append(line)
    if not title:
        title = "Foreign Ministry regular press conference"
        if held_on:
            title += f" on {held_on:%B} {held_on.day}, {held_on.year}"
        warnings.append("no title line naming the press conference; a generic title is used")
    if held_on is None:
        warnings.append(undated)

    roster = Roster()
    spokesperson = None
    if name:
        spokesperson = roster.add(
            ParsedParticipant(
                name=name, title=SPOKESPERSON_TITLE, organization=ORGANIZER, is_chair=True
            )
        )
    turns = drop_empty_turns(turns, warnings)
    if statement:
        # The opening announcements are the spokesperson's, printed without a label.
        opening_line = number[preamble.index(statement[0], after_title)]
        turns.insert(0, _Turn(name or SPOKESPERSON_LABEL, opening_line, statement, announces=True))
    speakers = _speakers(turns, roster, spokesperson, warnings)
    parsed_turns: list[ParsedTurn] = build_turns(turns, speakers)
    for turn, raw in zip(parsed_turns, turns, strict=True):
        if raw.note:
            turn.role = NOTE
    replies, parts = _mark_turns(parsed_turns, turns)
    return ParsedConference(
        title=title,
        held_on=held_on,
        published_on=published_on,
        kind=_kind(title),
        organizer=ORGANIZER,
        summary="\n\n".join(summary),
        participants=roster.participants,
        exchanges=_group(parsed_turns, replies, parts),
        warnings=warnings,
        format=NAME,
    )


FORMAT = Format(
    name=NAME,
    version=VERSION,
    sniff=sniff,
    parse=parse,
    not_a_transcript=not_a_transcript,
    reads_html=True,
    family_name_first=True,
)
