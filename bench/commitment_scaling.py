"""Commitment extraction and marking against turn size: is it linear? (issue #13, part 4)

    .venv/bin/python bench/commitment_scaling.py [--repeat 3] [--output FILE.json]

One official's turn grown from 17 KB to 273 KB (a White House-style answer, public-domain
words, with abbreviations, initialisms, a bracketed note and paragraph breaks, repeated),
timed three ways, each the best of --repeat runs:

- `split_sentences`, the sentence splitter every extraction starts with;
- `extract_commitments`, the whole extractor on the turn;
- `marked_text_html`, the template code that marks each commitment's sentence on a page.

The growth exponent is the slope of log(time) against log(size) by least squares: 1 is
linear, 2 quadratic. Not a test: timings on a loaded machine are noisy, so the numbers go
in the notes, never into assertions.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from parser_scaling import exponent  # noqa: E402  (this folder is on the path: run as a script)

from briefings.commitments.extract import extract_commitments  # noqa: E402
from briefings.commitments.sentences import split_sentences  # noqa: E402
from briefings.templatetags.briefings_extras import marked_text_html  # noqa: E402

PARAGRAPH = (
    "We will provide digital transformation services for at least 100,000 small businesses "
    "by the end of this year. (Applause.) The U.S. Government and Mr. Smith met at 3 p.m. on "
    "Jan. 5 with Dr. Jones, and we're going to rebuild the bridge by next summer.\n\n"
)
SIZES_KB = (17, 34, 68, 137, 273)
SAID_ON = dt.date(2024, 1, 1)


def best_of(repeat: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--output", type=Path)
    options = parser.parse_args()

    rows: dict[str, list[float]] = {"split": [], "extract": [], "mark": []}
    sizes = []
    for kilobytes in SIZES_KB:
        text = PARAGRAPH * (kilobytes * 1024 // len(PARAGRAPH))
        sizes.append(len(text))
        found = extract_commitments(text, SAID_ON, speaker_role="answer")
        marks = [SimpleNamespace(start=c.start, end=c.end, pk=n) for n, c in enumerate(found)]
        rows["split"].append(best_of(options.repeat, lambda t=text: split_sentences(t)))
        rows["extract"].append(
            best_of(
                options.repeat,
                lambda t=text: extract_commitments(t, SAID_ON, speaker_role="answer"),
            )
        )
        rows["mark"].append(best_of(options.repeat, lambda t=text, m=marks: marked_text_html(t, m)))
        print(
            f"{kilobytes:>4} KB  {len(found):>5} commitments  "
            + "  ".join(f"{name} {row[-1]:.3f} s" for name, row in rows.items()),
            flush=True,
        )
    slopes = {name: round(exponent(sizes, row), 2) for name, row in rows.items()}
    print("growth exponent (1 linear, 2 quadratic):", slopes)
    if options.output:
        options.output.parent.mkdir(parents=True, exist_ok=True)
        result = {"sizes": sizes, "seconds": rows, "exponents": slopes}
        options.output.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
