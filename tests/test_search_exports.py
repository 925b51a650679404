"""The search's CSV and JSON exports carry every exchange whole: each turn in order with
its speaker as printed and as resolved, their title, the outlet and the text. Real White
House briefings, a real database and a Whoosh index in a temporary folder."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from briefings.export import csv_cell
from briefings.ingest.load import load_conference
from briefings.ingest.run import ingest_paths
from briefings.models import Exchange, Turn
from search import indexing
from search.searching import SearchInput, export_results
from tests.conftest import briefing, miit_briefing, official, reporter, source_file

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("search_index"),
]

WH_FILES = [
    "2022-04/2022-04-04-press-briefing-by-press-secretary-jen-psaki-and-national-security-"
    "advisor-jake-sullivan.md",
    "2021-05/2021-05-13-press-briefing-by-white-house-covid-19-response-team-and-public-health-"
    "officials-36.md",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def white_house(corpus: Path) -> None:
    paths = [corpus / "wh-briefings" / "press-briefings" / name for name in WH_FILES]
    report = ingest_paths([str(path) for path in paths])
    assert report.count("created") == 2
    indexing.drain()


def exported_csv(client: object, **params: str) -> tuple[object, list[dict[str, str]]]:
    response = client.get("/search/export.csv", params)
    assert response.status_code == 200
    return response, list(csv.DictReader(io.StringIO(response.getvalue().decode())))


def exported_json(client: object, **params: str) -> dict:
    response = client.get("/search/export.json", params)
    assert response.status_code == 200
    return json.loads(response.getvalue())


def exchange_at(url: str) -> Exchange:
    slug, position = url.rstrip("/").split("/")[-2:]
    return Exchange.objects.get(conference__slug=slug, position=int(position))


def test_it_writes_each_exchange_whole_in_one_csv_row(client, white_house):
    response, rows = exported_csv(client, q="vaccine")

    assert len(rows) == int(response["X-Total-Count"]) > 5
    longer_than_excerpt = 0
    for row in rows:
        turns = list(exchange_at(row["url"]).turns.order_by("position"))
        questions = [turn.text for turn in turns if turn.role == Turn.Role.QUESTION]
        others = [
            f"{turn.speaker_label}: {turn.text}"
            for turn in turns
            if turn.role != Turn.Role.QUESTION
        ]
        assert row["question"] == csv_cell("\n\n".join(questions))
        assert row["answers"] == csv_cell("\n\n".join(others))
        written = json.loads(row["turns"])
        assert [turn["text"] for turn in written] == [turn.text for turn in turns]
        assert [turn["speaker_label"] for turn in written] == [t.speaker_label for t in turns]
        assert [turn["role"] for turn in written] == [turn.role for turn in turns]
        # Every asker printed "Q", as the White House does; none for a statement.
        assert row["askers"] == ("Q" if questions else "")
        longer_than_excerpt += len(row["answers"]) > len(row["excerpt"])
    assert longer_than_excerpt > len(rows) / 2


def test_it_nests_the_turns_with_the_speakers_and_their_titles_in_json(client, white_house):
    data = exported_json(client, q="vaccine", sort="oldest")

    assert data["returned"] == len(data["results"]) == data["total"] > 0
    turns = [turn for result in data["results"] for turn in result["turns"]]
    slavitt = [turn for turn in turns if turn["speaker"] == "Slavitt"]
    assert slavitt
    assert {turn["speaker_label"] for turn in slavitt} == {"ACTING ADMINISTRATOR SLAVITT"}
    assert {turn["speaker_title"] for turn in slavitt} == {"Acting Administrator"}
    first = data["results"][0]
    stored = list(exchange_at(first["url"]).turns.order_by("position"))
    assert [turn["position"] for turn in first["turns"]] == [turn.position for turn in stored]
    assert [turn["text"] for turn in first["turns"]] == [turn.text for turn in stored]
    assert [turn["role"] for turn in first["turns"]] == [turn.role for turn in stored]


def test_a_title_not_printed_in_the_turn_is_the_one_at_that_briefing(client):
    load_conference(miit_briefing(), [source_file()])
    indexing.drain()

    data = exported_json(client, q="factories")

    (result,) = data["results"]
    answer = result["turns"][1]
    assert (answer["speaker_label"], answer["speaker"]) == ("Tian Yulong", "Tian Yulong")
    assert answer["speaker_title"] == "chief engineer"
    assert result["turns"][0]["outlet"] == "China Daily"


def test_it_keeps_the_outlet_a_question_came_from(client, white_house):
    asked = Turn.objects.filter(outlet__isnull=False).select_related("outlet", "exchange")
    outlet = asked.first().outlet  # Associated Press, PBS NewsHour, Urban Radio: as printed

    data = exported_json(client, outlet=outlet.slug)

    assert data["returned"] == asked.filter(outlet=outlet).count()
    for result in data["results"]:
        questions = [turn for turn in result["turns"] if turn["outlet"] == outlet.name]
        assert questions
        assert {turn["role"] for turn in questions} == {"question"}
        assert outlet.name in result["outlets"]


def test_an_export_stops_at_its_limit_and_says_so(white_house):
    export = export_results(SearchInput(q="president"), limit=4)

    assert export.total > 4
    assert len(list(export.rows())) == 4
    assert export.parsed.messages == ["Exports hold at most 4 rows; the first 4 are here."]


def test_it_reads_the_database_a_chunk_of_exchanges_at_a_time_in_the_index_order(white_house):
    export = export_results(SearchInput(q="president"), limit=25)

    with CaptureQueriesContext(connection) as queries:
        rows = list(export.rows(chunk=10))

    assert len(rows) == 25
    assert len(queries) == 4 * math.ceil(25 / 10)  # exchanges, turns, commitments, titles
    assert [row.score for row in rows] == [match.score for match in export.matches]
    assert [exchange_at(row.url).pk for row in rows] == [match.pk for match in export.matches]


def test_no_csv_cell_of_transcript_words_can_run_as_a_formula(client):
    hostile = briefing(
        '=HYPERLINK("http://example.com","Press Briefing")',
        dt.date(2024, 3, 1),
        [
            reporter("@Newsroom", '=HYPERLINK("http://example.com","tariffs")'),
            official("Jen Psaki", "-1 is what tariffs cost.", label="+MS. PSAKI"),
        ],
    )
    load_conference(hostile, [source_file("hostile.md", "hostile")])
    indexing.drain()

    _, rows = exported_csv(client, q="tariffs")

    assert len(rows) == 1
    row = rows[0]
    for column, cell in row.items():
        assert not cell.startswith(FORMULA_STARTS), column
    assert row["question"] == '\'=HYPERLINK("http://example.com","tariffs")'
    assert json.loads(row["turns"])[0]["text"] == '=HYPERLINK("http://example.com","tariffs")'


def test_an_export_holds_its_slot_until_it_is_sent(client, white_house):
    streaming = client.get("/search/export.csv", {"q": "vaccine"})
    while_sending = client.get("/search/export.json", {"q": "vaccine"})
    streaming.getvalue()
    after_sending = client.get("/search/export.json", {"q": "vaccine"})
    after_sending.close()  # a client gone before reading any of it
    after_closing = client.get("/search/export.csv", {"q": "vaccine"})

    assert while_sending.status_code == 429
    assert after_sending.status_code == 200
    assert after_closing.status_code == 200
    after_closing.getvalue()


def test_the_search_page_says_what_the_files_hold(client, white_house):
    response = client.get("/search/", {"q": "vaccine"})

    help_text = " ".join(response.content.decode().split())
    assert "<strong>CSV</strong> has one row per exchange" in help_text
    assert "<code>turns</code> holds every turn as JSON" in help_text
