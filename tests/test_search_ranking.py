"""Ranking: the spoken text is what is searched and scored, word forms are one word,
the title and who spoke weigh lightly, and exchanges without content come last."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage

from briefings.ingest.load import load_conference
from briefings.ingest.run import ingest_paths
from briefings.models import Exchange
from search import engines, indexing
from search.analysis import archive_analyzer, stem
from search.filters import resolve_filters
from search.forms import SearchInput
from search.health import index_problem
from search.highlight import word_spans
from search.searching import _sort_fields
from search.substance import FULL_ANSWER, answer_factor, answer_words, is_content_free
from search.views import UNAVAILABLE
from search.whoosh.engine import index_link
from search.whoosh.open_index import OutdatedIndex, close_searchers
from tests.conftest import briefing, chair, official, reporter, source_file

pytestmark = pytest.mark.django_db(transaction=True)


@dataclass
class Spoken:
    role: str
    text: str


BOISE = (
    "wh-briefings/press-briefings/2021-09/2021-09-13-press-gaggle-by-principal-deputy-"
    "press-secretary-karine-jean-pierre-en-route-boise-id.md"
)


def find(q: str, *, bulk: bool = True, end: int = 50) -> list[Exchange]:
    """The exchanges a search finds, in relevance order (through the bulk evaluator, or
    whoosh's own matchers with `bulk` off)."""
    reader = engines.reader()
    parsed = SearchInput(q=q).parse()
    compiled = reader.compile(parsed, resolve_filters(parsed))
    if bulk:
        relevance = _sort_fields("relevance", has_text=True)
        found = reader.find(compiled, start=0, end=end, sort_by=relevance)
    else:
        found = reader.backend.find(compiled.query, start=0, end=end, bulk=False)
    ids = [int(hit.fields["django_id"]) for hit in found.hits]
    by_id = Exchange.objects.in_bulk(ids)
    return [by_id[pk] for pk in ids]


def said(exchange: Exchange) -> str:
    return " ".join(turn.text for turn in exchange.turns.all())


def test_it_finds_every_form_of_a_word_in_a_real_transcript(search_index: Path, corpus: Path):
    ingest_paths([str(corpus / BOISE)])
    indexing.drain()

    vaccine = [said(exchange).lower() for exchange in find("vaccine")]
    evacuation = " ".join(said(exchange).lower() for exchange in find("evacuation"))

    # The gaggle never says "vaccine": only "vaccinated" and "vaccinating".
    assert vaccine
    assert all("vaccinat" in text and "vaccine" not in text for text in vaccine)
    assert "evacuated" in evacuation
    assert "evacuating" in evacuation


def ukraine_briefing() -> object:
    return briefing(
        "Press Briefing on Ukraine and Energy Prices",
        dt.date(2022, 3, 1),
        [
            chair("Kate Bedingfield", "Good afternoon. Go ahead, David."),
            reporter("AP", "What will gas prices do this summer?"),
            official("Jen Psaki", "We expect prices to come down as supply returns."),
            reporter("Reuters", "Will the United States send more aid to Ukraine this week?"),
            official(
                "Jen Psaki",
                "The President approved a package this morning, and more will follow.",
                title="Press Secretary",
            ),
            # Cut off at the end of the briefing: a fragment of its own.
            reporter("NBC", "On Ukraine -- Ukraine? Ukraine --"),
            official("Jen Psaki", "Sure."),
        ],
    )


@pytest.fixture
def ukraine(search_index: Path) -> None:
    load_conference(ukraine_briefing(), [source_file("ukraine.md", "ukraine")])
    indexing.drain()


def test_a_title_word_alone_never_brings_an_exchange_into_the_results(ukraine: None):
    # Every exchange's title says "Energy Prices"; only one exchange speaks of prices,
    # and the fragment "On Ukraine --" / "Sure." is not lifted by the title.
    assert find("energy") == []
    assert [said(exchange) for exchange in find("prices")] == [
        "Good afternoon. Go ahead, David. What will gas prices do this summer? "
        "We expect prices to come down as supply returns."
    ]


def test_content_free_exchanges_rank_below_every_exchange_with_content(ukraine: None):
    for bulk in (True, False):
        found = [said(exchange) for exchange in find("ukraine", bulk=bulk)]

        # The fragment says "Ukraine" three times in four words; it still comes last.
        assert found[0].startswith("Will the United States send more aid to Ukraine")
        assert found[-1].startswith("On Ukraine --")
        assert len(found) == 2


def test_the_scores_shown_are_the_scores_found(ukraine: None):
    reader = engines.reader()
    parsed = SearchInput(q="ukraine").parse()
    compiled = reader.compile(parsed, resolve_filters(parsed))
    bulk = reader.find(compiled, start=0, end=10)
    matchers = reader.backend.find(compiled.query, start=0, end=10, bulk=False)

    assert [round(hit.score, 6) for hit in bulk.hits] == [
        round(hit.score, 6) for hit in matchers.hits
    ]
    assert all(hit.score > 0 for hit in bulk.hits)


def test_an_answer_of_a_few_words_ranks_below_one_that_answers(search_index: Path):
    # The first exchange says "Title 42" twice and is answered in five words; the second
    # says it twice too, in an answer at length. BM25 alone puts the short one ahead.
    load_conference(
        briefing(
            "Press Briefing",
            dt.date(2022, 5, 2),
            [
                reporter("AP", "And Title 42 -- is Title 42 ending in May?"),
                official("Jen Psaki", "I'd refer you to DHS."),
                reporter("CNN", "What happens at the border when the Title 42 order lifts?"),
                official(
                    "Jen Psaki",
                    "The Title 42 order lifts on May 23. DHS has moved 600 more agents to "
                    "the border, opened two processing centres in Texas and Arizona, and "
                    "will return people who cross without a claim under the immigration law that "
                    "applied before the pandemic. We expect more crossings in the first "
                    "weeks, and the plan has six parts that the Secretary set out last week.",
                ),
            ],
        ),
        [source_file("title42.md", "title42")],
    )
    indexing.drain()

    for bulk in (True, False):
        found = [said(exchange) for exchange in find('"title 42"', bulk=bulk)]
        assert found[0].startswith("What happens at the border")
        assert found[1].endswith("I'd refer you to DHS.")
    reader = engines.reader()
    parsed = SearchInput(q='"title 42"').parse()
    compiled = reader.compile(parsed, resolve_filters(parsed))
    # Without the factor for the answer's length (the scores shown carry it), BM25 alone
    # puts the short answer first.
    found = reader.find(compiled, start=0, end=10)
    short, full = sorted(found.hits, key=lambda hit: int(hit.fields["position"]))
    words = {
        hit.docnum: answer_words(Exchange.objects.get(pk=hit.fields["django_id"]).turns.all())
        for hit in found.hits
    }
    assert words[short.docnum] == 5
    assert short.score / answer_factor(5) > full.score / answer_factor(words[full.docnum])


def test_the_answer_factor_counts_officials_words():
    turns = [
        Spoken("question", "What will prices do this summer, and why?"),
        Spoken("moderator", "Go ahead, David, and then we will wrap."),
        Spoken("answer", "Prices will fall [inaudible] in May."),
        Spoken("statement", "Two more words."),
    ]

    assert answer_words(turns) == 8  # the note is not a word said
    assert answer_factor(0) < answer_factor(10) < answer_factor(50) < 1.0
    assert answer_factor(FULL_ANSWER) == answer_factor(5 * FULL_ANSWER) == 1.0


def test_who_spoke_is_a_field_of_its_own(ukraine: None):
    # Psaki's name is never said: her exchanges are found by it, and only they.
    found = find("psaki")
    hers = Exchange.objects.filter(turns__person__name="Jen Psaki").distinct()
    document = (
        engines.reader()
        .backend.find(
            engines.reader().compile(SearchInput(q="psaki").parse(), []).query, start=0, end=1
        )
        .hits[0]
        .fields["text"]
    )

    assert sorted(e.pk for e in found) == sorted(e.pk for e in hers)
    assert len(found) == 3
    assert "Psaki" not in document
    assert "Press Briefing" not in document
    assert find("press secretary") != []  # her title is among the names


def test_the_floor_rules_decide_what_has_no_content():
    def exchange(*turns):
        return [Spoken(role, text) for role, text in turns]

    assert is_content_free("qa", exchange(("question", "On Ukraine --"), ("answer", "Sure.")))
    assert is_content_free("qa", exchange(("question", "Thank you.")))
    assert is_content_free("qa", exchange(("answer", "Go ahead, David.")))
    assert is_content_free("procedural", exchange(("moderator", "We will now take questions.")))
    assert not is_content_free(
        "qa", exchange(("question", "And Ukraine?"), ("answer", "We sent aid on Monday."))
    )
    assert not is_content_free("statement", exchange(("answer", "Prices will fall in May.")))


def test_the_content_free_rule_on_a_real_transcript(search_index: Path, corpus: Path):
    ingest_paths([str(corpus / BOISE)])
    exchanges = list(Exchange.objects.prefetch_related("turns"))
    empty = [e for e in exchanges if is_content_free(e.kind, list(e.turns.all()))]

    assert all(e.kind == "procedural" or len(said(e).split()) <= 30 for e in empty)
    assert any(e.kind == "qa" for e in exchanges if e not in empty)
    assert len(empty) < len(exchanges) // 3


def put_an_old_index_in_place() -> None:
    """The live index as the archive wrote it before issue 14: the title and names in the
    text, Porter stemming."""
    old = Schema(
        id=ID(stored=True, unique=True),
        django_ct=ID(stored=True),
        django_id=ID(stored=True),
        text=TEXT(stored=True, analyzer=StemmingAnalyzer()),
        conference_title=STORED(),
    )
    folder = index_link().resolve()
    for path in folder.iterdir():
        path.unlink()
    FileStorage(str(folder)).create_index(old).writer().commit()
    close_searchers()


def test_an_index_of_an_older_schema_is_refused_with_a_message(search_index: Path):
    load_conference(ukraine_briefing(), [source_file("ukraine.md", "ukraine")])
    indexing.drain()
    put_an_old_index_in_place()

    problem = index_problem()

    assert problem == "index schema out of date: rebuild it (manage.py reindex)"
    with pytest.raises(OutdatedIndex, match=r"manage\.py reindex"):
        find("ukraine")
    # The writer leaves changes queued rather than mix them into the old index.
    indexing.enqueue_exchanges(list(Exchange.objects.values_list("pk", flat=True)))
    with pytest.raises(OutdatedIndex):
        indexing.drain()
    assert indexing.pending()
    indexing.rebuild()
    indexing.drain()
    assert index_problem() is None
    assert find("ukraine")


def test_reindex_if_outdated_rebuilds_only_an_index_of_another_schema(search_index: Path):
    load_conference(ukraine_briefing(), [source_file("ukraine.md", "ukraine")])
    indexing.drain()
    out = io.StringIO()
    call_command("reindex", "--if-outdated", stdout=out)
    assert "nothing to do" in out.getvalue()

    put_an_old_index_in_place()
    out = io.StringIO()
    call_command("reindex", "--if-outdated", stdout=out)

    assert "Indexed" in out.getvalue()
    assert index_problem() is None
    assert find("ukraine")


def test_the_search_pages_say_search_is_unavailable_while_the_index_is_outdated(
    search_index: Path, client
):
    load_conference(ukraine_briefing(), [source_file("ukraine.md", "ukraine")])
    indexing.drain()
    put_an_old_index_in_place()

    for address in (
        "/search/?q=ukraine",
        "/search/export.csv?q=ukraine",
        "/search/export.json?q=ukraine",
        "/search/feed.atom?q=ukraine",
        "/search/trends/?q=ukraine",
        "/search/trends.csv?q=ukraine",
    ):
        response = client.get(address)
        assert response.status_code == 503, address
        assert response["Retry-After"] == "120"
    page = client.get("/search/?q=ukraine").content.decode()
    assert "Search is not available for a moment" in page
    assert client.get("/search/?q=ukraine&format=json").json() == {"error": UNAVAILABLE}
    # A briefing can still be read.
    assert client.get("/briefings/").status_code == 200


@pytest.mark.parametrize(
    "forms",
    [
        ("vaccine", "vaccines", "vaccinated", "vaccination", "vaccinating", "vaccinate"),
        ("evacuation", "evacuated", "evacuating", "evacuate", "evacuations"),
        ("negotiations", "negotiating", "negotiated"),
        ("add", "added", "adding"),
        ("staff", "staffed", "staffing"),
    ],
)
def test_it_takes_the_forms_of_a_word_as_one(forms):
    assert len({stem(form) for form in forms}) == 1


def test_word_spans_are_what_the_analyser_gives(corpus: Path):
    # Cards and marks read words through word_spans (one pass); the index through the
    # analyser's generators. On a whole real transcript and on tricky words, the same.
    analyzer = archive_analyzer()
    texts = [
        (corpus / BOISE).read_text(encoding="utf-8"),
        "U.S. don’t COVID-19 a I it’s 3.5 million naïve ADDED staffed I’m e-mail __init__ x",
    ]
    for text in texts:
        iterated = [
            (token.text, token.startchar, token.endchar)
            for token in analyzer(text, positions=True, chars=True, mode="index")
        ]
        assert word_spans(analyzer, text) == iterated
        assert len(iterated) > 5
    porter = StemmingAnalyzer()  # another stemmer: its own filter's, not ours
    text = texts[0][:5000]
    assert word_spans(porter, text) == [
        (token.text, token.startchar, token.endchar)
        for token in porter(text, positions=True, chars=True, mode="index")
    ]


def test_it_keeps_apart_words_porter_joined():
    assert stem("news") != stem("new")
    assert stem("generation") != stem("general")
    assert stem("communism") != stem("community")


@pytest.mark.parametrize(
    ("question", "reply", "content_free"),
    [
        # Real White House remarks that asked nothing and got nothing (the judged set).
        ("Just one more on the baby formula shortage.", "Sure.", True),
        ("On China, Jake. Jake, on China.", "Yeah, on China.", True),
        ("Since the shooting. (Laughs.)", "Oh, since the shooting. Okay, I —", True),
        ("On student loan forgiveness —", "", True),
        # A real question, or a reply with words of its own, is content.
        ("Will the President veto the bill?", "Yes.", False),
        ("On the debt ceiling —", "We’re confident it will be raised by Congress.", False),
    ],
)
def test_a_remark_met_only_by_an_acknowledgement_or_an_echo_is_content_free(
    question: str, reply: str, content_free: bool
):
    turns = [Spoken("question", question)] + ([Spoken("answer", reply)] if reply else [])

    assert is_content_free("qa", turns) is content_free
