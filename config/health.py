"""GET /healthz for a load balancer or a monitor: 200 when the database answers a query
and the search index opens and answers a search, 503 naming the part that failed.

Cheap and side-effect free: one read query, one term look-up, no session, no cookie,
no database write; never cached.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from briefings.models import Conference
from search.health import index_problem

logger = logging.getLogger(__name__)


def database_problem() -> str | None:
    try:
        Conference.objects.exists()  # a real table: a fresh, unmigrated database fails
    except DatabaseError as error:
        logger.exception("health: the database did not answer")
        return f"database unreadable ({type(error).__name__})"
    return None


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    problems = {"database": database_problem(), "index": index_problem()}
    failing = any(problems.values())
    return JsonResponse(
        {
            "status": "failing" if failing else "ok",
            **{part: problem or "ok" for part, problem in problems.items()},
        },
        status=503 if failing else 200,
    )
