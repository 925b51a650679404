"""Admin for people and organizations: names and aliases, merging several records of one
person or outlet (an action on each list), and the Possible duplicates page, where the
pairs the rules find (briefings/duplicates.py) are merged on confirm or dismissed."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count, Model, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from .. import duplicates
from ..forms import MergeForm
from ..models import NotDuplicate, Organization, Person, Turn
from ..text import organization_key
from .permissions import ActionsCheckedAdmin, needs, refusal

PAIRS_SHOWN = 100  # pairs listed per kind on the Possible duplicates page
MODELS = {duplicates.PERSON: Person, duplicates.OUTLET: Organization}


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


class OrganizationForm(WithAliasesForm):
    aliases = AliasesField(
        required=False,
        help_text="Other names it is printed as, one per line, e.g. AP for Associated Press. "
        "Later ingests file a question from any of them here.",
    )

    def clean(self) -> dict:
        """An alias names one organization of a kind: the ingest could not tell which."""
        cleaned = super().clean()
        kind = cleaned.get("kind") or self.instance.kind
        keys = {organization_key(alias) for alias in cleaned.get("aliases", [])}
        for other in Organization.objects.filter(kind=kind).exclude(pk=self.instance.pk):
            taken = sorted(alias for alias in other.aliases if organization_key(alias) in keys)
            if taken:
                self.add_error("aliases", f"{', '.join(taken)} is already an alias of {other}.")
        return cleaned


admin.site.site_title = "Briefing Archive"


class MergeAdmin(ActionsCheckedAdmin):
    """The merge action of a list of people or outlets (`merge_selected`)."""

    duplicate_kind = ""

    def merge_selected(
        self, request: HttpRequest, queryset: QuerySet, *, action: str
    ) -> HttpResponse | None:
        records = queryset.order_by("name")
        if records.count() < 2:
            self.message_user(request, "Select two or more to merge.", messages.WARNING)
            return None
        form = MergeForm(request.POST if "apply" in request.POST else None, records=records)
        if form.is_valid():
            merge(request, form.cleaned_data["keep"], list(records))
            return None
        hidden = [("action", action)] + [
            (admin.helpers.ACTION_CHECKBOX_NAME, record.pk) for record in records
        ]
        return merge_page(request, self, self.duplicate_kind, records, form, hidden)

    def has_merge_permission(self, request: HttpRequest) -> bool:
        """A merge rewrites one record and deletes the others: it needs both (the merge
        actions' `permissions=["merge"]`)."""
        return self.has_change_permission(request) and self.has_delete_permission(request)


@transaction.atomic
def merge(request: HttpRequest, keep: Person | Organization, records: list) -> None:
    """Merge `records` into `keep` and say what moved, and where the old addresses lead.
    A merge that would leave a turn behind is undone."""
    others = [record for record in records if record.pk != keep.pk]
    column, word = ("person", "turn") if isinstance(keep, Person) else ("outlet", "question")
    turns = Turn.objects.filter(**{f"{column}__in": [keep, *others]}).count()
    addresses = [other.get_absolute_url() for other in others]
    keep.absorb(others)
    held = Turn.objects.filter(**{column: keep}).count()
    if held != turns:
        raise RuntimeError(f"{keep} holds {held} {word}s after the merge, not {turns}")
    messages.success(
        request,
        f"Merged {', '.join(o.name for o in others)} into {keep.name}, which now has all "
        f"{turns} {word}{'s' if turns != 1 else ''}; {', '.join(addresses)} now "
        f"lead{'s' if len(addresses) == 1 else ''} to {keep.get_absolute_url()}.",
    )


def merge_page(
    request: HttpRequest,
    model_admin: admin.ModelAdmin,
    kind: str,
    records: QuerySet,
    form: MergeForm,
    hidden: list[tuple[str, object]],
) -> TemplateResponse:
    """The confirm step: each record with its evidence, and which one to keep."""
    found = duplicates.evidence(kind, records)
    return TemplateResponse(
        request,
        "admin/briefings/merge.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": f"Merge {model_admin.model._meta.verbose_name_plural}",
            "opts": model_admin.model._meta,
            "form": form,
            "records": [found[record.pk] for record in records],
            "turn_word": "question" if kind == duplicates.OUTLET else "turn",
            "hidden": hidden,
            "cancel_url": reverse(
                f"admin:briefings_{model_admin.model._meta.model_name}_changelist"
            ),
        },
    )


@admin.register(Organization)
class OrganizationAdmin(MergeAdmin):
    form = OrganizationForm
    list_display = ["name", "kind", "other_names", "question_count"]
    list_filter = ["kind"]
    search_fields = ["name", "aliases"]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["merge_outlets"]
    duplicate_kind = duplicates.OUTLET

    @admin.action(description="Merge selected organizations into one", permissions=["merge"])
    def merge_outlets(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        return self.merge_selected(request, queryset, action="merge_outlets")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(question_total=Count("questions"))

    @admin.display(description="questions", ordering="question_total")
    def question_count(self, organization: Organization) -> int:
        return organization.question_total

    @admin.display(description="also printed as")
    def other_names(self, organization: Organization) -> str:
        return ", ".join(organization.aliases)

    def save_model(
        self, request: HttpRequest, obj: Organization, form: forms.ModelForm, change: bool
    ) -> None:
        """Saved; where an alias is the name of another record of the kind, offer to merge
        it: later ingests file that name here, but what it already holds stays there."""
        super().save_model(request, obj, form, change)
        keys = obj.name_keys()
        for other in Organization.objects.filter(kind=obj.kind).exclude(pk=obj.pk):
            if organization_key(other.name) in keys:
                url = merge_url(duplicates.OUTLET, obj, other)
                self.message_user(
                    request,
                    format_html(
                        '"{}" is also a record of its own. <a href="{}">Merge it into {}</a>',
                        other.name,
                        url,
                        obj.name,
                    ),
                    messages.WARNING,
                )


@admin.register(Person)
class PersonAdmin(MergeAdmin):
    form = WithAliasesForm
    list_display = ["name", "other_names", "turn_count"]
    search_fields = ["name", "aliases"]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["merge_people"]
    duplicate_kind = duplicates.PERSON

    @admin.action(description="Merge selected people into one", permissions=["merge"])
    def merge_people(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        return self.merge_selected(request, queryset, action="merge_people")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(turn_total=Count("turns"))

    @admin.display(description="turns", ordering="turn_total")
    def turn_count(self, person: Person) -> int:
        return person.turn_total

    @admin.display(description="also printed as")
    def other_names(self, person: Person) -> str:
        return ", ".join(person.aliases)

    def get_urls(self) -> list:
        site = self.admin_site
        return [
            path("duplicates/", site.admin_view(duplicates_view), name="briefings_duplicates"),
            path(
                "duplicates/merge/",
                site.admin_view(merge_pair_view),
                name="briefings_duplicates_merge",
            ),
            path(
                "duplicates/dismiss/",
                site.admin_view(require_POST(dismiss_pair_view)),
                name="briefings_duplicates_dismiss",
            ),
            *super().get_urls(),
        ]


# The Possible duplicates page.


def merge_url(kind: str, first: Model, second: Model) -> str:
    return f"{reverse('admin:briefings_duplicates_merge')}?kind={kind}&ids={first.pk},{second.pk}"


def _model_admin(kind: str) -> MergeAdmin:
    return admin.site._registry[MODELS[kind]]


def duplicates_view(request: HttpRequest) -> HttpResponse:
    """Pairs of people and of outlets that the rules say are likely one, with what each
    record holds, a Merge button (to a confirm step) and a Not the same button."""
    shown = [kind for kind in MODELS if _model_admin(kind).has_view_permission(request)]
    if not shown:
        return HttpResponse(status=403)
    sections = []
    for kind in shown:
        found = (
            list(duplicates.person_pairs())
            if kind == duplicates.PERSON
            else list(duplicates.outlet_pairs(duplicates.asking_outlets()))
        )
        pairs = found[:PAIRS_SHOWN]
        records = {r.pk: r for pair in pairs for r in (pair.first, pair.second)}
        evidence = duplicates.evidence(kind, records.values())
        sections.append(
            {
                "kind": kind,
                "label": NotDuplicate.Kind(kind).label,
                "total": len(found),
                "turn_word": "question" if kind == duplicates.OUTLET else "turn",
                "can_merge": _model_admin(kind).has_merge_permission(request),
                "can_dismiss": _model_admin(kind).has_change_permission(request),
                "pairs": [
                    {
                        "pair": pair,
                        "records": [evidence[pair.first.pk], evidence[pair.second.pk]],
                        "ids": f"{pair.first.pk},{pair.second.pk}",
                        "merge_url": merge_url(kind, pair.first, pair.second),
                    }
                    for pair in pairs
                ],
            }
        )
    context = {
        **admin.site.each_context(request),
        "title": "Possible duplicates",
        "opts": Person._meta,
        "sections": sections,
        "limit": PAIRS_SHOWN,
    }
    return TemplateResponse(request, "admin/briefings/duplicates.html", context)


def _pair_records(request: HttpRequest) -> tuple[str, QuerySet] | None:
    """The kind and the two records a merge or dismiss request names, or None."""
    data = request.POST if request.method == "POST" else request.GET
    kind = data.get("kind", "")
    try:
        ids = sorted({int(pk) for pk in data.get("ids", "").split(",")})
    except ValueError:
        return None
    if kind not in MODELS or len(ids) != 2:
        return None
    records = MODELS[kind].objects.filter(pk__in=ids).order_by("name")
    return (kind, records) if len(records) == 2 else None


def merge_pair_view(request: HttpRequest) -> HttpResponse:
    """Confirm, then merge, one pair of the Possible duplicates page."""
    named = _pair_records(request)
    if named is None:
        messages.warning(request, "That pair is no longer there: one was merged or deleted.")
        return redirect("admin:briefings_duplicates")
    kind, records = named
    model_admin = _model_admin(kind)
    if not model_admin.has_merge_permission(request):
        return refusal(needs("change and delete", model_admin.opts))
    form = MergeForm(request.POST if request.method == "POST" else None, records=records)
    if form.is_valid():
        merge(request, form.cleaned_data["keep"], list(records))
        return redirect("admin:briefings_duplicates")
    ids = ",".join(str(record.pk) for record in records)
    return merge_page(request, model_admin, kind, records, form, [("kind", kind), ("ids", ids)])


def dismiss_pair_view(request: HttpRequest) -> HttpResponse:
    """Remember that a pair is not one person or outlet; the page stops offering it."""
    named = _pair_records(request)
    if named is not None:
        kind, records = named
        if not _model_admin(kind).has_change_permission(request):
            return refusal(needs("change", _model_admin(kind).opts))
        first, second = records
        duplicates.dismiss(duplicates.Pair(kind, first, second, ""), user=request.user)
        messages.success(request, f"{first} and {second} are marked as not the same.")
    return HttpResponseRedirect(reverse("admin:briefings_duplicates"))
