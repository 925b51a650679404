"""One search document per Exchange: the words spoken (the question and every answer) in
the document field, what is searched and scored; the briefing's title and who spoke
(names, printed labels, titles, outlets) in fields of their own, weighed lightly
(search/fields.py); whether the exchange has content at all and how many words its
answers have (search/substance.py), which rank it; and
exact filter fields (EXACT_FIELDS in search/fields.py, which every engine's backend
indexes unanalysed). The text is described by its template,
templates/search/indexes/briefings/exchange_text.txt.
"""

from __future__ import annotations

from django.db.models import QuerySet
from haystack import indexes

from briefings.models import Exchange, Turn

from .substance import answer_words, substance


class ExchangeIndex(indexes.SearchIndex, indexes.Indexable):
    text = indexes.CharField(document=True, use_template=True)
    conference_title = indexes.CharField(model_attr="conference__title", indexed=False)
    title = indexes.CharField(model_attr="conference__title", stored=False)
    names = indexes.CharField(stored=False)
    substance = indexes.CharField()
    answer_words = indexes.IntegerField(stored=False)
    conference = indexes.CharField(model_attr="conference__slug")
    position = indexes.IntegerField(model_attr="position")
    held_on = indexes.DateField(model_attr="conference__held_on", null=True)
    kind = indexes.CharField(model_attr="kind")
    # Exact values (slugs), for filters and facets: never stemmed.
    speakers = indexes.MultiValueField()
    outlets = indexes.MultiValueField()
    organizations = indexes.MultiValueField()
    roles = indexes.MultiValueField()
    speaker_names = indexes.CharField()
    has_commitments = indexes.BooleanField()

    def get_model(self) -> type[Exchange]:
        return Exchange

    def index_queryset(self, using: str | None = None) -> QuerySet:
        return Exchange.objects.for_search()

    def _turns(self, exchange: Exchange) -> list[Turn]:
        return list(exchange.turns.all())

    def _speaking(self, exchange: Exchange) -> list[Turn]:
        """The turns that ask or say something: not the chair handing over the floor, unless
        that is all the exchange is (as in its text: exchange_text.txt)."""
        if exchange.kind == Exchange.Kind.PROCEDURAL:
            return self._turns(exchange)
        return [t for t in self._turns(exchange) if t.role != Turn.Role.MODERATOR]

    def prepare_speakers(self, exchange: Exchange) -> list[str]:
        return sorted({t.person.slug for t in self._speaking(exchange) if t.person})

    def prepare_speaker_names(self, exchange: Exchange) -> str:
        names = {t.person.name for t in self._speaking(exchange) if t.person}
        return " ".join(sorted(names))

    def prepare_names(self, exchange: Exchange) -> str:
        """Who spoke, as the document's turns: each person's name and the label printed
        (when it differs), their title, the outlet asking."""
        lines = []
        for turn in self._speaking(exchange):
            words = [turn.person.name] if turn.person else []
            if turn.speaker_label and turn.speaker_label not in words:
                words.append(turn.speaker_label)
            if turn.speaker_title:
                words.append(turn.speaker_title)
            if turn.outlet:
                words.append(turn.outlet.name)
            lines.append(" ".join(words))
        return "\n".join(dict.fromkeys(line for line in lines if line))

    def prepare_substance(self, exchange: Exchange) -> str:
        return substance(exchange.kind, self._turns(exchange))

    def prepare_answer_words(self, exchange: Exchange) -> int:
        return answer_words(self._turns(exchange))

    def prepare_outlets(self, exchange: Exchange) -> list[str]:
        return sorted({t.outlet.slug for t in self._turns(exchange) if t.outlet})

    def prepare_organizations(self, exchange: Exchange) -> list[str]:
        organizer = exchange.conference.organizer
        slugs = {organizer.slug} if organizer else set()
        return sorted(slugs | {o.slug for o in exchange.conference_organizations()})

    def prepare_roles(self, exchange: Exchange) -> list[str]:
        return sorted({t.role for t in self._turns(exchange)})

    def prepare_has_commitments(self, exchange: Exchange) -> bool:
        # for_search() prefetches only commitments that are not rejected.
        return any(turn.commitments.all() for turn in self._turns(exchange))
