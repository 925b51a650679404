"""Commitments in officials' answers: pure Python, no Django, no network.

`extract_commitments(text, reference_date, speaker_role=..., speaker_org=...)` is the entry
point; the definition and the deadline conventions are in docs/commitments.md, the
evaluation set's in tests/data/commitments/README.md.
"""

from .deadlines import Deadline, find_deadlines, resolve_deadline
from .extract import EXTRACTOR_VERSION, Commitment, extract_commitments
from .quantities import Quantity, find_quantities
from .sentences import Sentence, split_sentences

__all__ = [
    "EXTRACTOR_VERSION",
    "Commitment",
    "Deadline",
    "Quantity",
    "Sentence",
    "extract_commitments",
    "find_deadlines",
    "find_quantities",
    "resolve_deadline",
    "split_sentences",
]
