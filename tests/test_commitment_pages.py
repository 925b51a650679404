"""The commitment pages: marks and cards beside the answers, the commitments page with its
filters, timeline and exports, and the home page's list of what falls due soon. Through
the test client, on briefings loaded by the real loader (which runs the extractor). Long
because it holds every behaviour of the commitment pages, one short test each."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json

import pytest
from lxml import html as lxml_html

from briefings.export import commitment_record
from briefings.ingest.load import load_conference
from briefings.models import Commitment, Conference, Turn
from tests.conftest import briefing, miit_briefing, official, reporter, source_file

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_index")]

TODAY = dt.date.today()
SERVE_SMES = "By the end of this year, we will serve 100,000 SMEs."


def get_page(client: object, url: str, **params: str) -> lxml_html.HtmlElement:
    response = client.get(url, params)
    assert response.status_code == 200
    return lxml_html.fromstring(response.content.decode())


def turn_saying(text: str) -> Turn:
    return Turn.objects.select_related("exchange__conference").get(text__contains=text)


def commitment_on(turn: Turn, sentence: str, **fields: object) -> Commitment:
    """A commitment over `sentence` as it stands in the turn's text."""
    start = turn.text.index(sentence)
    return Commitment.objects.create(
        turn=turn, sentence=sentence, start=start, end=start + len(sentence), **fields
    )


def marks(document: lxml_html.HtmlElement) -> list[str]:
    return [mark.text_content() for mark in document.xpath("//mark[@class='commitment']")]


def cards(document: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    return document.find_class("commitment-card")


def card_fields(card: lxml_html.HtmlElement) -> dict[str, str]:
    terms = [" ".join(dt_.text_content().split()) for dt_ in card.iter("dt")]
    values = [" ".join(dd.text_content().split()) for dd in card.iter("dd")]
    return dict(zip(terms, values, strict=True))


@pytest.fixture
def miit() -> Conference:
    return load_conference(miit_briefing(), [source_file()]).conference


def sme_briefing(*texts: str, held_on: dt.date = dt.date(2023, 8, 17)) -> Conference:
    """One question and one answer by Liang Wenhua per text."""
    turns = []
    for number, text in enumerate(texts, 1):
        turns += [
            reporter("China Daily", f"Question {number}?"),
            official("Liang Wenhua", text, title="vice minister"),
        ]
    parsed = briefing("SCIO briefing on SMEs", held_on, turns, organizer="SCIO")
    return load_conference(parsed, [source_file("sme.txt", "\n".join(texts))]).conference


# The answer and its commitments: exchange and briefing pages.


def test_it_marks_the_sentence_and_shows_its_card_beside_the_answer(client, miit):
    turn = turn_saying(SERVE_SMES)

    document = get_page(client, turn.exchange.get_absolute_url())

    assert marks(document) == [SERVE_SMES]
    (card,) = cards(document)
    fields = card_fields(card)
    assert fields["By when"] == "By the end of this year → 31 Dec 2022 (year)"
    assert fields["What"] == Commitment.objects.get(turn=turn).action
    assert fields["Status"] == "Deadline passed, not reviewed"
    assert "machine-found" in card.text_content()
    # The mark links to its card, the card back to the mark.
    commitment = Commitment.objects.get(turn=turn)
    ref = document.xpath("//sup[@class='commitment-ref']/a/@href")
    assert ref == [f"#commitment-{commitment.pk}"]
    assert card.get("id") == f"commitment-{commitment.pk}"
    assert document.get_element_by_id(f"said-{commitment.pk}").tag == "mark"


def test_it_shows_every_answers_cards_on_the_briefing_page(client, miit):
    document = get_page(client, miit.get_absolute_url())

    shown = Commitment.objects.filter(turn__exchange__conference=miit)
    assert SERVE_SMES in marks(document)
    assert len(cards(document)) == shown.count() >= 1
    assert sorted(marks(document)) == sorted(shown.values_list("sentence", flat=True))


def test_it_escapes_markup_inside_a_marked_sentence(client):
    sentence = "We will publish <script>alert(1)</script> rules by June 2024."
    conference = sme_briefing(f"Good question. {sentence} Thank you.")
    turn = turn_saying("alert(1)")
    Commitment.objects.filter(turn=turn).delete()
    commitment_on(turn, sentence, actor="<b>SCIO</b>")

    response = client.get(turn.exchange.get_absolute_url())
    content = response.content.decode()

    assert "<script>alert(1)</script>" not in content
    assert "<b>SCIO</b>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert marks(lxml_html.fromstring(content)) == [sentence]
    assert "<script>" not in client.get(conference.get_absolute_url()).content.decode()


def test_it_marks_a_sentence_with_a_note_inside_it_and_keeps_the_note_apart(client):
    sentence = "We will (Laughter.) build 500 parks by 2025."
    sme_briefing(f"{sentence} That is all (Applause.)")
    turn = turn_saying("500 parks")
    Commitment.objects.filter(turn=turn).delete()
    commitment_on(turn, sentence)

    document = get_page(client, turn.exchange.get_absolute_url())

    (mark,) = document.xpath("//mark[@class='commitment']")
    assert mark.text_content() == sentence
    assert [note.text_content() for note in mark.find_class("note")] == ["(Laughter.)"]
    notes = [note.text_content() for note in document.find_class("note")]
    assert notes == ["(Laughter.)", "(Applause.)"]


def test_it_marks_a_sentence_running_over_a_paragraph_break_in_each_paragraph(client):
    sme_briefing("First, we will act.\n\nWe will finish by 2025. Thanks.")
    turn = turn_saying("we will act")
    Commitment.objects.filter(turn=turn).delete()
    commitment_on(turn, "we will act.\n\nWe will finish by 2025.")

    document = get_page(client, turn.exchange.get_absolute_url())

    assert marks(document) == ["we will act.", "We will finish by 2025."]
    assert len(document.xpath("//sup[@class='commitment-ref']")) == 1


def test_it_never_shows_rejected_commitments(client, miit):
    turn = turn_saying(SERVE_SMES)
    Commitment.objects.filter(turn=turn).update(review=Commitment.Review.REJECTED)

    exchange_page = get_page(client, turn.exchange.get_absolute_url())
    briefing_page = get_page(client, miit.get_absolute_url())
    listing = get_page(client, "/commitments/")
    exported = client.get("/commitments/export.json").json()

    assert SERVE_SMES not in marks(exchange_page)
    assert cards(exchange_page) == []
    assert SERVE_SMES not in marks(briefing_page)
    assert SERVE_SMES not in row_sentences(listing)
    assert SERVE_SMES not in [row["sentence"] for row in exported["results"]]


def test_it_badges_confirmed_and_edited_commitments(client, miit):
    turn = turn_saying(SERVE_SMES)
    Commitment.objects.filter(turn=turn).update(review=Commitment.Review.CONFIRMED)
    other = turn_saying("5G-connected factories")
    other.commitments.all().delete()
    commitment_on(other, other.text, review=Commitment.Review.EDITED)

    document = get_page(client, miit.get_absolute_url())

    badges = [badge.text_content() for badge in document.find_class("badge")]
    assert "confirmed" in badges
    assert "edited" in badges


def test_the_briefing_page_queries_stay_bounded_with_many_answers(
    client, django_assert_max_num_queries
):
    conference = sme_briefing(
        *(f"We will open {n} new service centres by the end of 2025." for n in range(1, 41))
    )
    assert Commitment.objects.count() == 40

    with django_assert_max_num_queries(8):
        response = client.get(conference.get_absolute_url())

    assert len(cards(lxml_html.fromstring(response.content.decode()))) == 40


# The commitments page.


@pytest.fixture
def dated() -> dict[str, Commitment]:
    """Commitments with deadlines around today, by two speakers in two briefings, each
    reviewed (only a reviewed commitment has a status); the extractor's own finds are
    removed so that every row is known."""
    sme_briefing(
        "We will open a platform. We will cut fees. We will hire staff.",
        "We will build parks. We will train people. We will review rules.",
        held_on=TODAY - dt.timedelta(days=400),
    )
    later = briefing(
        "Press Briefing by Press Secretary Jen Psaki",
        TODAY - dt.timedelta(days=100),
        [
            reporter("CNN", "What about vaccines?"),
            official("Jen Psaki", "We will ship vaccines. We will open sites.", title="Press Sec"),
        ],
    )
    load_conference(later, [source_file("psaki.md", "psaki")])
    Commitment.objects.all().delete()
    open_, fulfilled = Commitment.Status.OPEN, Commitment.Status.FULFILLED
    days = dt.timedelta
    found = {
        "soon": commitment_on(
            turn_saying("We will open a platform."), "We will open a platform.",
            actor="Ministry of Industry", status=open_, deadline_date=TODAY + days(30),
            deadline_text="next month",
        ),
        "overdue": commitment_on(
            turn_saying("We will ship vaccines."), "We will ship vaccines.",
            actor="Department of Health", status=open_, deadline_date=TODAY - days(30),
        ),
        "done": commitment_on(
            turn_saying("We will cut fees."), "We will cut fees.",
            actor="Ministry of Finance", status=fulfilled, deadline_date=TODAY - days(40),
        ),
        "later": commitment_on(
            turn_saying("We will build parks."), "We will build parks.",
            actor="Ministry of Industry", status=open_, deadline_date=TODAY + days(1000),
        ),
        "undated": commitment_on(
            turn_saying("We will open sites."), "We will open sites.",
            actor="Department of Health", status=open_,
        ),
        "rejected": commitment_on(
            turn_saying("We will hire staff."), "We will hire staff.",
            actor="Ministry of Industry", status=open_, deadline_date=TODAY + days(10),
            review=Commitment.Review.REJECTED,
        ),
    }  # fmt: skip
    Commitment.objects.exclude(review=Commitment.Review.REJECTED).update(
        review=Commitment.Review.CONFIRMED
    )
    return {name: Commitment.objects.get(pk=commitment.pk) for name, commitment in found.items()}


def row_sentences(document: lxml_html.HtmlElement) -> list[str]:
    return [
        " ".join(row.text_content().split())
        for row in document.xpath("//ol[@class='commitment-rows']//blockquote")
    ]


def listed(client: object, **params: str) -> list[str]:
    return row_sentences(get_page(client, "/commitments/", **params))


def sentences(dated: dict[str, Commitment], *names: str) -> list[str]:
    return [dated[name].sentence for name in names]


def test_it_lists_by_deadline_soonest_first_undated_last_and_never_the_rejected(client, dated):
    assert listed(client) == sentences(dated, "done", "overdue", "soon", "later", "undated")


def test_it_sorts_by_newest_said(client, dated):
    # Psaki's briefing is the newer; within a briefing, in reading order.
    assert listed(client, sort="newest") == sentences(
        dated, "overdue", "undated", "soon", "done", "later"
    )


def test_it_filters_by_status(client, dated):
    assert listed(client, status="fulfilled") == sentences(dated, "done")


def test_it_filters_by_actor_containing_the_text(client, dated):
    assert listed(client, actor="industry") == sentences(dated, "soon", "later")


def test_it_filters_by_speaker(client, dated):
    assert listed(client, speaker="jen-psaki") == sentences(dated, "overdue", "undated")


def test_it_filters_by_deadline_year(client, dated):
    year = dated["later"].deadline_date.year
    expected = [
        c.sentence
        for c in Commitment.objects.shown()
        .filter(deadline_date__year=year)
        .order_by("deadline_date")
    ]

    assert listed(client, year=str(year)) == expected
    assert dated["later"].sentence in expected


def test_it_filters_what_falls_due_in_the_next_90_days(client, dated):
    assert listed(client, due="soon") == sentences(dated, "soon")


def test_it_filters_what_is_past_its_deadline_and_still_open(client, dated):
    assert listed(client, due="overdue") == sentences(dated, "overdue")


def test_it_combines_filters(client, dated):
    assert listed(client, actor="health", due="overdue") == sentences(dated, "overdue")
    assert listed(client, actor="finance", due="overdue") == []


@pytest.fixture
def unreviewed(dated: dict[str, Commitment]) -> dict[str, Commitment]:
    """Two machine-found commitments beside `dated`: one past its deadline, one not."""
    days = dt.timedelta
    return {
        "unreviewed-past": commitment_on(
            turn_saying("We will train people."), "We will train people.",
            actor="Ministry of Labour", deadline_date=TODAY - days(20),
        ),
        "unreviewed-soon": commitment_on(
            turn_saying("We will review rules."), "We will review rules.",
            actor="Ministry of Labour", deadline_date=TODAY + days(20),
        ),
    }  # fmt: skip


def statuses(document: lxml_html.HtmlElement) -> dict[str, str]:
    """Each row's sentence and the status it reads."""
    return {
        row.xpath("string(.//blockquote)").strip(): " ".join(
            row.xpath("string(.//span[contains(@class, 'status')])").split()
        )
        for row in document.find_class("commitment-row")
    }


def test_a_machine_found_commitment_reads_not_yet_reviewed_rather_than_open(
    client, dated, unreviewed
):
    shown = statuses(get_page(client, "/commitments/", actor="labour"))

    assert shown == {
        "We will review rules.": "Status: Not yet reviewed",
        "We will train people.": "Status: Deadline passed, not reviewed",
    }
    assert (
        statuses(get_page(client, "/commitments/", actor="health"))[dated["overdue"].sentence]
        == "Status: Open"
    )


def test_past_deadline_and_still_open_counts_only_reviewed_commitments(client, dated, unreviewed):
    document = get_page(client, "/commitments/", due="overdue")

    assert row_sentences(document) == sentences(dated, "overdue")
    assert document.xpath("string(//h2[@id='results-heading'])") == "1 commitment"
    assert listed(client, status="open", actor="labour") == []


def test_the_status_filter_finds_what_is_not_yet_reviewed(client, dated, unreviewed):
    assert listed(client, status="unreviewed") == [
        unreviewed["unreviewed-past"].sentence,
        unreviewed["unreviewed-soon"].sentence,
    ]


def test_the_timeline_counts_only_reviewed_commitments_as_open(client, dated, unreviewed):
    document = get_page(client, "/commitments/", actor="labour")

    counts = [
        [cell.text_content() for cell in row.xpath("td[@class='count']")]
        for row in document.xpath("//table[contains(@class, 'timeline-table')]/tbody/tr")
    ]
    assert sum(int(total) for total, _ in counts) == 2
    assert sum(int(open_) for _, open_ in counts) == 0


def test_a_filter_value_it_does_not_know_is_left_out_and_said(client, dated):
    document = get_page(client, "/commitments/", speaker="nobody", status="open")

    assert row_sentences(document) == sentences(dated, "overdue", "soon", "later", "undated")
    (message,) = [item.text_content() for item in document.xpath("//ul[@class='messages']/li")]
    assert message.startswith("Speaker:")


def test_each_row_says_who_said_it_where_and_links_to_the_exchange(client, dated):
    document = get_page(client, "/commitments/", due="overdue")

    (row,) = document.find_class("commitment-row")
    exchange = dated["overdue"].turn.exchange
    (link,) = row.xpath(".//a")
    assert link.get("href").startswith(exchange.get_absolute_url())
    assert "Press Briefing by Press Secretary Jen Psaki" in link.text_content()
    assert "Jen Psaki, Press Sec" in row.text_content()
    assert "confirmed" in row.text_content()


def test_it_takes_the_speakers_title_from_the_participants_when_the_turn_has_none(client, miit):
    document = get_page(client, "/commitments/", speaker="liang-wenhua")

    said = document.find_class("said")[0].text_content()
    assert said.startswith("Liang Wenhua, director of the department")


def test_a_page_past_the_end_gives_the_last_page_with_stable_links(client):
    sme_briefing(*(f"We will open {n} new centres by the end of 2025." for n in range(1, 31)))
    Commitment.objects.update(review=Commitment.Review.CONFIRMED)

    document = get_page(client, "/commitments/", page="99", status="open", sort="newest")
    first = get_page(client, "/commitments/", page="1", sort="newest")

    assert len(document.find_class("commitment-row")) == 30 - 25
    assert document.xpath("//nav[@class='pages']//span[@aria-current='page']/text()") == ["2"]
    links = document.xpath("//nav[@class='pages']//a/@href")
    assert "/commitments/?status=open&sort=newest" in links  # page 1: no page parameter
    assert "/commitments/?status=open&sort=newest&page=1" not in links
    assert len(first.find_class("commitment-row")) == 25
    assert first.xpath("//nav[@class='pages']//a/@href")[-1] == "/commitments/?sort=newest&page=2"


def test_the_timeline_counts_deadlines_per_year_with_text_values(client, dated):
    document = get_page(client, "/commitments/")

    table = document.find_class("timeline-table")[0]
    rows = {
        row.xpath("string(th)").split(":")[0].replace("(now)", "").strip(): [
            cell.text_content() for cell in row.xpath("td[@class='count']")
        ]
        for row in table.xpath("tbody/tr")
    }
    expected: dict[str, list[int]] = {}
    for name in ("soon", "overdue", "done", "later"):
        commitment = dated[name]
        total, open_ = expected.setdefault(str(commitment.deadline_date.year), [0, 0])
        expected[str(commitment.deadline_date.year)] = [
            total + 1,
            open_ + (commitment.status == "open"),
        ]
    assert {year: counts for year, counts in rows.items() if counts != ["0", "0"]} == {
        year: [str(total), str(open_)] for year, (total, open_) in expected.items()
    }
    caption = table.xpath("string(caption)")
    assert "4 dated deadlines, counted by" in caption
    assert "1 more with no dated deadline" in caption
    assert document.xpath("//h2[@id='timeline-heading']")


def test_the_timeline_of_one_year_is_per_quarter(client, dated):
    year = dated["later"].deadline_date.year

    document = get_page(client, "/commitments/", year=str(year))

    labels = [th.text_content().split(":")[0].strip() for th in document.xpath(
        "//table[contains(@class, 'timeline-table')]/tbody/tr/th"
    )]  # fmt: skip
    assert [label.replace(" (now)", "") for label in labels] == [
        f"Q{quarter} {year}" for quarter in range(1, 5)
    ]


def test_the_csv_export_has_the_pages_rows_and_defuses_formulas(client, dated):
    Commitment.objects.filter(pk=dated["overdue"].pk).update(actor="=HYPERLINK(1)")

    response = client.get("/commitments/export.csv", {"due": "overdue"})

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["sentence"] for row in rows] == sentences(dated, "overdue")
    (row,) = rows
    assert row["actor"] == "'=HYPERLINK(1)"
    assert row["speaker"] == "Jen Psaki"
    assert row["briefing"] == "Press Briefing by Press Secretary Jen Psaki"
    assert row["deadline_date"] == dated["overdue"].deadline_date.isoformat()
    exchange = dated["overdue"].turn.exchange
    assert row["exchange_url"] == "http://testserver" + exchange.get_absolute_url()
    assert row["id"] == str(dated["overdue"].pk)
    assert row["standing"] == "Open"


def test_the_exports_say_a_machine_found_commitment_is_not_yet_reviewed(client, dated):
    """The stored status of a machine-found commitment is only the default "open": the
    exports carry what the pages say beside it."""
    Commitment.objects.filter(pk=dated["overdue"].pk).update(review=Commitment.Review.MACHINE)
    Commitment.objects.filter(pk=dated["later"].pk).update(review=Commitment.Review.MACHINE)

    rows = {
        row["id"]: row
        for row in csv.DictReader(
            io.StringIO(client.get("/commitments/export.csv").content.decode())
        )
    }
    results = {row["id"]: row for row in client.get("/commitments/export.json").json()["results"]}

    assert rows[str(dated["overdue"].pk)]["standing"] == "deadline passed, not reviewed"
    assert rows[str(dated["later"].pk)]["standing"] == "not yet reviewed"
    assert results[dated["later"].pk]["standing"] == "not yet reviewed"
    assert results[dated["later"].pk]["status"] == "open"


def test_the_json_export_matches_the_filters_and_carries_the_export_fields(client, dated):
    everything = client.get("/commitments/export.json").json()
    industry = client.get("/commitments/export.json", {"actor": "industry"}).json()

    assert [row["sentence"] for row in everything["results"]] == listed(client)
    assert [row["sentence"] for row in industry["results"]] == listed(client, actor="industry")
    assert industry["filters"] == {"actor": "industry"}
    assert industry["total"] == 2
    first = industry["results"][0]
    commitment = dated["soon"]
    commitment.refresh_from_db()
    assert first.items() >= commitment_record(commitment).items()
    assert first["speaker"] == "Liang Wenhua"
    assert first["briefing"] == "SCIO briefing on SMEs"
    assert first["held_on"] == (TODAY - dt.timedelta(days=400)).isoformat()
    assert first["exchange_url"].endswith(commitment.turn.exchange.get_absolute_url())
    assert json.loads(json.dumps(first)) == first


def test_the_commitments_page_queries_stay_bounded(client, django_assert_max_num_queries):
    sme_briefing(*(f"We will open {n} new centres by the end of 2025." for n in range(1, 31)))

    with django_assert_max_num_queries(8):
        document = get_page(client, "/commitments/")

    assert len(document.find_class("commitment-row")) == 25


def test_the_commitments_page_has_labelled_controls_and_headings_in_order(client, dated):
    document = get_page(client, "/commitments/")

    form = document.xpath("//form[contains(@class, 'filter-form')]")[0]
    for control in form.xpath(".//select | .//input"):
        assert form.xpath(f".//label[@for='{control.get('id')}']"), control.get("name")
    levels = [int(h.tag[1]) for h in document.xpath("//main//*[self::h1 or self::h2 or self::h3]")]
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))


# The header link and the home page.


def test_every_page_links_to_the_commitments_page(client, miit):
    document = get_page(client, miit.get_absolute_url())

    assert document.xpath("//header//nav//a[@href='/commitments/']")


def test_the_home_page_lists_reviewed_commitments_falling_due_and_just_past(client, dated):
    Commitment.objects.filter(pk=dated["later"].pk).update(deadline_date=TODAY + dt.timedelta(60))
    document = get_page(client, "/")

    section = document.xpath("//section[@aria-labelledby='due-soon-heading']")[0]
    shown = [" ".join(quote.text_content().split()) for quote in section.xpath(".//blockquote")]
    # 30 days past (still open) to 60 ahead, soonest first; 40 days past is out of it, and
    # a rejected one is never shown.
    assert shown == sentences(dated, "overdue", "soon", "later")
    assert section.xpath(".//a[@href='/commitments/?status=open&due=soon']")
    assert section.xpath(".//a[@href='/commitments/?status=open&due=overdue']")


def test_the_home_page_shows_a_just_past_commitment_whatever_became_of_it(client, dated):
    Commitment.objects.filter(pk=dated["done"].pk).update(deadline_date=TODAY - dt.timedelta(5))

    section = get_page(client, "/").xpath("//section[@aria-labelledby='due-soon-heading']")[0]

    shown = [" ".join(quote.text_content().split()) for quote in section.xpath(".//blockquote")]
    assert sentences(dated, "done")[0] in shown


def test_the_due_block_is_absent_when_nothing_falls_due(client, dated):
    Commitment.objects.update(review=Commitment.Review.MACHINE)  # none reviewed

    document = get_page(client, "/")

    assert not document.xpath("//section[@aria-labelledby='due-soon-heading']")
    assert "falls due" not in lxml_html.tostring(document, encoding="unicode")


def test_the_home_page_lists_at_most_five_due_soon(client):
    sme_briefing(*(f"We will open {n} new centres by the end of 2025." for n in range(1, 9)))
    Commitment.objects.update(
        deadline_date=TODAY + dt.timedelta(days=5), review=Commitment.Review.CONFIRMED
    )

    document = get_page(client, "/")

    assert len(document.xpath("//section[@aria-labelledby='due-soon-heading']//li")) == 5


def test_it_keeps_the_html_nested_when_a_span_starts_inside_a_note(client):
    sme_briefing("Well (Laughter.) we will build 500 parks by 2025.")
    turn = turn_saying("500 parks")
    Commitment.objects.filter(turn=turn).delete()
    start = turn.text.index("ter.)")
    Commitment.objects.create(
        turn=turn, sentence=turn.text[start:], start=start, end=len(turn.text)
    )

    response = client.get(turn.exchange.get_absolute_url())
    document = lxml_html.fromstring(response.content.decode())

    assert "".join(marks(document)) == turn.text[start:]
    assert [note.text_content() for note in document.find_class("note")] == ["(Laugh", "ter.)"]
    assert '<span class="note">(Laugh</span><mark' in response.content.decode()
