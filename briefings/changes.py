"""Which exchanges an edit touches: model saves and deletes, announced as
`exchanges_changed` (briefings/signals.py).

An exchange's search document holds its turns, their speakers and outlets, the briefing's
title, date and organizer, and the commitments shown; an edit to any of these announces
the exchanges that carry it. The loader announces its own bulk inserts (bulk_create sends
no model signals). Connected in BriefingsConfig.ready().
"""

from __future__ import annotations

from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import (
    Commitment,
    Conference,
    Exchange,
    Organization,
    Participant,
    Person,
    Turn,
)
from .signals import announce_exchanges


def _touches(update_fields: frozenset[str] | None, *names: str) -> bool:
    return update_fields is None or bool(set(names) & set(update_fields))


@receiver(post_save, sender=Turn)
@receiver(post_delete, sender=Turn)
def turn_changed(sender: type, instance: Turn, **kwargs: object) -> None:
    announce_exchanges([instance.exchange_id])


@receiver(post_save, sender=Commitment)
@receiver(post_delete, sender=Commitment)
def commitment_changed(sender: type, instance: Commitment, **kwargs: object) -> None:
    announce_exchanges(
        Turn.objects.filter(pk=instance.turn_id).values_list("exchange_id", flat=True)
    )


@receiver(post_save, sender=Exchange)
def exchange_saved(sender: type, instance: Exchange, **kwargs: object) -> None:
    announce_exchanges([instance.pk])


@receiver(post_delete, sender=Exchange)
def exchange_deleted(sender: type, instance: Exchange, **kwargs: object) -> None:
    announce_exchanges([instance.pk], removed=True)


@receiver(post_save, sender=Conference)
def conference_saved(sender: type, instance: Conference, **kwargs: object) -> None:
    if kwargs.get("created"):
        return
    if _touches(kwargs.get("update_fields"), "title", "slug", "held_on", "organizer"):
        announce_exchanges(instance.exchanges.values_list("pk", flat=True))


@receiver(post_save, sender=Participant)
@receiver(post_delete, sender=Participant)
def participant_changed(sender: type, instance: Participant, **kwargs: object) -> None:
    announce_exchanges(
        Exchange.objects.filter(
            conference_id=instance.conference_id, turns__person_id=instance.person_id
        )
        .values_list("pk", flat=True)
        .distinct()
    )


@receiver(post_save, sender=Person)
def person_saved(sender: type, instance: Person, **kwargs: object) -> None:
    if not kwargs.get("created") and _touches(kwargs.get("update_fields"), "name", "slug"):
        announce_exchanges(
            Exchange.objects.filter(turns__person=instance).values_list("pk", flat=True).distinct()
        )


@receiver(post_save, sender=Organization)
def organization_saved(sender: type, instance: Organization, **kwargs: object) -> None:
    if not kwargs.get("created") and _touches(kwargs.get("update_fields"), "name", "slug"):
        announce_exchanges(
            Exchange.objects.filter(Q(turns__outlet=instance) | Q(conference__organizer=instance))
            .values_list("pk", flat=True)
            .distinct()
        )
