"""What the compiled-kernel tests (test_fused_*.py) share: the error measure, a small hybrid
attention layer, and a layer run with the kernel off and on."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

import pytest
import torch

from lm.config import ModelConfig
from lm.layers.attention import EncoderAttention


def rel_rms(a: torch.Tensor, b: torch.Tensor) -> float:
    """Root-mean-square of a - b relative to that of b, in float64."""
    a, b = a.double(), b.double()
    return ((a - b).pow(2).mean().sqrt() / b.pow(2).mean().sqrt().clamp_min(1e-12)).item()


def hybrid_layer() -> EncoderAttention:
    """A tiny window + linear attention layer (feature_dim 16, window 4) with random scales."""
    cfg = ModelConfig.from_name("tiny", feature_dim=16, window=4)
    layer = EncoderAttention(cfg, "hybrid").eval()
    with torch.no_grad():
        layer.log_scale.normal_(0.0, 0.5)
    return layer


def without_and_with_kernel(
    monkeypatch: pytest.MonkeyPatch,
    module: ModuleType,
    threshold: str,
    run: Callable[[], torch.Tensor],
) -> tuple[torch.Tensor, torch.Tensor]:
    """`run()` under inference mode with `module.<threshold>` (its minimum size for the kernel)
    out of reach, then at 1 so that the kernel serves: (reference, fused)."""
    with torch.inference_mode():
        monkeypatch.setattr(module, threshold, 10**9)
        ref = run()
        monkeypatch.setattr(module, threshold, 1)
        fused = run()
    return ref, fused
