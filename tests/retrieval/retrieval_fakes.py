"""Test helpers for the retrieval tests: a fast deterministic embedder and chunk builders."""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Sequence

import numpy as np

from retrieval.records import ChunkInput

DIM = 384
WORD = re.compile(r"[a-z0-9]+")


class HashEmbedder:
    """Bag of words hashed into 384 dims, L2-normalized: texts that share words are similar.

    Deterministic across processes (crc32, not `hash`), instant, and it counts its calls so that
    tests can tell whether anything was embedded.
    """

    dim = DIM

    def __init__(self) -> None:
        self.calls = 0
        self.texts = 0

    def embed(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        self.calls += 1
        self.texts += len(texts)
        out = np.zeros((len(texts), DIM), np.float32)
        for row, text in enumerate(texts):
            for word in WORD.findall(text.lower()):
                out[row, zlib.crc32(word.encode()) % DIM] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)


def sha(text: str) -> str:
    """The sha256 of a document's text, as the pipeline computes it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def chunks_of(texts: Sequence[str], page: str = "1") -> list[ChunkInput]:
    """ChunkInputs for consecutive `texts` of one document (spans as if joined by one space)."""
    out, start = [], 0
    for text in texts:
        out.append(ChunkInput(text, page, start, start + len(text)))
        start += len(text) + 1
    return out
