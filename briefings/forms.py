from __future__ import annotations

from django import forms
from django.conf import settings

from .ingest.detect import format_names


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field: the pages of one briefing, or several briefings."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: object, initial: object = None) -> list:
        single = super().clean
        if isinstance(data, list | tuple):
            if not data and self.required:
                raise forms.ValidationError("Choose at least one file to upload.")
            return [single(item, initial) for item in data]
        return [single(data, initial)]


def format_choices() -> list[tuple[str, str]]:
    return [("", "Detect automatically"), *((name, name) for name in format_names())]


class UploadForm(forms.Form):
    files = MultipleFileField(
        help_text="One or several transcript files: the pages of one briefing, or "
        "several briefings (.txt, .md, .html, .json, .jsonl)."
    )
    format = forms.ChoiceField(choices=format_choices, required=False)
    replace = forms.BooleanField(
        required=False,
        help_text="Update a briefing already in the archive with this changed transcript "
        "(its URLs stay the same).",
    )

    def clean_files(self) -> list:
        files = self.cleaned_data["files"]
        limit = settings.INGEST_MAX_BYTES
        for upload in files:
            if upload.size > limit:
                raise forms.ValidationError(
                    f"{upload.name} is too large ({upload.size / 1_048_576:.1f} MB; "
                    f"the limit is {limit / 1_048_576:.0f} MB). Nothing was saved."
                )
        return files


class ConfirmUploadForm(forms.Form):
    token = forms.RegexField(regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput)
    format = forms.ChoiceField(choices=format_choices, required=False, widget=forms.HiddenInput)
    replace = forms.BooleanField(required=False, widget=forms.HiddenInput)


class MergePeopleForm(forms.Form):
    keep = forms.ModelChoiceField(
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        help_text="The others' turns, briefings and names move to this person.",
    )

    def __init__(self, *args: object, people: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = people
