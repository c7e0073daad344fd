"""`lm.ops.dense.linear`: oneDNN's fused GEMM for bf16 inference equals F.linear (+ GELU)."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from lm.ops.dense import MIN_ROWS, fusable, linear


def _layer(dtype: torch.dtype) -> nn.Linear:
    torch.manual_seed(0)
    layer = nn.Linear(48, 80)
    with torch.no_grad():
        layer.bias.normal_()
    return layer.to(dtype)


def _reference(x: torch.Tensor, layer: nn.Linear, gelu: bool) -> torch.Tensor:
    """float64 F.linear (+ exact GELU) of the same bf16 values."""
    out = F.linear(x.double(), layer.weight.double(), layer.bias.double())
    return F.gelu(out) if gelu else out


@pytest.mark.parametrize("gelu", [False, True])
@pytest.mark.parametrize("shape", [(MIN_ROWS + 7, 48), (2, MIN_ROWS // 2 + 3, 48)])
@torch.no_grad()
def test_fused_bf16_matches_reference(shape: tuple[int, ...], gelu: bool) -> None:
    layer = _layer(torch.bfloat16)
    x = (torch.randn(shape) * 2).bfloat16()
    assert fusable(x, layer.weight) == torch.backends.mkldnn.is_available()
    out = linear(x, layer, gelu=gelu)
    assert out.dtype == torch.bfloat16 and out.shape == (*shape[:-1], 80)
    ref = _reference(x, layer, gelu)
    # One bf16 rounding of the result: relative error ~2^-8.
    assert ((out.double() - ref).norm() / ref.norm()).item() < 8e-3


@pytest.mark.parametrize("gelu", [False, True])
def test_other_cases_are_exactly_f_linear(gelu: bool) -> None:
    expected = (lambda y: F.gelu(y)) if gelu else (lambda y: y)
    short = torch.randn(MIN_ROWS - 1, 48).bfloat16()
    layer16 = _layer(torch.bfloat16)
    with torch.no_grad():
        assert not fusable(short, layer16.weight)
        torch.testing.assert_close(
            linear(short, layer16, gelu), expected(F.linear(short, layer16.weight, layer16.bias))
        )
    layer32 = _layer(torch.float32)
    x32 = torch.randn(MIN_ROWS + 1, 48)
    with torch.no_grad():
        assert not fusable(x32, layer32.weight)
        torch.testing.assert_close(linear(x32, layer32, gelu), expected(layer32(x32)))


def test_training_keeps_autograd() -> None:
    layer = _layer(torch.bfloat16)
    x = torch.randn(MIN_ROWS + 1, 48).bfloat16().requires_grad_()
    assert not fusable(x, layer.weight)
    linear(x, layer, gelu=True).float().sum().backward()
    assert x.grad is not None and layer.weight.grad is not None
    assert torch.isfinite(layer.weight.grad.float()).all()
