"""Admin for people and organizations: names and aliases, and merging two records of one
person."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from ..forms import MergePeopleForm
from ..models import (
    Organization,
    Person,
)


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
