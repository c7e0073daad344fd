"""The MiniLM WordPiece wrapper: ids with character offsets, no specials, no truncation."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.minilm_required

TEXT = (
    'This Master Services Agreement (the "Agreement") is entered into on March 3, 2021 '
    "between ACME Corp., a Delaware corporation, and Widget-Works LLC. The Supplier shall "
    "invoice monthly; payment is due net 30 days. Liability is capped at $1,000,000 "
    "(one million dollars), and the governing law is that of New York."
)


def test_offsets_map_tokens_back_to_text(minilm_tokenizer) -> None:
    enc = minilm_tokenizer.encode(TEXT)
    assert len(enc.ids) == len(enc.offsets) == len(enc) > 40
    previous_end = 0
    for tid, (a, b) in zip(enc.ids, enc.offsets, strict=True):
        token = minilm_tokenizer.id_to_token(tid)
        assert token != "[UNK]"
        assert 0 <= a < b <= len(TEXT)
        assert a >= previous_end  # offsets are ordered and do not overlap
        assert TEXT[a:b].lower() == token.removeprefix("##"), (token, TEXT[a:b])
        previous_end = b
    # Every non-space character is covered by some token.
    covered = {i for a, b in enc.offsets for i in range(a, b)}
    assert {i for i, ch in enumerate(TEXT) if not ch.isspace()} <= covered


def test_no_special_tokens_added(minilm_tokenizer) -> None:
    enc = minilm_tokenizer.encode("the term is two years.")
    specials = {minilm_tokenizer.cls_id, minilm_tokenizer.sep_id, minilm_tokenizer.pad_id}
    assert not specials & set(enc.ids)
    assert [minilm_tokenizer.id_to_token(t) for t in enc.ids] == [
        "the",
        "term",
        "is",
        "two",
        "years",
        ".",
    ]


def test_no_truncation(minilm_tokenizer) -> None:
    words = [f"clause{i % 97} party{i % 13}" if i % 5 == 0 else "agreement" for i in range(3000)]
    text = " ".join(words)
    assert len(text.split()) >= 3000
    enc = minilm_tokenizer.encode(text)
    assert len(enc) > 3000  # far past MiniLM's 128 and 512
    assert enc.offsets[-1][1] == len(text)  # the last token is the text's end
    assert minilm_tokenizer.count(text) == len(enc)


def test_encode_batch_equals_encode(minilm_tokenizer) -> None:
    texts = [TEXT, "", "Net 45.", TEXT[:57], "Schedule 2 — Fees (€ 12,500.00)"]
    assert minilm_tokenizer.encode_batch(texts) == [minilm_tokenizer.encode(t) for t in texts]
    assert len(minilm_tokenizer.encode("")) == 0


def test_decode_round_trip(minilm_tokenizer) -> None:
    sentence = "the supplier shall pay the fees within thirty days."
    ids = minilm_tokenizer.encode(sentence).ids
    assert minilm_tokenizer.decode(ids) == sentence
    # Specials are dropped by default and kept on request.
    wrapped = [minilm_tokenizer.cls_id, *ids, minilm_tokenizer.sep_id]
    assert minilm_tokenizer.decode(wrapped) == sentence
    assert minilm_tokenizer.decode(wrapped, skip_special=False).startswith("[CLS]")


def test_special_ids(minilm_tokenizer) -> None:
    assert minilm_tokenizer.cls_id == 101
    assert minilm_tokenizer.sep_id == 102
    assert minilm_tokenizer.pad_id == 0
    assert minilm_tokenizer.unk_id == 100
    assert minilm_tokenizer.mask_id == 103
    assert minilm_tokenizer.vocab_size == 30522


def test_token_to_id_finds_the_spare_entries(minilm_tokenizer) -> None:
    # The [unusedN] entries are the span-corruption sentinels (training.denoise).
    assert minilm_tokenizer.token_to_id("[unused0]") == 1
    assert minilm_tokenizer.token_to_id("[unused99]") == 104
    assert minilm_tokenizer.token_to_id("[unused994]") is None
    assert minilm_tokenizer.id_to_token(minilm_tokenizer.token_to_id("[CLS]")) == "[CLS]"
    # No text produces them: the brackets split off as punctuation.
    assert 1 not in minilm_tokenizer.encode("see [unused0] here").ids
