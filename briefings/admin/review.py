"""The review page: the machine-found commitments, one at a time, each with its sentence
marked in the answer, the question it answers and its card; confirm, reject, edit and
next from the keyboard (static/js/review.js) or with plain forms; and bulk reject by a
pattern, after a preview.

Every decision goes through `decide` (the list's actions too), and an edit through the
commitment admin's own save, so each one is kept in the commitment's history with who
and when.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode

from ..forms import CommitmentForm
from ..models import Commitment, CommitmentChange, Turn
from ..signals import announce_exchanges
from .permissions import needs, refusal

# The queue's orders: the key in the address, its label, its order_by. Ties fall back to
# reading order, so that "next" is always the same item.
READING_ORDER = ["turn__exchange__conference_id", "turn__exchange__position", "turn__position"]
SORTS = {
    "newest": (
        "Briefing, newest first",
        [F("turn__exchange__conference__held_on").desc(nulls_last=True), *READING_ORDER],
    ),
    "oldest": (
        "Briefing, oldest first",
        [F("turn__exchange__conference__held_on").asc(nulls_last=True), *READING_ORDER],
    ),
    "low": ("Confidence, lowest first", ["confidence", *READING_ORDER]),
    "high": ("Confidence, highest first", ["-confidence", *READING_ORDER]),
}
DEFAULT_SORT = "newest"
UPCOMING_SHOWN = 10  # the next items listed under the one in review
PREVIEW_SHOWN = 200  # the matches a bulk reject's preview lists (it counts them all)
PATTERN_LONGEST = 300
WRITE_BATCH = 500  # rows per UPDATE of a bulk decision (SQLite's limit on parameters)


def queue(sort: str) -> QuerySet:
    """The commitments waiting for review, in the order `sort` names."""
    return Commitment.objects.unreviewed().order_by(*SORTS[sort][1], "start", "id")


@transaction.atomic
def decide(commitments: QuerySet, review: str, *, user: AbstractBaseUser) -> int:
    """Mark `commitments` `review`, by `user` now, each change kept in its history; the
    ones already so marked are left alone. Returns how many changed. In bulk (a pattern
    may reject thousands), so the exchanges are announced here: an update sends no
    model signals."""
    rows = list(commitments.exclude(review=review).values_list("pk", "review", "turn__exchange"))
    now = timezone.now()
    CommitmentChange.objects.bulk_create(
        CommitmentChange(commitment_id=pk, user=user, changes={"review": [old, review]})
        for pk, old, _ in rows
    )
    for start in range(0, len(rows), WRITE_BATCH):
        Commitment.objects.filter(
            pk__in=[pk for pk, _, _ in rows[start : start + WRITE_BATCH]]
        ).update(
            review=review,
            reviewed_by=user,
            reviewed_at=now,
            updated_at=now,
            # An admin form opened before this decision must not save over it (CommitmentForm).
            version=F("version") + 1,
        )
    # A retired commitment whose sentence is gone has no exchange to announce.
    announce_exchanges(sorted({exchange for _, _, exchange in rows if exchange is not None}))
    return len(rows)


class CardForm(CommitmentForm):
    """The card's fields, edited in place on the review page; refused, as the change form
    is, when the commitment changed since the page was opened."""

    class Meta:
        model = Commitment
        fields = ["actor", "action", "quantity_text", "deadline_text", "deadline_date", "kind"]
        widgets = {
            "action": forms.Textarea(attrs={"rows": 2}),
            "deadline_date": forms.DateInput(attrs={"type": "date"}),
        }
        labels = {"quantity_text": "How much", "deadline_text": "By when (as said)"}


class PatternForm(forms.Form):
    """Which waiting commitments a bulk reject takes: their sentence holds the words, or
    matches the regular expression (Python's, case-insensitive)."""

    pattern = forms.CharField(max_length=PATTERN_LONGEST, strip=False)
    regex = forms.BooleanField(required=False, label="Regular expression")

    def clean(self) -> dict:
        cleaned = super().clean()
        pattern = cleaned.get("pattern", "")
        if not pattern.strip():
            self.add_error("pattern", "Give the words, or a pattern, to look for.")
        elif cleaned.get("regex"):
            try:
                cleaned["compiled"] = re.compile(pattern, re.IGNORECASE)
            except re.error as error:
                self.add_error("pattern", f"That is not a regular expression: {error}.")
        return cleaned

    def matches(self, sentence: str) -> bool:
        if self.cleaned_data["regex"]:
            return bool(self.cleaned_data["compiled"].search(sentence))
        return self.cleaned_data["pattern"].casefold() in sentence.casefold()


@dataclass(frozen=True)
class Place:
    """Where one commitment stands in the queue: its number and its neighbours."""

    commitment: Commitment | None
    number: int
    total: int
    previous_id: int | None
    next_id: int | None
    upcoming: list[int]  # the ids after it, up to UPCOMING_SHOWN


def place_in_queue(sort: str, wanted: int | None) -> Place:
    """The commitment `wanted`, or the first waiting one when it is not (any longer) in
    the queue."""
    ids = list(queue(sort).values_list("pk", flat=True))
    if not ids:
        return Place(None, 0, 0, None, None, [])
    index = ids.index(wanted) if wanted in ids else 0
    commitment = Commitment.objects.select_related(
        "turn__person", "turn__exchange__conference"
    ).get(pk=ids[index])
    return Place(
        commitment,
        index + 1,
        len(ids),
        ids[index - 1] if index > 0 else None,
        ids[index + 1] if index + 1 < len(ids) else None,
        ids[index + 1 : index + 1 + UPCOMING_SHOWN],
    )


def review_link(sort: str, commitment_id: int | None = None) -> str:
    params = {"sort": sort} if sort != DEFAULT_SORT else {}
    if commitment_id is not None:
        params["at"] = commitment_id
    url = reverse("admin:briefings_commitment_review")
    return f"{url}?{urlencode(params)}" if params else url


def _sort(data: QueryDict) -> str:
    sort = data.get("sort", "")
    return sort if sort in SORTS else DEFAULT_SORT


def _commitment_id(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


def _model_admin() -> admin.ModelAdmin:
    return admin.site._registry[Commitment]


def review_view(request: HttpRequest) -> HttpResponse:
    """GET: the commitment in review (`at`, else the first waiting) in the queue's `sort`.
    POST: confirm, reject or save the card's edits, then the next one."""
    if not _model_admin().has_change_permission(request):
        return refusal(needs("change", Commitment._meta))
    if request.method != "POST":
        sort = _sort(request.GET)
        place = place_in_queue(sort, _commitment_id(request.GET.get("at")))
        return _review_page(request, sort, place, None)
    sort = _sort(request.POST)
    outcome = _act(request, sort)
    if isinstance(outcome, HttpResponse):
        return outcome
    place, form = outcome
    return _review_page(request, sort, place, form)


def _act(request: HttpRequest, sort: str) -> HttpResponse | tuple[Place, CardForm]:
    """The POSTed decision on one commitment; a redirect to the next one, or the page
    again with the card form's errors."""
    # Not "action": that is a field of the card.
    action = request.POST.get("decision", "")
    wanted = _commitment_id(request.POST.get("at"))
    commitment = Commitment.objects.filter(pk=wanted).first()
    if action not in {"confirm", "reject", "edit"}:
        return HttpResponseRedirect(review_link(sort, wanted))
    if commitment is None:
        # Re-extraction retires rather than deletes (handled below); only deleting its
        # whole briefing takes a commitment away.
        messages.warning(request, "That commitment is no longer there: its briefing was deleted.")
        return HttpResponseRedirect(review_link(sort))
    place = place_in_queue(sort, commitment.pk)
    after = place.next_id or place.previous_id
    if commitment.retired:
        messages.warning(
            request,
            f"“{commitment.sentence[:80]}” was retired while you looked at it "
            f"({commitment.get_retired_display().lower()}); nothing changed.",
        )
        return HttpResponseRedirect(review_link(sort, after))
    if commitment.review != Commitment.Review.MACHINE:
        who = commitment.reviewed_by or "someone"
        messages.warning(
            request,
            f"“{commitment.sentence[:80]}” was already {commitment.review} by {who}; "
            "nothing changed.",
        )
        return HttpResponseRedirect(review_link(sort, after))
    if action == "edit":
        form = CardForm(request.POST, instance=commitment)
        with transaction.atomic():  # the version CardForm checks stays locked until saved
            if not form.is_valid():
                return place, form
            if not form.has_changed():  # a valid form's seen_version is the row's
                messages.info(request, "Nothing was changed: confirm it if the card is right.")
                return HttpResponseRedirect(review_link(sort, commitment.pk))
            # The admin's own save: the history, the reviewer, and the mark "edited".
            _model_admin().save_model(request, form.instance, form, change=True)
        done = "Edited"
    else:
        review = Commitment.Review.CONFIRMED if action == "confirm" else Commitment.Review.REJECTED
        decide(Commitment.objects.filter(pk=commitment.pk), review, user=request.user)
        done = "Confirmed" if action == "confirm" else "Rejected"
    messages.success(request, f"{done}: “{commitment.sentence[:80]}”")
    return HttpResponseRedirect(review_link(sort, after))


def _review_page(
    request: HttpRequest, sort: str, place: Place, form: CardForm | None
) -> TemplateResponse:
    commitment = place.commitment
    context = {
        **admin.site.each_context(request),
        "title": "Review commitments",
        "opts": Commitment._meta,
        "place": place,
        "sort": sort,
        "sorts": [(key, label, review_link(key)) for key, (label, _) in SORTS.items()],
        "pattern_form": PatternForm(),
    }
    if commitment is not None:
        turn = commitment.turn
        context.update(
            commitment=commitment,
            turn=turn,
            questions=Turn.objects.filter(
                exchange=turn.exchange_id, position__lt=turn.position, role=Turn.Role.QUESTION
            ).select_related("person", "outlet"),
            form=form or CardForm(instance=commitment),
            previous_link=review_link(sort, place.previous_id) if place.previous_id else "",
            next_link=review_link(sort, place.next_id) if place.next_id else "",
            upcoming=[
                (item, review_link(sort, item.pk))
                for item in queue(sort)
                .filter(pk__in=place.upcoming)
                .select_related("turn__exchange__conference")
                .defer("turn__text")
            ],
            change_url=reverse("admin:briefings_commitment_change", args=[commitment.pk]),
        )
    return TemplateResponse(request, "admin/briefings/commitment/review.html", context)


def bulk_reject_view(request: HttpRequest) -> HttpResponse:
    """GET: what a pattern would reject, counted and listed. POST: reject them, if they
    are still what the preview showed."""
    if not _model_admin().has_change_permission(request):
        return refusal(needs("change", Commitment._meta))
    data = request.POST if request.method == "POST" else request.GET
    sort = _sort(data)
    form = PatternForm(data if "pattern" in data else None)
    matched: list[int] = []
    if form.is_valid():
        # Sentences only: a queue of thousands, each with its whole turn, would be slow.
        matched = [
            pk
            for pk, sentence in queue(sort).values_list("pk", "sentence")
            if form.matches(sentence)
        ]
        if request.method == "POST":
            if _commitment_id(data.get("count")) == len(matched):
                done = _reject_all(matched, user=request.user)
                messages.success(request, f"Rejected {done} commitment{'s' if done != 1 else ''}.")
                return HttpResponseRedirect(review_link(sort))
            messages.warning(
                request,
                f"The queue changed since the preview: {len(matched)} now match. "
                "Check them and confirm again.",
            )
    context = {
        **admin.site.each_context(request),
        "title": "Reject commitments by a pattern",
        "opts": Commitment._meta,
        "form": form,
        "sort": sort,
        "matched": queue(sort)
        .filter(pk__in=matched[:PREVIEW_SHOWN])
        .select_related("turn__exchange__conference")
        .defer("turn__text"),
        "total": len(matched),
        "limit": PREVIEW_SHOWN,
        "review_url": review_link(sort),
    }
    return TemplateResponse(request, "admin/briefings/commitment/bulk_reject.html", context)


@transaction.atomic
def _reject_all(ids: list[int], *, user: AbstractBaseUser) -> int:
    """`decide` in batches: a list of ids as long as the queue is too many parameters for
    one query on SQLite."""
    rejected = Commitment.Review.REJECTED
    return sum(
        decide(
            Commitment.objects.filter(pk__in=ids[start : start + WRITE_BATCH]), rejected, user=user
        )
        for start in range(0, len(ids), WRITE_BATCH)
    )


def review_urls(site: admin.AdminSite) -> list:
    """The review page's addresses, under the commitment admin's."""
    return [
        path("review/", site.admin_view(review_view), name="briefings_commitment_review"),
        path(
            "review/reject/",
            site.admin_view(bulk_reject_view),
            name="briefings_commitment_bulk_reject",
        ),
    ]
