"""Tests of the conflict dev-bundle generator and `longbrief eval conflicts`."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from pathlib import Path

import pytest

from training.conflict_bundles import (
    AGREEMENT_FILE,
    Bundle,
    BundleTruth,
    build_bundle,
    cap_variants,
    changed_value,
    check_bundle,
    generate,
    load_truth,
    normalized,
    phrase,
    write_bundles,
)
from training.eval_conflicts import evaluate, main
from training.splits import is_validation

CONTRACT = """MASTER SUPPLY AGREEMENT

This Master Supply Agreement (this "Agreement") is entered into as of March 1, 2021 (the \
"Effective Date") by and between Northwind Foods, Inc., a Delaware corporation ("Buyer"), and \
Lakeshore Packaging LLC, an Illinois limited liability company ("Supplier").

1. Term and Renewal.

1.1 Initial Term. The term of this Agreement shall commence on the Effective Date and continue \
for a period of three (3) years (the "Initial Term").

1.2 Renewal. Upon expiration of the Initial Term, this Agreement shall automatically renew for \
successive renewal terms of one (1) year each, unless either party gives written notice of \
non-renewal at least sixty (60) days prior to the end of the then-current term.

2. Payment.

2.1 Invoices. Buyer shall pay each undisputed invoice within thirty (30) days after receipt of \
the invoice.

2.2 Late Payment. Any amount not paid when due shall bear interest at the rate of 1.5% per month.

3. Confidentiality. The obligations of confidentiality under this Agreement shall survive for a \
period of three (3) years following the expiration or termination of this Agreement.

4. Limitation of Liability. In no event shall either party's aggregate liability arising out of \
or relating to this Agreement exceed One Million U.S. Dollars (US$1,000,000.00).

5. Termination for Convenience. Either party may terminate this Agreement for convenience upon \
ninety (90) days' prior written notice to the other party.

6. Governing Law. This Agreement shall be governed by and construed in accordance with the laws \
of the State of Delaware.

7. Jurisdiction. Each party irrevocably submits to the exclusive jurisdiction of the state and \
federal courts located in Wilmington, Delaware.

IN WITNESS WHEREOF, the parties have executed this Agreement as of the Effective Date.
"""
ANSWERS = {
    "Document Name": "MASTER SUPPLY AGREEMENT",
    "Parties": 'Northwind Foods, Inc. ("Buyer"); Lakeshore Packaging LLC ("Supplier")',
    "Agreement Date": "3/1/2021",
    "Effective Date": "3/1/2021",
    "Expiration Date": "3/1/2024",
    "Renewal Term": "successive 1 year",
    "Notice Period to Terminate Renewal": "60 days",
    "Governing Law": "Delaware",
    "Cap on Liability": "Yes",
    "Termination for Convenience": "Yes",
    "Warranty Duration": "No",
    "Non-Compete": "No",
}


def _held_out_id() -> str:
    return next(
        f"test/northwind-{k}" for k in range(1000) if is_validation(f"test/northwind-{k}", 200)
    )


RECORD = {
    "id": _held_out_id(),
    "title": "MASTER SUPPLY AGREEMENT",
    "text": CONTRACT,
    "answers": ANSWERS,
}


@pytest.fixture(scope="module")
def bundles() -> list[Bundle]:
    out = [build_bundle(RECORD, f"bundle_{i:03d}", f"test:{i}") for i in range(12)]
    assert all(b is not None for b in out)
    return out  # type: ignore[return-value]


def test_generator_is_deterministic(tmp_path: Path) -> None:
    first = generate([RECORD], 3, seed=7)
    again = generate([RECORD], 3, seed=7)
    write_bundles(first, tmp_path / "a")
    write_bundles(again, tmp_path / "b")
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.*"))
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.*"))
    assert files_a == files_b and len(files_a) == 3 * 4 + 1
    for rel in files_a:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes()
    other = generate([RECORD], 3, seed=8)
    assert [b.files for b in other] != [b.files for b in first]


def test_truth_consistent_with_text(bundles: list[Bundle]) -> None:
    kinds = set()
    for b in bundles:
        t = b.truth
        assert check_bundle(b) == []
        assert {d.doc_id for d in t.documents} == set(b.files)
        assert b.files[AGREEMENT_FILE] == CONTRACT
        for c in t.conflicts:
            kinds.add(c.kind)
            assert c.a.doc_id == AGREEMENT_FILE and c.a.value != c.b.value
            assert c.b.text in b.files[c.b.doc_id]
            assert normalized(c.field, c.b.text) == c.b.value
            assert c.governs in (*b.files, "unresolved")
        for r in t.restated:
            assert len(r.statements) >= 2
            for s in r.statements[1:]:
                assert s.text in b.files[s.doc_id]
                assert normalized(r.field, s.text) == r.value
        assert BundleTruth.from_json(json.loads(json.dumps(t.to_json()))) == t
    assert kinds == {"amended_by", "conflict"}
    assert any(not b.truth.conflicts for b in bundles)


def test_check_bundle_catches_a_wrong_truth(bundles: list[Bundle]) -> None:
    b = next(b for b in bundles if b.truth.conflicts)
    c = b.truth.conflicts[0]
    wrong = replace(c, b=replace(c.b, value=c.a.value))
    broken = Bundle(b.files, replace(b.truth, conflicts=(wrong, *b.truth.conflicts[1:])))
    assert check_bundle(broken)


def test_restated_values_normalize_equal() -> None:
    assert normalized("payment_terms", "thirty (30) days") == normalized("payment_terms", "net 30")
    assert normalized("renewal_term", "one (1) year") == normalized("renewal_term", "12 months")
    assert normalized("governing_law", "the State of Delaware") == "Delaware"
    assert normalized("governing_law", "Delaware law") == "Delaware"
    assert normalized("liability_cap", "$1,000,000") == normalized(
        "liability_cap", "USD 1,000,000.00"
    )


@pytest.mark.parametrize(
    ("field_name", "value"),
    [
        ("non_renewal_notice", "1 month"),
        ("non_renewal_notice", "3 months"),
        ("payment_terms", "1 day"),
        ("renewal_term", "12 months"),
    ],
)
def test_one_unit_durations_can_be_changed(field_name: str, value: str) -> None:
    # `str(Duration)` writes "1 month": the generator reads it back like "12 months".
    for seed in range(8):
        new = changed_value(field_name, value, random.Random(seed))
        assert new is not None and new != value
        # The change is written the way `str(Duration)` writes it, so a phrase can be found.
        assert phrase(field_name, new, random.Random(seed))


def test_a_one_month_fee_multiple_is_written_and_read_back() -> None:
    variants = cap_variants("1x fees paid in 1 month", "Customer")
    assert variants
    assert {normalized("liability_cap", v) for v in variants} == {"1x fees paid in 1 month"}


def test_eval_metrics_structure(bundles: list[Bundle], tmp_path: Path) -> None:
    write_bundles(bundles[:2], tmp_path)
    folders = sorted(p for p in tmp_path.iterdir() if p.is_dir())
    assert load_truth(folders[0]).bundle_id == "bundle_000"
    result = evaluate(folders)
    assert result["n_bundles"] == 2
    for key in ("precision", "recall", "f1", "tp", "fp", "fn"):
        assert key in result["overall"]
    assert result["overall"]["tp"] + result["overall"]["fn"] == result["n_planted"]
    assert isinstance(result["restated_false_flags"], int)
    for key in ("kind_accuracy", "governs_accuracy", "fields", "misses", "false_flags"):
        assert key in result


def test_bundles_read_through_pdfs_flag_what_their_text_flags(
    bundles: list[Bundle], tmp_path: Path
) -> None:
    write_bundles(bundles[:2], tmp_path)
    folders = sorted(p for p in tmp_path.iterdir() if p.is_dir())
    as_text, as_pdf = evaluate(folders), evaluate(folders, via="pdf")
    assert as_pdf["via"] == "pdf" and not as_pdf["ingest_errors"]
    # Same documents by name, same flags: setting the text on pages loses nothing.
    assert as_pdf["overall"] == as_text["overall"]
    assert as_pdf["fields"] == as_text["fields"]


def test_via_is_text_or_pdf(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="via"):
        evaluate([tmp_path], via="docx")


AMENDMENT = """AMENDMENT NO. 1 TO MASTER SUPPLY AGREEMENT

This Amendment No. 1 (this "Amendment") is entered into as of June 1, 2022 (the "Amendment \
Effective Date") by and between Northwind Foods, Inc. ("Buyer") and Lakeshore Packaging LLC \
("Supplier"), and amends the Master Supply Agreement dated as of March 1, 2021 (the "Agreement").

1. Notices. The address of Supplier for notices is changed to 400 Harbor Boulevard, Boston.

2. Confirmation. Buyer shall continue to pay each invoice within 30 days of receipt.

3. Governing Law. This Amendment shall be governed by Delaware law.
"""
ORDER = """ORDER FORM NO. 2

This Order Form No. 2 (this "Order Form") is entered into as of September 1, 2022 by and between \
Northwind Foods, Inc. ("Buyer") and Lakeshore Packaging LLC ("Supplier") under the Master Supply \
Agreement dated as of March 1, 2021 (the "Agreement").

1. Fees. Buyer shall pay Supplier a fee of USD 12,000.00 per month.

2. Governing Law. This Order Form shall be governed by the laws of the State of New York.
"""


def test_hand_made_bundle_finds_exactly_the_planted_conflict(tmp_path: Path) -> None:
    folder = tmp_path / "bundle_hand"
    folder.mkdir()
    files = {
        AGREEMENT_FILE: CONTRACT,
        "02_amendment_no_1.txt": AMENDMENT,
        "03_order_form_no_2.txt": ORDER,
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    truth = {
        "bundle_id": "bundle_hand",
        "contract_id": "hand",
        "seed": "",
        "documents": [{"doc_id": k, "kind": "", "title": "", "date": ""} for k in files],
        "precedence": [],
        "conflicts": [
            {
                "field": "governing_law",
                "kind": "conflict",
                "governs": "unresolved",
                "style": "plain",
                "why": "no precedence clause",
                "a": {
                    "doc_id": AGREEMENT_FILE,
                    "value": "Delaware",
                    "text": "the State of Delaware",
                },
                "b": {
                    "doc_id": "03_order_form_no_2.txt",
                    "value": "New York",
                    "text": "the State of New York",
                },
            }
        ],
        "restated": [
            {
                "field": "payment_terms",
                "value": "30 days",
                "statements": [
                    {"doc_id": AGREEMENT_FILE, "value": "30 days", "text": "thirty (30) days"},
                    {"doc_id": "02_amendment_no_1.txt", "value": "30 days", "text": "30 days"},
                ],
            },
            {
                "field": "governing_law",
                "value": "Delaware",
                "statements": [
                    {
                        "doc_id": AGREEMENT_FILE,
                        "value": "Delaware",
                        "text": "the State of Delaware",
                    },
                    {
                        "doc_id": "02_amendment_no_1.txt",
                        "value": "Delaware",
                        "text": "Delaware law",
                    },
                ],
            },
        ],
    }
    (folder / "truth.json").write_text(json.dumps(truth), encoding="utf-8")
    out = tmp_path / "result.json"
    md = tmp_path / "results.md"
    assert (
        main(["eval", "conflicts", "--bundles", str(tmp_path), "--out", str(out), "--md", str(md)])
        == 0
    )
    result = json.loads(out.read_text("utf-8"))
    assert result["overall"]["tp"] == 1
    assert result["overall"]["fp"] == 0 and result["overall"]["fn"] == 0
    assert result["restated_false_flags"] == 0
    assert result["kind_accuracy"] == 1.0 and result["governs_accuracy"] == 1.0
    assert "| governing_law |" in md.read_text("utf-8")
