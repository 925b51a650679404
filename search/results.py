"""What a search engine answers, the same from either wing: hits with their stored
fields, the total, and facet counts. Pure dataclasses, no engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Hit:
    docnum: int | None  # the Whoosh document number; None from another engine
    score: float | None  # None when sorted by a field
    fields: dict[str, object]  # the stored fields
    snippet: str = ""  # escaped HTML with <mark>, when a highlight was asked for


@dataclass
class Found:
    hits: list[Hit]
    total: int
    estimated: bool = False  # the total is an estimate: out of time, or exact=False
    timed_out: bool = False  # cut short by the time budget: hits and facets may be partial
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    start: int = 0  # the offset of hits[0]; moved back when asked past the last page
