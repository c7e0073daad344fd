"""Fixtures for the retrieval tests: the word-hashing embedder, and the real MiniLM embedder
(one per session, skipped where its files are not installed)."""

from __future__ import annotations

import pytest
from retrieval_fakes import HashEmbedder

from lm.weights import minilm_available


@pytest.fixture
def hash_embedder() -> HashEmbedder:
    return HashEmbedder()


@pytest.fixture(scope="session")
def minilm_embedder():
    if not minilm_available():
        pytest.skip("verified MiniLM base files are not installed")
    from retrieval.embedder import Embedder

    return Embedder()
