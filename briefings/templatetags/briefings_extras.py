from django import template

from briefings.models import ExchangeKind, TurnRole

register = template.Library()


@register.filter
def role_label(value: str) -> str:
    """ "qa" -> "Question and answer", "moderator" -> "Moderator"."""
    for choices in (TurnRole, ExchangeKind):
        if value in choices.values:
            return choices(value).label
    return value
