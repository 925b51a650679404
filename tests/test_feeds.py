"""The Atom feeds: the latest briefings, a person's latest answers and an outlet's latest
questions. Read as a feed reader would, with an XML parser."""

from __future__ import annotations

import datetime as dt

import pytest
from lxml import etree
from lxml import html as lxml_html

from briefings.ingest.load import load_conference
from briefings.ingest.records import ParsedConference, ParsedTurn
from briefings.models import Conference
from tests.conftest import briefing, miit_briefing, official, reporter, source_file

pytestmark = pytest.mark.django_db

ATOM = {"a": "http://www.w3.org/2005/Atom"}


def load(parsed: ParsedConference) -> Conference:
    name = f"{parsed.title}-{parsed.held_on}.txt"
    source = source_file(name, f"{parsed.title} {parsed.held_on}")
    return load_conference(parsed, [source]).conference


def weekly(count: int, *, start: dt.date = dt.date(2021, 1, 4)) -> list[Conference]:
    """`count` briefings a week apart: CNN asks, Jen Psaki answers."""
    return [
        load(
            briefing(
                f"Press Briefing {number}",
                start + dt.timedelta(weeks=number),
                [
                    reporter("CNN", f"Question {number}?"),
                    official("Jen Psaki", f"Answer {number}."),
                ],
            )
        )
        for number in range(count)
    ]


def get_feed(client: object, url: str) -> etree._Element:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return etree.fromstring(response.content)


def entries(feed: etree._Element) -> list[dict[str, str]]:
    """Each entry's title, link, id, author, published date and summary."""
    found = []
    for entry in feed.iterfind("a:entry", ATOM):
        found.append(
            {
                "title": entry.findtext("a:title", namespaces=ATOM),
                "link": entry.find("a:link", ATOM).get("href"),
                "id": entry.findtext("a:id", namespaces=ATOM),
                "author": entry.findtext("a:author/a:name", namespaces=ATOM),
                "published": entry.findtext("a:published", namespaces=ATOM),
                "updated": entry.findtext("a:updated", namespaces=ATOM),
                "summary": entry.findtext("a:summary", namespaces=ATOM),
            }
        )
    return found


# The latest briefings.


def test_the_briefings_feed_has_the_newest_25_briefings_newest_first(client):
    conferences = weekly(30)

    feed = get_feed(client, "/briefings/feed.atom")

    found = entries(feed)
    assert len(found) == 25
    newest = conferences[-1]
    assert found[0]["title"] == "Press Briefing 29"
    assert found[0]["link"] == f"http://testserver{newest.get_absolute_url()}"
    assert found[0]["id"] == found[0]["link"]
    assert found[0]["published"] == f"{newest.held_on.isoformat()}T00:00:00+00:00"
    assert found[0]["updated"]
    assert [entry["title"] for entry in found[-2:]] == ["Press Briefing 6", "Press Briefing 5"]
    assert feed.findtext("a:title", namespaces=ATOM) == "Briefing Archive: latest briefings"
    assert feed.find("a:link[@rel='alternate']", ATOM).get("href") == "http://testserver/briefings/"
    assert feed.find("a:link[@rel='self']", ATOM).get("href") == (
        "http://testserver/briefings/feed.atom"
    )


def test_the_briefings_feed_says_what_each_briefing_is_and_escapes_its_summary(client):
    parsed = miit_briefing(summary="Officials <b>answered</b> questions & more.")
    load(parsed)

    (entry,) = entries(get_feed(client, "/briefings/feed.atom"))

    # The summary is HTML: the transcript's text arrives escaped, shown as typed.
    assert entry["summary"] == (
        "Press conference · State Council Information Office · Beijing. "
        "Officials &lt;b&gt;answered&lt;/b&gt; questions &amp; more."
    )


def test_an_undated_briefing_is_dated_by_its_ingest(client):
    conference = load(briefing("Undated call", None, [official("Jen Psaki", "Hello.")]))

    (entry,) = entries(get_feed(client, "/briefings/feed.atom"))

    assert entry["published"].startswith(conference.created_at.date().isoformat())


def test_the_briefings_feed_queries_stay_bounded(client, django_assert_num_queries):
    weekly(30)

    with django_assert_num_queries(1):
        client.get("/briefings/feed.atom")


# A person's answers and an outlet's questions.


def test_a_persons_feed_has_their_latest_answers_each_linking_its_exchange(client):
    conferences = weekly(30)

    found = entries(get_feed(client, "/people/jen-psaki/feed.atom"))

    assert len(found) == 25
    newest = conferences[-1].exchanges.get()
    assert conferences[-1].held_on == dt.date(2021, 7, 26)
    assert found[0]["title"] == "Jen Psaki: Press Briefing 29, 26 Jul 2021 (#1)"
    assert found[0]["link"] == f"http://testserver{newest.get_absolute_url()}"
    assert found[0]["summary"] == "Answer 29."
    assert found[0]["author"] == "Jen Psaki"


def test_a_control_character_in_a_transcript_is_dropped_not_a_500(client):
    turns = [reporter("CNN", "Escaped?"), official("Jen Psaki", "An escape \x1b[0m code.")]
    load(briefing("Control \x0c characters", dt.date(2021, 6, 1), turns))

    found = entries(get_feed(client, "/people/jen-psaki/feed.atom"))
    search = client.get("/search/feed.atom", {"q": "escape"})

    assert found[0]["summary"] == "An escape [0m code."
    assert found[0]["title"].startswith("Jen Psaki: Control  characters")
    assert search.status_code == 200
    assert b"\x1b" not in search.content


def test_each_answer_has_its_own_absolute_id_even_in_one_exchange(client):
    turns = [
        reporter("CNN", "Two parts?"),
        official("Jen Psaki", "First part."),
        official("Jen Psaki", "Second part."),
    ]
    load(briefing("Two answers", dt.date(2021, 6, 1), turns))

    found = entries(get_feed(client, "/people/jen-psaki/feed.atom"))

    ids = [entry["id"] for entry in found]
    assert len(ids) == len(set(ids)) == 2
    assert all(entry_id.startswith("http://testserver/briefings/") for entry_id in ids)
    # Newest first within the exchange too: the later answer leads.
    assert [entry["summary"] for entry in found] == ["Second part.", "First part."]


def test_an_outlets_feed_has_its_latest_questions_named_by_the_outlet(client):
    load(
        briefing(
            "Press Briefing",
            dt.date(2021, 2, 1),
            [
                ParsedTurn(
                    speaker_label="Q", role="question", text="<i>Why</i> now?", outlet="CNN"
                ),
                official("Jen Psaki", "Because."),
            ],
        )
    )

    (entry,) = entries(get_feed(client, "/outlets/cnn/feed.atom"))

    # A reporter printed as a bare "Q" is named by their outlet.
    assert entry["title"] == "CNN: Press Briefing, 1 Feb 2021 (#1)"
    assert entry["author"] == "CNN"
    assert entry["summary"] == "&lt;i&gt;Why&lt;/i&gt; now?"


def test_a_long_answer_is_cut_to_its_first_words(client):
    long_answer = "Word " * 500
    load(
        briefing(
            "Long",
            dt.date(2021, 2, 1),
            [reporter("CNN", "Well?"), official("Jen Psaki", long_answer)],
        )
    )

    (entry,) = entries(get_feed(client, "/people/jen-psaki/feed.atom"))

    assert entry["summary"] == "Word " * 29 + "Word…"


@pytest.mark.parametrize("url", ["/people/nobody/feed.atom", "/outlets/nobody/feed.atom"])
def test_a_feed_for_someone_unknown_is_the_sites_404(client, url):
    response = client.get(url)

    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


@pytest.mark.parametrize("url", ["/people/jen-psaki/feed.atom", "/outlets/cnn/feed.atom"])
def test_the_turn_feeds_queries_stay_bounded(client, django_assert_num_queries, url):
    weekly(30)

    # The person or outlet, its turns counted per briefing, those briefings' dates, then
    # the newest turns.
    with django_assert_num_queries(4):
        client.get(url)


@pytest.mark.parametrize(
    "page", ["/", "/briefings/", "/briefings/2021/", "/people/jen-psaki/", "/outlets/cnn/"]
)
def test_each_pages_feed_link_serves_a_feed(client, page):
    weekly(2)

    document = lxml_html.fromstring(client.get(page).content.decode())

    (link,) = document.xpath("//head/link[@rel='alternate'][@type='application/atom+xml']")
    assert entries(get_feed(client, link.get("href")))
    # The same feed linked where a reader sees it.
    (visible,) = document.xpath(f"//main//a[@href='{link.get('href')}']")
    assert visible.text_content() == "Atom feed"
