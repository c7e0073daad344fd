"""BPE tokenizer training: special ids, sentinels, offsets, the lm loader, a tiny model, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from lm.config import ModelConfig
from lm.model import LongBriefModel
from lm.tokenizer import Tokenizer
from lm.weights import minilm_available
from training.bpe import (
    SPECIAL_TOKENS,
    BPESpec,
    config_overrides,
    sentinel_ids,
    tokens_per_word,
    train_bpe,
    train_tokenizer_files,
)

SENTENCES = [
    "The Licensee shall pay the Licensor within thirty (30) days of the invoice date.",
    "This Agreement is governed by the laws of the State of Delaware.",
    "Either party may terminate this Agreement on ninety days' written notice.",
    "The Supplier's aggregate liability shall not exceed $1,000,000 in any year.",
    "Confidential Information excludes information that is publicly available.",
    "The café's licence renewal is automatic unless notice of non-renewal is given.",
]


def corpus(n: int = 60) -> list[str]:
    return [" ".join(SENTENCES[(i + j) % len(SENTENCES)] for j in range(3)) for i in range(n)]


@pytest.mark.parametrize("kind", ["byte", "whitespace"])
def test_trained_tokenizer_loads_with_ids_offsets_and_sentinels(tmp_path: Path, kind: str) -> None:
    trained = train_bpe(corpus(), BPESpec(vocab_size=500, kind=kind, n_sentinels=12))
    trained.save(tmp_path / "tokenizer.json")
    tok = Tokenizer.from_file(tmp_path / "tokenizer.json")
    # BERT's special tokens come first, then the sentinels [unused0]..
    assert [tok.token_to_id(t) for t in SPECIAL_TOKENS] == [0, 1, 2, 3, 4]
    assert (tok.pad_id, tok.unk_id, tok.cls_id, tok.sep_id, tok.mask_id) == (0, 1, 2, 3, 4)
    assert sentinel_ids(tok, 12) == tuple(range(5, 17))
    with pytest.raises(ValueError, match="sentinel"):
        sentinel_ids(tok, 13)
    text = "The café Licensee pays  $1,000,000 within 30 days."
    enc = tok.encode(text)
    assert len(enc.ids) == len(enc.offsets) > 0
    assert all(0 <= i < tok.vocab_size for i in enc.ids)
    # Offsets are character spans of the text: together they spell its non-space characters.
    pieces = [text[a:b] for a, b in enc.offsets]
    assert "".join(pieces) == text.replace(" ", "")
    assert all(a <= b for a, b in enc.offsets)
    assert "café" in pieces or any("é" in p for p in pieces)
    if kind == "byte":
        assert tok.decode(enc.ids) == text  # byte-level keeps every character and space
    else:
        assert tok.decode(enc.ids).split()[:3] == ["The", "café", "Licensee"]


def test_lowercase_applies_to_the_whitespace_kind() -> None:
    tok = train_bpe(corpus(), BPESpec(vocab_size=300, kind="whitespace", lowercase=True))
    assert tok.encode("LICENSEE").ids == tok.encode("licensee").ids


def test_spec_is_validated() -> None:
    with pytest.raises(ValueError, match="kind"):
        BPESpec(kind="wordpiece")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="minimum"):
        BPESpec(vocab_size=200, kind="byte")  # below 256 bytes + specials


def test_a_tiny_model_is_built_for_the_vocabulary() -> None:
    tok = train_bpe(corpus(), BPESpec(vocab_size=400, n_sentinels=8))
    overrides = config_overrides(tok)
    assert overrides == {"vocab_size": tok.vocab_size, "pad_id": 0, "bos_id": 2, "eos_id": 3}
    cfg = ModelConfig.from_name("tiny", **overrides)
    model = LongBriefModel(cfg).eval()
    assert model.embeddings.word.weight.shape[0] == tok.vocab_size
    ids = torch.tensor([[tok.cls_id, *tok.encode(SENTENCES[0]).ids, tok.sep_id]])
    target = torch.tensor([[cfg.bos_id, *tok.encode("thirty days").ids]])
    with torch.no_grad():
        logprobs = model(ids, torch.ones_like(ids, dtype=torch.bool), target)
    assert logprobs.shape == (1, target.shape[1], tok.vocab_size)
    assert torch.isfinite(logprobs).all()


def test_train_tokenizer_files_reports_heldout_tokens_per_word(tmp_path: Path) -> None:
    jsonl = tmp_path / "corpus.jsonl"
    rows = [{"id": f"doc-{i}", "text": t} for i, t in enumerate(corpus(80))]
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "notes.txt").write_text(" ".join(SENTENCES), encoding="utf-8")
    out = tmp_path / "tok"
    from training.cli import main

    args = ["--data", str(jsonl), str(folder), "--vocab-size", "400", "--out", str(out)]
    main(["train", "tokenizer", *args, "--val-permille", "200", "--sentinels", "4"])
    report = json.loads((out / "tokenizer_report.json").read_text())
    tok = Tokenizer.from_file(out / "tokenizer.json")
    assert report["vocab_size"] == tok.vocab_size <= 400
    assert report["train_documents"] + report["heldout_documents"] == 81
    assert report["heldout_documents"] > 0 and report["heldout_words"] > 0
    assert 0 < report["tokens_per_word"] < 4
    assert report["config_overrides"]["bos_id"] == tok.cls_id
    if minilm_available():
        assert report["minilm_tokens_per_word"] > 1.0
    # The same split and training give the same tokenizer.
    again = train_tokenizer_files(
        [str(jsonl), str(folder)],
        tmp_path / "tok2",
        BPESpec(400, n_sentinels=4),
        200,
        compare_minilm=False,
    )
    assert again.tokens_per_word == report["tokens_per_word"]
    assert (tmp_path / "tok2" / "tokenizer.json").read_text() == (
        out / "tokenizer.json"
    ).read_text()


def test_tokens_per_word_counts_whitespace_words() -> None:
    tok = train_bpe(corpus(), BPESpec(vocab_size=600))
    ratio, words = tokens_per_word(tok, ["The Licensee shall pay", "the Licensor"])
    assert words == 6
    assert ratio == pytest.approx(
        (tok.count("The Licensee shall pay") + tok.count("the Licensor")) / 6
    )
