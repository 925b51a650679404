"""Admin for commitments: the review queue, edits kept in each commitment's history, and
no edit saved over a change made since its form was opened."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.utils import timezone
from django.utils.html import format_html

from ..forms import CommitmentForm
from ..models import (
    Commitment,
    CommitmentChange,
)
from .permissions import ActionsCheckedAdmin
from .review import decide, review_urls


class CommitmentChangeInline(admin.TabularInline):
    model = CommitmentChange
    extra = 0
    can_delete = False
    fields = ["changed_at", "user", "changes", "note"]
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
class CommitmentAdmin(ActionsCheckedAdmin):
    """The review queue: filter "Machine-found, not reviewed", then confirm or reject; or
    one at a time, from the keyboard, on the review page (review.py).

    Every change an admin saves is recorded field by field (the history below the form);
    editing a machine-found commitment marks it edited, so re-extraction keeps it. A
    retired commitment (its sentence left the transcript) is kept here, marked retired.
    """

    form = CommitmentForm

    list_display = [
        "sentence_short",
        "actor",
        "deadline_date",
        "review",
        "status",
        "speaker",
        "retired",
    ]
    list_filter = ["review", "status", "kind", "retired", DeadlineYearFilter]
    search_fields = ["sentence", "actor", "action", "turn__person__name"]
    list_select_related = ["turn__person", "turn__exchange__conference"]
    date_hierarchy = "deadline_date"
    actions = ["confirm", "reject"]
    inlines = [CommitmentChangeInline]

    # Never deleted one by one, so never without its history: an editor rejects one that is
    # not a commitment, and a re-ingest retires one whose sentence is gone. (The delete
    # permission itself stays: deleting a whole briefing takes its commitments with it.)
    def get_actions(self, request: HttpRequest) -> dict:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        return HttpResponseForbidden(
            "A commitment is not deleted: reject it if it is not a commitment.",
            content_type="text/plain; charset=utf-8",
        )

    fieldsets = [
        (None, {"fields": ["sentence", "briefing", "actor", "action", "kind", "strength"]}),
        ("How much", {"fields": ["quantity_text", "quantity_value", "quantity_unit"]}),
        ("By when", {"fields": ["deadline_text", "deadline_date", "deadline_precision"]}),
        ("Review", {"fields": ["review", "status", "status_note", "evidence_url"]}),
        ("Retired", {"fields": ["retired", "retired_at", "seen_version"]}),
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
        "retired",
        "retired_at",
    ]

    @admin.display(description="sentence")
    def sentence_short(self, commitment: Commitment) -> str:
        return commitment.sentence[:120]

    @admin.display(description="speaker")
    def speaker(self, commitment: Commitment) -> str:
        turn = commitment.turn
        if turn is None:
            return ""
        return turn.person.name if turn.person else turn.speaker_label

    @admin.display(description="said in")
    def briefing(self, commitment: Commitment) -> str:
        if commitment.turn is None:  # retired: its sentence left the transcript
            conference = commitment.conference
            return format_html(
                '<a href="{}">{}</a> (no longer in its transcript)',
                conference.get_absolute_url(),
                conference.title,
            )
        exchange = commitment.turn.exchange
        return format_html(
            '<a href="{}">{} #{}</a>',
            exchange.get_absolute_url(),
            exchange.conference.title,
            exchange.position,
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict,
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Commitment | None = None,
    ) -> HttpResponse:
        # Here rather than in change_view: the row is already read, not fetched again.
        if request.method == "GET" and obj is not None and obj.retired:
            self.message_user(
                request,
                f"This commitment is retired ({obj.get_retired_display().lower()}): "
                "it is kept with its history, and left out of the public pages.",
                messages.WARNING,
            )
        # No delete button: see delete_view.
        context["show_delete"] = False
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(
        self, request: HttpRequest, obj: Commitment, form: forms.ModelForm, change: bool
    ) -> None:
        changed = [name for name in form.changed_data if name != "seen_version"]
        if not changed:
            return
        changes = {
            name: CommitmentChange.pair(form.initial.get(name), form.cleaned_data.get(name))
            for name in changed
        }
        if obj.review == Commitment.Review.MACHINE and "review" not in changes:
            obj.review = Commitment.Review.EDITED
            changes["review"] = [Commitment.Review.MACHINE, Commitment.Review.EDITED]
        obj.reviewed_by = request.user
        obj.reviewed_at = timezone.now()
        # Only what the form edits: the turn and offsets a re-ingest may have just moved
        # (CommitmentForm.clean checked nothing else changed) are not written back.
        obj.save(update_fields=[*changes, "reviewed_by", "reviewed_at"])
        CommitmentChange.objects.create(commitment=obj, user=request.user, changes=changes)

    def get_urls(self) -> list:
        return [*review_urls(self.admin_site), *super().get_urls()]

    def _review(self, request: HttpRequest, queryset: QuerySet, review: str) -> None:
        # What changed: the ones already so marked are left alone (decide).
        done = decide(queryset, review, user=request.user)
        self.message_user(request, f"Marked {done} as {review}.", messages.SUCCESS)

    @admin.action(description="Confirm selected commitments", permissions=["change"])
    def confirm(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._review(request, queryset, Commitment.Review.CONFIRMED)

    @admin.action(
        description="Reject selected commitments (not a commitment)", permissions=["change"]
    )
    def reject(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._review(request, queryset, Commitment.Review.REJECTED)
