"""Tests of `longbrief eval summaries`: split, baselines, metrics and one end-to-end run."""

from __future__ import annotations

import gzip
import hashlib
import json
import random
from pathlib import Path

import pytest

from lm.weights import minilm_available
from training.baselines import document_blind, lead, textrank, textrank_scores, unigram_f1
from training.evaluate import (
    NumberCounts,
    Record,
    Rouge,
    Split,
    SystemResult,
    _prepare,
    _run_mode,
    main,
    number_counts,
    read_records,
    sibling_training_file,
    summary_sentences,
)
from training.splits import is_validation

COMPANIES = ["Acme", "Borealis", "Cobalt", "Dunmore", "Eastgate", "Fairholm"]


def _call(company: str, k: int) -> dict[str, str]:
    """A small earnings-call record whose summary restates some of its numbers."""
    revenue, margin, eps = f"{1 + k / 10:.1f}", f"{12 + k}.5", f"0.{40 + k}"
    text = "\n".join(
        [
            f"Good morning and welcome to the {company} third quarter earnings call.",
            f"Revenue for the quarter was ${revenue} billion, up {5 + k}% from last year.",
            f"Operating margin improved to {margin}% on lower freight and material costs.",
            f"Adjusted earnings per share were ${eps}, ahead of our plan for the period.",
            f"We repurchased {2 + k} million shares and paid down debt during the quarter.",
            f"For fiscal 2022 we expect revenue between ${4 + k} billion and ${5 + k} billion.",
            "Thank you all for joining us today and we look forward to your questions.",
        ]
    )
    summary = (
        f"q3 revenue ${revenue} billion.\nq3 adjusted earnings per share ${eps}.\n"
        f"sees fy 2022 revenue ${4 + k} billion to ${5 + k} billion.\n"
    )
    return {"id": f"tiny/{company}_q3", "source": "tiny", "text": text, "summary": summary}


def _write_jsonl_gz(path: Path, rows: list[dict[str, str]]) -> Path:
    with gzip.open(path, "wt", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row) + "\n")
    return path


def test_split_is_deterministic_by_sha1_of_the_id() -> None:
    ids = [f"doc-{i}" for i in range(500)]
    expected = {i for i in ids if int(hashlib.sha1(i.encode()).hexdigest(), 16) % 1000 < 100}
    assert {i for i in ids if is_validation(i, 100)} == expected
    assert 20 < len(expected) < 80
    records = [Record(i, "text", "summary") for i in ids]
    shuffled = records[:]
    random.Random(3).shuffle(shuffled)
    chosen = Split(100).select(records)
    assert [r.doc_id for r in chosen] == sorted(expected)
    assert Split(100).select(shuffled) == chosen
    assert Split(100, limit=5).select(shuffled) == chosen[:5]
    assert len(Split(None).select(records)) == 500
    assert Split(None, limit=3).select(shuffled) == sorted(records, key=lambda r: r.doc_id)[:3]


def test_read_records_skips_bad_lines_and_finds_the_training_sibling(tmp_path: Path) -> None:
    path = tmp_path / "tiny_val.jsonl"
    lines = [
        json.dumps({"id": "a", "text": "Some text.", "summary": "Some."}),
        "not json",
        json.dumps({"id": "b", "text": "", "summary": "x"}),
        json.dumps({"id": 7, "text": "More text.", "summary": "More."}),
        json.dumps({"text": "No id here.", "summary": "No id."}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    records, skipped = read_records(path)
    assert [r.doc_id for r in records] == ["a", "7", "tiny_val.jsonl:5"]
    assert skipped == 2
    assert sibling_training_file(path) is None
    (tmp_path / "tiny_train.jsonl").write_text("", encoding="utf-8")
    assert sibling_training_file(path) == tmp_path / "tiny_train.jsonl"


def test_lead_fills_the_budget_in_document_order() -> None:
    sentences = ["one two three", "four five", "six seven eight", "nine"]
    assert lead(sentences, 4) == [0, 1]
    assert lead(sentences, 3) == [0]
    assert lead(sentences, 100) == [0, 1, 2, 3]
    assert lead(sentences, 0) == []


def test_textrank_picks_the_central_sentence() -> None:
    # A star: the hub shares a distinct word with each spoke; spokes share nothing else.
    hub = "contract payment termination liability warranty"
    spokes = [
        "the contract was signed in spring by both owners",
        "late payment carries interest at the agreed rate",
        "termination needs ninety days written notice first",
        "liability stays capped at fees paid by customer",
        "warranty claims must reach the vendor promptly now",
    ]
    sentences = [spokes[0], spokes[1], hub, *spokes[2:]]
    scores = textrank_scores(sentences)
    assert int(scores.argmax()) == 2
    assert scores.sum() == pytest.approx(1.0, abs=1e-4)
    assert textrank(sentences, 5) == [2]
    # Budget for two sentences: the hub plus one spoke, returned in document order.
    picked = textrank(sentences, 10)
    assert 2 in picked and len(picked) == 2 and picked == sorted(picked)


def test_textrank_without_edges_falls_back_to_document_order() -> None:
    sentences = ["alpha beta gamma", "delta epsilon zeta", "eta theta iota"]
    assert textrank(sentences, 3) == [0]
    assert textrank([], 10) == []


def test_document_blind_picks_the_most_typical_summary() -> None:
    texts = [
        "q3 revenue rose to 2 billion dollars",
        "q3 revenue rose to 3 billion dollars and margin improved",
        "q3 revenue fell to 1 billion dollars",
        "the board approved a new chief executive",
    ]
    summaries = [t.split() for t in texts]
    assert document_blind(summaries) == 0
    assert document_blind([["only"]]) == 0
    with pytest.raises(ValueError):
        document_blind([])


def test_unigram_f1_is_rouge1() -> None:
    from collections import Counter

    rouge = Rouge()
    a = "Revenue rose 8 percent to $1.2 billion in the quarter."
    b = "Quarterly revenues were $1.2 billion, rising 8 percent."
    f = unigram_f1(Counter(rouge.tokenize(a)), Counter(rouge.tokenize(b)))
    assert 100 * f == pytest.approx(rouge.scorer.score(a, b)["rouge1"].fmeasure * 100)


def test_rouge_of_a_perfect_system_is_100() -> None:
    reference = summary_sentences("q3 revenue $1.2 billion.\nsees fy revenue $5 billion.\n")
    assert reference == ["q3 revenue $1.2 billion.", "sees fy revenue $5 billion."]
    scores = Rouge().score(reference, reference)
    assert (scores.rouge1, scores.rouge2, scores.rouge_lsum) == (100.0, 100.0, 100.0)
    assert Rouge().score(["nothing in common here"], reference).rouge2 == 0.0


def test_number_faithfulness_and_recall_on_crafted_cases() -> None:
    source = "Revenue rose 12% to $1,200 million in 2021. Costs were 300 million."
    summary = "Revenue rose 12% to $1,200 million in 2021, and 2021 saw 99 new stores."
    reference = "Revenue of $1,200 million in 2021; 2021 margin 7%."
    counts = number_counts(summary, source, reference)
    # Summary numbers 12, 1200, 2021, 2021, 99: all but 99 occur in the source.
    assert (counts.supported, counts.generated) == (4, 5)
    # Reference numbers 1200, 2021, 2021, 7: the summary repeats 1200 and 2021 twice.
    assert (counts.recalled, counts.reference) == (3, 4)
    assert counts.faithfulness == pytest.approx(80.0)
    assert counts.recall == pytest.approx(75.0)
    none = number_counts("No figures at all.", source, "Nor here.")
    assert none.faithfulness is None and none.recall is None
    total = counts + none
    assert total == NumberCounts(4, 5, 3, 4)


def test_a_mode_the_engine_cannot_run_is_reported_not_crashed() -> None:
    class NoDecoder:
        name = "stub"
        has_decoder = False
        trained: tuple[str, ...] = ()

    item = _prepare(Record("x", _call("Acme", 0)["text"], "q3 revenue."), "tiny", None)
    result = _run_mode(NoDecoder(), "hybrid", [item], Rouge(), lambda _: None)  # type: ignore[arg-type]
    assert result == SystemResult.unavailable("hybrid", "mode", result.reason)
    assert "no trained decoder" in result.reason


@pytest.mark.skipif(not minilm_available(), reason="verified MiniLM base files are not installed")
def test_eval_summaries_end_to_end(tmp_path: Path) -> None:
    rows = [_call(c, k) for k, c in enumerate(COMPANIES)]
    data = _write_jsonl_gz(tmp_path / "tiny_val.jsonl.gz", rows)
    train = [_call(f"Train{c}", k + 10) for k, c in enumerate(COMPANIES)]
    _write_jsonl_gz(tmp_path / "tiny_train.jsonl.gz", train)
    out, md = tmp_path / "results.json", tmp_path / "RESULTS.md"
    args = ["--data", str(data), "--all", "--limit", "3", "--out", str(out), "--md", str(md)]
    main(["eval", "summaries", *args, "--modes", "extractive"])

    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["n_docs"] == 3 and result["dataset"] == "tiny_val"
    assert result["split"] == "all records, first 3 by id"
    assert result["checkpoint"] and result["date"] and result["machine"]["cores"] >= 1
    systems = {s["name"]: s for s in result["systems"]}
    assert list(systems) == ["extractive", "lead", "textrank", "document-blind"]
    for system in systems.values():
        assert system["available"], system["reason"]
        assert 0 < system["rouge1"] <= 100 and 0 <= system["rouge2"] <= system["rouge1"]
        assert [d["doc_id"] for d in system["documents"]] == [r["id"] for r in rows[:3]]
    # Extractive systems copy source sentences: every number they write is in the source.
    for name in ("extractive", "lead", "textrank"):
        assert systems[name]["number_faithfulness"] == 100.0
    # The document-blind summary comes from the training file and states other numbers.
    assert result["document_blind"]["train_data"] == "tiny_train.jsonl.gz"
    assert result["document_blind"]["doc_id"].startswith("tiny/Train")
    assert systems["document-blind"]["number_faithfulness"] < 100.0
    table = md.read_text(encoding="utf-8")
    assert table.startswith("### tiny_val, all records, first 3 by id, ")
    assert "| document-blind |" in table


def test_append_markdown_separates_tables(tmp_path: Path) -> None:
    from training.evaluate import append_markdown

    md = tmp_path / "new" / "RESULTS.md"
    append_markdown(md, "| a |\n")
    append_markdown(md, "| b |\n")
    assert md.read_text(encoding="utf-8") == "| a |\n\n| b |\n"
