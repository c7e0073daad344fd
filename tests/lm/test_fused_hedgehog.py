"""The compiled Hedgehog kernel (`lm.ops.fused_hedgehog`) against the PyTorch ops it replaces.

The references are `HedgehogFeatureMap.forward`, `linear_state` and `linear_readout`, run in
float64. The kernel is inference-only, so there are no gradients to compare; the last tests check
that the encoder keeps the differentiable PyTorch path whenever a gradient is needed.
"""

from __future__ import annotations

import pytest
import torch
from kernel_support import hybrid_layer, rel_rms, without_and_with_kernel

from lm.ops import HedgehogFeatureMap, linear_readout, linear_state
from lm.ops import fused_hedgehog as fh

pytestmark = pytest.mark.skipif(
    fh.kernel() is None, reason="the C++ kernels could not be built here (see the log warning)"
)

TOL = 1e-3
LENGTHS = [1, 63, 500]
B, H = 2, 3


def random_map(d: int, p: int, scale: float = 0.5) -> HedgehogFeatureMap:
    """A map away from its identity start: random projection and bias."""
    fmap = HedgehogFeatureMap(H, d, p)
    with torch.no_grad():
        fmap.weight.normal_(0.0, scale)
        fmap.bias.normal_(0.0, 0.5)
    return fmap


def time_major(b: int, t: int, d: int, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """`(B, H, T, D)` as the projections produce it: a transposed view of `(B, T, H, D)`."""
    return torch.randn(b, t, H, d).mul(2.0).to(dtype).transpose(1, 2)


def padding_mask(t: int) -> torch.Tensor:
    mask = torch.ones(B, t, dtype=torch.bool)
    mask[1, t // 2 + 1 :] = False
    return mask


@pytest.mark.parametrize("t", LENGTHS)
@pytest.mark.parametrize("d,p", [(7, 16), (32, 64), (33, 32)])
def test_map_matches_reference(t: int, d: int, p: int) -> None:
    fmap = random_map(d, p)
    x = time_major(B, t, d)
    phi, sums, den = fh.hedgehog_map(x, fmap)
    assert sums is None and den is None
    ref = fmap.double()(x.double())
    assert phi.shape == ref.shape == (B, H, t, 2 * p)
    assert rel_rms(phi, ref) < TOL


def test_large_logits_take_the_shifted_softmax() -> None:
    """Logits beyond ±80 (e^a would overflow float32 near 88) go through max subtraction."""
    fmap = random_map(32, 64, scale=8.0)
    x = time_major(B, 63, 32)
    ref = fmap.double()(x.double())
    assert (x.double() @ fmap.weight.detach()).abs().max() > 200
    phi, _, _ = fh.hedgehog_map(x, fmap)
    assert torch.isfinite(phi).all()
    assert rel_rms(phi, ref) < TOL


@pytest.mark.parametrize("t", LENGTHS)
def test_sums_skip_padding_and_denominators_read_z(t: int) -> None:
    fmap = random_map(32, 64)
    x = time_major(B, t, 32)
    mask = padding_mask(t)
    phi, sums, _ = fh.hedgehog_map(x, fmap, key_mask=mask, with_sums=True)
    ref = fmap.double()(x.double()) * mask[:, None, :, None]
    assert rel_rms(phi, ref) < TOL
    assert not phi[1, :, t // 2 + 1 :].any()
    assert rel_rms(sums, ref.sum(dim=2)) < TOL
    z = torch.rand(B, H, 128)
    _, _, den = fh.hedgehog_map(x, fmap, z=z)
    assert rel_rms(den, torch.einsum("bhtf,bhf->bht", fmap.double()(x.double()), z.double())) < TOL


@pytest.mark.parametrize("t", LENGTHS)
@pytest.mark.parametrize("masked", [False, True], ids=["full", "padded"])
def test_linear_parts_match_state_and_readout(t: int, masked: bool) -> None:
    q_map, k_map = random_map(33, 16), random_map(33, 16)
    q, k, v = (time_major(B, t, 33) for _ in range(3))
    mask = padding_mask(t) if masked else None
    num, den = fh.hedgehog_linear_parts(q, k, v, q_map, k_map, mask)
    state = linear_state(k_map.double()(k.double()), v.double(), mask)
    ref_num, ref_den = linear_readout(q_map.double()(q.double()), state)
    assert rel_rms(num, ref_num) < TOL
    assert rel_rms(den, ref_den) < TOL


def test_bfloat16_within_its_rounding() -> None:
    """bf16 in, bf16 features out (2^-8 relative rounding), sums and denominators in float32.

    With bf16 inputs the kernel multiplies in bf16 (as autocast and the engine's bf16 weights
    do), so the reference gets the same bf16-rounded weights.
    """
    fmap = random_map(32, 64).to(torch.bfloat16).float()
    x = time_major(1, 500, 32, torch.bfloat16)
    phi, sums, _ = fh.hedgehog_map(x, fmap, with_sums=True)
    assert phi.dtype == torch.bfloat16 and sums.dtype == torch.float32
    ref = fmap.double()(x.double())
    assert rel_rms(phi, ref) < 4e-3
    assert rel_rms(sums, ref.sum(dim=2)) < 4e-3


def test_unsupported_feature_dim_is_refused() -> None:
    fmap = random_map(8, 24)
    with pytest.raises(RuntimeError, match="feature_dim"):
        fh.hedgehog_map(time_major(1, 4, 8), fmap)


@pytest.mark.parametrize("masked", [False, True], ids=["full", "padded"])
def test_encoder_layer_same_with_and_without_kernel(
    monkeypatch: pytest.MonkeyPatch, masked: bool
) -> None:
    layer = hybrid_layer()
    with torch.no_grad():
        layer.features.q_map.weight.normal_(0.0, 0.5)
        layer.features.k_map.bias.normal_(0.0, 0.5)
    t = 300
    x = torch.randn(B, t, layer.proj.query.in_features)
    mask = padding_mask(t) if masked else None
    ref, fused = without_and_with_kernel(monkeypatch, fh, "MIN_TOKENS", lambda: layer(x, mask))
    rows = mask if masked else torch.ones(B, t, dtype=torch.bool)
    assert rel_rms(fused[rows], ref[rows]) < TOL


def test_encoder_keeps_pytorch_path_for_gradients(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fh, "MIN_TOKENS", 1)
    layer = hybrid_layer().train()
    q = torch.randn(1, H, 64, 16, requires_grad=True)
    assert not fh.fusable(q, layer.features.q_map, layer.features.k_map)
    with torch.no_grad():
        assert fh.fusable(q, layer.features.q_map, layer.features.k_map)
    x = torch.randn(1, 64, layer.proj.query.in_features, requires_grad=True)
    layer(x).sum().backward()
    assert x.grad is not None and layer.features.q_map.weight.grad is not None
