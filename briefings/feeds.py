"""Atom feeds for a feed reader: the latest briefings, a person's latest answers and an
outlet's latest questions. Each costs a fixed number of queries.

A briefing has a date but no time, so an entry's time is midnight UTC of the day it was
held; an undated briefing's is when it was ingested. Atom summaries are HTML and the
transcripts' words are text, so they are escaped.
"""

from __future__ import annotations

import datetime as dt
import html
import re

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from .models import Conference, Organization, Person, Turn
from .pages import NewestBriefingFirst, newest_briefing_first
from .text import opening_words

FEED_ENTRIES = 25

# What XML 1.0 cannot carry; Django's feed writer raises on it (a 500 for the whole feed).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(value: object) -> object:
    return _NOT_XML.sub("", value) if isinstance(value, str) else value


class ArchiveAtomFeed(Atom1Feed):
    """Atom without the control characters a transcript may carry (an escape code in a
    White House text, say): they are dropped from every title, summary and name."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(
            *(_xml_text(a) for a in args), **{k: _xml_text(v) for k, v in kwargs.items()}
        )

    def add_item(self, *args: object, **kwargs: object) -> None:
        super().add_item(
            *(_xml_text(a) for a in args), **{k: _xml_text(v) for k, v in kwargs.items()}
        )


def _held(conference: Conference) -> dt.datetime:
    if conference.held_on:
        return dt.datetime.combine(conference.held_on, dt.time.min, tzinfo=dt.UTC)
    return conference.created_at


class LatestBriefingsFeed(Feed):
    feed_type = ArchiveAtomFeed
    title = "Briefing Archive: latest briefings"
    subtitle = "The newest government press briefings in the archive."
    language = "en"

    def link(self) -> str:
        return reverse("briefings:briefing-list")

    def items(self) -> QuerySet[Conference]:
        return Conference.objects.select_related("organizer").order_by(*newest_briefing_first())[
            :FEED_ENTRIES
        ]

    def item_title(self, item: Conference) -> str:
        return item.title

    def item_description(self, item: Conference) -> str:
        facts = [item.get_kind_display()]
        if item.organizer:
            facts.append(item.organizer.name)
        if item.location:
            facts.append(item.location)
        summary = " · ".join(facts)
        if item.summary:
            summary = f"{summary}. {item.summary}"
        return html.escape(summary)

    def item_link(self, item: Conference) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Conference) -> dt.datetime:
        return _held(item)

    def item_updateddate(self, item: Conference) -> dt.datetime:
        return item.updated_at


class _TurnFeed(Feed):
    """Turns, newest briefing first, each linking to its exchange's permalink."""

    feed_type = ArchiveAtomFeed
    language = "en"

    def get_feed(self, obj: object, request: HttpRequest) -> ArchiveAtomFeed:
        feed = super().get_feed(obj, request)
        # Django makes links absolute but not ids, and an Atom id must be absolute. The
        # feed object is shared by every request, so the request is not kept on it.
        for entry in feed.items:
            entry["unique_id"] = request.build_absolute_uri(entry["unique_id"])
        return feed

    def item_title(self, item: Turn) -> str:
        conference = item.exchange.conference
        held_on = conference.held_on
        held = f", {held_on.day} {held_on:%b %Y}" if held_on else ""
        return f"{_speaker(item)}: {conference.title}{held} (#{item.exchange.position})"

    def item_description(self, item: Turn) -> str:
        return html.escape(opening_words(item.opening_text))

    def item_link(self, item: Turn) -> str:
        return item.exchange.get_absolute_url()

    def item_guid(self, item: Turn) -> str:
        # One person may answer twice in an exchange: the turn makes the id unique.
        return f"{item.exchange.get_absolute_url()}#turn-{item.position}"

    def item_guid_is_permalink(self, item: Turn) -> bool:
        return False

    def item_author_name(self, item: Turn) -> str:
        return _speaker(item)

    def item_pubdate(self, item: Turn) -> dt.datetime:
        return _held(item.exchange.conference)

    def item_updateddate(self, item: Turn) -> dt.datetime:
        return _held(item.exchange.conference)


def _speaker(turn: Turn) -> str:
    """Who spoke: a reporter printed as a bare "Q" is named by their outlet."""
    if turn.person is None and turn.outlet is not None:
        return turn.outlet.name
    return turn.speaker_name


def _newest_turns(turns: QuerySet[Turn]) -> list[Turn]:
    return NewestBriefingFirst(
        turns,
        related=("exchange__conference", "person", "outlet"),
        within=("-exchange__position", "-position"),
    )[:FEED_ENTRIES]


class PersonAnswersFeed(_TurnFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Person:
        return get_object_or_404(Person, slug=slug)

    def title(self, obj: Person) -> str:
        return f"Briefing Archive: {obj.name}'s latest answers"

    def subtitle(self, obj: Person) -> str:
        return f"The newest answers and statements {obj.name} gave at government press briefings."

    def link(self, obj: Person) -> str:
        return obj.get_absolute_url()

    def items(self, obj: Person) -> list[Turn]:
        return _newest_turns(Turn.objects.by_officials().filter(person=obj))


class OutletQuestionsFeed(_TurnFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Organization:
        return get_object_or_404(Organization, slug=slug)

    def title(self, obj: Organization) -> str:
        return f"Briefing Archive: questions from {obj.name}"

    def subtitle(self, obj: Organization) -> str:
        return f"The newest questions {obj.name}'s reporters asked at government press briefings."

    def link(self, obj: Organization) -> str:
        return obj.get_absolute_url()

    def items(self, obj: Organization) -> list[Turn]:
        return _newest_turns(Turn.objects.filter(outlet=obj, role=Turn.Role.QUESTION))
