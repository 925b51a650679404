"""The JSON records several pages share: a briefing wherever a list shows it, an
organization, and a turn in a person's answers or an outlet's questions. Absolute URLs,
built from the request."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest

from briefings.models import Conference, Organization, Turn
from briefings.text import opening_words


def iso_date(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def briefing_record(request: HttpRequest, conference: Conference) -> dict[str, object]:
    """A briefing as the home page, the briefing list, a person's page and an exchange's
    JSON show it. A list adds `exchanges`, the count it takes for its own rows."""
    organizer = conference.organizer
    return {
        "title": conference.title,
        "slug": conference.slug,
        "url": request.build_absolute_uri(conference.get_absolute_url()),
        "held_on": iso_date(conference.held_on),
        "kind": conference.kind,
        "kind_label": conference.get_kind_display(),
        "organizer": organization_record(request, organizer) if organizer else None,
        "location": conference.location,
    }


def organization_record(request: HttpRequest, organization: Organization) -> dict[str, object]:
    return {
        "name": organization.name,
        "url": request.build_absolute_uri(organization.get_absolute_url()),
    }


def turn_record(request: HttpRequest, turn: Turn) -> dict[str, object]:
    """A turn in a list, by its opening words (`briefings.pages.with_opening`)."""
    exchange = turn.exchange
    conference = exchange.conference
    return {
        "url": request.build_absolute_uri(exchange.get_absolute_url()),
        "briefing": conference.title,
        "briefing_url": request.build_absolute_uri(conference.get_absolute_url()),
        "held_on": iso_date(conference.held_on),
        "exchange": exchange.position,
        "speaker": turn.speaker_name,
        "speaker_url": request.build_absolute_uri(turn.person.get_absolute_url())
        if turn.person
        else None,
        "speaker_title": turn.speaker_title,
        "role": turn.role,
        "opening": opening_words(turn.opening_text),
    }
