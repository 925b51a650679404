"""Admin for briefings and what they hold: the upload with its preview, participants,
exchanges, turns and the stored source files."""

from __future__ import annotations

import datetime as dt

from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from .. import audit, upload
from ..fetching.run import Origin, apply_origins, fetch_for_preview, origins_of
from ..forms import ConfirmUploadForm, FetchUploadForm, UploadForm
from ..ingest.extraction import reextract_conference
from ..ingest.run import (
    FAILED,
    Document,
    load_documents_whole,
    preview_status,
    read_documents,
    undated_documents,
)
from ..models import (
    Conference,
    Exchange,
    IngestRun,
    Participant,
    Source,
    Turn,
)
from .permissions import refusal


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


AUDIT_EXAMPLES = 20  # examples shown per kind on the audit page
REPLACE_REFUSED = (
    "Replace needs the permission to change briefings and delete their exchanges "
    "(change conference, delete exchange), which your account does not have."
)


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
                "upload/url/",
                self.admin_site.admin_view(self.fetch_view),
                name="briefings_conference_upload_url",
            ),
            path(
                "upload/confirm/",
                self.admin_site.admin_view(self.confirm_upload_view),
                name="briefings_conference_upload_confirm",
            ),
            path(
                "audit/",
                self.admin_site.admin_view(self.audit_view),
                name="briefings_conference_audit",
            ),
            *super().get_urls(),
        ]

    def audit_view(self, request: HttpRequest) -> HttpResponse:
        """The records a person would call wrong (manage.py audit), read-only."""
        if not self.has_view_permission(request):
            return HttpResponse(status=403)
        findings = audit.audit()
        sources, rows = audit.table(findings, list(audit.KINDS))
        examples = [
            (row, [f for f in findings if f.kind == row.kind][:AUDIT_EXAMPLES])
            for row in rows
            if row.total
        ]
        context = self._context(
            request, title="Audit", sources=sources, rows=rows, examples=examples,
            total=len(findings), limit=AUDIT_EXAMPLES,
        )  # fmt: skip
        return TemplateResponse(request, "admin/briefings/conference/audit.html", context)

    def has_replace_permission(self, request: HttpRequest) -> bool:
        """Replace rewrites a stored briefing in place, its old exchanges deleted; adding
        briefings alone does not allow it."""
        exchanges = self.admin_site._registry[Exchange]
        return self.has_change_permission(request) and exchanges.has_delete_permission(request)

    def _replace_refused(self, request: HttpRequest, form: UploadForm | FetchUploadForm) -> bool:
        """A valid upload form asking to replace, from a user who may not: said on its
        field, and nothing read or kept."""
        if form.cleaned_data["replace"] and not self.has_replace_permission(request):
            form.add_error("replace", REPLACE_REFUSED)
            return True
        return False

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
        if posted and form.is_valid() and not self._replace_refused(request, form):
            files = [(f.name, f.read()) for f in form.cleaned_data["files"]]
            return self._read_into_preview(request, files, form.cleaned_data)
        return self._upload_page(request, form=form)

    def fetch_view(self, request: HttpRequest) -> HttpResponse:
        """Step 1 from an address: the page (and its series) fetched, then the same
        preview as an upload; nothing is saved yet."""
        if not self.has_add_permission(request):
            return HttpResponse(status=403)
        form = FetchUploadForm(request.POST or None)
        if (
            request.method == "POST"
            and form.is_valid()
            and not self._replace_refused(request, form)
        ):
            format_name = form.cleaned_data["format"] or None
            files, fetched, report = fetch_for_preview(
                form.cleaned_data["url"], format_name=format_name
            )
            if files:
                return self._read_into_preview(
                    request, files, form.cleaned_data, origins=origins_of(fetched)
                )
            for line in report.lines:
                self.message_user(request, " ".join(line.split()), messages.ERROR)
        return self._upload_page(request, fetch_form=form)

    def _upload_page(
        self,
        request: HttpRequest,
        *,
        form: UploadForm | None = None,
        fetch_form: FetchUploadForm | None = None,
    ) -> HttpResponse:
        return TemplateResponse(
            request,
            "admin/briefings/conference/upload.html",
            self._context(
                request, form=form or UploadForm(), fetch_form=fetch_form or FetchUploadForm()
            ),
        )

    def _read_into_preview(
        self,
        request: HttpRequest,
        files: list[tuple[str, bytes]],
        choices: dict,
        *,
        origins: dict[str, Origin] | None = None,
    ) -> HttpResponse:
        """Files (uploaded or fetched) read into the preview, and kept aside for the
        confirm when any is readable."""
        if refused := upload.over_the_limits([len(data) for _, data in files]):
            self.message_user(request, refused, messages.ERROR)
            return self._upload_page(request)
        format_name = choices["format"] or None
        documents = read_documents(files, format_name=format_name)
        apply_origins(documents, origins or {})
        can_save = any(document.parsed for document in documents)
        # Nothing readable: nothing is kept waiting for a confirm that could save nothing.
        token = upload.stash_files(files, origins=_as_json(origins)) if can_save else ""
        confirm = ConfirmUploadForm(
            initial={
                "token": token,
                "format": format_name or "",
                "replace": choices["replace"],
                **{
                    f"date_{number}": document.parsed.held_on
                    for number, document in enumerate(documents, start=1)
                    if document.parsed is not None
                },
            },
            undated=undated_documents(documents),
        )
        return self._preview(request, documents, confirm)

    def _preview(
        self,
        request: HttpRequest,
        documents: list[Document],
        confirm: ConfirmUploadForm,
        *,
        status: int = 200,
    ) -> TemplateResponse:
        """The parsed documents, what saving each would do (and the stored briefing it
        matches), a date field for each that names no date, and the confirm form."""
        return TemplateResponse(
            request,
            "admin/briefings/conference/upload_preview.html",
            self._context(
                request,
                title="Check the transcripts before saving",
                previews=[
                    (document, preview_status(document), confirm.date_field(number))
                    for number, document in enumerate(documents, start=1)
                ],
                confirm=confirm,
                can_save=any(document.parsed for document in documents),
                failures=sum(1 for document in documents if document.parsed is None),
            ),
            status=status,
        )

    def save_model(self, request: HttpRequest, obj: Conference, form: object, change: bool) -> None:
        """A date set or changed here resolves the briefing's deadlines again."""
        super().save_model(request, obj, form, change)
        if change and "held_on" in form.changed_data:
            reextract_conference(obj)

    def confirm_upload_view(self, request: HttpRequest) -> HttpResponse:
        """Step 2: save what the preview showed, or throw it away."""
        if not self.has_add_permission(request):
            return HttpResponse(status=403)
        if request.method != "POST":
            return redirect("admin:briefings_conference_upload")
        replace = ConfirmUploadForm.base_fields["replace"].to_python(request.POST.get("replace"))
        if replace and not self.has_replace_permission(request):
            return refusal(REPLACE_REFUSED)  # the preview refused it: a hand-made POST
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
                self._context(request, form=UploadForm(), fetch_form=FetchUploadForm()),
                status=400,
            )
        if "cancel" in request.POST:
            upload.discard(token)
            self.message_user(request, "Upload cancelled; nothing was saved.", messages.INFO)
            return redirect("admin:briefings_conference_upload")
        valid = form.is_valid()
        if refused := upload.over_the_limits(upload.stashed_sizes(token) or []):
            # Kept under larger limits, or altered: refused before anything is read.
            upload.discard(token)
            self.message_user(request, refused, messages.ERROR)
            return redirect("admin:briefings_conference_upload")
        files = upload.stashed_files(token) if "token" in form.cleaned_data else None
        if files is None:
            self.message_user(
                request,
                "That upload is no longer waiting (already saved, cancelled or expired). "
                "Please upload the files again.",
                messages.ERROR,
            )
            return redirect("admin:briefings_conference_upload")
        documents = read_documents(files, format_name=form.cleaned_data.get("format") or None)
        apply_origins(documents, _from_json(upload.stashed_origins(token)))
        if not valid:  # a date that is not one: the preview again, saying which
            return self._preview(request, documents, form, status=400)
        for number, held_on in form.dates().items():
            if 0 < number <= len(documents):
                documents[number - 1].give_date(held_on)
        report = load_documents_whole(
            documents,
            replace=form.cleaned_data["replace"],
            # Dating a stored undated briefing changes it: not for an add-only account.
            date_stored=self.has_change_permission(request),
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


def _as_json(origins: dict[str, Origin] | None) -> dict[str, dict] | None:
    if not origins:
        return None
    return {
        name: {"url": o.url, "fetched_at": o.fetched_at.isoformat(), "media_type": o.media_type}
        for name, o in origins.items()
    }


def _from_json(stashed: dict[str, dict]) -> dict[str, Origin]:
    return {
        name: Origin(o["url"], dt.datetime.fromisoformat(o["fetched_at"]), o["media_type"])
        for name, o in stashed.items()
    }


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
