"""The compiled residual LayerNorm (`lm.ops.fused_norm`) against `nn.LayerNorm` of the sum."""

from __future__ import annotations

import pytest
import torch
from kernel_support import rel_rms, without_and_with_kernel
from torch import nn

from lm.config import ModelConfig
from lm.layers.blocks import EncoderLayer
from lm.ops import fused_norm as fn
from lm.ops.kernels import kernel

pytestmark = pytest.mark.skipif(kernel() is None, reason="the C++ kernels could not be built here")


def layer_norm(d: int) -> nn.LayerNorm:
    norm = nn.LayerNorm(d, eps=1e-12)
    with torch.no_grad():
        norm.weight.normal_(1.0, 0.3)
        norm.bias.normal_(0.0, 0.3)
    return norm


@pytest.mark.parametrize("rows", [1, 63, 500])
@pytest.mark.parametrize("d", [7, 16, 33, 384])
def test_matches_layer_norm_of_the_sum(rows: int, d: int) -> None:
    norm = layer_norm(d)
    # An offset mean and a wide spread: the variance must be taken about the mean.
    x, update = torch.randn(rows, d) * 3 + 5, torch.randn(rows, d)
    out = fn.add_layer_norm(x, update, norm)
    ref = nn.functional.layer_norm(
        (x + update).double(), (d,), norm.weight.double(), norm.bias.double(), norm.eps
    )
    assert out.shape == (rows, d) and out.dtype == torch.float32
    assert rel_rms(out, ref) < 1e-5


def test_batched_and_strided_rows() -> None:
    norm = layer_norm(32)
    x = torch.randn(2, 50, 64)[..., ::2]  # rows with a stride of 64, elements of 2
    update = torch.randn(2, 50, 32)
    out = fn.add_layer_norm(x, update, norm)
    assert out.shape == (2, 50, 32)
    assert rel_rms(out, norm(x + update)) < 1e-5


def test_bfloat16_within_its_rounding() -> None:
    norm = layer_norm(384)
    x, update = (torch.randn(300, 384).bfloat16() for _ in range(2))
    out = fn.add_layer_norm(x, update, norm)
    assert out.dtype == torch.bfloat16
    ref = nn.functional.layer_norm(
        (x.double() + update.double()), (384,), norm.weight.double(), norm.bias.double()
    )
    assert rel_rms(out, ref) < 4e-3


def test_encoder_layer_same_with_and_without_kernel(monkeypatch: pytest.MonkeyPatch) -> None:
    layer = EncoderLayer(ModelConfig.from_name("tiny"), "local").eval()
    for res in (layer.attn_res, layer.ffn_res):
        res.norm = layer_norm(res.norm.normalized_shape[0])
    x = torch.randn(2, 200, layer.ffn.fc1.in_features)
    ref, fused = without_and_with_kernel(monkeypatch, fn, "MIN_ROWS", lambda: layer(x))
    with torch.inference_mode():
        assert fn.fusable(x, x, layer.attn_res.norm)
    assert rel_rms(fused, ref) < 1e-5


def test_training_and_gradients_keep_pytorch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fn, "MIN_ROWS", 1)
    norm = layer_norm(16)
    x = torch.randn(4, 16, requires_grad=True)
    assert not fn.fusable(x, x, norm)
    layer = EncoderLayer(ModelConfig.from_name("tiny"), "local").train()
    inp = torch.randn(1, 20, layer.ffn.fc1.in_features, requires_grad=True)
    layer(inp).sum().backward()
    assert inp.grad is not None and layer.attn_res.norm.weight.grad is not None
