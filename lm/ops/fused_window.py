"""The hybrid layers' exact sliding window joined with the linear term, as a compiled CPU kernel.

`window_linear` returns what `window_plus_linear` returns (lm/ops/local_attention.py), the
window's softmax terms and the scaled linear numerator and denominator under one normalization,
but from one pass of `csrc/window.cpp`: a task's keys and values are converted once into buffers
that stay in L1 and each query's scores over its 2w + 1 keys are a few 16-key vectors, where
PyTorch's flash kernel pays per-block setup and an additive mask for 32-query blocks and the join
takes three more passes over the output. Inference only (no backward); built by `lm.ops.kernels` (at
setup, or on first use), and where it cannot be built callers keep the PyTorch path.
"""

from __future__ import annotations

import torch

from lm.ops.kernels import DTYPES, kernel, needs_grad, require

# Sequences from which the kernel serves: short inputs (tests, single pages) should not pay the
# one-time build, and below this the PyTorch path costs little.
MIN_TOKENS = 4096
MAX_HEAD_DIM = 128


def fusable(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> bool:
    """Whether `window_linear` should serve: CPU inference over at least `MIN_TOKENS` tokens."""
    if q.device.type != "cpu" or q.shape[2] < MIN_TOKENS or q.shape[-1] > MAX_HEAD_DIM:
        return False
    if q.dtype not in DTYPES or not q.dtype == k.dtype == v.dtype:
        return False
    if needs_grad(q, k, v):
        return False
    return kernel() is not None


def window_linear(
    q: torch.Tensor,
    k: torch.Tensor,
    v: torch.Tensor,
    lin_num: torch.Tensor,
    lin_den: torch.Tensor,
    log_scale: torch.Tensor,
    window: int,
    key_mask: torch.Tensor | None = None,
) -> torch.Tensor:
    """Window softmax + scaled linear term, `(B, H, T, D)` as a view of `(B, T, H, D)` memory.

    `q`, `k`, `v`, `lin_num` `(B, H, T, D)` (any strides with a unit stride along D), `lin_den`
    `(B, H, T)`, `log_scale` `(H,)`, `key_mask` `(B, T)` True = real token. The result's memory
    is time-major, the layout the output projection reads without a copy.
    """
    ext = require()
    q, k, v, lin_num = (x if x.stride(-1) == 1 else x.contiguous() for x in (q, k, v, lin_num))
    lin_num = lin_num.to(q.dtype)
    mask = torch.empty(0) if key_mask is None else key_mask.to(torch.bool).contiguous()
    out = ext.window_linear(
        q, k, v, lin_num, lin_den.float().contiguous(), log_scale.detach().float(), mask, window
    )  # (B, T, H, D)
    return out.transpose(1, 2)
