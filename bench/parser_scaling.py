"""Parse time against input size, per parser: is it linear? (issue #6)

    .venv/bin/python bench/parser_scaling.py [--repeat 3] [--max-factor 16] [--only NAME]
        [--output bench/results/parser_scaling.json]

For each parser (every format, format detection, the HTML reader, decoding), times the
parse of inputs 1x, 2x, 4x, 8x and 16x the size of a real transcript from demo/ or
tests/data (its turns repeated), and of adversarial inputs built to the same sizes: one
huge line, many tiny turns, many distinct speaker labels, deep HTML nesting, and the
shapes that make regular expressions backtrack. Each time is the best of --repeat runs.

The growth exponent is the slope of log(time) against log(size) by least squares: 1 is
linear, 2 quadratic. The tail exponent is the slope between the two largest sizes. On this
machine the cost per byte steps up once between about 160 and 320 KB, most likely where
large strings and lists leave the allocator's pooled memory for fresh pages, which lifts
the overall slope of a linear parser to 1.3-1.8 while its tail stays near 1. A quadratic
parser has both near 2. So a case is flagged when both exponents are above 1.3. Not a
test: a loaded machine makes timings noisy, so the numbers go in the notes, never into
assertions.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import math
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefings.ingest import detect  # noqa: E402
from briefings.ingest.decode import decode_transcript  # noqa: E402
from briefings.ingest.formats import (  # noqa: E402
    archive_json,
    mfa,
    scio_briefing,
    scio_pages,
    timestamped,
    wh_html,
    wh_markdown,
)
from briefings.ingest.html import html_to_text  # noqa: E402
from briefings.ingest.records import ParseError  # noqa: E402

FLAG_EXPONENT = 1.3
# A case whose single parse takes longer than this is not grown further.
GIVE_UP_SECONDS = 30.0


def read(path: str) -> str:
    return decode_transcript((ROOT / path).read_bytes())


# --- real transcripts, their turns repeated ------------------------------------------------


def wh_markdown_real(factor: int) -> str:
    text = read(
        "demo/white-house/2021-02-01-press-briefing-by-press-secretary-jen-psaki-february-1-2021.md"
    )
    head_end = text.index("\n---", 4) + 5
    body = text[head_end:]
    end = body.rindex("END")
    return text[:head_end] + body[:end] * factor + body[end:]


def wh_html_real(factor: int) -> str:
    text = read("tests/data/wh_html_april_09.html")
    start = text.index("<!-- The Content -->") + len("<!-- The Content -->")
    end = (
        text.index("<p>\n        END", start) if "<p>\n        END" in text else text.rindex("</p>")
    )
    return text[:start] + text[start:end] * factor + text[end:]


def timestamped_real(factor: int) -> str:
    return read("tests/data/timestamped_flu_briefing.txt") * factor


def scio_briefing_real(factor: int) -> str:
    text = read("demo/scio/2023-08-17-scio-briefing-smes.txt")
    start = text.index("Shen Luming:\n\nLadies")
    return text[:start] + text[start:] * factor


def scio_pages_real(factor: int) -> str:
    text = read("demo/scio/2022-12-29-scio-employment-page-2.txt")
    start = text.index("Xinhua News Agency:")
    end = text.index("<  1")
    return text[:start] + text[start:end] * factor + text[end:]


def mfa_real(factor: int) -> str:
    text = read("tests/data/mfa_2024-05-16_new_style.txt")
    start = text.index("CCTV:")
    return text[:start] + text[start:] * factor


def archive_real(factor: int) -> str:
    parsed = wh_markdown.parse(wh_markdown_real(1))
    exchanges = [
        {
            "kind": exchange.kind,
            "turns": [
                {"speaker_label": t.speaker_label, "role": t.role, "text": t.text}
                for t in exchange.turns
            ],
        }
        for exchange in parsed.exchanges
    ]
    record = {"schema": "briefing-archive/1", "title": parsed.title, "exchanges": exchanges}
    record["exchanges"] = exchanges * factor
    return json.dumps(record, ensure_ascii=False)


def scio_html_real(factor: int) -> str:
    text = read("demo/scio/2024-01-19-scio-press-conference-industry-2023.html")
    start = text.index("<p>", text.index("</h1>") if "</h1>" in text else 0)
    end = text.rindex("</p>") + 4
    return text[:start] + text[start:end] * factor + text[end:]


# --- adversarial inputs, about 40 KB at 1x --------------------------------------------------

UNIT = 40_000
WORD = "measures "


def one_huge_line(head: str, label: str, tail: str = "") -> Callable[[int], str]:
    return lambda factor: head + label + WORD * (UNIT * factor // len(WORD)) + "\n" + tail


def many(unit: str, head: str = "", tail: str = "") -> Callable[[int], str]:
    return lambda factor: head + unit * (UNIT * factor // len(unit)) + tail


def numbered(make_unit: Callable[[int], str], head: str = "", tail: str = "") -> Callable:
    """Distinct units (distinct speaker labels): count grows with the size."""

    def build(factor: int) -> str:
        size, parts, index = UNIT * factor, [], 0
        while size > 0:
            part = make_unit(index)
            parts.append(part)
            size -= len(part)
            index += 1
        return head + "".join(parts) + tail

    return build


def name(index: int) -> str:
    """A distinct two-word personal name: "Bac Daf"."""
    letters = "bcdfghjklmnpqrstvwz"
    first, second = divmod(index, len(letters) ** 2)
    return (
        f"{letters[first % 19].upper()}a{letters[(first // 19) % 19]}"
        f" {letters[second // 19].upper()}a{letters[second % 19]}"
    )


WH_HEAD = "---\ntitle: Press Briefing\ndate: '2021-03-01'\n---\n"
WH_PAGE_HEAD = (
    "<html><head><title>Press Briefing | The White House</title></head><body><!-- The Content -->\n"
)
SCIO_HEAD = (
    "SCIO briefing on supporting enterprises\n\nBeijing | 10 a.m. Aug. 17, 2023\n\n"
    "Speakers:\n\nLiang Wenhua, vice minister of industry\n\nChairperson:\n\n"
    "Shen Luming, spokesperson\n\n"
)
PAGES_HEAD = (
    "SCIO press conference on employment\n\nThe State Council Information Office held a "
    "press conference in Beijing on Dec. 29 to brief the media.  Jan. 4, 2023\n\n"
)
MFA_HEAD = (
    "Foreign Ministry Spokesperson Wang Wenbin's Regular Press Conference on March 3, 2022\n\n"
)


def at_least_unit(make: Callable[[int], str]) -> Callable[[int], str]:
    """A real transcript's turns repeated to about UNIT characters at 1x: below that, a
    parse takes well under a millisecond and the timings are noise."""
    base = max(1, round(UNIT / len(make(1))))
    return lambda factor: make(factor * base)


def cases() -> list[tuple[str, str, Callable[[str], object], Callable[[int], str]]]:
    """(parser, input shape, parse function, input of a size factor)."""
    markdown = wh_markdown.parse
    page = wh_html.parse
    return [
        # real transcripts
        ("wh-markdown", "real", markdown, at_least_unit(wh_markdown_real)),
        ("wh-html", "real", page, at_least_unit(wh_html_real)),
        ("timestamped", "real", timestamped.parse, at_least_unit(timestamped_real)),
        ("scio-briefing", "real", scio_briefing.parse, at_least_unit(scio_briefing_real)),
        ("scio-pages", "real", scio_pages.parse, at_least_unit(scio_pages_real)),
        ("mfa", "real", mfa.parse, at_least_unit(mfa_real)),
        ("archive-json", "real", archive_json.parse, at_least_unit(archive_real)),
        ("html_to_text", "real SCIO page", html_to_text, at_least_unit(scio_html_real)),
        ("detect_format", "real wh-markdown", detect.detect_format, wh_markdown_real),
        ("detect_format", "real mfa", detect.detect_format, at_least_unit(mfa_real)),
        ("decode", "real wh-markdown", decode_transcript, lambda f: wh_markdown_real(f).encode()),
        ("parse_transcript", "real scio-briefing", detect.parse_transcript,
         at_least_unit(scio_briefing_real)),
        # one huge line
        ("wh-markdown", "one huge line", markdown, one_huge_line(WH_HEAD, "MS. PSAKI:  ")),
        ("wh-markdown", "huge upper-case line", markdown,
         lambda f: WH_HEAD + "MS. A:  x\n\n" + "A" * (UNIT * f) + "\n"),
        ("timestamped", "one huge line", timestamped.parse, one_huge_line("Dr. A: (00:00)\n", "")),
        ("scio-briefing", "one huge line", scio_briefing.parse,
         one_huge_line(SCIO_HEAD, "Shen Luming:\n\n")),
        ("scio-pages", "one huge line", scio_pages.parse,
         one_huge_line(PAGES_HEAD, "Shen Luming:\n\n", "<  1  2  >\n")),
        ("mfa", "one huge line", mfa.parse, one_huge_line(MFA_HEAD, "CCTV: ")),
        ("html_to_text", "one huge text node", html_to_text,
         one_huge_line("<html><body><p>", "", "</p></body></html>")),
        # many tiny turns
        ("wh-markdown", "many tiny turns", markdown,
         many("Q    Why?\n\nMS. PSAKI:  No.\n\n", WH_HEAD)),
        ("wh-html", "many tiny turns", page,
         many("<p>Q    Why?</p>\n<p>MS. PSAKI:  No.</p>\n", WH_PAGE_HEAD, "</body></html>")),
        ("timestamped", "many tiny turns", timestamped.parse,
         many("Speaker 1: (00:01)\nWhy?\nDr. A: (00:02)\nNo.\n")),
        ("scio-briefing", "many tiny turns", scio_briefing.parse,
         many("CCTV:\n\nWhy?\n\nLiang Wenhua:\n\nNo.\n\n", SCIO_HEAD)),
        ("scio-pages", "many tiny turns", scio_pages.parse,
         many("CCTV:\n\nWhy?\n\nLiang Wenhua:\n\nNo.\n\n", PAGES_HEAD, "<  1  2  >\n")),
        ("mfa", "many tiny turns", mfa.parse, many("Q: Why?\n\nA: No.\n\n", MFA_HEAD)),
        ("archive-json", "many tiny turns", archive_json.parse,
         lambda f: json.dumps({"schema": "briefing-archive/1", "title": "t", "exchanges": [
             {"kind": "qa", "turns": [{"speaker_label": "Q", "role": "question", "text": "Why?"}]}
         ] * (UNIT * f // 90)})),
        # many distinct speaker labels
        ("wh-markdown", "many speaker labels", markdown,
         numbered(lambda i: f"MS. {name(i).upper()}:  Yes.\n\n", WH_HEAD)),
        ("timestamped", "many speaker labels", timestamped.parse,
         numbered(lambda i: f"{name(i)}: (00:01)\nYes?\n")),
        ("scio-briefing", "many speaker labels", scio_briefing.parse,
         numbered(lambda i: f"{name(i)}:\n\nYes.\n\n", SCIO_HEAD)),
        ("scio-pages", "many speaker labels", scio_pages.parse,
         numbered(lambda i: f"{name(i)}:\n\nYes.\n\n", PAGES_HEAD, "<  1  2  >\n")),
        ("mfa", "many speaker labels", mfa.parse,
         numbered(lambda i: f"{name(i)}: Yes.\n\n", MFA_HEAD)),
        # deep nesting (lxml stops at 256 levels: refused) and many shallow trees
        ("html_to_text", "deep nesting", html_to_text,
         lambda f: "<html><body>" + "<div>" * (UNIT * f // 5) + "x"),
        ("wh-html", "deep nesting", page,
         lambda f: WH_PAGE_HEAD + "<div>" * (UNIT * f // 5) + "x"),
        ("html_to_text", "nesting 200 deep, repeated", html_to_text,
         many("<div>" * 200 + "x" + "</div>" * 200, "<html><body>")),
        ("archive-json", "deep nesting", archive_json.parse,
         lambda f: '{"schema": "briefing-archive/1", "title": "t", "x": ' + "[" * (UNIT * f)),
        # backtracking bait
        ("wh-markdown", "unclosed <figure> tags", markdown,
         many("<figure> x\n", WH_HEAD + "MS. A:  Yes.\n\n")),
        ("wh-markdown", "unclosed ( in a paragraph", markdown,
         many("(a ", WH_HEAD + "MS. A:  Yes.\n\n")),
        ("scio-briefing", "intro with many dates", scio_briefing.parse,
         lambda f: SCIO_HEAD.replace("Speakers", "The SCIO held a press conference in "
                                     + "Aug. 17, 2023 " * (UNIT * f // 14) + "\n\nSpeakers")
         + "Shen Luming:\n\nYes.\n"),
        ("scio-briefing", "intro with many 'held'", scio_briefing.parse,
         lambda f: SCIO_HEAD.replace("Speakers", "The SCIO held a press conference "
                                     + "held " * (UNIT * f // 5) + "\n\nSpeakers")
         + "Shen Luming:\n\nYes.\n"),
        ("mfa", "many colons on a line", mfa.parse, many("a: ", MFA_HEAD + "Q: Why?\n")),
        ("timestamped", "many near-headers", timestamped.parse,
         many("Dr. A: (00:0\n", "Dr. A: (00:00)\n")),
        ("detect_format", "many colons on a line", detect.detect_format, many("a: ")),
    ]  # fmt: skip


def time_once(parse: Callable[[str], object], text: str) -> float:
    started = time.perf_counter()
    with contextlib.suppress(ParseError):
        parse(text)
    return time.perf_counter() - started


def exponent(sizes: list[int], seconds: list[float]) -> float:
    xs = [math.log(size) for size in sizes]
    ys = [math.log(max(second, 1e-7)) for second in seconds]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    covariance = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    return covariance / sum((x - mean_x) ** 2 for x in xs)


def measure(parse: Callable, make: Callable[[int], str], factors: list[int], repeat: int) -> dict:
    sizes: list[int] = []
    seconds: list[float] = []
    outcome = "parsed"
    for factor in factors:
        text = make(factor)
        try:
            parse(text)
        except ParseError as error:
            outcome = f"refused: {str(error)[:60]}"
        gc.collect()  # each size starts from the same heap, not the last one's garbage
        best = min(time_once(parse, text) for _ in range(repeat))
        sizes.append(len(text))
        seconds.append(best)
        if best > GIVE_UP_SECONDS:
            break
    return {
        "sizes": sizes,
        "seconds": seconds,
        "exponent": exponent(sizes, seconds) if len(sizes) > 1 else float("nan"),
        "tail": exponent(sizes[-2:], seconds[-2:]) if len(sizes) > 1 else float("nan"),
        "outcome": outcome,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--max-factor", type=int, default=16)
    parser.add_argument("--only", default="", help="only parsers whose name contains this")
    parser.add_argument("--output", default=str(ROOT / "bench" / "results" / "parser_scaling.json"))
    args = parser.parse_args()
    factors = [f for f in (1, 2, 4, 8, 16, 32, 64) if f <= args.max_factor]
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))

    results = []
    flagged = 0
    print(
        f"{'parser':<17} {'input':<28} {'1x KB':>7} {'1x ms':>8} {'max ms':>9} {'exp':>5} "
        f"{'tail':>5}"
    )
    for parser_name, shape, parse, make in cases():
        if args.only not in parser_name:
            continue
        result = measure(parse, make, factors, args.repeat)
        flag = result["exponent"] > FLAG_EXPONENT and result["tail"] > FLAG_EXPONENT
        flagged += flag
        print(
            f"{parser_name:<17} {shape:<28} {result['sizes'][0] / 1000:>7.0f} "
            f"{result['seconds'][0] * 1000:>8.1f} {result['seconds'][-1] * 1000:>9.1f} "
            f"{result['exponent']:>5.2f} {result['tail']:>5.2f}{'  SUPER-LINEAR' if flag else ''}"
            f"{'' if result['outcome'] == 'parsed' else '  (' + result['outcome'] + ')'}",
            flush=True,
        )
        results.append({"parser": parser_name, "input": shape, **result, "flagged": flag})
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\n{flagged} super-linear (exponent > {FLAG_EXPONENT}); written to {output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
