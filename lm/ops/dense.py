"""Dense layers for long inputs: oneDNN's GEMM with the bias (and GELU) applied in its epilogue.

`F.linear` on CPU first copies the broadcast bias into the whole `(N, out)` output and then
accumulates the product onto it, and GELU is one more pass over the output: at 32k tokens the
feed-forward's first layer writes its 50M-element output three times. oneDNN's fused form
(`torch.ops.mkldnn._linear_pointwise`, what `torch.compile` emits on CPU) writes it once. Used
for bf16 inference on many rows only; training, float32 and short inputs (decoding steps, where
building a oneDNN primitive per call would cost more than it saves) keep `F.linear`.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

# Rows (tokens) from which the fused GEMM is used.
MIN_ROWS = 256


def fusable(x: torch.Tensor, weight: torch.Tensor) -> bool:
    """Whether `fused_linear` should serve: bf16 CPU inference over at least `MIN_ROWS` rows."""
    if x.device.type != "cpu" or x.dtype != torch.bfloat16 or weight.dtype != torch.bfloat16:
        return False
    if torch.is_grad_enabled() and (x.requires_grad or weight.requires_grad):
        return False
    if x.numel() < MIN_ROWS * x.shape[-1]:
        return False
    return torch.backends.mkldnn.is_available()


def fused_linear(
    x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None, gelu: bool = False
) -> torch.Tensor:
    """`x @ weight.T + bias` (then exact GELU) in one oneDNN call; see `fusable` for when."""
    attr, algorithm = ("gelu", "none") if gelu else ("none", "")
    return torch.ops.mkldnn._linear_pointwise(x, weight, bias, attr, [], algorithm)


def linear(x: torch.Tensor, layer: nn.Linear, gelu: bool = False) -> torch.Tensor:
    """`layer(x)`, followed by exact (erf) GELU when `gelu`; `x` `(..., in)` -> `(..., out)`."""
    if fusable(x, layer.weight):
        return fused_linear(x, layer.weight, layer.bias, gelu)
    out = F.linear(x, layer.weight, layer.bias)
    return F.gelu(out) if gelu else out
