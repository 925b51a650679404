"""Admin for the ingest log: one row per ingest, read-only."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from ..ingest.runlog import mark_interrupted_runs
from ..models import IngestRun


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
