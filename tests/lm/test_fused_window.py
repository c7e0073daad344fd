"""The compiled window kernel (`lm.ops.fused_window`) against the quadratic reference.

The reference is `naive_window_linear_attention` (lm/ops/naive.py): the (T, T) masked form of
exact window softmax plus the scaled linear term, run in float64. The kernel is inference-only;
the last tests check that the encoder keeps the differentiable PyTorch path for gradients and
gives the same layer output with and without the kernel.
"""

from __future__ import annotations

import pytest
import torch
from kernel_support import hybrid_layer, rel_rms, without_and_with_kernel

from lm.ops import fused_window as fw
from lm.ops import linear_readout, linear_state
from lm.ops.kernels import kernel
from lm.ops.local_attention import window_plus_linear
from lm.ops.naive import naive_window_linear_attention

pytestmark = pytest.mark.skipif(
    kernel() is None, reason="the C++ kernels could not be built here (see the log warning)"
)

TOL = 1e-3
LENGTHS = [1, 63, 500]
B, H = 2, 3


def inputs(t: int, d: int, f: int = 5, dtype: torch.dtype = torch.float32) -> dict:
    """q, k, v as the projections produce them (views of `(B, T, H, D)`), features, scales."""
    q, k, v = (torch.randn(B, t, H, d).to(dtype).transpose(1, 2) for _ in range(3))
    return {
        "q": q,
        "k": k,
        "v": v,
        "fq": torch.rand(B, H, t, f) + 0.05,
        "fk": torch.rand(B, H, t, f) + 0.05,
        "log_scale": torch.randn(H),
    }


def padding_mask(t: int) -> torch.Tensor:
    """Row 0 all real; row 1 real for its first ~2/3 (at least one token)."""
    mask = torch.ones(B, t, dtype=torch.bool)
    mask[1, max(1, 2 * t // 3) :] = False
    return mask


def kernel_output(x: dict, window: int, mask: torch.Tensor | None) -> torch.Tensor:
    num, den = linear_readout(x["fq"], linear_state(x["fk"], x["v"].float(), mask))
    return fw.window_linear(x["q"], x["k"], x["v"], num, den, x["log_scale"], window, mask)


def reference(x: dict, window: int, mask: torch.Tensor | None) -> torch.Tensor:
    return naive_window_linear_attention(
        **{name: value.double() for name, value in x.items()}, window=window, key_mask=mask
    )


@pytest.mark.parametrize("t", LENGTHS)
@pytest.mark.parametrize("d", [7, 32, 33])
@pytest.mark.parametrize("window", [4, 32])
@pytest.mark.parametrize("masked", [False, True], ids=["full", "padded"])
def test_matches_quadratic_reference(t: int, d: int, window: int, masked: bool) -> None:
    x = inputs(t, d)
    mask = padding_mask(t) if masked else None
    out = kernel_output(x, window, mask)
    ref = reference(x, window, mask)
    assert out.shape == ref.shape == (B, H, t, d)
    rows = (mask if masked else torch.ones(B, t, dtype=torch.bool))[:, None, :].expand(B, H, t)
    assert torch.isfinite(out).all()
    assert rel_rms(out[rows], ref[rows]) < TOL


def test_output_is_time_major() -> None:
    """The result is a `(B, H, T, D)` view of `(B, T, H, D)` memory: the output projection's."""
    out = kernel_output(inputs(40, 16), 4, None)
    assert out.transpose(1, 2).is_contiguous()


def test_window_wider_than_the_sequence_is_full_softmax_plus_linear() -> None:
    x = inputs(63, 32)
    assert rel_rms(kernel_output(x, 200, None), reference(x, 200, None)) < TOL


def test_large_scores_stay_finite() -> None:
    """Scores far past e^88 are shifted by their maximum, as the reference is."""
    x = inputs(63, 32)
    x["q"] = x["q"] * 30.0
    out = kernel_output(x, 8, None)
    assert torch.isfinite(out).all()
    assert rel_rms(out, reference(x, 8, None)) < TOL


@pytest.mark.parametrize("d", [7, 32, 33])
def test_bfloat16_within_its_rounding(d: int) -> None:
    """bf16 in, bf16 out: the scores multiply in bf16 with float32 sums, as SDPA does."""
    x = inputs(500, d, dtype=torch.bfloat16)
    mask = padding_mask(500)
    out = kernel_output(x, 32, mask)
    assert out.dtype == torch.bfloat16
    rows = mask[:, None, :].expand(B, H, 500)
    assert rel_rms(out[rows], reference(x, 32, mask)[rows]) < 1e-2


def test_unsupported_head_dim_is_refused() -> None:
    x = inputs(8, 130)
    with pytest.raises(RuntimeError, match="head_dim"):
        kernel_output(x, 4, None)


def test_window_plus_linear_dispatches_to_the_kernel(monkeypatch: pytest.MonkeyPatch) -> None:
    """Above MIN_TOKENS, without autograd, `window_plus_linear` serves from the kernel."""
    x = inputs(300, 32)
    mask = padding_mask(300)
    num, den = linear_readout(x["fq"], linear_state(x["fk"], x["v"], mask))
    args = (x["q"], x["k"], x["v"], num, den, x["log_scale"], 8, mask)
    calls = []
    kernel_call = fw.window_linear
    monkeypatch.setattr(fw, "window_linear", lambda *a: calls.append(1) or kernel_call(*a))
    with torch.no_grad():
        monkeypatch.setattr(fw, "MIN_TOKENS", 10**9)
        flash = window_plus_linear(*args)
        assert not calls
        monkeypatch.setattr(fw, "MIN_TOKENS", 1)
        fused = window_plus_linear(*args)
        assert calls
    rows = mask[:, None, :].expand(B, H, 300)
    assert rel_rms(fused[rows], flash[rows]) < TOL


@pytest.mark.parametrize("masked", [False, True], ids=["full", "padded"])
def test_encoder_layer_same_with_and_without_kernel(
    monkeypatch: pytest.MonkeyPatch, masked: bool
) -> None:
    layer = hybrid_layer()
    t = 300
    x = torch.randn(B, t, layer.proj.query.in_features)
    mask = padding_mask(t) if masked else None
    ref, fused = without_and_with_kernel(monkeypatch, fw, "MIN_TOKENS", lambda: layer(x, mask))
    rows = mask if masked else torch.ones(B, t, dtype=torch.bool)
    assert rel_rms(fused[rows], ref[rows]) < TOL


def test_gradients_keep_the_pytorch_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fw, "MIN_TOKENS", 1)
    q = torch.randn(1, H, 64, 16, requires_grad=True)
    assert not fw.fusable(q, q, q)
    with torch.no_grad():
        assert fw.fusable(q, q, q)
    layer = hybrid_layer().train()
    x = torch.randn(1, 64, layer.proj.query.in_features, requires_grad=True)
    layer(x).sum().backward()
    assert x.grad is not None and layer.log_scale.grad is not None
