"""Admin for commitments: the review queue, edits kept in each commitment's history."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html

from ..models import (
    Commitment,
    CommitmentChange,
)
from .review import decide, review_urls


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
    """The review queue: filter "Machine-found, not reviewed", then confirm or reject; or
    one at a time, from the keyboard, on the review page (review.py).

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

    def get_urls(self) -> list:
        return [*review_urls(self.admin_site), *super().get_urls()]

    def _review(self, request: HttpRequest, queryset: QuerySet, review: str) -> None:
        decide(queryset, review, user=request.user)
        self.message_user(request, f"Marked {queryset.count()} as {review}.", messages.SUCCESS)

    @admin.action(description="Confirm selected commitments")
    def confirm(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._review(request, queryset, Commitment.Review.CONFIRMED)

    @admin.action(description="Reject selected commitments (not a commitment)")
    def reject(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._review(request, queryset, Commitment.Review.REJECTED)


def _plain(value: object) -> object:
    """A value as JSON can hold it, for the change history."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
