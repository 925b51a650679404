"""Which permission each admin action needs, and the refusal of one posted without it.

Every action names its permissions with Django's own `@admin.action(permissions=[...])`
(a name "x" is the admin's `has_x_permission`), so the action list offers only what the
user may run. Django drops any other action a POST names in silence; `ActionsCheckedAdmin`
answers it instead with a 403 that says which permission is missing, and changes nothing.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models.options import Options
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden

# What a permission name of an action lets the user do, in words.
VERBS = {
    "view": "view",
    "add": "add",
    "change": "change",
    "delete": "delete",
    "merge": "change and delete",  # a merge rewrites one record and deletes the others
}


def needs(verbs: str, opts: Options) -> str:
    return (
        f"This needs the permission to {verbs} {opts.verbose_name_plural}, "
        "which your account does not have."
    )


def refusal(reason: str) -> HttpResponseForbidden:
    """A 403 that says why; sent where only a hand-made POST can arrive."""
    return HttpResponseForbidden(
        f"{reason} Nothing was changed.", content_type="text/plain; charset=utf-8"
    )


class ActionsCheckedAdmin(admin.ModelAdmin):
    """An admin whose list refuses, with a 403 saying why, an action the user may not run."""

    def changelist_view(
        self, request: HttpRequest, extra_context: dict | None = None
    ) -> HttpResponse:
        refused = self.refused_action(request)
        if refused is not None:
            return refused
        return super().changelist_view(request, extra_context)

    def refused_action(self, request: HttpRequest) -> HttpResponse | None:
        """The 403 for a POSTed action whose permissions the user lacks (the same test as
        Django's filter of the action list), or None."""
        if request.method != "POST":
            return None
        posted = request.POST.getlist("action")
        for func, name, description in self._get_base_actions():
            if name not in posted:
                continue
            wanted = getattr(func, "allowed_permissions", ())
            if all(getattr(self, f"has_{p}_permission")(request) for p in wanted):
                continue
            verbs = " and ".join(VERBS.get(p, p) for p in wanted)
            label = str(description) % admin.utils.model_format_dict(self.opts)
            return refusal(f"“{label}”: {needs(verbs, self.opts)}")
        return None
