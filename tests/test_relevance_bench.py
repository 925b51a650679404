"""bench/relevance.py's arithmetic and its judging sheet, on made-up grades (the script's
runs need the whole corpus; this checks what it computes from them)."""

from __future__ import annotations

import importlib.util
import json
import math
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SET = ROOT / "tests" / "data" / "relevance"


def _load_bench():
    spec = importlib.util.spec_from_file_location(
        "relevance_bench", ROOT / "bench" / "relevance.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


bench = _load_bench()

QUERIES = [
    {"id": "a", "query": "vaccine", "kind": "word-forms", "need": "Vaccines."},
    {"id": "b", "query": '"supply chain"', "kind": "phrase", "need": "Supply chains."},
]


def item(text: str, kind: str = "qa") -> dict:
    return {
        "url": f"/b/x/{text}/",
        "briefing": "A briefing",
        "held_on": None,
        "kind": kind,
        "text": text,
    }


def test_it_scores_a_known_ranking_against_the_ideal_one():
    # Gains 2^g - 1 (3, 0, 1) at ranks 1-3; the ideal from every judged grade: 2, 2, 1, 0.
    found = bench.ndcg([2, 0, 1], [2, 0, 1, 2])
    expected = (3 + 0 + 1 / math.log2(4)) / (3 + 3 / math.log2(3) + 1 / math.log2(4))
    assert found == pytest.approx(expected)
    assert found == pytest.approx(0.6490, abs=1e-4)
    assert bench.ndcg([2, 2, 1, 0], [0, 1, 2, 2]) == pytest.approx(1.0)


def test_it_gives_no_ndcg_to_a_query_with_nothing_relevant():
    assert bench.ndcg([0, 0], [0, 0, 0]) is None


def test_it_counts_precision_over_ten_ranks_even_for_a_short_list():
    assert bench.precision([2, 1, 0]) == pytest.approx(0.2)


def test_it_counts_content_free_results_and_leaves_unjudged_queries_unscored():
    run = {"a": ["k1", "k2", "k3", "k4"], "b": ["k5", "k6"]}
    judgments = {
        "a": {
            "k1": {"grade": 0, "content_free": True},
            "k2": {"grade": 2},
            "k3": {"grade": 0},  # procedural by its kind
            "k4": {"grade": 0},  # off topic: not content-free
            "k9": {"grade": 2},  # judged from another system's list
        },
        "b": {"k5": {"grade": 1}},  # k6 not judged
    }
    kinds = {"k1": "qa", "k2": "qa", "k3": "procedural", "k4": "qa", "k5": "qa", "k6": "qa"}
    score = bench.score_run(run, QUERIES, judgments, kinds)
    a = score["per_query"]["a"]
    assert (a["free_top10"], a["free_top3"], a["p10"]) == (2, 2, pytest.approx(0.1))
    assert a["ndcg"] == pytest.approx((3 / math.log2(3)) / (3 + 3 / math.log2(3)))
    assert score["per_query"]["b"]["unjudged"] == 1
    assert "ndcg" not in score["per_query"]["b"]
    total = score["groups"]["all"]
    assert (total["queries"], total["scored"], total["unjudged_items"]) == (2, 1, 1)
    assert total["queries_free_top3"] == 1
    assert score["groups"]["phrase"]["ndcg10"] is None


def test_it_pools_every_run_once_without_system_names_or_judged_items():
    runs = {
        "before": {"a": ["k1", "k2", "k3"], "b": ["k5"]},
        "bm25-spoken": {"a": ["k3", "k4", "k1"], "b": ["k5", "k6"]},
    }
    items = {
        key: item(key, "procedural" if key == "k4" else "qa")
        for key in ("k1", "k2", "k3", "k4", "k5", "k6")
    }
    judgments = {"a": {"k2": {"grade": 1}}}
    sheet = bench.pool(runs, QUERIES, items, judgments)
    pairs = [(row["query_id"], row["item"]) for row in sheet]
    assert len(pairs) == len(set(pairs))
    assert sorted(pairs) == [("a", "k1"), ("a", "k3"), ("a", "k4"), ("b", "k5"), ("b", "k6")]
    text = json.dumps(sheet)
    for name in runs:
        assert name not in text
    assert all(row["grade"] is None and row["text"] and row["url"] for row in sheet)
    assert "kind" not in sheet[0]


def test_it_records_graded_rows_and_reports_bad_grades():
    sheet = [
        {"query_id": "a", "item": "k1", "grade": 0, "content_free": True, "judge": "j1"},
        {"query_id": "a", "item": "k2", "grade": 2, "content_free": True},
        {"query_id": "a", "item": "k3", "grade": None},
        {"query_id": "b", "item": "k5", "grade": 3},
    ]
    judgments: dict = {}
    added, problems = bench.record(sheet, judgments)
    assert added == 2
    assert judgments == {
        "a": {
            "k1": {"grade": 0, "content_free": True, "judge": "j1"},
            "k2": {"grade": 2, "content_free": False},
        }
    }
    assert problems == ["line 4: grade 3 is not one of (0, 1, 2)"]


def test_it_keys_an_exchange_by_where_it_is_and_what_it_says():
    key = bench.item_key("press-briefing", 7, "Q: On Ukraine --")
    assert key.startswith("press-briefing#7:")
    assert key != bench.item_key("press-briefing", 7, "Q: On Ukraine -- what is next?")


def test_it_has_a_query_set_of_every_kind_written_down():
    queries = json.loads((SET / "queries.json").read_text())["queries"]
    assert len(queries) >= 30
    assert len({query["id"] for query in queries}) == len(queries)
    kinds = {query["kind"] for query in queries}
    assert kinds == {"topic", "phrase", "topic+speaker", "topic+dates", "rare", "word-forms"}
    assert all(query["need"] and query["query"] for query in queries)
