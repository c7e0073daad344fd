"""Clause classifier: split rule, training examples, the softmax fit, metrics, saved weights."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from lm.weights import minilm_available
from pipeline.clauses import (
    MODEL_DIR,
    NONE,
    ClauseClassifier,
    clause_spans,
    contract_examples,
    fit_softmax,
    is_held_out,
    macro_f1,
)


def test_held_out_rule_is_sha1_of_the_id() -> None:
    ids = [f"cuad/contract-{i}" for i in range(2000)]
    held = [i for i in ids if is_held_out(i)]
    assert 0.17 < len(held) / len(ids) < 0.23
    for cid in ids[:50]:
        bucket = int(hashlib.sha1(cid.encode()).hexdigest(), 16) % 1000
        assert is_held_out(cid) == (bucket < 200)


def test_clause_spans_ignore_whitespace_and_split_omitted_parts() -> None:
    text = (
        "Intro.  This   Agreement shall be\ngoverned by Delaware law.  Other text. Last part here."
    )
    spans = clause_spans(
        text,
        [
            "This Agreement shall be governed by Delaware law.",
            "Other text.<omitted>Last part here.",
        ],
    )
    found = [" ".join(text[a:b].split()) for a, b in spans]
    assert found == [
        "This Agreement shall be governed by Delaware law.",
        "Other text.",
        "Last part here.",
    ]


def test_contract_examples_label_clauses_and_sample_negatives() -> None:
    record = {
        "id": "cuad/x",
        "text": (
            "ACME SUPPLY AGREEMENT\n\nThis Agreement is made by Acme Inc. and Beta LLC today. "
            "This Agreement shall be governed by the laws of the State of Texas. "
            "Supplier shall deliver the goods to the warehouse every week. "
            "Either party may assign this Agreement only with prior written consent."
        ),
        "clauses": {
            "Governing Law": [
                "This Agreement shall be governed by the laws of the State of Texas."
            ],
            "Parties": ["Acme Inc.", "Beta LLC"],
            "Anti-Assignment": [
                "Either party may assign this Agreement only with prior written consent."
            ],
        },
    }
    examples = contract_examples(record)
    labels = {ex.text: ex.labels for ex in examples}
    assert labels["This Agreement shall be governed by the laws of the State of Texas."] == (
        "Governing Law",
    )
    # Entity-span categories are left out; sentences outside every clause become "none".
    assert all("Parties" not in ex.labels for ex in examples)
    negatives = [ex.text for ex in examples if ex.labels == (NONE,)]
    assert "Supplier shall deliver the goods to the warehouse every week." in negatives
    assert not any("Texas" in t for t in negatives)


def test_fit_softmax_separates_classes() -> None:
    rng = np.random.default_rng(0)
    centers = rng.normal(size=(3, 16))
    y = np.repeat(np.arange(3), 40)
    x = centers[y] + 0.1 * rng.normal(size=(120, 16))
    weight, bias = fit_softmax(x, y, 3, l2=1e-4, steps=100)
    clf = ClauseClassifier(["a", "b", "c"], weight, bias)
    pred = [p.label for p in clf.predict_embeddings(x)]
    assert pred == [["a", "b", "c"][i] for i in y]
    assert np.allclose(clf.proba(x).sum(axis=1), 1.0, atol=1e-5)


def test_macro_f1() -> None:
    gold = ["a", "a", "b", "b"]
    pred = ["a", "b", "b", "b"]
    result = macro_f1(gold, pred, ["a", "b", "c"])
    assert result["per_label"]["a"]["f1"] == pytest.approx(2 / 3)
    assert result["per_label"]["b"]["f1"] == pytest.approx(0.8)
    assert "c" not in result["per_label"]
    assert result["macro_f1"] == pytest.approx((2 / 3 + 0.8) / 2)


def test_save_and_load_round_trip(tmp_path) -> None:
    clf = ClauseClassifier(["x", NONE], np.eye(2, 4, dtype=np.float32), np.zeros(2, np.float32))
    clf.save(tmp_path, {"note": "test"})
    again = ClauseClassifier.load(tmp_path)
    assert again.labels == ("x", NONE)
    assert np.array_equal(again.weight, clf.weight)


def test_mismatched_weights_are_rejected() -> None:
    with pytest.raises(ValueError):
        ClauseClassifier(["a", "b"], np.zeros((3, 4)), np.zeros(3))


@pytest.mark.skipif(
    not (MODEL_DIR / "model.safetensors").exists() or not minilm_available(),
    reason="no trained clause weights or MiniLM files",
)
def test_committed_model_finds_governing_law() -> None:
    clf = ClauseClassifier.load()
    assert len(clf.labels) > 10 and clf.labels[-1] == NONE
    assert (MODEL_DIR / "model.safetensors").stat().st_size < 2_000_000
    preds = clf.predict(
        [
            "This Agreement shall be governed by and construed in accordance with the laws of "
            "the State of New York, without regard to its conflict of laws principles.",
            "The Company may not assign this Agreement without the prior written consent of the "
            "Distributor.",
        ]
    )
    assert preds[0].label == "Governing Law"
    assert preds[1].label == "Anti-Assignment"
