"""The search form: the box and the controls for the same filters the query language has.

Nothing here makes a search fail: an unknown sort falls back to the default, and values
the query language cannot use come back as messages on the page. The page number is the
view's to read, by the site's one rule (briefings/paging.py).
"""

from __future__ import annotations

from django import forms

from .searching import SORT_LABELS, SearchInput

DATE_HELP = "YYYY, YYYY-MM or YYYY-MM-DD"


FILTER_CONTROLS = ("speaker", "outlet", "from", "to", "sort")


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search for",
        required=False,
        strip=True,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    speaker = forms.CharField(label="Speaker", required=False, help_text="A name or slug")
    outlet = forms.CharField(label="Outlet", required=False, help_text="A name or slug")
    sort = forms.ChoiceField(label="Sort by", required=False, choices=SORT_LABELS.items())
    conference = forms.CharField(required=False, widget=forms.HiddenInput)
    org = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # "from" and "to", as in the query language; not valid Python attribute names.
        for name, label in (("from", "From"), ("to", "To")):
            self.fields[name] = forms.CharField(
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
        return any(str(self.data.get(name, "")).strip() for name in FILTER_CONTROLS)

    def search_input(self) -> SearchInput:
        """What was asked for, with defaults wherever a value is missing or unusable."""
        self.is_valid()  # fills cleaned_data with every field that is valid
        data = self.cleaned_data
        return SearchInput(
            q=data.get("q", ""),
            speaker=data.get("speaker", "").strip(),
            outlet=data.get("outlet", "").strip(),
            organization=data.get("org", "").strip(),
            date_from=data.get("from", "").strip(),
            date_to=data.get("to", "").strip(),
            conference=data.get("conference", "").strip(),
            sort=data.get("sort") or "relevance",
        )
