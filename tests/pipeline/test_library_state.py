"""Results that read the persistent library are keyed by its contents, not only its path."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from pipeline.batch import BatchConfig
from pipeline.results_cache import cache_key
from pipeline.summarize import SummaryOptions, library_state
from retrieval.library import Library
from retrieval.records import ChunkInput


class OneHotEmbedder:
    """Each text to a unit vector chosen by its length: deterministic and instant."""

    dim = 384

    def embed(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), np.float32)
        out[np.arange(len(texts)), [len(t) % self.dim for t in texts]] = 1.0
        return out


def _add(lib: Library, doc_id: str, text: str) -> None:
    lib.add_document(
        doc_id, doc_id, f"/docs/{doc_id}.pdf", doc_id * 64, [ChunkInput(text, "1", 0, len(text))]
    )


def test_keys_change_when_the_library_gains_a_document(tmp_path):
    directory = tmp_path / "library"
    options = SummaryOptions(mode="hybrid", library=str(directory))
    batch = BatchConfig(tmp_path / "out", summary=options)
    with Library.open(directory, OneHotEmbedder()) as lib:
        _add(lib, "a", "The Supplier shall deliver the goods within thirty days.")
        before = (library_state(options), cache_key("b", options, "w"), batch.options_key("w"))
        assert before == (
            library_state(options),
            cache_key("b", options, "w"),
            batch.options_key("w"),
        )
        _add(lib, "b", "This Agreement is governed by the laws of Delaware.")
        after = (library_state(options), cache_key("b", options, "w"), batch.options_key("w"))
    assert all(x != y for x, y in zip(before, after, strict=True))
    assert before[0] is not None


def test_no_library_read_no_state():
    assert library_state(SummaryOptions()) is None
    assert library_state(SummaryOptions(mode="extractive", library="/nowhere")) is None
