"""The engine's encoder dtype: bf16 weights when enabled (cast once at load), float32 otherwise."""

from __future__ import annotations

import pytest
import torch

from lm.weights import minilm_available
from pipeline.engine import Engine, EngineConfig
from pipeline.ingest import ingest_bytes
from pipeline.segment import segment

pytestmark = pytest.mark.skipif(not minilm_available(), reason="MiniLM base files not installed")

TEXT = (
    "This Master Services Agreement is made as of March 1, 2024 between Acme Corp. and Beta LLC. "
    "Supplier shall deliver the Services described in each Statement of Work. "
    "Customer shall pay each invoice within thirty (30) days of receipt. "
    "This Agreement is governed by the laws of the State of Delaware."
)


def test_bf16_engine_casts_encoder_once_and_matches_float32() -> None:
    fast = Engine.load(EngineConfig(bf16=True))
    exact = Engine.load(EngineConfig(bf16=False))
    assert fast.model.encoder_dtype == torch.bfloat16
    assert exact.model.encoder_dtype == torch.float32
    segs = [segment(doc) for doc in ingest_bytes("msa.txt", TEXT.encode()).documents]
    assert len(segs) == 1
    a, b = fast.encode(segs).memory, exact.encode(segs).memory
    assert a.dtype == b.dtype == torch.float32
    assert a.shape == b.shape
    assert torch.nn.functional.cosine_similarity(a, b, dim=-1).min() > 0.995
