"""The post-norm residual LayerNorm(x + update) as one compiled pass over the rows.

PyTorch writes the residual sum as a tensor and LayerNorm reads it back: two passes over
`(T, d)` per sublayer, twelve pairs per encoder forward. `csrc/layernorm.cpp` reads x and the
update once and normalizes from registers, summing in float32 (PyTorch rounds the bf16 sum
first, so the two differ by that rounding). Inference only; built by `lm.ops.kernels`
(at setup, or on first use), and where it cannot be built callers keep `norm(x + update)`.
"""

from __future__ import annotations

import torch
from torch import nn

from lm.ops.kernels import DTYPES, kernel, needs_grad, require

# Rows (tokens) from which the kernel serves: short inputs (decoding steps, tests) keep PyTorch
# and never pay the one-time build.
MIN_ROWS = 4096


def fusable(x: torch.Tensor, update: torch.Tensor, norm: nn.LayerNorm) -> bool:
    """Whether `add_layer_norm` should serve: CPU inference over at least `MIN_ROWS` rows."""
    if x.device.type != "cpu" or x.dtype not in DTYPES or update.dtype != x.dtype:
        return False
    if x.numel() < MIN_ROWS * x.shape[-1] or not norm.elementwise_affine or norm.bias is None:
        return False
    if needs_grad(x, update, norm.weight):
        return False
    return kernel() is not None


def add_layer_norm(x: torch.Tensor, update: torch.Tensor, norm: nn.LayerNorm) -> torch.Tensor:
    """`norm(x + update)` for `x`, `update` `(..., d)`; see `fusable` for when it serves."""
    ext = require()
    d = x.shape[-1]
    rows = [t.reshape(-1, d) for t in (x, update)]
    rows = [t if t.stride(-1) == 1 else t.contiguous() for t in rows]
    out = ext.add_layer_norm(*rows, norm.weight.detach(), norm.bias.detach(), norm.eps)
    return out.view(x.shape)
