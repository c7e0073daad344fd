"""Training the date selector on a tiny synthetic set of contracts."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from pipeline.date_select import FEATURES, load_model, select_dates
from pipeline.keyterms import extract_terms
from pipeline.segment import segment
from training.date_select import collect, cross_validate, main, train
from training.eval_terms import HELD_OUT_PERMILLE, to_document
from training.splits import is_validation

MONTHS = ("January", "March", "May", "July", "September", "November")


def _records(n: int = 24) -> list[dict]:
    """Contracts 'made as of' a date; half say only 'effective as of the date hereof', and
    their CUAD-style answer leaves the effective date empty; the rest state it."""
    out = []
    i = 0
    while len(out) < n:
        doc_id = f"synthetic-{i}"
        i += 1
        if is_validation(doc_id, HELD_OUT_PERMILLE):
            continue
        k = len(out)
        month, year = MONTHS[k % len(MONTHS)], 2000 + k
        numeric = f"{MONTHS.index(month) * 2 + 1}/1/{year}"
        hereof = k % 2 == 0
        effective = (
            "This Agreement is effective as of the date hereof."
            if hereof
            else f"This Agreement shall be effective as of {month} 1, {year}."
        )
        text = (
            f"SUPPLY AGREEMENT\n\nThis Supply Agreement is made as of {month} 1, {year} "
            f"between Acme Inc. and Brook LLC.\n\n1. Term. {effective} The Agreement shall "
            "continue for five (5) years.\n\n2. Governing Law. This Agreement is governed by "
            "the laws of the State of New York.\n"
        )
        answers = {
            "Agreement Date": numeric,
            "Effective Date": "" if hereof else numeric,
            "Expiration Date": "",
        }
        out.append({"id": doc_id, "title": "Supply Agreement", "text": text, "answers": answers})
    return out


def test_training_learns_the_labelling_convention_and_round_trips(tmp_path: Path) -> None:
    records = _records()
    examples = collect(records)
    assert len(examples) == 3 * len(records)
    model = train(examples, folds=3)
    assert model.features == FEATURES
    report = cross_validate(examples, folds=3)
    assert set(report) == {"agreement_date", "effective_date", "expiration_date"}
    hereof = records[0]
    seg = segment(to_document(hereof))
    chosen = select_dates(seg, extract_terms(seg).terms, model)
    assert not [t for t in chosen if t.field == "effective_date"]

    data = tmp_path / "contracts.jsonl.gz"
    with gzip.open(data, "wt", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r) + "\n" for r in records)
    out = tmp_path / "models" / "date_select.json"
    assert main(["--data", str(data), "--out", str(out), "--folds", "3"]) == 0
    loaded = load_model(out)
    assert loaded is not None
    assert json.loads(out.read_text(encoding="utf-8")) == loaded.to_json()
