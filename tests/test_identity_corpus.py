"""A Ministry page and a text copy of it are one briefing. The White House corpus publishes
12 briefings twice, under other titles or dates: each is one briefing here, and the copy's
address answers 301. Over the whole corpus the spoken words merge those copies and nothing
else. Reads ../shared; skipped when it is absent."""

from __future__ import annotations

from collections import defaultdict
from http import HTTPStatus
from pathlib import Path

import lxml.html
import pytest

from briefings.ingest.decode import decode_transcript
from briefings.ingest.detect import parse_transcript
from briefings.ingest.identity import fingerprint_of
from briefings.ingest.records import ParseError
from briefings.ingest.run import FAILED, ingest_paths
from briefings.models import Conference, slug_base

pytestmark = pytest.mark.corpus

# (kept, copy), file names: the copy that comes first in the folder is kept, which is also the first
# published (the other is a re-post a day later, or under a corrected title or URL).
PAIRS = [
    (
        "2022-04-11-press-briefing-by-press-secretary-jen-psaki-april-11-2022-2.md",
        "2022-04-11-press-briefing-by-press-secretary-jen-psaki-april-11-2022.md",
    ),
    (
        "2022-05-06-press-gaggle-by-press-secretary-jen-psaki%ef%bf%bc.md",
        "2022-05-06-press-gaggle-by-press-secretary-jen-psaki-5.md",
    ),
    (
        "2022-05-11-background-press-call-by-a-senior-administration-official-on-the-u-s-asean-special-summit%ef%bf%bc.md",
        "2022-05-11-background-press-call-by-a-senior-administration-official-on-the-u-s-asean-special-summit.md",
    ),
    (
        "2022-07-19-press-briefing-by-press-secretary-karine-jean-pierre-and-nsc-coordinator-for-strategic-communications-john-kirby-3.md",
        "2022-07-20-press-briefing-by-press-secretary-karine-jean-pierre-and-nsc-coordinator-for-strategic-communications-john-kirby-3.md",
    ),
    (
        "2022-09-01-press-briefing-by-press-secretary-karine-jean-pierre-7.md",
        "2022-09-01-press-briefing-by-press-secretary-karine-jean-pierre-september-1-2022.md",
    ),
    (
        "2022-09-15-background-press-call-on-president-bidens-executive-order-on-screening-inbound-foreign-investments-2.md",
        "2022-09-15-background-press-call-on-president-bidens-executive-order-on-screening-inbound-foreign-investments.md",
    ),
    (
        "2023-10-30-press-briefing-by-press-secretary-karine-jean-pierre-and-nsc-coordinator-for-strategic-communications-john-kirby-24.md",
        "2023-10-31-press-briefing-by-press-secretary-karine-jean-pierre-and-nsc-coordinator-for-strategic-communications-john-kirby-24.md",
    ),
    (
        "2024-03-15-press-briefing-by-press-secretary-karine-jean-pierre-and-white-house-nation-security-communications-advisor-john-kirby.md",
        "2024-03-15-remarks-by-press-secretary-karine-jean-pierre-and-white-house-nation-security-communications-advisor-john-kirby.md",
    ),
    (
        "2024-05-13-background-press-call-by-national-economic-advisor-lael-brainard-and-senior-administration-officials-on-president-bidens-actions-to-protect-american-workers-and-businesses.md",
        "2024-05-14-background-press-call-by-national-economic-advisor-lael-brainard-and-senior-administration-officials-on-president-bidens-actions-to-protect-american-workers-and-businesses.md",
    ),
    (
        "2024-07-24-press-briefing-by-press-secretary-karine-jean-pierre-64.md",
        "2024-07-25-press-briefing-by-press-secretary-karine-jean-pierre-64.md",
    ),
    (
        "2024-11-17-on-the-record-press-gaggle-by-principal-deputy-national-security-advisor-jon-finer-on-the-presidents-engagements-at-the-g20-summit.md",
        "2024-11-18-on-the-record-press-gaggle-by-deputy-national-security-advisor-jon-finer-on-the-presidents-engagements-at-the-g20-summit.md",
    ),
]
# The 12th: the corrected transcript (two words differ) is kept; the uncorrected one is a
# different version of it, refused without --replace.
CORRECTED = (
    "2022-03-10-corrected-remarks-by-vice-president-harris-and-president-andrzej-duda-of-poland-in-joint-press-conference.md",
    "2022-03-10-remarks-by-vice-president-harris-and-president-andrzej-duda-of-poland-in-joint-press-conference.md",
)


@pytest.fixture
def wh(corpus):
    folder = corpus / "wh-briefings"
    if not folder.is_dir():
        pytest.skip("../shared/corpus/wh-briefings is not present")
    return folder


def find(folder, name):
    return next(folder.glob(f"*/*/{name}"))


@pytest.mark.django_db
def test_each_briefing_published_twice_is_one_briefing_and_the_copy_redirects(wh, client):
    pairs = [(find(wh, kept), find(wh, copy)) for kept, copy in [*PAIRS, CORRECTED]]

    report = ingest_paths([str(path) for pair in pairs for path in pair])

    outcomes = {outcome.name: outcome for outcome in report.outcomes}
    assert Conference.objects.count() == 12
    for kept, _copy in pairs:
        assert outcomes[str(kept.resolve())].status == "created"
    for kept, copy in pairs[:-1]:
        assert outcomes[str(copy.resolve())].status == "unchanged"
        stored = Conference.objects.get(slug=outcomes[str(kept.resolve())].slug)
        parsed = parse_transcript(decode_transcript(copy.read_bytes()))
        address = f"/briefings/{slug_base(f'{parsed.held_on} {parsed.title}')}/"
        response = client.get(address)
        if address == stored.get_absolute_url():  # same title and date: the same address
            assert response.status_code == HTTPStatus.OK
        else:
            assert response.status_code == HTTPStatus.MOVED_PERMANENTLY, address
            assert response["Location"] == stored.get_absolute_url()
    refused = outcomes[str(pairs[-1][1].resolve())]
    assert refused.status == FAILED
    assert "known by the same exchanges within a day" in refused.error
    assert "--replace" in refused.error


def test_over_the_whole_corpus_the_spoken_words_merge_those_copies_and_nothing_else(wh):
    by_fingerprint: dict[str, list[str]] = defaultdict(list)
    read = 0
    for path in sorted(wh.rglob("*.md")):
        try:
            parsed = parse_transcript(decode_transcript(path.read_bytes()))
        except ParseError:
            continue  # two press releases with no speaker
        read += 1
        fingerprint = fingerprint_of(parsed)
        assert fingerprint
        by_fingerprint[fingerprint].append(path.name)

    merged = sorted(tuple(names) for names in by_fingerprint.values() if len(names) > 1)
    assert merged == sorted(PAIRS)
    assert (read, len(by_fingerprint)) == (1150, 1139)


def ministry_text_copy(page: Path) -> str:
    """What a reader gets by copying the article of a Ministry page: the headline, then each
    paragraph of the body, made here from the page in ../shared (nothing of it is kept)."""
    root = lxml.html.parse(str(page)).getroot()
    [article] = [block for block in root.find_class("content_mod") if block.find_class("title")]
    headline = " ".join(article.find_class("title")[0].text_content().split())
    paragraphs = (
        " ".join(p.text_content().split()) for p in article.find_class("content")[0].iter("p")
    )
    return headline + "\n\n" + "\n\n".join(text for text in paragraphs if text) + "\n"


@pytest.mark.django_db
@pytest.mark.parametrize("page_id", ["t1602877", "t1700483", "t1776881"])
def test_a_ministry_page_and_its_text_copy_are_one_briefing(corpus, tmp_path, page_id):
    folder = corpus / "mfa-fmprc-2020" / "site"
    if not folder.is_dir():
        pytest.skip("../shared/corpus/mfa-fmprc-2020 is not present")
    page = next(folder.rglob(f"{page_id}.shtml"))
    copy = tmp_path / "copy.txt"
    copy.write_text(ministry_text_copy(page))

    first = ingest_paths([str(page)])
    second = ingest_paths([str(copy)])

    [created] = first.outcomes
    [outcome] = second.outcomes
    assert created.status == "created"
    assert outcome.status == "unchanged", outcome.line()
    assert outcome.slug == created.slug
    assert Conference.objects.count() == 1
