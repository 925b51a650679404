"""Pages that orient (issue 16): a briefing and an exchange say where they sit in the
archive (Briefings > year > month > briefing > exchange), on real White House briefings
read by the real ingest."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html as lxml_html

from briefings.ingest.load import load_conference
from briefings.ingest.run import ingest_paths
from briefings.models import Conference
from tests.conftest import briefing, official, reporter, source_file

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_index")]

DEMO = Path(__file__).resolve().parent.parent / "demo"


def crumbs(client, url: str) -> list[tuple[str, str | None, bool]]:
    response = client.get(url)
    assert response.status_code == 200
    document = lxml_html.fromstring(response.content.decode())
    (nav,) = document.xpath("//main//nav[@aria-label='Breadcrumb']")
    return [
        (
            " ".join(item.text_content().split()),
            (item.xpath("./a/@href") or [None])[0],
            item.get("aria-current") == "page",
        )
        for item in nav.xpath(".//li")
    ]


@pytest.fixture
def white_house() -> Conference:
    path = next((DEMO).rglob("2021-02-01*.md"))
    report = ingest_paths([str(path)])
    assert report.ok
    return Conference.objects.get()


def test_a_briefing_says_where_it_sits_in_the_archive(client, white_house):
    title = white_house.title

    found = crumbs(client, white_house.get_absolute_url())

    assert found == [
        ("Briefings", "/briefings/", False),
        ("2021", "/briefings/2021/", False),
        ("February", "/briefings/2021/2/", False),
        (title, None, True),
    ]
    for _label, link, _current in found[:-1]:
        assert client.get(link).status_code == 200


def test_an_exchange_adds_itself_after_its_briefing(client, white_house):
    exchange = white_house.exchanges.order_by("position")[3]

    found = crumbs(client, exchange.get_absolute_url())

    assert [label for label, _, _ in found[:3]] == ["Briefings", "2021", "February"]
    assert found[3] == (white_house.title, white_house.get_absolute_url(), False)
    assert found[4] == (f"{exchange.get_kind_display()} #{exchange.position}", None, True)


def test_an_undated_briefing_says_so_in_its_trail(client):
    parsed = briefing(
        "Press Gaggle", None, [reporter("CNN", "When?"), official("Jen Psaki", "Soon.")]
    )
    conference = load_conference(parsed, [source_file("gaggle.md", "gaggle")]).conference

    found = crumbs(client, conference.get_absolute_url())

    assert found == [
        ("Briefings", "/briefings/", False),
        ("Undated", None, False),
        ("Press Gaggle", None, True),
    ]


# The people and outlets directories: by name or the most active first, and a name filter.


@pytest.fixture
def demo_archive() -> None:
    report = ingest_paths([str(DEMO)])
    assert report.ok


def rows(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    document = lxml_html.fromstring(response.content.decode())
    return [" ".join(cell.text_content().split()) for cell in document.xpath("//tbody/tr/th")]


def test_people_sort_by_activity_with_the_most_answers_first(client, demo_archive):
    from django.db.models import Count, Q

    from briefings.models import Person
    from briefings.text import OFFICIAL_ROLES

    spoke = Count("turns", filter=Q(turns__role__in=OFFICIAL_ROLES))
    busiest = list(Person.objects.annotate(n=spoke).order_by("-n", "name").values_list("name", "n"))

    by_activity = rows(client, "/people/?sort=activity")
    by_name = rows(client, "/people/")

    assert by_activity[0].startswith(busiest[0][0])
    assert busiest[0][1] > busiest[-1][1]
    assert sorted(by_name, key=str.casefold) == by_name
    assert sorted(by_activity) == sorted(by_name)  # the same people, another order


def test_the_name_filter_keeps_its_place_in_the_pager_and_the_json(client, demo_archive):
    found = rows(client, "/people/?q=psaki")

    assert found
    assert all("psaki" in name.casefold() for name in found)
    data = client.get("/people/", {"q": "psaki", "sort": "activity", "format": "json"}).json()
    assert data["sort"] == "activity"
    assert data["name_filter"] == "psaki"
    assert {row["name"] for row in data["results"]} == set(found)


def test_outlets_sort_by_questions_asked(client, demo_archive):
    response = client.get("/outlets/", {"sort": "activity", "format": "json"})

    counts = [row["questions"] for row in response.json()["results"]]
    assert counts == sorted(counts, reverse=True)
    assert len(counts) > 1


@pytest.mark.parametrize("url", ["/people/", "/outlets/"])
def test_a_bad_sort_or_filter_gets_a_message_not_an_error(client, demo_archive, url):
    refused = client.get(url, {"sort": "size"})
    long = client.get(url, {"q": "x" * 10_000})
    nul = client.get(url, {"q": "psa\x00ki"})

    assert refused.status_code == 400
    assert "use sort=name" in refused.content.decode()
    assert long.status_code == 200
    assert "contains “" + "x" * 100 + "”" in long.content.decode()
    assert nul.status_code == 200


def test_a_filter_that_matches_no_one_says_so(client, demo_archive):
    page = client.get("/people/", {"q": "nobody by this name"}).content.decode()

    assert "No one’s name contains “nobody by this name”" in page


# A briefing's contents open with the first question that asks something.


@pytest.mark.corpus
def test_the_contents_open_with_the_first_question_that_asks_something(client, corpus):
    from briefings.models import Exchange
    from search.substance import is_content_free

    # "Thanks, Jen. Two subject areas." "Yep." opens the questions of 24 January 2022.
    files = sorted((corpus / "wh-briefings" / "press-briefings" / "2022-01").glob("2022-01-24*"))
    assert ingest_paths([str(path) for path in files]).ok
    conference = Conference.objects.get(held_on="2022-01-24", title__startswith="Press Briefing")
    asked = [
        exchange
        for exchange in Exchange.objects.filter(conference=conference, kind="qa")
        .prefetch_related("turns")
        .order_by("position")
        if any(turn.role == "question" for turn in exchange.turns.all())
    ]
    assert is_content_free("qa", list(asked[0].turns.all()))
    assert not is_content_free("qa", list(asked[1].turns.all()))

    response = client.get(conference.get_absolute_url())
    document = lxml_html.fromstring(response.content.decode())
    anchors = [href.split("#")[1] for href in document.xpath("//nav[@class='contents']//a/@href")]

    # The leading one left out, every later one kept, those that only pass the floor too.
    assert anchors == [f"exchange-{exchange.position}" for exchange in asked[1:]]


@pytest.mark.corpus
def test_a_persons_page_opens_with_the_first_answer_that_says_something(client, corpus):
    from briefings.models import Turn
    from search.substance import is_content_free

    # In the gaggle of 19 May 2022 Jake Sullivan's first words are "Sure.", passing the floor.
    files = sorted((corpus / "wh-briefings").rglob("2022-05-20-press-gaggle-*jake-sullivan.md"))
    assert ingest_paths([str(path) for path in files]).ok
    answers = list(
        Turn.objects.by_officials()
        .filter(person__slug="jake-sullivan")
        .order_by("exchange__position", "position")
    )
    said = {t.exchange_id: list(t.exchange.turns.order_by("position")) for t in answers}
    assert is_content_free(answers[0].exchange.kind, said[answers[0].exchange_id])
    first_with_content = next(
        t for t in answers if not is_content_free(t.exchange.kind, said[t.exchange_id])
    )

    response = client.get("/people/jake-sullivan/", {"format": "json"})

    first = response.json()["answers"]["results"][0]
    assert first["url"].endswith(f"/{first_with_content.exchange.position}/")
    second_page = client.get("/people/jake-sullivan/", {"format": "json", "page": "2"})
    assert second_page.status_code == 200  # later pages are read as they are


# A person's titles include those the briefings' titles give them.


@pytest.mark.parametrize(
    ("briefing_title", "name", "title"),
    [  # the demo's White House titles, as ingested
        (
            "Press Briefing by Press Secretary Jen Psaki, February 1, 2021",
            "Jen Psaki",
            "Press Secretary",
        ),
        (
            "Press Gaggle by Press Secretary Karine Jean-Pierre En Route Dover, Delaware",
            "Karine Jean-Pierre",
            "Press Secretary",
        ),
        (
            "On-The-Record Press Call by National Security Advisor Jake Sullivan, Commerce "
            "Secretary Gina Raimondo, and U.S. Trade Representative Katherine Tai on a U.S.-EU "
            "Agreement on Steel and Aluminum Tariffs",
            "Katherine Tai",
            "U.S. Trade Representative",
        ),
        (
            "Remarks by APNSA Jake Sullivan in Press Conference | Beijing, People’s Republic of "
            "China",
            "Jake Sullivan",
            "APNSA",
        ),
        (
            "Press Briefing by White House COVID-19 Response Team and Public Health Officials",
            "Jeff Zients",
            "",
        ),
        (  # White House titles from the corpus: an "and" inside a title
            "Press Briefing by Press Secretary Jen Psaki and Deputy National Security Advisor "
            "for Cyber and Emerging Technology Anne Neuberger, February 17, 2021",
            "Anne Neuberger",
            "Deputy National Security Advisor for Cyber and Emerging Technology",
        ),
        (  # an honorific after the title, and two titles joined by "and" (kept whole)
            "Press Briefing by Press Secretary Jen Psaki, NIAID Director and Chief Medical "
            "Advisor to the President Dr. Anthony Fauci, and COVID-19 Response Coordinator "
            "Jeff Zients, April 13, 2021",
            "Anthony Fauci",
            "Chief Medical Advisor to the President",
        ),
        (
            "Background Press Call by a Senior Administration Official on the President’s "
            "American Jobs Plan",
            "Senior Administration Official",
            "",
        ),
        ("Press Briefing by Jen Psaki", "Jen Psaki", ""),  # no title before the name
        ("Press Briefing by Press Secretary Jen Psaki", "Psaki", ""),  # a surname alone
    ],
)
def test_a_briefing_title_gives_the_title_before_a_name(briefing_title, name, title):
    from briefings.text import title_before_name

    assert title_before_name(briefing_title, [name]) == title


def test_a_persons_titles_include_those_the_briefing_titles_give(client, demo_archive):
    data = client.get("/people/katherine-tai/", {"format": "json"}).json()

    (use,) = [t for t in data["titles"] if t["title"] == "U.S. Trade Representative"]
    assert use["source"] == "briefing title"
    assert use["briefings"] == 1
    tariffs = Conference.objects.get(held_on="2021-10-30")
    assert use["first"]["url"] == f"http://testserver{tariffs.get_absolute_url()}"
    page = client.get("/people/katherine-tai/").content.decode()
    assert "U.S. Trade Representative" in page
    assert "as the briefings’ titles name Katherine Tai" in page
