"""The briefing page (the whole transcript, who took part, its contents and commitments),
the exchange page (one question and every answer, a permalink, a citation, its
neighbours) and the download of a stored original."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.db.models.functions import Length
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import Truncator

from briefings.citation import FORMAT_LABELS, Author, CitedExchange, cite
from briefings.export import conference_record, exchange_record
from briefings.floor import asked_question
from briefings.ingest.formats import family_name_first_formats
from briefings.models import (
    Commitment,
    Conference,
    Exchange,
    Organization,
    Participant,
    Person,
    Source,
    Turn,
)
from briefings.pages import json_link, json_response, refuse_format, wants_json
from briefings.paging import page_link, page_links, page_number, pager, requested_page
from briefings.text import is_web_address, strip_notes
from search.searching import SearchInput, searched_marks, similar_exchanges
from search.substance import is_content_free
from search.views import results_link, searched_from

from ._records import briefing_record, iso_date

# Each turn with the commitments the public pages show, in reading order: the numbers of
# the marks in the text and of the cards beside it follow this order.
SHOWN_COMMITMENTS = Prefetch(
    "commitments",
    queryset=Commitment.objects.shown().order_by("start"),
    to_attr="shown_commitments",
)
TURNS = Prefetch(
    "turns",
    queryset=Turn.objects.select_related("person", "outlet")
    .prefetch_related(SHOWN_COMMITMENTS)
    .order_by("position"),
    # A list: `exchange.turns.all()` would clone a queryset per exchange, 150 on a page.
    to_attr="turn_list",
)
# The same turns for a JSON form: `turn.commitments.all()` is what the page shows, so the
# export's records (briefings.export) serve the pages unchanged.
RECORD_TURNS = Prefetch(
    "turns",
    queryset=Turn.objects.select_related("person", "outlet")
    .prefetch_related(
        Prefetch("commitments", queryset=Commitment.objects.shown().order_by("start"))
    )
    .order_by("position"),
)
# A real briefing of one day (the longest White House one, some 100 KB, has well under
# this) stays one page; a page of this many is some 350 KB of HTML.
EXCHANGES_PER_PAGE = 100
MAX_POSITION = 2**31 - 1  # beyond any real exchange or row id
CONTENTS_WORDS = 12  # of a question, in the briefing page's contents
SHARED_LINE = 200  # characters of the question in a shared link's preview card
# Stored originals are offered as downloads under their own type only when a browser
# cannot run them; anything else (HTML, SVG, XML, unknown) goes out as opaque bytes.
INERT_MEDIA_TYPES = {
    "text/plain",
    "text/markdown",
    "text/csv",
    "application/json",
}


@dataclasses.dataclass(frozen=True)
class ContentsEntry:
    """One line of a briefing's contents: a question, who asked it, how it begins."""

    exchange: Exchange
    asker: str
    opening: str


@dataclasses.dataclass(frozen=True)
class SaidHere:
    """A commitment in the briefing's list, with the exchange it was made in."""

    commitment: Commitment
    turn: Turn
    exchange: Exchange


def conference_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The whole briefing: who took part (with their titles at the time), the contents of
    its questions, the transcript with an anchor per exchange and its commitments beside
    the answers, the commitments listed together, and the sources it was read from."""
    if refused := refuse_format(request):
        return refused
    conference = get_object_or_404(Conference.objects.select_related("organizer"), slug=slug)
    if wants_json(request):
        return json_response(_conference_json(request, conference))
    participants = conference.participants.select_related("person", "organization")
    # A briefing of more exchanges than a page holds (a whole day's transcripts in one
    # file) is paged: the page of a 10 MB transcript was 24 MB of HTML and took 11-15 s.
    page = _transcript_page(conference, request.GET.get("page"))
    exchanges = list(page.object_list)
    prefetch_related_objects(exchanges, TURNS)
    link = page_links(conference.get_absolute_url())
    _link_speakers(exchanges)
    contents = _contents(exchanges, first_page=page.number == 1)
    said_here = [
        SaidHere(commitment, turn, exchange)
        for exchange in exchanges
        for turn in exchange.turn_list
        for commitment in turn.shown_commitments
    ]
    return render(
        request,
        "briefings/conference_detail.html",
        {
            "share": _briefing_share(conference, request.build_absolute_uri(link(1))),
            "conference": conference,
            "conference_url": request.build_absolute_uri(conference.get_absolute_url()),
            "page_url": request.build_absolute_uri(link(page.number)),
            "held_on": iso_date(conference.held_on) or "",
            "participants": participants,
            "exchanges": exchanges,
            "page": page,
            "pages": pager(page.number, page.paginator.num_pages, link),
            "contents": contents,
            "said_here": said_here,
            "sources": _sources(conference),
            "conference_source_url": _web_url(conference.source_url),
            "json_link": json_link(request),
        },
    )


def _transcript_page(conference: Conference, raw: str | None) -> Page:
    """The page of the briefing's exchanges that `raw` asks for. A briefing of one page
    (nearly every one) is read in one query, its count uncounted."""
    exchanges = conference.exchanges.order_by("position")
    if page_number(raw) == 1:
        first = list(exchanges[: EXCHANGES_PER_PAGE + 1])
        if len(first) <= EXCHANGES_PER_PAGE:
            return Paginator(first, EXCHANGES_PER_PAGE).page(1)
    return requested_page(Paginator(exchanges, EXCHANGES_PER_PAGE), raw)


def briefing_page_link(exchange: Exchange) -> str:
    """The exchange in the whole briefing: the page of the briefing that holds it, at its
    anchor. Positions are distinct and from 1, so one within the first page's count is
    on the first page, without a query."""
    before = exchange.position - 1
    if before >= EXCHANGES_PER_PAGE:
        before = exchange.conference.exchanges.filter(position__lt=exchange.position).count()
    number = before // EXCHANGES_PER_PAGE + 1
    path = page_link(exchange.conference.get_absolute_url(), {}, page=number)
    return f"{path}#exchange-{exchange.position}"


def exchange_detail(request: HttpRequest, slug: str, position: int) -> HttpResponse:
    """One question and every answer to it, with the commitments beside them, a permalink,
    a ready citation, the neighbouring exchanges and more like it."""
    if refused := refuse_format(request):
        return refused
    if position > MAX_POSITION:  # SQLite cannot even compare a larger integer
        raise Http404("No such exchange.")
    as_json = wants_json(request)
    exchange = get_object_or_404(
        Exchange.objects.select_related("conference__organizer").prefetch_related(
            RECORD_TURNS if as_json else TURNS
        ),
        conference__slug=slug,
        position=position,
    )
    conference = exchange.conference
    neighbours = conference.exchanges.filter(position__in=[position - 1, position + 1])
    by_position = {neighbour.position: neighbour for neighbour in neighbours}
    previous, next_ = by_position.get(position - 1), by_position.get(position + 1)
    permalink = request.build_absolute_uri(exchange.get_absolute_url())
    turns = list(exchange.turns.all()) if as_json else exchange.turn_list
    citations = cite(_cited_exchange(exchange, turns, permalink))
    similar = similar_exchanges(exchange)
    # Arrived at from a result card: the searched words marked, a way back to the results.
    searched = searched_from(request)
    marks = searched_marks(searched, [turn.text for turn in turns]) if searched else []
    for turn, spans in zip(turns, marks, strict=False):  # no marks without a search
        turn.search_marks = spans
    if as_json:
        return json_response(
            {
                "url": permalink,
                **exchange_record(exchange),
                "briefing": briefing_record(request, conference),
                "previous": _absolute(request, previous),
                "next": _absolute(request, next_),
                "similar": [
                    {
                        "url": _absolute(request, other),
                        "position": other.position,
                        "kind": other.kind,
                        # The title and date only: similar_exchanges() joins no organizer.
                        "briefing": {
                            "slug": other.conference.slug,
                            "title": other.conference.title,
                            "held_on": iso_date(other.conference.held_on),
                            "url": request.build_absolute_uri(other.conference.get_absolute_url()),
                        },
                    }
                    for other in similar
                ],
                "citations": citations,
                **_search_record(request, searched, turns, marks),
            }
        )

    _link_speakers([exchange])
    question = _question(exchange)
    asker = _asker(question) if question else ""
    answerers = list(dict.fromkeys(turn.speaker_name for turn in _spoken(exchange.turn_list)))
    return render(
        request,
        "briefings/exchange_detail.html",
        {
            "share": _exchange_share(exchange, question, asker, answerers, permalink),
            "exchange": exchange,
            "conference": conference,
            "conference_url": request.build_absolute_uri(conference.get_absolute_url()),
            "in_briefing": briefing_page_link(exchange),
            "held_on": iso_date(conference.held_on) or "",
            "permalink": permalink,
            "previous": previous,
            "next": next_,
            "similar": similar,
            "citations": [(name, FORMAT_LABELS[name], text) for name, text in citations.items()],
            "question": question,
            "asker": asker,
            "answerers": answerers,
            "sentence_anchors": True,
            "source_url": _web_url(conference.source_url),
            "json_link": json_link(request),
            "searched": searched,
            "results_link": results_link(searched) if searched else "",
            "marked": sum(len(spans) for spans in marks),
        },
    )


def source_download(request: HttpRequest, slug: str, source_id: int) -> HttpResponse:
    """A stored original, byte for byte, as a download. Never shown as a page of ours: it
    may be another site's HTML, which must not run with this site's origin."""
    if source_id > MAX_POSITION:
        raise Http404("No such source.")
    source = get_object_or_404(Source, conference__slug=slug, pk=source_id)
    media_type = source.media_type.split(";")[0].strip().lower()
    response = HttpResponse(
        bytes(source.content),
        content_type=media_type if media_type in INERT_MEDIA_TYPES else "application/octet-stream",
    )
    response["Content-Disposition"] = content_disposition_header(True, _download_name(source, slug))
    response["X-Content-Type-Options"] = "nosniff"
    # Should a browser render it anyway, it runs nothing and loads nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _search_record(
    request: HttpRequest, searched: SearchInput | None, turns: list[Turn], marks: list
) -> dict[str, object]:
    """The exchange's JSON, arrived at from a search: the search, its results page, and
    where each turn's text holds the searched words (offsets into its `text`)."""
    if searched is None:
        return {}
    return {
        "search": {
            "query": searched.q,
            "results": request.build_absolute_uri(results_link(searched)),
            "marks": [
                {"turn": turn.position, "spans": [list(span) for span in spans]}
                for turn, spans in zip(turns, marks, strict=True)
                if spans
            ],
        }
    }


def _absolute(request: HttpRequest, exchange: Exchange | None) -> str | None:
    return request.build_absolute_uri(exchange.get_absolute_url()) if exchange else None


def _conference_json(request: HttpRequest, conference: Conference) -> dict[str, object]:
    """The export's record of the briefing (briefings.export.conference_record), with the
    commitments the page shows and the URLs of the briefing, its exchanges and sources."""
    prefetch_related_objects(
        [conference],
        Prefetch("sources", queryset=Source.objects.defer("content")),
        Prefetch(
            "participants", queryset=Participant.objects.select_related("person", "organization")
        ),
        Prefetch("exchanges", queryset=Exchange.objects.prefetch_related(RECORD_TURNS)),
    )
    record = conference_record(conference)
    slug = conference.slug
    return {
        **record,
        "url": request.build_absolute_uri(conference.get_absolute_url()),
        "sources": [
            {
                **source_record,
                "download_url": request.build_absolute_uri(
                    reverse("briefings:source-download", args=[slug, source.pk])
                ),
            }
            for source_record, source in zip(
                record["sources"], conference.sources.all(), strict=True
            )
        ],
        "exchanges": [
            {
                **exchange_data,
                "url": request.build_absolute_uri(
                    reverse("briefings:exchange-detail", args=[slug, exchange.position])
                ),
            }
            for exchange_data, exchange in zip(
                record["exchanges"], conference.exchanges.all(), strict=True
            )
        ],
    }


# The briefing and exchange pages.


def _link_speakers(exchanges: Iterable[Exchange]) -> None:
    """Each turn's `person_url` and `outlet_url`, for the turn template: reversed once per
    person and outlet rather than for every turn. A 150-exchange page has some 450 turns."""
    urls: dict[tuple[type, int], str] = {}

    def url_of(target: Person | Organization | None) -> str:
        if target is None:
            return ""
        key = (type(target), target.pk)
        if key not in urls:
            urls[key] = target.get_absolute_url()
        return urls[key]

    for exchange in exchanges:
        for turn in exchange.turn_list:
            turn.person_url = url_of(turn.person)
            turn.outlet_url = url_of(turn.outlet)


def _contents(exchanges: list[Exchange], *, first_page: bool) -> list[ContentsEntry]:
    """The briefing's contents: the question of each Q&A exchange. They open with the first
    one that asks something: the exchanges before it that only pass the floor ("Go
    ahead." "Post. Post.": search.substance) are left out. Later ones stay: a question cut
    off by its answer ("Has the President spoken to --" "I'm not --") is one a reader looks for."""
    entries = [entry for exchange in exchanges if (entry := _contents_entry(exchange))]
    if first_page:
        while entries and is_content_free(entries[0].exchange.kind, entries[0].exchange.turn_list):
            entries.pop(0)
    return entries


def _contents_entry(exchange: Exchange) -> ContentsEntry | None:
    """The question that opens a Q&A exchange, for the briefing's contents."""
    question = _question(exchange) if exchange.kind == Exchange.Kind.QA else None
    if question is None:
        return None
    # Enough of the text for the first words, however long the question runs.
    excerpt = question.text[: CONTENTS_WORDS * 30]
    # A question lost to the recording shows its note ("(Inaudible.)"), not nothing.
    opening = Truncator(strip_notes(excerpt) or excerpt.strip()).words(CONTENTS_WORDS)
    return ContentsEntry(exchange, _asker(question), opening)


def _spoken(turns: Iterable[Turn]) -> list[Turn]:
    """The officials' turns: answers and statements."""
    return [turn for turn in turns if turn.is_official]


def _shared_date(day: dt.date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else "undated"


def _briefing_share(conference: Conference, url: str) -> dict[str, str]:
    """A shared briefing's preview card: its title, date and who organized it."""
    organizer = f" by {conference.organizer.name}" if conference.organizer else ""
    return {
        "title": f"{conference.title}, {_shared_date(conference.held_on)}",
        "description": f"The transcript of a {conference.get_kind_display().lower()}{organizer}, "
        "every question with its answers, in Briefing Archive.",
        "url": url,
        "published": iso_date(conference.held_on) or "",
    }


def _exchange_share(
    exchange: Exchange, question: Turn | None, asker: str, answerers: list[str], url: str
) -> dict[str, str]:
    """What a shared link's preview card shows (Open Graph, Twitter): who asked whom, the
    date, the question's first line and the briefing."""
    conference = exchange.conference
    held_on = _shared_date(conference.held_on)
    answered = ", ".join(answerers[:3]) or "no answer"
    if question is not None:
        title = f"{asker} asks {answered}, {held_on}"
        first = Truncator(" ".join(question.spoken_text.split())).chars(SHARED_LINE)
        description = f"“{first}” {conference.title}"
    else:
        title = f"{exchange.get_kind_display()} by {answered}, {held_on}"
        description = conference.title
    return {
        "title": title,
        "description": description,
        "url": url,
        "published": iso_date(conference.held_on) or "",
    }


def _question(exchange: Exchange) -> Turn | None:
    """The question an exchange asks, for its contents line and description
    (briefings.floor.asked_question)."""
    return asked_question(exchange.turn_list)


def _asker(question: Turn) -> str:
    """Who asked: the outlet where named, else the reporter, else "A reporter"."""
    if question.outlet:
        return question.outlet.name
    if question.person:
        return question.person.name
    return "A reporter"


def _cited_exchange(exchange: Exchange, turns: list[Turn], permalink: str) -> CitedExchange:
    """The citation's facts. The author is the one official who answered or spoke, where
    only one did and the archive knows who; else the body that held the briefing."""
    conference = exchange.conference
    spoken = _spoken(turns)
    people = {turn.person_id for turn in spoken}
    speaker, title = None, ""
    if spoken and None not in people and len(people) == 1:
        speaker = Author(
            spoken[0].person.name,
            # Chinese names printed family name first must not be inverted in a citation.
            family_name_first=conference.format in family_name_first_formats(),
        )
        title = spoken[0].speaker_title
    return CitedExchange(
        title=conference.title,
        url=permalink,
        position=exchange.position,
        accessed_on=timezone.localdate(),
        held_on=conference.held_on,
        speaker=speaker,
        speaker_title=title,
        organizer=conference.organizer.name if conference.organizer else "",
        kind=conference.get_kind_display(),
        location=conference.location,
    )


def _sources(conference: Conference) -> list[Source]:
    """The briefing's sources with their size, without their bytes, each with the name it
    is shown under and its original URL where that is a web address."""
    sources = list(conference.sources.defer("content").annotate(size=Length("content")))
    for source in sources:
        source.display_name = source.filename.replace("\\", "/").rsplit("/", 1)[-1]
        source.safe_url = _web_url(source.url)
    return sources


def _web_url(url: str) -> str:
    """`url` where it is http(s); "" otherwise. A transcript's own text put the URL there,
    and a javascript: link must never reach a page (the one test of every address the
    archive links to: text.is_web_address)."""
    return url if is_web_address(url) else ""


UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")


def _download_name(source: Source, slug: str) -> str:
    """The original's own file name (never the folder it was ingested from), in safe
    characters; else one made from the briefing and page."""
    name = UNSAFE_FILENAME.sub("-", source.filename.replace("\\", "/").rsplit("/", 1)[-1])
    name = name.strip(".-")
    return name or f"{slug}-source-{source.position}"
