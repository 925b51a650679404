"""Property-based fuzzing of every parser (issue #6). Long because each format's grammar
of generated transcripts is written out here, beside the properties they are held to.

Inputs come in two kinds: plain random bytes and text, and (more useful) transcripts
built from each format's grammar (front matter, speaker labels, `Q`, timestamps, SCIO
headers and pagers, HTML paragraphs, export records) and then mutated: cut, duplicated,
re-encoded, given BOMs, NULs, very long lines, deep nesting, Unicode line separators, RTL
and combining marks, CRLF or CR line ends.

The properties, for every entry point (`decode_transcript`, `detect_format`,
`html_to_text`, each format's `parse`, `parse_transcript` and `iter_documents`):

- it returns, or raises `ParseError` with a message; never any other exception;
- what it returns is plain text: every text field of the conference is a `str`;
- it is deterministic: the same input parses to the same conference;
- nothing is silently dropped. For a generated transcript, every spoken sentence is in a
  turn's text. Legitimately consumed, per format: the front matter, the place, date and
  time lines before the first speaker, the trailer (END, end time, ###) and speaker labels
  (wh-markdown, wh-html; wh-html also drops the page outside `<!-- The Content -->`); the
  `Name: (mm:ss)` headers (timestamped); the title, place line, intro (kept as summary),
  Speakers/Chairperson/Date blocks, and the pager or footer with what follows (SCIO); the
  title, date lines and narration (kept as summary) (MFA). Other text before the first
  speaker becomes a note or statement turn, never nothing;
- the archive's export records round-trip: parse(export(x)) == x.

Example counts are modest so the normal run stays fast; HYPOTHESIS_PROFILE=long runs
many more. There are no deadlines (a loaded 2-core machine would make them flaky):
parse time against input size is measured by bench/parser_scaling.py instead.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import re
import textwrap
from collections.abc import Callable
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from briefings.export import SCHEMA
from briefings.ingest import detect
from briefings.ingest.decode import decode_transcript
from briefings.ingest.formats import (
    FORMATS,
    archive_json,
    mfa,
    scio_briefing,
    scio_pages,
    timestamped,
    wh_html,
    wh_markdown,
)
from briefings.ingest.html import html_to_text
from briefings.ingest.records import ParsedConference, ParseError
from briefings.ingest.run import iter_documents
from briefings.text import KIND_QA
from tests.golden import conference_as_dict

T = TypeVar("T")
R = TypeVar("R")

settings.register_profile(
    "default",
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "long",
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

# --- spoken text ----------------------------------------------------------------------

# Bland words that no format reads as structure (no colons, digits, month names, "held",
# "copyright"...), and words in other scripts: RTL, CJK, combining marks.
WORDS = [
    "we", "will", "the", "economy", "support", "policy", "measures", "and", "enterprises",
    "questions", "today", "more", "jobs", "trade", "health", "workers", "rural", "energy",
    "prices", "very", "important", "is", "our", "about", "schools", "café", "cafe\u0301",
    "naïve", "发展", "经济", "שלום", "مرحبا", "\u200fright-to-left", "Zürich", "Ångström",
]  # fmt: skip


@st.composite
def sentences(draw: st.DrawFn) -> str:
    """One spoken sentence with a unique token, so finding it in the output means it is
    this sentence and not a coincidence."""
    token = f"tok{draw(st.integers(0, 10**9)):x}"
    words = draw(st.lists(st.sampled_from(WORDS), min_size=2, max_size=8))
    first = draw(st.sampled_from(["Well", "Thank", "So", "Yes", "Now", "Look"]))
    end = draw(st.sampled_from([".", "?", "!", "…"]))
    return f"{first} {' '.join(words)} {token}{end}"


def paragraphs(min_size: int = 1, max_size: int = 3) -> st.SearchStrategy[list[str]]:
    return st.lists(
        st.lists(sentences(), min_size=1, max_size=2).map(" ".join),
        min_size=min_size,
        max_size=max_size,
    )


def fold(text: str) -> str:
    """Whitespace folded the way every parser folds it (str.split's whitespace includes
    U+2028, U+0085 and the no-break space)."""
    return " ".join(text.split())


def spoken(parsed: ParsedConference) -> str:
    """The turns' words, and the summary, where SCIO and MFA keep the introduction and
    text before the first label whose speaker is not known."""
    return fold("\n".join([*(turn.text for turn in parsed.turns), parsed.summary]))


def assert_all_spoken(parsed: ParsedConference, said: list[str]) -> None:
    text = spoken(parsed)
    missing = [sentence for sentence in said if fold(sentence) not in text]
    assert not missing, f"dropped without a warning: {missing[:3]}; warnings {parsed.warnings}"


def assert_plain_text(parsed: ParsedConference) -> None:
    for name in ("title", "start_time", "location", "kind", "organizer", "summary", "source_url"):
        assert isinstance(getattr(parsed, name), str), name
    for turn in parsed.turns:
        for name in ("speaker_label", "role", "text", "speaker_name", "speaker_title", "outlet"):
            assert isinstance(getattr(turn, name), str), (name, turn)
    for participant in parsed.participants:
        for name in ("name", "title", "organization"):
            assert isinstance(getattr(participant, name), str), (name, participant)
    assert all(isinstance(warning, str) and warning for warning in parsed.warnings)


def outcome(function: Callable[[T], R], argument: T) -> R | ParseError:
    """What the function returns, or the ParseError it raises; any other exception fails
    the test."""
    try:
        return function(argument)
    except ParseError as error:
        return error


def assert_clear(error: ParseError) -> None:
    assert str(error).strip(), "a ParseError without a message"
    assert error.line is None or error.line >= 0


def parse_or_refuse(parse: Callable[[T], ParsedConference], text: T) -> ParsedConference | None:
    """The parse, or None when the parser refused with a clear message."""
    parsed = outcome(parse, text)
    if isinstance(parsed, ParseError):
        assert_clear(parsed)
        return None
    assert isinstance(parsed, ParsedConference)
    assert_plain_text(parsed)
    again = parse(text)
    assert conference_as_dict(again) == conference_as_dict(parsed), "not deterministic"
    return parsed


# --- mutations ------------------------------------------------------------------------

ODD = [
    "\x00", "\ufeff", "\u2028", "\u2029", "\x85", "\x0c", "\r", "\r\n", "\u202e", "\u200f",
    "\u0301" * 50, "\u00a0", "\t", "\ud7ff", "\U0001f600", "&amp;", "&#0;", "<", ">", "\\",
    "{", "}", "[", "]", "(", ")", '"', ":", "：", "x" * 20_000, "A" * 5_000 + ":",
    "<div>" * 300, "[" * 2_000, "(" * 2_000,
]  # fmt: skip
GRAMMAR = [
    "Q ", "Q\u00a0\u00a0 ", "Q:", "A:", "MS. PSAKI:", "THE PRESIDENT: ", "MODERATOR:", "END",
    "3:15 P.M. EDT", "###", "---\n", "title: x\n", "(Laughter.)", "[inaudible 00:18:51]",
    "Speaker 1: (00:01)\n", "Dr. Fauci: (01:00:09)\n", "Speakers:\n", "Chairperson:\n",
    "Date:\n", "Liang Wenhua, vice minister\n", "Shen Luming:\n", "CCTV: ", "Xinhua:\n",
    "<  1  2  3  >\n", "Copyright 2023\n", "Aug. 17, 2023", "Feb. 30, 2023", "Beijing | ",
    "SCIO briefing on x\n", "The State Council Information Office held a press conference",
    "Foreign Ministry Spokesperson Wang Wenbin's Regular Press Conference on March 3, 2022\n",
    "汪文斌:", "<p>", "</p>", "<br/>", "<!-- The Content -->", "whitehouse.gov", "<title>",
    "<script type=\"application/ld+json\">", "</script>", '{"schema": "briefing-archive/1"',
    '"exchanges": [', '"turns": [', '"role": "answer"', "null", "9" * 5_000,
]  # fmt: skip


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """The text with a few random edits: cuts, duplications, odd characters, grammar
    tokens in the wrong places, long lines, changed line ends."""
    for _ in range(draw(st.integers(1, 5))):
        size = len(text)
        start = draw(st.integers(0, size))
        end = min(size, start + draw(st.integers(0, 400)))
        operation = draw(st.integers(0, 7))
        if operation == 0:
            text = text[:start] + text[end:]
        elif operation == 1:
            text = text[:start] + text[start:end] * draw(st.integers(2, 20)) + text[end:]
        elif operation == 2:
            text = text[:start] + draw(st.sampled_from(ODD)) + text[start:]
        elif operation == 3:
            text = text[:start] + draw(st.sampled_from(GRAMMAR)) + text[start:]
        elif operation == 4:
            text = text[:start]
        elif operation == 5:
            ending = draw(st.sampled_from(["\r\n", "\r", "\u2028", "\x85", "\n\n"]))
            text = text.replace("\n", ending)
        elif operation == 6:
            text = text[:start] + draw(st.text(max_size=30)) + text[start:]
        else:
            text = "\ufeff" + text
    return text


def benign(text: str, style: str) -> str:
    """Changes that must not lose any words: Windows line ends, trailing spaces, blank
    lines doubled, a leading BOM."""
    if style == "crlf":
        return text.replace("\n", "\r\n")
    if style == "trailing":
        return text.replace("\n", "  \t\n")
    if style == "blank":
        return text.replace("\n\n", "\n\n\n")
    if style == "bom":
        return "\ufeff" + text
    return text


BENIGN = st.sampled_from(["none", "crlf", "trailing", "blank", "bom"])


# --- the formats' grammars --------------------------------------------------------------


@dataclasses.dataclass
class Transcript:
    text: str
    said: list[str]  # the sentences spoken, each of which must come out in a turn
    labels: int = 0  # speaker labels printed


@st.composite
def timestamped_transcripts(draw: st.DrawFn) -> Transcript:
    labels = st.sampled_from(
        ["Dr. Helen Okafor", "Secretary Lane", "Speaker 1", "Press Steve", "Dana Reyes",
         "Audience", "Mike Pence", "Speaker 5-Reporter", "Vice Admiral Abel"]
    )  # fmt: skip
    lines: list[str] = []
    if draw(st.booleans()):
        lines.append("April 9, 2020")
    said: list[str] = []
    seconds = 0
    for _ in range(draw(st.integers(1, 8))):
        seconds += draw(st.integers(0, 4000))
        hours, rest = divmod(seconds, 3600)
        stamp = f"{rest // 60:02}:{rest % 60:02}"
        if hours:
            stamp = f"{hours:02}:{stamp}"
        lines.append(f"{draw(labels)}: ({stamp})")
        for paragraph in draw(paragraphs()):
            said.append(paragraph)
            lines.append(paragraph)
    return Transcript("\n".join(lines) + "\n", said, len(lines) - len(said))


WH_LABELS = [
    "MS. PSAKI", "THE PRESIDENT", "SECRETARY BECERRA", "DR. FAUCI", "MODERATOR",
    "MS. O’CONNELL", "MS. PÉREZ FERNÁNDEZ", "ACTING ADMINISTRATOR SLAVITT",
]  # fmt: skip


@st.composite
def wh_turns(draw: st.DrawFn) -> tuple[list[list[str]], list[str]]:
    """White House turns as paragraphs of lines: the first line of a turn carries its
    label ("MS. PSAKI:  ..." or "Q    ..."); paragraphs are hard-wrapped."""
    said: list[str] = []
    turns: list[list[str]] = []
    width = draw(st.integers(30, 200))
    for _ in range(draw(st.integers(2, 8))):
        question = draw(st.booleans())
        label = "Q" + draw(st.sampled_from(["    ", "\u00a0\u00a0\u00a0 ", " "]))
        if not question:
            label = draw(st.sampled_from(WH_LABELS)) + ":" + draw(st.sampled_from(["  ", " "]))
        blocks: list[str] = []
        for index, paragraph in enumerate(draw(paragraphs())):
            said.append(paragraph)
            wrapped = textwrap.wrap(
                (label if index == 0 else "") + paragraph,
                width,
                break_long_words=False,
                break_on_hyphens=False,
            )
            blocks.append("\n".join(wrapped))
        if draw(st.integers(0, 5)) == 0:
            blocks.append("(Laughter.)")
        turns.append(blocks)
    return turns, said


@st.composite
def wh_markdown_transcripts(draw: st.DrawFn) -> Transcript:
    turns, said = draw(wh_turns())
    title = draw(st.sampled_from(["Press Briefing by Press Secretary Jen\\_Psaki", "Press Gaggle"]))
    head = f"---\ntitle: \"{title}\"\ndate: '2021-03-01'\nsource_url: https://example.org/b\n---\n"
    preamble = draw(
        st.sampled_from(["", "James S. Brady Press Briefing Room\n\n12:07 P.M. EST\n\n"])
    )
    trailer = draw(st.sampled_from(["", "\n\nEND                 1:43 P.M. EST\n", "\n\n\\###\n"]))
    body = "\n\n".join(block for blocks in turns for block in blocks)
    return Transcript(head + preamble + body + trailer, said, len(turns))


@st.composite
def wh_html_transcripts(draw: st.DrawFn) -> Transcript:
    turns, said = draw(wh_turns())

    def paragraph(block: str) -> str:
        html = block.replace("&", "&amp;").replace("<", "&lt;")
        if draw(st.booleans()):  # a line break the page kept, or inline markup
            html = html.replace("\n", draw(st.sampled_from(["<br/>\n", " <em></em> ", "\n "])))
        return f"<p>\n {html}\n</p>"

    body = "\n".join(paragraph(block) for blocks in turns for block in blocks)
    if draw(st.booleans()):
        body = f"<div>{body}</div>"
    page = (
        '<!DOCTYPE html>\n<html lang="en-US"><head><meta charset="utf-8"/>'
        "<title>Remarks by President Trump in Press Briefing | The White House</title>"
        '<link href="https://www.whitehouse.gov/briefings-statements/x/" rel="canonical"/>'
        '<meta content="2020-04-09T20:00:00+00:00" property="article:published_time"/>'
        '</head><body><nav><a href="/">Home</a></nav><main>'
        "<!-- The Content -->\n<p>James S. Brady Press Briefing Room</p>\n<p>6:24 P.M. EDT</p>\n"
        f"{body}\n<p>END</p>\n<p>7:35 P.M. EDT</p></main><footer>whitehouse.gov</footer>"
        "</body></html>\n"
    )
    return Transcript(page, said, len(turns))


SCIO_OUTLETS = ["Xinhua News Agency", "CCTV", "China Daily", "Science and Technology Daily"]
SCIO_OFFICIALS = ["Liang Wenhua", "Zhou Qinglan", "Pan Yuting"]


@st.composite
def scio_turns(draw: st.DrawFn, chair: str) -> tuple[list[str], list[str]]:
    lines: list[str] = []
    said: list[str] = []
    people = st.sampled_from([chair, *SCIO_OFFICIALS, *SCIO_OUTLETS, "Mr. Liang"])
    for _ in range(draw(st.integers(1, 8))):
        lines.extend([f"{draw(people)}:", ""])
        for paragraph in draw(paragraphs()):
            said.append(paragraph)
            lines.extend([paragraph, ""])
    return lines, said


@st.composite
def scio_briefing_transcripts(draw: st.DrawFn) -> Transcript:
    chair = "Shen Luming"
    head = [
        "SCIO briefing on supporting small and medium-sized enterprises", "",
        "Beijing | 10 a.m. Aug. 17, 2023", "",
        "The State Council Information Office held a press conference Thursday in Beijing "
        "about measures to support enterprises.", "",
        "Speakers:", "",
        *[f"{name}, vice minister of industry" for name in SCIO_OFFICIALS],
        "", "Chairperson:", "",
        f"{chair}, deputy director general of the Press Bureau of the SCIO", "",
        "Date:", "", "Aug. 17, 2023", "",
    ]  # fmt: skip
    body, said = draw(scio_turns(chair))
    footer = draw(st.sampled_from([[], ["Copyright © China.org.cn. All Rights Reserved"]]))
    labels = sum(line.endswith(":") for line in body)
    return Transcript("\n".join([*head, *body, *footer]) + "\n", said, labels)


@st.composite
def scio_page_texts(draw: st.DrawFn, number: int, count: int) -> Transcript:
    head = [
        "SCIO press conference on stabilizing and expanding employment", "",
        "The State Council Information Office held a press conference in Beijing on Dec. 29 "
        "to brief the media on measures to stabilize employment.  Jan. 4, 2023", "",
    ]  # fmt: skip
    said: list[str] = []
    leading: list[str] = []
    if number > 1 and draw(st.booleans()):  # the page goes on with the last turn
        for paragraph in draw(paragraphs()):
            said.append(paragraph)
            leading.extend([paragraph, ""])
    body, body_said = draw(scio_turns("Xi Yanchun"))
    pager = "<  " + "  ".join(str(page) for page in range(1, count + 1)) + "  >"
    labels = sum(line.endswith(":") for line in body)
    return Transcript("\n".join([*head, *leading, *body, pager]) + "\n", said + body_said, labels)


@st.composite
def mfa_transcripts(draw: st.DrawFn) -> Transcript:
    spokesperson = draw(st.sampled_from(["Wang Wenbin", "Tang Jiayi", "Song Yiran"]))
    old_style = draw(st.booleans())
    lines = [
        f"Foreign Ministry Spokesperson {spokesperson}'s Regular Press Conference on March 3, 2022",
        "",
    ]
    said: list[str] = []
    for paragraph in draw(paragraphs(0, 2)):  # opening announcements, no label
        said.append(paragraph)
        lines.extend([paragraph, ""])
    for _ in range(draw(st.integers(1, 6))):
        asker = "Q" if old_style else draw(st.sampled_from(["CCTV", "AFP", "Bloomberg"]))
        answerer = "A" if old_style else spokesperson
        for label in (asker, answerer):
            first, *more = draw(paragraphs())
            said.extend([first, *more])
            lines.extend([f"{label}: {first}", ""])
            for paragraph in more:
                lines.extend([paragraph, ""])
    return Transcript("\n".join(lines) + "\n", said, sum(": " in line for line in lines))


GENERATORS = {
    "wh-markdown": (wh_markdown_transcripts(), wh_markdown.parse),
    "wh-html": (wh_html_transcripts(), wh_html.parse),
    "timestamped": (timestamped_transcripts(), timestamped.parse),
    "scio-briefing": (scio_briefing_transcripts(), scio_briefing.parse),
    "scio-pages": (scio_page_texts(2, 3), scio_pages.parse),
    "mfa": (mfa_transcripts(), mfa.parse),
}


def test_every_format_has_a_generator() -> None:
    assert set(FORMATS) == {*GENERATORS, archive_json.NAME}


# --- every parser: refuse clearly or parse, deterministically -------------------------


@pytest.mark.parametrize("name", list(FORMATS))
@given(text=st.text(max_size=3000))
def test_it_refuses_random_text_clearly_or_parses_it(name: str, text: str) -> None:
    parse_or_refuse(FORMATS[name].parse, text)
    parse_or_refuse(lambda t: detect.parse_transcript(t, format_name=name), text)


@pytest.mark.parametrize("name", list(GENERATORS))
@given(data=st.data())
def test_it_refuses_mutated_transcripts_clearly_or_parses_them(name: str, data) -> None:
    strategy, parse = GENERATORS[name]
    text = data.draw(mutated(data.draw(strategy).text))
    parse_or_refuse(parse, text)
    parse_or_refuse(detect.parse_transcript, text)


@given(text=st.text(max_size=3000))
def test_format_detection_names_a_format_or_says_why_not(text: str) -> None:
    name = outcome(detect.detect_format, text)
    if isinstance(name, ParseError):
        assert_clear(name)
    else:
        assert name in FORMATS


# --- nothing silently dropped ---------------------------------------------------------


@pytest.mark.parametrize("name", list(GENERATORS))
@given(data=st.data(), style=BENIGN)
def test_every_spoken_sentence_comes_out_in_a_turn(name: str, data, style: str) -> None:
    strategy, parse = GENERATORS[name]
    transcript = data.draw(strategy)
    text = benign(transcript.text, style)
    parsed = parse_or_refuse(parse, text)
    assert parsed is not None, "a well-formed transcript was refused"
    assert_all_spoken(parsed, transcript.said)
    # Detection wants a few labels (three `Name: (mm:ss)` headers, three MFA labels).
    if transcript.labels >= 4:
        assert detect.parse_transcript(text).format == name


@given(
    pages=st.integers(2, 4).flatmap(
        lambda count: st.tuples(*[scio_page_texts(n, count) for n in range(1, count + 1)])
    ),
    shuffle=st.randoms(use_true_random=False),
)
def test_a_page_series_keeps_every_page_s_words(pages, shuffle) -> None:
    numbered = list(enumerate(pages, start=1))
    shuffle.shuffle(numbered)
    parsed = parse_or_refuse(
        lambda texts: scio_pages.parse_pages(texts, numbers=[n for n, _ in numbered]),
        [page.text for _, page in numbered],
    )
    assert parsed is not None
    text = spoken(parsed) + " " + fold(parsed.summary)
    missing = [s for _, page in numbered for s in page.said if fold(s) not in text]
    assert not missing, missing[:3]


# --- the HTML reader --------------------------------------------------------------------

TAGS = ["div", "p", "span", "b", "section", "li", "table", "td", "blockquote", "font"]


@st.composite
def html_trees(draw: st.DrawFn) -> tuple[str, list[str]]:
    """Nested elements (up to 2,000 deep), attributes, entities; words at every level."""
    depth = draw(st.integers(1, 2000))
    tags = draw(st.lists(st.sampled_from(TAGS), min_size=depth, max_size=depth))
    words = [f"w{index}x" for index in range(0, depth, max(1, depth // 20))]
    opening = []
    for index, tag in enumerate(tags):
        attribute = draw(st.sampled_from(["", ' class="a"', " data-x='&lt;'", " hidden"]))
        inner = f"w{index}x " if f"w{index}x" in words else ""
        opening.append(f"<{tag}{attribute}>{inner}")
    closing = "".join(f"</{tag}>" for tag in reversed(tags)) if draw(st.booleans()) else ""
    return "<html><body>" + "".join(opening) + "&amp; end" + closing + "</body></html>", words


@given(tree=html_trees())
@example(tree=("<html><body>" + "<div>" * 300 + "w0x deep" + "</div>" * 300, ["w0x"]))
def test_deep_html_keeps_all_its_text_or_is_refused(tree) -> None:
    html, words = tree
    text = outcome(html_to_text, html)
    if isinstance(text, ParseError):
        assert "could not be read whole" in str(text) or "unreadable" in str(text)
        return
    assert [word for word in words if word not in text] == []
    assert "& end" in text


MARKUP = st.text(alphabet="<>/=\"' &;#xpdivbr!-", max_size=3000)


@given(text=st.one_of(st.text(max_size=3000), MARKUP))
def test_the_html_reader_returns_text_or_refuses(text: str) -> None:
    result = outcome(html_to_text, text)
    if isinstance(result, ParseError):
        assert_clear(result)
    else:
        assert isinstance(result, str)


# --- bytes in: decoding and the whole ingest read ---------------------------------------


@given(data=st.binary(max_size=3000))
@example(data=b"\x80\xc2\x81")  # Windows-1252 leaves 0x81 undefined; UTF-8 reads it
def test_decoding_returns_text_or_refuses(data: bytes) -> None:
    text = outcome(decode_transcript, data)
    if isinstance(text, ParseError):
        assert_clear(text)
    else:
        assert isinstance(text, str)


@given(text=st.text(min_size=1, max_size=2000).filter(lambda t: t.strip() and "\x00" not in t))
def test_decoding_utf8_gives_back_the_text_or_refuses_it(text: str) -> None:
    # Refused only when the text starts like a PDF or an image, or declares entities.
    plain = outcome(decode_transcript, text.encode("utf-8"))
    assert plain == text.removeprefix("\ufeff") or isinstance(plain, ParseError)
    with_bom = outcome(decode_transcript, b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert with_bom == text or isinstance(with_bom, ParseError)


ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16", "utf-16-be"])


@pytest.mark.parametrize("name", list(GENERATORS))
@given(data=st.data(), encoding=ENCODINGS)
def test_ingest_reads_bytes_into_a_conference_or_a_clear_failure(name: str, data, encoding) -> None:
    text = data.draw(mutated(data.draw(GENERATORS[name][0]).text))
    payload = text.encode(encoding, errors="replace")
    for document in iter_documents([(f"fuzz.{name}", payload)]):
        assert document.parsed is not None or document.error
        assert "(a bug)" not in document.error, document.error


@given(data=st.binary(max_size=3000))
def test_ingest_reads_random_bytes_into_a_clear_failure(data: bytes) -> None:
    for document in iter_documents([("random.txt", data)]):
        assert "(a bug)" not in document.error, document.error


# --- the archive's own export -------------------------------------------------------------

PLAIN = st.text(max_size=60)
DATES = st.one_of(st.none(), st.dates().map(lambda day: day.isoformat()))


@st.composite
def export_records(draw: st.DrawFn) -> dict:
    """A record as briefings/export.py writes it (the fields the parser reads)."""
    turn = st.fixed_dictionaries(
        {
            "speaker_label": PLAIN.filter(bool),
            "speaker": PLAIN,
            "speaker_title": PLAIN,
            "outlet": PLAIN,
            "role": st.sampled_from(sorted(archive_json.ROLES)),
            "text": st.text(max_size=300),
        }
    )
    exchange = st.fixed_dictionaries(
        {"kind": st.sampled_from(sorted(archive_json.KINDS)), "turns": st.lists(turn, max_size=4)}
    )
    participant = st.fixed_dictionaries(
        {"name": PLAIN, "title": PLAIN, "organization": PLAIN, "is_chair": st.booleans()}
    )
    return {
        "schema": SCHEMA,
        "title": draw(PLAIN.filter(bool)),
        "held_on": draw(DATES),
        "published_on": draw(DATES),
        "start_time": draw(PLAIN),
        "location": draw(PLAIN),
        "kind": draw(st.sampled_from(["press_conference", "press_briefing", "other"])),
        "organizer": draw(PLAIN),
        "summary": draw(st.text(max_size=200)),
        "source_url": draw(PLAIN),
        "language": draw(st.sampled_from(["en", "zh"])),
        "participants": draw(st.lists(participant, max_size=3)),
        "exchanges": draw(st.lists(exchange, max_size=5)),
    }


BLANK_RECORD = {
    "schema": SCHEMA, "title": "t", "held_on": None, "published_on": None, "start_time": "",
    "location": "", "kind": "other", "organizer": "", "summary": "", "source_url": "",
    "language": "en", "participants": [], "exchanges": [],
}  # fmt: skip


def record_from(parsed: ParsedConference) -> dict:
    """The parsed conference back in the export's field names."""
    return {
        "schema": SCHEMA,
        "title": parsed.title,
        "held_on": parsed.held_on.isoformat() if parsed.held_on else None,
        "published_on": parsed.published_on.isoformat() if parsed.published_on else None,
        **{
            name: getattr(parsed, name)
            for name in ("start_time", "location", "kind", "organizer", "summary")
        },
        "source_url": parsed.source_url,
        "language": parsed.language,
        "participants": [dataclasses.asdict(p) for p in parsed.participants],
        "exchanges": [
            {
                "kind": exchange.kind,
                "turns": [
                    {
                        "speaker_label": turn.speaker_label,
                        "speaker": turn.speaker_name,
                        "speaker_title": turn.speaker_title,
                        "outlet": turn.outlet,
                        "role": turn.role,
                        "text": turn.text,
                    }
                    for turn in exchange.turns
                ],
            }
            for exchange in parsed.exchanges
        ],
    }


@given(record=export_records(), ascii_only=st.booleans())
def test_an_export_record_round_trips(record: dict, ascii_only: bool) -> None:
    text = json.dumps(record, ensure_ascii=ascii_only)
    assert record_from(archive_json.parse(text)) == record


@given(records=st.lists(export_records(), min_size=2, max_size=4))
@example(
    records=[
        {**BLANK_RECORD, "source_url": "\x85"},
        {**BLANK_RECORD, "summary": "a\u2028{b"},
    ]
)
def test_every_record_of_a_json_lines_export_is_read_back(records: list[dict]) -> None:
    # As briefings/export.py writes it: ensure_ascii=False, so U+2028 and U+0085 stay raw.
    text = "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
    split = archive_json.split_records(text)
    assert [record_from(archive_json.parse(one)) for _, one in split] == records


RECORD_KEYS = [
    "exchanges", 0, "turns", "kind", "role", "text", "title", "participants", "name", "held_on",
    "speaker_label",
]  # fmt: skip
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(["kind", "turns", "role", "text", "name", "x"]), children)
    ),
    max_leaves=20,
)


@given(
    record=export_records(),
    path=st.lists(st.sampled_from(RECORD_KEYS), max_size=4),
    value=JSON_VALUES,
)
@example(record={"schema": SCHEMA, "title": "t", "exchanges": [{"kind": "qa", "turns": []}]},
         path=["exchanges", 0, "kind"], value=[])  # fmt: skip
def test_a_record_with_wrong_shapes_is_refused_clearly(record: dict, path: list, value) -> None:
    target = record
    for key in path[:-1]:
        try:
            target = target[key]
        except (KeyError, IndexError, TypeError):
            break
    if path and isinstance(target, dict | list):
        with contextlib.suppress(IndexError, TypeError):
            target[path[-1]] = value
    parse_or_refuse(archive_json.parse, json.dumps(record))


RECORD_START = '{"schema": "briefing-archive/1", "title": "t", '
ONE_TURN = RECORD_START + '"exchanges": [{"kind": "qa", "turns": [{"role": "answer", %s}]}]}'


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(RECORD_START + '"x": ' + "[" * 100_000, id="deep"),
        pytest.param(RECORD_START + '"x": ' + "9" * 5_000 + "}", id="long-number"),
        pytest.param(ONE_TURN % '"speaker_label": "A", "text": 5', id="number-text"),
        pytest.param(ONE_TURN % '"speaker_label": ["A"], "text": "x"', id="list-label"),
        pytest.param(ONE_TURN % '"speaker_label": "A", "text": "\\ud800"', id="surrogate"),
        pytest.param(RECORD_START + '"start_time": [1]}', id="list-start-time"),
        pytest.param(RECORD_START + '"participants": [{"name": 3}]}', id="number-name"),
        pytest.param(RECORD_START + '"exchanges": [{"kind": {}, "turns": []}]}', id="dict-kind"),
    ],
)
def test_an_export_record_that_is_not_plain_text_is_refused(text: str) -> None:
    with pytest.raises(ParseError):
        archive_json.parse(text)


def test_a_white_house_page_with_deeply_nested_json_ld_still_parses() -> None:
    nested = "[" * 5_000 + "]" * 5_000
    page = (
        "<html><head><title>Press Briefing | The White House</title>"
        f'<script type="application/ld+json">{nested}</script></head><body>'
        "<!-- The Content -->\n<p>MS. PSAKI:  Good afternoon, everyone.</p>\n"
        "<p>Q    Thank you, Jen.</p>\n<p>MS. PSAKI:  Go ahead.</p></body></html>"
    )
    parsed = wh_html.parse(page)
    texts = [turn.text for turn in parsed.turns]
    assert texts[:2] == ["Good afternoon, everyone.", "Thank you, Jen."]


def test_a_markdown_transcript_with_windows_line_ends_is_read() -> None:
    text = "---\r\ntitle: Press Gaggle\r\n---\r\nMS. PSAKI:  Hello there.\r\n\r\nQ    Why?\r\n"
    assert re.sub(r"\s+", " ", spoken(detect.parse_transcript(text))) == "Hello there. Why?"
    assert KIND_QA in [exchange.kind for exchange in detect.parse_transcript(text).exchanges]


def test_a_page_with_a_byte_order_mark_is_still_html() -> None:
    page = "\ufeff<!DOCTYPE html><html><body><p>SCIO</p></body></html>"
    assert detect.prepare_text(page, "scio-briefing") == "SCIO"


def test_image_blocks_become_blank_lines_and_an_unclosed_one_is_left() -> None:
    body = "a\n<figure>\n<img>\n</figure>\nb\n<figure> c\n"
    assert wh_markdown.markdown_to_plain(body) == "a\n\n\n\nb\n c\n"
