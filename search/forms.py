"""The search form: the box and the controls for the same filters the query language has.

Nothing here makes a search fail: an unknown sort falls back to the default, and values
the query language cannot use come back as messages on the page. The page number is the
view's to read, by the site's one rule (briefings/paging.py).

Speaker, outlet and org may be given several times (`speaker=a&speaker=b`, two speakers
chosen from the facets): the values chosen ride along as hidden inputs, and the text box
adds one more.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.html import format_html, format_html_join

from .language import MAX_FILTERS, printable
from .searching import SORT_LABELS, SearchInput

DATE_HELP = "YYYY, YYYY-MM or YYYY-MM-DD"
ANY_OF_HELP = "A name or slug; adds to those chosen (any of them)"


FILTER_CONTROLS = ("speaker", "outlet", "from", "to", "sort")


class ChosenAndOneMore(forms.TextInput):
    """The values already chosen as hidden inputs, then an empty text box for one more."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        return data.getlist(name) if hasattr(data, "getlist") else [data.get(name, "")]

    def format_value(self, value: object) -> None:
        return None  # the box is for a new value; the chosen ones are the hidden inputs

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> str:
        chosen = format_html_join(
            "", '<input type="hidden" name="{}" value="{}">', ((name, v) for v in value or ())
        )
        return format_html("{}{}", chosen, super().render(name, value, attrs, renderer))


def shown_printable(data: object) -> object:
    """A control's value as the form shows it again: without the control characters (a
    NUL) that the search took out."""
    if isinstance(data, str):
        return printable(data).strip()
    if isinstance(data, list):
        return [shown_printable(each) for each in data]
    return data


class ValuesField(forms.Field):
    """Several values of one filter, blanks dropped; as many as the query language takes."""

    def bound_data(self, data: Any, initial: Any) -> Any:
        return shown_printable(super().bound_data(data, initial))

    def to_python(self, value: object) -> list[str]:
        values = [value] if isinstance(value, str) else list(value or [])
        return [str(each).strip() for each in values if str(each).strip()][:MAX_FILTERS]


class QueryText(forms.CharField):
    """Text that the query language reads: control characters are its to take out, with a
    message, so a NUL does not make the form drop the whole value (CharField refuses a
    NUL, and the search would then be for nothing, without a word)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators = [
            validator
            for validator in self.validators
            if not isinstance(validator, ProhibitNullCharactersValidator)
        ]

    def bound_data(self, data: Any, initial: Any) -> Any:
        return shown_printable(super().bound_data(data, initial))


class SearchForm(forms.Form):
    q = QueryText(
        label="Search for",
        required=False,
        strip=True,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    speaker = ValuesField(
        label="Speaker",
        required=False,
        help_text=ANY_OF_HELP,
        widget=ChosenAndOneMore,
    )
    outlet = ValuesField(
        label="Outlet",
        required=False,
        help_text=ANY_OF_HELP,
        widget=ChosenAndOneMore,
    )
    sort = forms.ChoiceField(label="Sort by", required=False, choices=SORT_LABELS.items())
    conference = QueryText(required=False, widget=forms.HiddenInput)
    org = ValuesField(required=False, widget=forms.MultipleHiddenInput)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # "from" and "to", as in the query language; not valid Python attribute names.
        for name, label in (("from", "From"), ("to", "To")):
            self.fields[name] = QueryText(
                label=label,
                required=False,
                help_text=DATE_HELP,
                widget=forms.TextInput(attrs={"placeholder": "YYYY-MM-DD", "size": 10}),
            )
        self.order_fields(["q", "speaker", "outlet", "from", "to", "sort"])

    @property
    def filters_set(self) -> bool:
        """Whether a filter or sort control holds a value: the page then shows them
        unfolded, even on a phone."""
        getlist = getattr(self.data, "getlist", lambda name: [self.data.get(name, "")])
        return any(str(value).strip() for name in FILTER_CONTROLS for value in getlist(name))

    def search_input(self) -> SearchInput:
        """What was asked for, with defaults wherever a value is missing or unusable."""
        self.is_valid()  # fills cleaned_data with every field that is valid
        data = self.cleaned_data
        return SearchInput(
            q=data.get("q", ""),
            speaker=tuple(data.get("speaker", ())),
            outlet=tuple(data.get("outlet", ())),
            organization=tuple(data.get("org", ())),
            date_from=data.get("from", "").strip(),
            date_to=data.get("to", "").strip(),
            conference=data.get("conference", "").strip(),
            sort=data.get("sort") or "relevance",
        )
