"""Tokenizer wrapper that keeps character offsets (citations need them).

MiniLM's WordPiece is the default; any `tokenizer.json` loads the same way, e.g. a byte-level or
whitespace BPE trained by `training.bpe` for a model trained from scratch. Special tokens are found
by their BERT names ([PAD], [UNK], [CLS], [SEP], [MASK]); a tokenizer trained here has them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tokenizers import Tokenizer as _HFTokenizer


@dataclass(frozen=True)
class Encoding:
    """Token ids of a text and, per token, its (start, end) character span in that text."""

    ids: tuple[int, ...]
    offsets: tuple[tuple[int, int], ...]

    def __len__(self) -> int:
        return len(self.ids)


class Tokenizer:
    """Thin wrapper over `tokenizers.Tokenizer` with truncation and padding turned off.

    Encodings carry no special tokens; the model adds [CLS]/[SEP] where it needs them.
    """

    def __init__(self, backend: _HFTokenizer):
        backend.no_truncation()
        backend.no_padding()
        self._tok = backend
        self.pad_id = self._special("[PAD]", 0)
        self.unk_id = self._special("[UNK]", 0)
        self.cls_id = self._special("[CLS]", self.pad_id)
        self.sep_id = self._special("[SEP]", self.pad_id)
        self.mask_id = self._special("[MASK]", self.unk_id)

    def _special(self, token: str, default: int) -> int:
        tid = self._tok.token_to_id(token)
        return default if tid is None else tid

    @classmethod
    def from_file(cls, path: str | Path) -> Tokenizer:
        """Load a `tokenizer.json`."""
        return cls(_HFTokenizer.from_file(str(path)))

    @classmethod
    def minilm(cls) -> Tokenizer:
        """The verified all-MiniLM-L6-v2 WordPiece tokenizer (uncased, 30522 tokens)."""
        from lm.weights import minilm_files

        return cls.from_file(minilm_files().tokenizer)

    @property
    def vocab_size(self) -> int:
        return self._tok.get_vocab_size(with_added_tokens=True)

    def encode(self, text: str) -> Encoding:
        """Encode without special tokens; offsets index into `text`."""
        enc = self._tok.encode(text, add_special_tokens=False)
        return Encoding(tuple(enc.ids), tuple((int(a), int(b)) for a, b in enc.offsets))

    def encode_batch(self, texts: list[str]) -> list[Encoding]:
        """Encode several texts in parallel (the Rust backend uses its own threads)."""
        out = self._tok.encode_batch(texts, add_special_tokens=False)
        return [Encoding(tuple(e.ids), tuple((int(a), int(b)) for a, b in e.offsets)) for e in out]

    def count(self, text: str) -> int:
        """Number of tokens in `text`."""
        return len(self._tok.encode(text, add_special_tokens=False).ids)

    def decode(self, ids: list[int] | tuple[int, ...], skip_special: bool = True) -> str:
        """Ids back to text (by the tokenizer's own decoder: WordPiece '##' pieces or BPE bytes)."""
        return self._tok.decode(list(ids), skip_special_tokens=skip_special)

    def id_to_token(self, tid: int) -> str | None:
        return self._tok.id_to_token(tid)

    def token_to_id(self, token: str) -> int | None:
        """The id of a vocabulary entry (e.g. "[unused0]"), or None when there is none."""
        return self._tok.token_to_id(token)

    def save(self, path: str | Path) -> None:
        self._tok.save(str(path))
