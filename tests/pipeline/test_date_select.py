"""Date selection: the model file, abstention and reordering, identity without a model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.date_select import (
    FEATURES,
    FieldModel,
    SelectionModel,
    candidates_only,
    load_model,
    select_dates,
)
from pipeline.document import Document
from pipeline.ingest import clean_pages
from pipeline.keyterms import extract_terms
from pipeline.segment import Segmented, segment
from pipeline.terms import Term

TEXT = (
    "This Supply Agreement is made as of March 1, 2020 between Acme Inc. and Brook LLC. "
    "This Agreement is effective as of the date hereof. "
    "The term of this Agreement shall expire on December 31, 2022. "
    "Notwithstanding the foregoing, the Licence expires on June 30, 2021."
)


def _seg(text: str = TEXT) -> Segmented:
    cleaned, pages = clean_pages([text], ["1"])
    return segment(Document("d1", "test", cleaned, pages, "0" * 64))


def _term(seg: Segmented, field: str, value: str, phrase: str) -> Term:
    text = seg.doc.text
    start = text.index(phrase)
    return Term(field, value, phrase, phrase, "d1", "1", start, start + len(phrase))


def _model(field: str, feature_weights: dict[str, float], threshold: float) -> SelectionModel:
    """A model for one field that scores candidates by a few features (raw, unscaled)."""
    weights = tuple(feature_weights.get(name, 0.0) for name in FEATURES)
    zeros = tuple(0.0 for _ in FEATURES)
    ones = tuple(1.0 for _ in FEATURES)
    return SelectionModel(FEATURES, {field: FieldModel(weights, zeros, ones, threshold)})


def _terms(seg: Segmented) -> list[Term]:
    return [
        _term(seg, "parties", "Acme Inc.", "Acme Inc."),
        _term(seg, "agreement_date", "2020-03-01", "March 1, 2020"),
        _term(seg, "effective_date", "2020-03-01", "effective as of the date hereof"),
        _term(seg, "expiration_date", "2021-06-30", "June 30, 2021"),
        _term(seg, "expiration_date", "2022-12-31", "December 31, 2022"),
        _term(seg, "governing_law", "New York", "Brook LLC"),
    ]


def test_no_model_returns_terms_unchanged(tmp_path: Path) -> None:
    assert load_model(tmp_path / "missing.json") is None
    seg = _seg()
    terms = _terms(seg)
    model = _model("effective_date", {"bias": -5.0}, 0.5)
    with candidates_only():
        assert select_dates(seg, terms, model) == terms


def test_abstains_when_the_best_candidate_scores_low() -> None:
    seg = _seg()
    terms = _terms(seg)
    # "effective as of the date hereof" is strongly against an answer here.
    model = _model("effective_date", {"bias": 2.0, "quote_hereof": -5.0}, 0.5)
    out = select_dates(seg, terms, model)
    assert [t.field for t in out] == [
        "parties",
        "agreement_date",
        "expiration_date",
        "expiration_date",
        "governing_law",
    ]
    # Fields the model has no part for are left alone.
    assert out[2].value == "2021-06-30"


def test_reorders_to_put_the_best_candidate_first() -> None:
    seg = _seg()
    terms = _terms(seg)
    model = _model("expiration_date", {"bias": 0.0, "rank": 4.0}, 0.5)
    out = select_dates(seg, terms, model)
    assert [t.value for t in out if t.field == "expiration_date"] == ["2022-12-31", "2021-06-30"]
    assert out[0] == terms[0] and out[-1] == terms[-1]


def test_model_round_trips_through_json(tmp_path: Path) -> None:
    model = _model("agreement_date", {"bias": 1.5, "preamble": 0.25}, 0.4)
    path = tmp_path / "date_select.json"
    path.write_text(json.dumps(model.to_json()), encoding="utf-8")
    assert load_model(path) == model


def test_model_with_other_features_is_refused(tmp_path: Path) -> None:
    data = _model("agreement_date", {}, 0.5).to_json()
    data["features"] = data["features"][:-1]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="other features"):
        load_model(path)


def test_extract_terms_passes_through_selection() -> None:
    seg = _seg()
    with candidates_only():
        raw = extract_terms(seg)
    assert raw.get("agreement_date")[0].value == "2020-03-01"
