"""Rules or a trained classifier for "is this a commitment"? Scored with one source held out
at a time, on the dev split of the whole-transcript labels (issue 13).

    pip install scikit-learn    # requirements-dev.txt has it; the archive itself does not
    .venv/bin/python bench/commitment_methods.py [--output FILE.json]

For each source in turn, a logistic regression is trained on the dev transcripts of the
other sources (features: bench/commitment_features.py, including the rules' own verdict)
and scored on that source's dev transcripts; the rules are scored on the same sentences.
Also scored: the rules filtered by the classifier (a rule find kept only above a
probability) and the rules joined by the classifier's most confident finds. The test split
is never read here.

Caveat in the rules' favour: they were written against the dev split, every source of it,
so their figures here are optimistic; the classifier's are held out. The test split
(`manage.py evaluate_commitments --whole --split test`) is the fair comparison of the
method chosen.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from commitment_features import sentence_features  # noqa: E402  (this folder is on the path)
from sklearn.feature_extraction import DictVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

from briefings.ingest import evaluate_commitments as whole  # noqa: E402

THRESHOLDS = (0.5, 0.7, 0.8, 0.9)


def rows_of(splits: tuple[str, ...]) -> list[dict]:
    rows = []
    for labelled in whole.load_labels():
        if labelled.split not in splits:
            continue
        read = whole.read_labelled(labelled)
        if read is None:
            continue
        parsed, sentences = read
        by_rules = whole.predict_with_extractor(parsed, sentences)
        when = parsed.held_on or parsed.published_on
        gold = {label.n for label in labelled.labels}
        for sentence in sentences:
            found = sentence.number in by_rules
            rows.append(
                {
                    "source": labelled.source,
                    "transcript": labelled.name,
                    "text": sentence.text,
                    "y": sentence.number in gold,
                    "rule": found,
                    "features": sentence_features(sentence.text, when, rule_found=found),
                }
            )
    return rows


def fit(rows: list[dict]) -> tuple[DictVectorizer, LogisticRegression]:
    vectorizer = DictVectorizer()
    features = vectorizer.fit_transform([dict.fromkeys(r["features"], 1) for r in rows])
    model = LogisticRegression(C=0.3, class_weight="balanced", max_iter=2000)
    model.fit(features, [row["y"] for row in rows])
    return vectorizer, model


def probabilities_of(model: tuple[DictVectorizer, LogisticRegression], rows: list[dict]):
    vectorizer, regression = model
    matrix = vectorizer.transform([dict.fromkeys(r["features"], 1) for r in rows])
    return [float(p) for p in regression.predict_proba(matrix)[:, 1]]


def held_out_probabilities(rows: list[dict]) -> list[float]:
    """Each row's probability from a model trained without its source."""
    probabilities = [0.0] * len(rows)
    for source in sorted({row["source"] for row in rows}):
        model = fit([row for row in rows if row["source"] != source])
        test = [i for i, row in enumerate(rows) if row["source"] == source]
        scored = probabilities_of(model, [rows[i] for i in test])
        for index, probability in zip(test, scored, strict=True):
            probabilities[index] = probability
    return probabilities


def score(rows: list[dict], predicted: list[bool]) -> dict:
    by_source: dict[str, dict] = {}
    for source in [*sorted({row["source"] for row in rows}), "all"]:
        chosen = [
            (row, guess)
            for row, guess in zip(rows, predicted, strict=True)
            if source in ("all", row["source"])
        ]
        tp = sum(1 for row, guess in chosen if guess and row["y"])
        fp = sum(1 for row, guess in chosen if guess and not row["y"])
        positives = sum(1 for row, _ in chosen if row["y"])
        by_source[source] = {
            "precision": round(tp / (tp + fp), 2) if tp + fp else 0.0,
            "recall": round(tp / positives, 2) if positives else 0.0,
            "tp": tp,
            "fp": fp,
            "positives": positives,
        }
    return by_source


def _word_matrix(rows, indices, words, vectorizer, *, fitting: bool):
    """Word n-grams beside the grammar's features, for the rows at `indices`."""
    import scipy.sparse as sparse

    texts = [rows[i]["text"] for i in indices]
    features = [dict.fromkeys(rows[i]["features"], 1) for i in indices]
    if fitting:
        parts = [words.fit_transform(texts), vectorizer.fit_transform(features)]
    else:
        parts = [words.transform(texts), vectorizer.transform(features)]
    return sparse.hstack(parts).tocsr()


def learning_curve(rows: list[dict]) -> None:
    """Words as well as the grammar's features: a logistic regression over word 1-2-grams
    (tf-idf) and the features above, scored by 5-fold cross-validation with whole transcripts
    kept together, trained on a quarter, half, three quarters and all of the other folds'
    transcripts. A curve that is flat says more labels of this kind will not lift it."""
    import random

    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.model_selection import GroupKFold

    truth = np.array([row["y"] for row in rows])
    groups = [row["transcript"] for row in rows]
    print(f"grouped 5-fold, word 1-2-grams and features: {len(rows)} sentences")
    for fraction in (0.25, 0.5, 0.75, 1.0):
        probabilities = np.zeros(len(rows))
        for train, test in GroupKFold(5).split(rows, truth, groups):
            names = sorted({groups[i] for i in train})
            random.Random(1).shuffle(names)
            kept = set(names[: int(len(names) * fraction)])
            train = np.array([i for i in train if groups[i] in kept])
            words = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
            vectorizer = DictVectorizer()
            model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=3000)
            model.fit(_word_matrix(rows, train, words, vectorizer, fitting=True), truth[train])
            held = _word_matrix(rows, test, words, vectorizer, fitting=False)
            probabilities[test] = model.predict_proba(held)[:, 1]
        cells = []
        for threshold in (0.8, 0.9, 0.95):
            chosen = probabilities >= threshold
            hits = int((chosen & truth).sum())
            cells.append(
                f"at {threshold}: {hits / max(int(chosen.sum()), 1):.2f}/{hits / truth.sum():.2f}"
            )
        print(f"  trained on {fraction:.0%}: " + "  ".join(cells))
    rules = np.array([row["rule"] for row in rows])
    hits = int((rules & truth).sum())
    precision, recall = hits / rules.sum(), hits / truth.sum()
    print(f"  rules (written against these splits): {precision:.2f}/{recall:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", help="write the figures as JSON to this file")
    parser.add_argument(
        "--held-out",
        action="store_true",
        help="train on the opened splits (dev, test1, test2, test3) and score the held-out test "
        "split; "
        "log the run in tests/data/commitments/whole/README.md",
    )
    parser.add_argument(
        "--learning-curve",
        action="store_true",
        help="word n-grams and features, grouped 5-fold on the opened splits, on growing "
        "shares of the training transcripts (never reads the test split)",
    )
    args = parser.parse_args()
    if args.learning_curve:
        learning_curve(rows_of(whole.OPENED_SPLITS))
        return
    if args.held_out:
        rows = rows_of(("test",))
        probabilities = probabilities_of(fit(rows_of(whole.OPENED_SPLITS)), rows)
        title = "held-out test split, trained on dev, test1, test2 and test3"
    else:
        rows = rows_of(("dev",))
        probabilities = held_out_probabilities(rows)
        title = "dev split, one source held out at a time"
    methods: dict[str, list[bool]] = {"rules": [row["rule"] for row in rows]}
    for threshold in THRESHOLDS:
        methods[f"classifier >= {threshold}"] = [p >= threshold for p in probabilities]
    methods["rules, kept if classifier >= 0.5"] = [
        row["rule"] and p >= 0.5 for row, p in zip(rows, probabilities, strict=True)
    ]
    methods["rules, or classifier >= 0.97"] = [
        row["rule"] or p >= 0.97 for row, p in zip(rows, probabilities, strict=True)
    ]
    results = {name: score(rows, predicted) for name, predicted in methods.items()}
    sources = [s for s in next(iter(results.values())) if s != "all"] + ["all"]
    print(f"{title}: {len(rows)} sentences")
    print(f"{'method':<36}" + "".join(f"{s:>16}" for s in sources))
    for name, by_source in results.items():
        cells = "".join(
            f"{by_source[s]['precision']:>9.2f}/{by_source[s]['recall']:<6.2f}" for s in sources
        )
        print(f"{name:<36}{cells}")
    print("(precision/recall)")
    if args.output:
        Path(args.output).write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
