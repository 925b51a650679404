"""The site's forms: the admin's upload, merge and commitment forms, and the filters of
the briefing list and the commitments page, which never fail a page: a value they do not
know is left out, and the page says so."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django import forms
from django.conf import settings

from .ingest.formats import format_names
from .models import (
    DUE_SOON_DAYS,
    UNREVIEWED,
    Commitment,
    ConferenceKind,
    Organization,
    Person,
)
from .upload import limits_text as upload_limits_text
from .upload import over_the_limits


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
        "several briefings (text, Markdown, saved web pages, this archive's JSON export)."
    )
    format = forms.ChoiceField(choices=format_choices, required=False)
    replace = forms.BooleanField(
        required=False,
        help_text="Update a briefing already in the archive with this changed transcript "
        "(its old URLs keep working).",
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text += " " + upload_limits_text()

    def clean_files(self) -> list:
        files = self.cleaned_data["files"]
        # One file is held to the ingest's limit, and to the upload's own when that is less.
        limit = min(settings.INGEST_MAX_BYTES, settings.UPLOAD_MAX_BYTES)
        for upload in files:
            if upload.size > limit:
                raise forms.ValidationError(
                    f"{upload.name} is too large ({upload.size / 1_048_576:.1f} MB; "
                    f"the limit is {limit / 1_048_576:.0f} MB). Nothing was saved."
                )
        if refused := over_the_limits([upload.size for upload in files]):
            raise forms.ValidationError(refused)
        return files


class FetchUploadForm(forms.Form):
    """The upload's "Add from URL": a transcript page (or a page of a series) to fetch."""

    prefix = "fetch"  # beside the upload form on one page: ids of its own

    url = forms.URLField(
        label="Address",
        max_length=500,
        assume_scheme="https",
        help_text="A transcript page on the government's site; for a page of a series, "
        "its other pages are fetched too. A list page belongs under Sources to watch.",
    )
    format = forms.ChoiceField(choices=format_choices, required=False)
    replace = forms.BooleanField(
        required=False,
        help_text="Update a briefing already in the archive with this changed transcript "
        "(its old URLs keep working).",
    )

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        if not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError("Only http and https addresses are fetched.")
        return url


class ConfirmUploadForm(forms.Form):
    """The preview's confirmation: the stashed upload, its options, and a date for each
    transcript that names none (`date_<n>`, n counting the previewed documents from 1)."""

    token = forms.RegexField(regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput)
    format = forms.ChoiceField(choices=format_choices, required=False, widget=forms.HiddenInput)
    replace = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: object, undated: Iterable[int] = (), **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound:  # the dates posted, whichever documents they were shown for
            undated = [int(name[5:]) for name in self.data if DATE_FIELD.fullmatch(name)]
        for number in undated:
            self.fields[f"date_{number}"] = forms.DateField(
                required=False,
                input_formats=["%Y-%m-%d"],
                widget=forms.DateInput(
                    attrs={"type": "date", "form": "upload-confirm"}, format="%Y-%m-%d"
                ),
                label="Held on",
                help_text="The transcript names no date: give it here (YYYY-MM-DD), or it "
                "is saved undated.",
                error_messages={"invalid": "Not a date: give it as YYYY-MM-DD."},
            )

    def date_field(self, number: int) -> forms.BoundField | None:
        name = f"date_{number}"
        return self[name] if name in self.fields else None

    def dates(self) -> dict[int, dt.date]:
        """The dates given, by document number."""
        return {
            int(name[5:]): value
            for name, value in self.cleaned_data.items()
            if name.startswith("date_") and value is not None
        }


DATE_FIELD = re.compile(r"date_[1-9][0-9]{0,3}")


class CommitmentForm(forms.ModelForm):
    """Carries the row's version from the moment the form was opened: a save is refused,
    with the admin's values left in the form, when the row changed since (another admin, a
    re-ingest that retired it, the extractor). A re-ingest that only moved it to its
    sentence in the new text changes no version, and the save lands. The commitment
    admin's change form, and the review page's card (admin/review.py)."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial.setdefault("seen_version", self.instance.version)

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        # Locked until the admin's transaction ends (changeform_view is atomic, and so is
        # the review page's edit): a re-ingest or another save cannot slip in between this
        # check and the save.
        now = (
            Commitment.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values("version", "retired")
            .first()
        )
        if now is None:
            raise forms.ValidationError("This commitment was deleted: nothing was saved.")
        if cleaned.get("seen_version") != now["version"]:
            retired = (
                f" It is now retired: {Commitment.Retired(now['retired']).label.lower()}."
                if now["retired"]
                else ""
            )
            raise forms.ValidationError(
                "This commitment changed after you opened this form (another admin, a "
                "re-ingest or the extractor: its history says which), so nothing was saved."
                f"{retired} Your values are still in the form: reload the page to see the "
                "current ones, then make your change again."
            )
        return cleaned


class MergeForm(forms.Form):
    """Which of several records of one person or outlet to keep."""

    keep = forms.ModelChoiceField(
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        help_text="The others' turns, briefings, names and addresses move to this one.",
    )

    def __init__(self, *args: object, records: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = records


@dataclass(frozen=True)
class CommitmentFilters:
    """The commitments page's question, as its links and exports carry it."""

    status: str = ""
    actor: str = ""
    speaker: str = ""
    year: int | None = None
    due: str = ""
    sort: str = "deadline"

    def params(self) -> dict[str, object]:
        """In a fixed order, defaults left out: one question, one URL."""
        return {
            key: value
            for key, value in (
                ("status", self.status),
                ("actor", self.actor),
                ("speaker", self.speaker),
                ("year", self.year),
                ("due", self.due),
                ("sort", "" if self.sort == "deadline" else self.sort),
            )
            if value
        }


class CommitmentFilterForm(forms.Form):
    """The commitments page's filters. Nothing here fails the page: a value that is not one
    of the choices is left out, and the page says so."""

    DUE_CHOICES = [
        ("", "Any time"),
        ("soon", f"Due in the next {DUE_SOON_DAYS} days"),
        ("overdue", "Past deadline and still open"),
    ]
    SORT_CHOICES = [("deadline", "Deadline, soonest first"), ("newest", "Newest said")]

    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any"), (UNREVIEWED, "Not yet reviewed"), *Commitment.Status.choices],
        help_text="A status is set by an editor's review",
    )
    actor = forms.CharField(label="Actor", required=False, help_text="Contains, e.g. ministry")
    speaker = forms.ChoiceField(label="Speaker", required=False)
    year = forms.TypedChoiceField(label="Deadline year", required=False, coerce=int)
    due = forms.ChoiceField(label="When", required=False, choices=DUE_CHOICES)
    sort = forms.ChoiceField(label="Sort by", required=False, choices=SORT_CHOICES)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        shown = Commitment.objects.shown()
        speakers = Person.objects.filter(turns__commitments__in=shown).distinct()
        self.fields["speaker"].choices = [("", "Anyone"), *speakers.values_list("slug", "name")]
        years = shown.dates("deadline_date", "year")
        self.fields["year"].choices = [("", "Any"), *((d.year, d.year) for d in years)]

    def filters(self) -> CommitmentFilters:
        """What was asked for; a field whose value is not valid counts as not set."""
        self.is_valid()  # fills cleaned_data with every field that is valid
        data = self.cleaned_data
        return CommitmentFilters(
            status=data.get("status", ""),
            actor=data.get("actor", "").strip(),
            speaker=data.get("speaker", ""),
            year=data.get("year") or None,
            due=data.get("due", ""),
            sort=data.get("sort") or "deadline",
        )


class BriefingFilterForm(forms.Form):
    """The briefing list's filters. Nothing here fails the page: a value it does not know is
    left out, and the page says so."""

    # The default message repeats the value given, however long.
    NOT_A_CHOICE = {"invalid_choice": "That is not one of the choices."}

    organizer = forms.ChoiceField(label="Organizer", required=False, error_messages=NOT_A_CHOICE)
    kind = forms.ChoiceField(
        label="Kind",
        required=False,
        choices=[("", "Any"), *ConferenceKind.choices],
        error_messages=NOT_A_CHOICE,
    )
    person = forms.SlugField(
        label="Attended by", required=False, max_length=120, widget=forms.HiddenInput
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        organizers = Organization.objects.filter(conferences__isnull=False).distinct()
        self.fields["organizer"].choices = [("", "Any"), *organizers.values_list("slug", "name")]
        self.person: Person | None = None

    def clean_person(self) -> str:
        slug = self.cleaned_data["person"]
        if slug:
            self.person = Person.objects.filter(slug=slug).first()
            if self.person is None:
                raise forms.ValidationError("There is nobody by that name in the archive.")
        return slug

    def params(self) -> dict[str, object]:
        """The valid filters, in a fixed order."""
        self.is_valid()
        data = self.cleaned_data
        return {name: data.get(name, "") for name in ("organizer", "kind", "person")}


def left_out(form: forms.Form) -> list[str]:
    """What a filter form left out, one message a value, for the top of its page."""
    return [
        f"{form.fields[name].label}: {error} It was left out."
        for name, errors in form.errors.items()
        for error in errors
    ]
