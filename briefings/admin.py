"""Admin: an edit screen for every record, the upload with preview, person merge, the log."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from . import upload
from .forms import ConfirmUploadForm, MergePeopleForm, UploadForm
from .ingest.run import (
    FAILED,
    load_documents,
    mark_interrupted_runs,
    preview_status,
    read_documents,
)
from .models import (
    Commitment,
    CommitmentChange,
    Conference,
    ConferenceSlug,
    Exchange,
    ExchangeRedirect,
    IngestRun,
    Organization,
    Participant,
    Person,
    Source,
    Turn,
)

admin.site.site_header = "Briefing Archive administration"


class AliasesField(forms.CharField):
    """A list of names edited as lines of text, not as JSON."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: object) -> str:
        if isinstance(value, list):
            return "\n".join(value)
        return "" if value is None else str(value)

    def to_python(self, value: object) -> list[str]:
        lines = str(value or "").splitlines()
        return list(dict.fromkeys(" ".join(line.split()) for line in lines if line.strip()))


class WithAliasesForm(forms.ModelForm):
    aliases = AliasesField(required=False, help_text="One per line, e.g. MS. PSAKI.")


admin.site.site_title = "Briefing Archive"


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    form = WithAliasesForm
    list_display = ["name", "kind", "question_count"]
    list_filter = ["kind"]
    search_fields = ["name", "aliases"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(question_total=Count("questions"))

    @admin.display(description="questions", ordering="question_total")
    def question_count(self, organization: Organization) -> int:
        return organization.question_total


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    form = WithAliasesForm
    list_display = ["name", "other_names", "turn_count"]
    search_fields = ["name", "aliases"]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["merge_people"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(turn_total=Count("turns"))

    @admin.display(description="turns", ordering="turn_total")
    def turn_count(self, person: Person) -> int:
        return person.turn_total

    @admin.display(description="also printed as")
    def other_names(self, person: Person) -> str:
        return ", ".join(person.aliases)

    @admin.action(description="Merge selected people into one")
    def merge_people(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        people = queryset.order_by("name")
        if people.count() < 2:
            self.message_user(request, "Select two or more people to merge.", messages.WARNING)
            return None
        form = MergePeopleForm(request.POST if "apply" in request.POST else None, people=people)
        if form.is_valid():
            keep = form.cleaned_data["keep"]
            others = [person for person in people if person.pk != keep.pk]
            keep.absorb(others)
            self.message_user(
                request,
                f"Merged {', '.join(o.name for o in others)} into {keep.name}.",
                messages.SUCCESS,
            )
            return None
        return TemplateResponse(
            request,
            "admin/briefings/person/merge.html",
            {
                **self.admin_site.each_context(request),
                "title": "Merge people",
                "opts": self.model._meta,
                "form": form,
                "people": people,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    autocomplete_fields = ["person", "organization"]


class SourceInline(admin.TabularInline):
    model = Source
    extra = 0
    can_delete = False
    fields = ["position", "filename", "format", "parser_version"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ExchangeInline(admin.TabularInline):
    model = Exchange
    extra = 0
    fields = ["position", "kind", "edit_link"]
    readonly_fields = ["edit_link"]
    show_change_link = True

    @admin.display(description="turns")
    def edit_link(self, exchange: Exchange) -> str:
        if not exchange.pk:
            return ""
        url = reverse("admin:briefings_exchange_change", args=[exchange.pk])
        return format_html('<a href="{}">edit turns</a>', url)


@admin.register(Conference)
class ConferenceAdmin(admin.ModelAdmin):
    list_display = ["title", "held_on", "kind", "organizer", "exchange_count"]
    list_filter = ["kind", ("organizer", admin.RelatedOnlyFieldListFilter), "format"]
    search_fields = ["title", "summary", "location", "source_url"]
    date_hierarchy = "held_on"
    exclude = ["warnings"]
    readonly_fields = ["parse_warnings", "content_hash", "format", "created_at", "updated_at"]
    autocomplete_fields = ["organizer"]
    inlines = [ParticipantInline, SourceInline, ExchangeInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .select_related("organizer")
            .annotate(exchange_total=Count("exchanges"))
        )

    @admin.display(description="exchanges", ordering="exchange_total")
    def exchange_count(self, conference: Conference) -> int:
        return conference.exchange_total

    @admin.display(description="warnings")
    def parse_warnings(self, conference: Conference) -> str:
        if not conference.warnings:
            return "none"
        return format_html_join("", "<p>{}</p>", ((warning,) for warning in conference.warnings))

    def get_urls(self) -> list:
        return [
            path(
                "upload/",
                self.admin_site.admin_view(self.upload_view),
                name="briefings_conference_upload",
            ),
            path(
                "upload/confirm/",
                self.admin_site.admin_view(self.confirm_upload_view),
                name="briefings_conference_upload_confirm",
            ),
            *super().get_urls(),
        ]

    def _context(self, request: HttpRequest, **extra: object) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Upload transcripts",
            **extra,
        }

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        """Step 1: files in, a parsed preview out; nothing is saved yet."""
        if not self.has_add_permission(request):
            return HttpResponse(status=403)
        posted = request.method == "POST"
        form = UploadForm(request.POST, request.FILES) if posted else UploadForm()
        if posted and form.is_valid():
            files = [(f.name, f.read()) for f in form.cleaned_data["files"]]
            format_name = form.cleaned_data["format"] or None
            documents = read_documents(files, format_name=format_name)
            can_save = any(document.parsed for document in documents)
            # Nothing readable: nothing is kept waiting for a confirm that could save nothing.
            token = upload.stash_files(files) if can_save else ""
            confirm = ConfirmUploadForm(
                initial={
                    "token": token,
                    "format": format_name or "",
                    "replace": form.cleaned_data["replace"],
                }
            )
            return TemplateResponse(
                request,
                "admin/briefings/conference/upload_preview.html",
                self._context(
                    request,
                    title="Check the transcripts before saving",
                    previews=[(document, preview_status(document)) for document in documents],
                    confirm=confirm,
                    can_save=can_save,
                    failures=sum(1 for document in documents if document.parsed is None),
                ),
            )
        return TemplateResponse(
            request, "admin/briefings/conference/upload.html", self._context(request, form=form)
        )

    def confirm_upload_view(self, request: HttpRequest) -> HttpResponse:
        """Step 2: save what the preview showed, or throw it away."""
        if not self.has_add_permission(request):
            return HttpResponse(status=403)
        if request.method != "POST":
            return redirect("admin:briefings_conference_upload")
        form = ConfirmUploadForm(request.POST)
        token = request.POST.get("token", "")
        if token and not upload.TOKEN.fullmatch(token):
            # Only a tampered form sends this (a path, say): refused, nothing is read.
            self.message_user(
                request,
                "That upload is no longer waiting (the form was altered). "
                "Please upload the files again.",
                messages.ERROR,
            )
            return TemplateResponse(
                request,
                "admin/briefings/conference/upload.html",
                self._context(request, form=UploadForm()),
                status=400,
            )
        if "cancel" in request.POST:
            upload.discard(token)
            self.message_user(request, "Upload cancelled; nothing was saved.", messages.INFO)
            return redirect("admin:briefings_conference_upload")
        files = upload.stashed_files(token) if form.is_valid() else None
        if files is None:
            self.message_user(
                request,
                "That upload is no longer waiting (already saved, cancelled or expired). "
                "Please upload the files again.",
                messages.ERROR,
            )
            return redirect("admin:briefings_conference_upload")
        documents = read_documents(files, format_name=form.cleaned_data["format"] or None)
        report = load_documents(
            documents,
            replace=form.cleaned_data["replace"],
            via=IngestRun.Via.UPLOAD,
            user=request.user,
        )
        upload.discard(token)
        for outcome in report.outcomes:
            level = messages.ERROR if outcome.status == FAILED else messages.SUCCESS
            self.message_user(request, outcome.line(), level)
        saved = [o for o in report.outcomes if o.status != FAILED and o.slug]
        if len(saved) == 1:
            conference = Conference.objects.get(slug=saved[0].slug)
            return redirect("admin:briefings_conference_change", conference.pk)
        return HttpResponseRedirect(
            reverse("admin:briefings_ingestrun_change", args=[report.run.pk])
        )


class TurnInline(admin.StackedInline):
    model = Turn
    extra = 0
    fields = [
        ("position", "role"),
        ("speaker_label", "speaker_title"),
        ("person", "outlet"),
        "text",
    ]
    autocomplete_fields = ["person", "outlet"]


@admin.register(Exchange)
class ExchangeAdmin(admin.ModelAdmin):
    list_display = ["conference", "position", "kind"]
    list_filter = ["kind"]
    search_fields = ["conference__title", "turns__text"]
    list_select_related = ["conference"]
    raw_id_fields = ["conference"]
    inlines = [TurnInline]


@admin.register(Turn)
class TurnAdmin(admin.ModelAdmin):
    list_display = ["speaker_label", "person", "outlet", "role", "short_text", "conference"]
    list_filter = ["role"]
    search_fields = ["speaker_label", "text", "person__name", "outlet__name"]
    list_select_related = ["person", "outlet", "exchange__conference"]
    autocomplete_fields = ["person", "outlet"]
    raw_id_fields = ["exchange"]

    @admin.display(description="text")
    def short_text(self, turn: Turn) -> str:
        return turn.text[:100]

    @admin.display(description="briefing")
    def conference(self, turn: Turn) -> Conference:
        return turn.exchange.conference


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["person", "title", "organization", "is_chair", "conference"]
    list_filter = ["is_chair"]
    search_fields = ["person__name", "title", "conference__title"]
    list_select_related = ["person", "organization", "conference"]
    autocomplete_fields = ["person", "organization"]
    raw_id_fields = ["conference"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["filename", "position", "format", "parser_version", "conference"]
    list_filter = ["format"]
    search_fields = ["filename", "url", "sha256", "conference__title"]
    list_select_related = ["conference"]
    exclude = ["content"]
    readonly_fields = [
        "conference",
        "position",
        "filename",
        "url",
        "media_type",
        "sha256",
        "format",
        "parser_version",
        "ingested_at",
        "size",
    ]

    @admin.display(description="size (bytes)")
    def size(self, source: Source) -> int:
        return len(source.content)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(IngestRun)
class IngestRunAdmin(admin.ModelAdmin):
    """The ingest log: read-only, and kept (no deletes) so it stays a record."""

    list_display = ["started_at", "via", "user", "status", "summary"]
    list_filter = ["status", "via"]
    search_fields = ["report", "error_text", "files"]
    fields = [
        "started_at",
        "finished_at",
        "via",
        "user",
        "status",
        "summary",
        "briefings",
        "file_list",
        "report_text",
        "errors",
    ]
    readonly_fields = fields

    def changelist_view(
        self, request: HttpRequest, extra_context: dict | None = None
    ) -> HttpResponse:
        mark_interrupted_runs()  # a killed ingest shows as interrupted, not running
        return super().changelist_view(request, extra_context)

    @admin.display(description="result")
    def summary(self, run: IngestRun) -> str:
        parts = [
            f"{count} {label}"
            for count, label in (
                (run.created, "created"),
                (run.replaced, "replaced"),
                (run.unchanged, "unchanged"),
                (run.failed, "failed"),
            )
            if count
        ]
        return ", ".join(parts) or "nothing"

    @admin.display(description="briefings")
    def briefings(self, run: IngestRun) -> str:
        return format_html_join(
            "",
            '<p><a href="{}">{}</a></p>',
            (
                (reverse("admin:briefings_conference_change", args=[c.pk]), str(c))
                for c in run.conferences.all()
            ),
        )

    @admin.display(description="files")
    def file_list(self, run: IngestRun) -> str:
        return format_html("<pre>{}</pre>", "\n".join(run.files))

    @admin.display(description="report")
    def report_text(self, run: IngestRun) -> str:
        return format_html("<pre>{}</pre>", run.report)

    @admin.display(description="errors")
    def errors(self, run: IngestRun) -> str:
        return format_html("<pre>{}</pre>", run.error_text) if run.error_text else "none"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class CommitmentChangeInline(admin.TabularInline):
    model = CommitmentChange
    extra = 0
    can_delete = False
    fields = ["changed_at", "user", "changes"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class DeadlineYearFilter(admin.SimpleListFilter):
    title = "deadline year"
    parameter_name = "deadline_year"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        years = Commitment.objects.dates("deadline_date", "year")
        return [(str(year.year), str(year.year)) for year in years]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.filter(deadline_date__year=self.value()) if self.value() else queryset


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    """The review queue: filter "Machine-found, not reviewed", then confirm or reject.

    Every change an admin saves is recorded field by field (the history below the form);
    editing a machine-found commitment marks it edited, so re-extraction keeps it.
    """

    list_display = ["sentence_short", "actor", "deadline_date", "review", "status", "speaker"]
    list_filter = ["review", "status", "kind", DeadlineYearFilter]
    search_fields = ["sentence", "actor", "action", "turn__person__name"]
    list_select_related = ["turn__person", "turn__exchange__conference"]
    date_hierarchy = "deadline_date"
    actions = ["confirm", "reject"]
    inlines = [CommitmentChangeInline]
    fieldsets = [
        (None, {"fields": ["sentence", "briefing", "actor", "action", "kind", "strength"]}),
        ("How much", {"fields": ["quantity_text", "quantity_value", "quantity_unit"]}),
        ("By when", {"fields": ["deadline_text", "deadline_date", "deadline_precision"]}),
        ("Review", {"fields": ["review", "status", "status_note", "evidence_url"]}),
        (
            "Machine",
            {"fields": ["confidence", "extractor_version", "reviewed_by", "reviewed_at"]},
        ),
    ]
    readonly_fields = [
        "sentence",
        "briefing",
        "confidence",
        "extractor_version",
        "reviewed_by",
        "reviewed_at",
    ]

    @admin.display(description="sentence")
    def sentence_short(self, commitment: Commitment) -> str:
        return commitment.sentence[:120]

    @admin.display(description="speaker")
    def speaker(self, commitment: Commitment) -> str:
        turn = commitment.turn
        return turn.person.name if turn.person else turn.speaker_label

    @admin.display(description="said in")
    def briefing(self, commitment: Commitment) -> str:
        exchange = commitment.turn.exchange
        return format_html(
            '<a href="{}">{} #{}</a>',
            exchange.get_absolute_url(),
            exchange.conference.title,
            exchange.position,
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: Commitment, form: forms.ModelForm, change: bool
    ) -> None:
        changes = {
            name: [_plain(form.initial.get(name)), _plain(form.cleaned_data.get(name))]
            for name in form.changed_data
        }
        if changes:
            if obj.review == Commitment.Review.MACHINE and "review" not in changes:
                obj.review = Commitment.Review.EDITED
                changes["review"] = [Commitment.Review.MACHINE, Commitment.Review.EDITED]
            obj.reviewed_by = request.user
            obj.reviewed_at = timezone.now()
        super().save_model(request, obj, form, change)
        if changes:
            CommitmentChange.objects.create(commitment=obj, user=request.user, changes=changes)

    def _review(self, request: HttpRequest, queryset: QuerySet, review: str) -> None:
        now = timezone.now()
        for commitment in queryset.exclude(review=review):
            CommitmentChange.objects.create(
                commitment=commitment,
                user=request.user,
                changes={"review": [commitment.review, review]},
            )
            commitment.review = review
            commitment.reviewed_by = request.user
            commitment.reviewed_at = now
            commitment.save(update_fields=["review", "reviewed_by", "reviewed_at", "updated_at"])
        self.message_user(request, f"Marked {queryset.count()} as {review}.", messages.SUCCESS)

    @admin.action(description="Confirm selected commitments")
    def confirm(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._review(request, queryset, Commitment.Review.CONFIRMED)

    @admin.action(description="Reject selected commitments (not a commitment)")
    def reject(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._review(request, queryset, Commitment.Review.REJECTED)


class OldAddressAdmin(admin.ModelAdmin):
    """Old addresses are written by renames and re-ingests (briefings/renumbering.py): an
    admin reads them here, and changes a briefing's slug on the briefing itself."""

    list_select_related = ["conference"]
    search_fields = ["slug", "conference__title", "conference__slug"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ConferenceSlug)
class ConferenceSlugAdmin(OldAddressAdmin):
    list_display = ["slug", "conference", "retired_at"]


@admin.register(ExchangeRedirect)
class ExchangeRedirectAdmin(OldAddressAdmin):
    list_display = ["slug", "old_position", "new_position", "exact", "conference", "created_at"]
    list_filter = ["exact"]


def _plain(value: object) -> object:
    """A value as JSON can hold it, for the change history."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
