"""The encoder's global linear term with Hedgehog maps, through a compiled CPU kernel.

`hedgehog_linear_parts` returns what `linear_readout(φ_q(q), linear_state(φ_k(k), v, mask))`
returns, the numerator `(B, H, T, D)` and denominator `(B, H, T)`, but the feature maps, the
feature sums z = Σφ(k) and the denominators φ(q)·z come from one pass of `csrc/hedgehog.cpp`
per side instead of a batched matmul, a softmax, a sum and an einsum: the 64 logits of a token
never leave registers. Only the two (T, F) x (F, D) products stay with PyTorch.

The kernel is built with the C++ compiler at setup or on first use (`lm.ops.kernels`). Where it
cannot be built, callers keep the PyTorch path, which is also the reference the tests compare
against. It serves inference only: it has no backward.
"""

from __future__ import annotations

import torch

from lm.ops.feature_maps import HedgehogFeatureMap
from lm.ops.kernels import DTYPES, kernel, needs_grad, require

# Sequences from which the encoder uses the kernel: below this the maps cost little, and short
# inputs (tests, single pages) should not pay the one-time build.
MIN_TOKENS = 4096
FEATURE_DIMS = (16, 32, 64, 128)


def fusable(q: torch.Tensor, q_map: object, k_map: object) -> bool:
    """Whether `hedgehog_linear_parts` should serve this call.

    CPU inference (no gradient needed) over at least `MIN_TOKENS` tokens, Hedgehog maps of a
    supported size, and a kernel that builds.
    """
    if q.device.type != "cpu" or q.shape[2] < MIN_TOKENS or q.dtype not in DTYPES:
        return False
    if not (isinstance(q_map, HedgehogFeatureMap) and isinstance(k_map, HedgehogFeatureMap)):
        return False
    if q_map.weight.shape[-1] not in FEATURE_DIMS:
        return False
    if needs_grad(q, q_map.weight):
        return False
    return kernel() is not None


def hedgehog_map(
    x: torch.Tensor,
    fmap: HedgehogFeatureMap,
    key_mask: torch.Tensor | None = None,
    z: torch.Tensor | None = None,
    with_sums: bool = False,
) -> tuple[torch.Tensor, torch.Tensor | None, torch.Tensor | None]:
    """φ(x) `(B, H, T, 2P)` in x's dtype, with Σ_t φ `(B, H, 2P)` and φ·z `(B, H, T)` (float32).

    `x` `(B, H, T, D)` (any strides with a unit stride along D); rows where `key_mask` `(B, T)`
    is False get φ = 0 and add nothing to the sums; `z` `(B, H, 2P)`. The sums come back only
    with `with_sums`, the denominators only with `z`.
    """
    ext = require()
    if x.stride(-1) != 1:
        x = x.contiguous()
    weight = fmap.weight.detach().float().contiguous()  # (H, D, P)
    bias = fmap.bias.detach().float().reshape(weight.shape[0], -1).contiguous()  # (H, P)
    none = torch.empty(0)
    mask = none if key_mask is None else key_mask.to(torch.bool).contiguous()
    zz = none if z is None else z.float().contiguous()
    phi, sums, den = ext.hedgehog_map(x, weight, bias, mask, zz, with_sums)
    return phi, (sums if with_sums else None), (den if z is not None else None)


def hedgehog_linear_parts(
    q: torch.Tensor,
    k: torch.Tensor,
    v: torch.Tensor,
    q_map: HedgehogFeatureMap,
    k_map: HedgehogFeatureMap,
    key_mask: torch.Tensor | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Numerator `(B, H, T, D)` and denominator `(B, H, T)` of non-causal linear attention.

    Equal (up to rounding) to `linear_readout(q_map(q), linear_state(k_map(k), v, key_mask))`.
    """
    fk, z, _ = hedgehog_map(k, k_map, key_mask, with_sums=True)  # (B, H, T, F), (B, H, F)
    s = torch.matmul(fk.transpose(-1, -2), v.to(fk.dtype))  # (B, H, F, D)
    fq, _, den = hedgehog_map(q, q_map, z=z)
    num = torch.matmul(fq, s.to(fq.dtype))  # (B, H, T, D)
    return num, den
