"""The labelled set for exchange boundaries and speakers runs and reports rates.

No floor: the scores are today's "before" (issue 12); tests/data/labelled/README.md says
how the set was made.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from briefings.ingest.evaluate_segmentation import (
    HTML_LEAD,
    SOURCES,
    evaluate_set,
    file_of,
    load_labels,
    parse_file,
    score_briefing,
)


@pytest.mark.corpus
def test_the_set_scores_every_source_with_rates_between_zero_and_one(corpus):
    report = evaluate_set(corpus=corpus)
    assert report["overall"].errors == []
    assert report["overall"].briefings == len(load_labels()) >= 2 * len(SOURCES)
    for source in (*SOURCES, "overall"):
        counts = report[source]
        assert counts.briefings >= 2
        assert counts.turns > 0
        rates = (counts.precision, counts.recall, counts.speaker_accuracy, counts.stored_accuracy)
        for rate in rates:
            assert 0.0 <= rate <= 1.0


@pytest.mark.corpus
def test_the_command_prints_a_line_per_source(corpus):
    out = StringIO()
    call_command("evaluate_segmentation", corpus=str(corpus), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].split()[-2:] == ["speakers", "stored"]
    assert [line.split()[0] for line in lines[1:]] == [*SOURCES, "overall"]


@pytest.mark.corpus
def test_it_matches_a_whole_page_html_turn_reported_at_the_paragraph_before_its_label(corpus):
    # The labels give the line where the label's text starts; the HTML reader reports the
    # line of the `<p>` just above it.
    [html] = [b for b in load_labels() if b.path.endswith(".html")]
    counts = score_briefing(html, parse_file(file_of(html, corpus)), lead=HTML_LEAD)
    assert counts.boundaries_found > 0
    assert counts.speakers_right > 0
