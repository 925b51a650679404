"""Several values of one facet (two speakers, two outlets) and "did you mean", on a real
Whoosh index in a temporary folder built from real White House transcripts (public
domain), through the test client: the facet links, the chips, the JSON form, exports."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from lxml import html as lxml_html

from briefings.ingest.run import ingest_paths
from search import indexing

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("search_index")]

FILES = [
    # Three COVID-19 response team briefings: Fauci, Walensky, Slavitt and Zients
    # answer; the moderator names each reporter's outlet.
    "2021-03/2021-03-01-press-briefing-by-white-house-covid-19-response-team-and-public-health-officials-9.md",
    "2021-03/2021-03-03-press-briefing-by-white-house-covid-19-response-team-and-public-health-officials-10.md",
    "2021-03/2021-03-05-press-briefing-by-white-house-covid-19-response-team-and-public-health-officials-11.md",
    # Jen Psaki on vaccines, the economy and Russia's invasion of Ukraine.
    "2021-03/2021-03-02-press-briefing-by-press-secretary-jen-psaki-march-2-2021.md",
    "2022-02/2022-02-24-press-briefing-by-press-secretary-jen-psaki-and-deputy-national-security-advisor-for-international-economics-and-deputy-nec-director-daleep-singh-february-24-2022.md",
]


@pytest.fixture
def white_house(corpus) -> None:
    folder = corpus / "wh-briefings" / "press-briefings"
    report = ingest_paths([str(folder / name) for name in FILES])
    assert report.ok
    indexing.drain()


def get(client: object, url: str) -> lxml_html.HtmlElement:
    response = client.get(url)
    assert response.status_code == 200
    return lxml_html.fromstring(response.content.decode())


def search(client: object, **params: object) -> lxml_html.HtmlElement:
    response = client.get("/search/", params)
    assert response.status_code == 200
    return lxml_html.fromstring(response.content.decode())


def total(document: lxml_html.HtmlElement) -> int:
    text = document.get_element_by_id("results-heading").text_content().strip()
    return 0 if text == "No results" else int(text.split()[0].replace(",", ""))


def facet(document: lxml_html.HtmlElement, name: str) -> dict[str, tuple[int, bool, str]]:
    """A facet's entries: label -> (count, ticked, the link that ticks or unticks it)."""
    entries = {}
    for item in document.xpath(f"//h3[@id='facet-{name}']/following-sibling::ul[1]/li"):
        link = item.find("a")
        ticked = "chosen" in link.get("class").split()
        count = int(item.find_class("count")[0].text.replace(",", ""))
        entries[link.find_class("label")[0].text] = (count, ticked, link.get("href"))
    return entries


def chips(document: lxml_html.HtmlElement) -> dict[str, str]:
    """The chosen filters shown above the results: label -> its remove link."""
    return {
        chip.text.strip(): chip.xpath("a/@href")[0]
        for chip in document.xpath("//ul[@class='chosen-filters']//span[contains(@class, 'chip')]")
    }


def query(url: str) -> list[tuple[str, str]]:
    return [
        (key, value)
        for part in urlsplit(url).query.split("&")
        for key, value in [part.split("=", 1)]
    ]


def result_speakers(client: object, url: str) -> list[set[str]]:
    """Who answered in each result of the JSON form of `url`, every page."""
    data = client.get(f"{url}&format=json").json()
    assert data["pages"] == 1, "the test expects one page of results"
    return [{speaker["name"] for speaker in hit["speakers"]} for hit in data["results"]]


def test_it_finds_either_of_two_speakers_ticked_in_the_facet(client, white_house):
    vaccine = search(client, q="vaccine")
    speakers = facet(vaccine, "speakers")
    fauci_alone, walensky_alone = speakers["Fauci"][0], speakers["Walensky"][0]

    one = get(client, speakers["Fauci"][2])
    two = get(client, facet(one, "speakers")["Walensky"][2])

    assert total(one) == fauci_alone
    assert max(fauci_alone, walensky_alone) < total(two) <= fauci_alone + walensky_alone
    ticked = facet(two, "speakers")
    assert ticked["Fauci"][:2] == (fauci_alone, True)
    assert ticked["Walensky"][:2] == (walensky_alone, True)
    assert set(chips(two)) == {"Fauci", "Walensky"}
    assert "Several values of one filter match any of them" in two.text_content()


def test_ticking_in_either_order_gives_one_url(client, white_house):
    speakers = facet(search(client, q="vaccine"), "speakers")

    fauci_first = facet(get(client, speakers["Fauci"][2]), "speakers")["Walensky"][2]
    walensky_first = facet(get(client, speakers["Walensky"][2]), "speakers")["Fauci"][2]

    assert fauci_first == walensky_first
    assert query(fauci_first) == [("q", "vaccine"), ("speaker", "fauci"), ("speaker", "walensky")]


def test_every_result_has_one_of_the_ticked_speakers(client, white_house):
    url = "/search/?q=vaccine&speaker=fauci&speaker=walensky"

    answered = result_speakers(client, url)

    assert answered
    assert all(names & {"Fauci", "Walensky"} for names in answered)
    assert any("Fauci" in names and "Walensky" not in names for names in answered)
    assert any("Walensky" in names and "Fauci" not in names for names in answered)


def test_an_unticked_speakers_count_is_what_ticking_it_alone_finds(client, white_house):
    with_fauci = search(client, q="vaccine", speaker="fauci")

    for label, (count, ticked, _link) in facet(with_fauci, "speakers").items():
        if not ticked:
            slug = {"Slavitt": "slavitt", "Zients": "zients", "Walensky": "walensky"}.get(label)
            if slug:
                assert total(search(client, q="vaccine", speaker=slug)) == count, label


def test_unticking_or_removing_a_chip_takes_that_speaker_off(client, white_house):
    two = search(client, q="vaccine", speaker=["walensky", "fauci"])

    untick = facet(two, "speakers")["Walensky"][2]
    remove = chips(two)["Walensky"]

    assert untick == remove == "/search/?q=vaccine&speaker=fauci"


def test_a_speaker_typed_in_the_box_is_one_of_the_ticked(client, white_house):
    typed = search(client, q="vaccine speaker:fauci")

    both = get(client, facet(typed, "speakers")["Walensky"][2])

    assert query(facet(typed, "speakers")["Walensky"][2]) == [
        ("q", "vaccine+speaker%3Afauci"),
        ("speaker", "walensky"),
    ]
    assert total(both) == total(search(client, q="vaccine", speaker=["fauci", "walensky"]))
    # Its chip (and its tick) take it out of the box, the rest of the box as typed.
    assert chips(both)["Fauci"] == "/search/?q=vaccine&speaker=walensky"
    assert facet(both, "speakers")["Fauci"][2] == "/search/?q=vaccine&speaker=walensky"


def test_speakers_are_any_of_and_outlets_must_match_too(client, white_house):
    speakers_only = search(client, q="vaccine", speaker=["fauci", "walensky"])
    outlets = facet(speakers_only, "outlets")
    first, second = sorted(outlets, key=lambda label: -outlets[label][0])[:2]

    one_outlet = get(client, outlets[first][2])
    two_outlets = get(client, facet(one_outlet, "outlets")[second][2])

    assert total(one_outlet) == outlets[first][0]
    assert total(two_outlets) > total(one_outlet)
    assert total(two_outlets) <= outlets[first][0] + outlets[second][0]
    assert total(two_outlets) < total(speakers_only)
    url = facet(one_outlet, "outlets")[second][2]
    data = client.get(f"{url}&format=json").json()
    assert data["results"]
    for hit in data["results"]:
        assert {first, second} & set(hit["outlets"])
        assert {"Fauci", "Walensky"} & {speaker["name"] for speaker in hit["speakers"]}


def test_the_form_keeps_the_ticked_values_and_its_box_adds_one(client, white_house):
    document = search(client, q="vaccine", speaker=["fauci", "walensky"])

    form = document.find_class("search-form")[0]
    kept = form.xpath(".//input[@type='hidden'][@name='speaker']/@value")
    box = form.xpath(".//input[@type='text'][@name='speaker']")[0]
    assert kept == ["fauci", "walensky"]
    assert box.get("value") is None
    # Submitting the form with a name typed in the box: three speakers, the empty
    # outlet box dropped.
    added = search(client, q="vaccine", speaker=["fauci", "walensky", "Slavitt"], outlet="")
    assert set(chips(added)) == {"Fauci", "Walensky", "Slavitt"}


def test_the_json_form_and_the_exports_carry_every_value(client, white_house):
    params = {"q": "vaccine", "speaker": ["fauci", "walensky"]}
    page = client.get("/search/", params | {"format": "json"}).json()
    # The exports are streamed: read them whole.
    exported = json.loads(client.get("/search/export.json", params).getvalue())
    csv_text = client.get("/search/export.csv", params).getvalue().decode()
    rows = list(csv.DictReader(io.StringIO(csv_text)))

    assert [(item["kind"], item["value"]) for item in page["filters"]] == [
        ("speaker", "fauci"),
        ("speaker", "walensky"),
    ]
    assert page["understood_as"] == "vaccine speaker:fauci speaker:walensky"
    assert [(item["kind"], item["value"]) for item in exported["filters"]] == [
        ("speaker", "fauci"),
        ("speaker", "walensky"),
    ]
    assert exported["total"] == len(exported["results"]) == len(rows) == page["total"]
    ticked = {value["value"] for value in page["facets"]["speakers"] if value["selected"]}
    assert ticked == {"fauci", "walensky"}
    html_page = search(client, **params)
    export_link = html_page.xpath("//a[text()='CSV']/@href")[0]
    assert query(export_link) == [("q", "vaccine"), ("speaker", "fauci"), ("speaker", "walensky")]


# Did you mean.


def suggestion(document: lxml_html.HtmlElement) -> tuple[str, dict[str, list[str]]] | None:
    links = document.xpath("//p[contains(., 'Did you mean')]/a")
    if not links:
        return None
    return links[0].text, parse_qs(urlsplit(links[0].get("href")).query)


@pytest.mark.parametrize(
    ("typed", "offered"),
    [
        ("vacine", "vaccine"),
        ("inflaton", "inflation"),
        ("vaccine suply", "vaccine supply"),  # one word of two misspelt
        ("Ukriane sanctions", "Ukraine sanctions"),  # as typed: capital
        ('"vaccine suply"', '"vaccine supply"'),  # inside a phrase
        ("vaccine speaker:fauchi", "vaccine speaker:Fauci"),  # a name, in the box
        ('speaker:"Jen Psakki" ukraine', 'speaker:"Jen Psaki" ukraine'),
    ],
)
def test_it_offers_a_spelling_that_finds_something(client, white_house, typed, offered):
    document = search(client, q=typed)

    assert total(document) == 0
    text, link = suggestion(document)
    assert text == offered
    assert link == {"q": [offered]}
    assert total(search(client, q=offered)) > 0


def test_it_corrects_a_misspelt_speaker_in_the_form_control(client, white_house):
    alone = search(client, q="vaccine", speaker="fauchi")
    # Any of Walensky and nobody finds Walensky's: the name is still worth correcting.
    beside_another = search(client, q="vaccine", speaker=["walensky", "fauchi"])

    assert total(alone) == 0
    assert suggestion(alone) == (
        "vaccine · speaker: Fauci",
        {"q": ["vaccine"], "speaker": ["Fauci"]},
    )
    assert total(beside_another) == total(search(client, q="vaccine", speaker="walensky"))
    text, link = suggestion(beside_another)
    assert link == {"q": ["vaccine"], "speaker": ["Fauci", "walensky"]}
    assert text == "vaccine · speaker: Fauci"  # the correction; the link keeps Walensky


def test_it_offers_nothing_that_would_find_nothing(client, white_house):
    assert suggestion(search(client, q="xqzzyt")) is None  # nothing near
    assert suggestion(search(client, q="vacine xqzzyt")) is None  # one word beyond help
    assert suggestion(search(client, q="vaccine")) is None  # found: nothing to offer


def test_a_search_of_speakers_alone_counts_the_others_over_everything(client, white_house):
    fauci = search(client, speaker="fauci")

    speakers = facet(fauci, "speakers")

    assert speakers["Fauci"][:2] == (total(fauci), True)
    assert speakers["Walensky"][0] == total(search(client, speaker="walensky")) > 0
    assert speakers["Jen Psaki"][0] == total(search(client, speaker="jen-psaki")) > 0


def test_a_ticked_speaker_who_adds_nothing_is_listed_with_none_to_untick(client, white_house):
    # Daleep Singh spoke on sanctions on Russia, never on vaccines.
    document = search(client, q="vaccine", speaker=["fauci", "daleep-singh"])

    count, ticked, untick = facet(document, "speakers")["Daleep Singh"]

    assert (count, ticked) == (0, True)
    assert untick == "/search/?q=vaccine&speaker=fauci"
    assert total(document) == total(search(client, q="vaccine", speaker="fauci"))
