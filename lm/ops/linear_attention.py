"""Linear attention φ(Q)(φ(K)ᵀV) with its normalizer φ(Q)·Σφ(K).

Inputs are already feature-mapped: `q`, `k` are `(B, H, T, F)`, `v` is `(B, H, T, D)`.
Each op has a `*_parts` form that returns the unnormalized numerator `(B, H, T, D)` and
denominator `(B, H, T)`, so that callers can add exact softmax terms before normalizing once.
References that are slow but obviously correct live in `lm.ops.naive`.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F

EPS = 1e-6


@dataclass(frozen=True)
class LinearState:
    """Running sums of linear attention: S = Σ φ(k)vᵀ `(B, H, F, D)`, z = Σ φ(k) `(B, H, F)`.

    Its size depends on neither the sequence length nor the step: this is the decoder's
    constant-size cache, and the precomputed memory of linear cross-attention.
    """

    s: torch.Tensor
    z: torch.Tensor

    def index_select(self, index: torch.Tensor) -> LinearState:
        """Reorder or repeat along the batch dimension (beam search)."""
        return LinearState(self.s.index_select(0, index), self.z.index_select(0, index))


def normalize(num: torch.Tensor, den: torch.Tensor, eps: float = EPS) -> torch.Tensor:
    """num `(..., T, D)` / den `(..., T)`."""
    return num / (den.unsqueeze(-1) + eps)


def linear_state(
    k: torch.Tensor, v: torch.Tensor, key_mask: torch.Tensor | None = None
) -> LinearState:
    """Sum φ(k)vᵀ and φ(k) over the (unmasked) keys. `key_mask` `(B, T)`, True = real token."""
    if key_mask is not None:
        k = k * key_mask[:, None, :, None].to(k.dtype)
    s = torch.einsum("bhtf,bhtd->bhfd", k, v)  # (B, H, F, D)
    z = k.sum(dim=2)  # (B, H, F)
    return LinearState(s, z)


def linear_readout(q: torch.Tensor, state: LinearState) -> tuple[torch.Tensor, torch.Tensor]:
    """Numerator `(B, H, T, D)` and denominator `(B, H, T)` of queries against a state."""
    num = torch.matmul(q, state.s.to(q.dtype))
    den = torch.einsum("bhtf,bhf->bht", q, state.z.to(q.dtype))
    return num, den


def linear_attention(
    q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, key_mask: torch.Tensor | None = None
) -> torch.Tensor:
    """Non-causal linear attention (the encoder's global term). O(T·F·D)."""
    return normalize(*linear_readout(q, linear_state(k, v, key_mask)))


def _pad_time(x: torch.Tensor, multiple: int) -> torch.Tensor:
    pad = (-x.shape[2]) % multiple
    return F.pad(x, (0, 0, 0, pad)) if pad else x


def _exclusive_cumsum(x: torch.Tensor) -> torch.Tensor:
    """Sum over earlier entries of dim 2 (zero for the first)."""
    return torch.cat([torch.zeros_like(x[:, :, :1]), x[:, :, :-1].cumsum(dim=2)], dim=2)


def causal_linear_parts(
    q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, chunk_size: int = 64
) -> tuple[torch.Tensor, torch.Tensor]:
    """Chunkwise-parallel causal linear attention, unnormalized.

    Within a chunk of C tokens: the masked quadratic form (C×C); across chunks: the state of all
    earlier chunks, carried by an exclusive cumulative sum. Cost O(T·C·F + T·F·D).
    """
    b, h, t, f = q.shape
    d = v.shape[-1]
    c = chunk_size
    # (B, H, N, C, F|D) with N = ceil(T / C); zero-padded keys add nothing to any sum.
    qc = _pad_time(q, c).reshape(b, h, -1, c, f)
    kc = _pad_time(k, c).reshape(b, h, -1, c, f)
    vc = _pad_time(v, c).reshape(b, h, -1, c, d)

    kv = torch.matmul(kc.transpose(-1, -2), vc)  # (B, H, N, F, D)
    kz = kc.sum(dim=3)  # (B, H, N, F)
    # State before each chunk: an exclusive prefix sum, shifted rather than "inclusive minus
    # own", so no bit of a chunk's own (future) keys can leak into its past through rounding.
    s_prev = _exclusive_cumsum(kv)
    z_prev = _exclusive_cumsum(kz)

    inter_num = torch.matmul(qc, s_prev)  # (B, H, N, C, D)
    inter_den = torch.einsum("bhncf,bhnf->bhnc", qc, z_prev)

    causal = torch.ones(c, c, dtype=torch.bool, device=q.device).tril()
    scores = torch.matmul(qc, kc.transpose(-1, -2)).masked_fill(~causal, 0.0)  # (B, H, N, C, C)
    num = inter_num + torch.matmul(scores, vc)
    den = inter_den + scores.sum(dim=-1)
    return num.reshape(b, h, -1, d)[:, :, :t], den.reshape(b, h, -1)[:, :, :t]


def causal_linear_attention(
    q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, chunk_size: int = 64
) -> torch.Tensor:
    """Causal linear attention, chunkwise parallel (the decoder's training/prefill form)."""
    return normalize(*causal_linear_parts(q, k, v, chunk_size))


def recurrent_step(
    q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, state: LinearState | None
) -> tuple[torch.Tensor, torch.Tensor, LinearState]:
    """One decoding step: S_t = S_{t-1} + φ(k_t)v_tᵀ, then read out with φ(q_t).

    `q`, `k` `(B, H, 1, F)`, `v` `(B, H, 1, D)`; returns num `(B, H, 1, D)`, den `(B, H, 1)` and the
    new state, whose size is fixed.
    """
    step = linear_state(k, v)
    new = step if state is None else LinearState(state.s + step.s, state.z + step.z)
    num, den = linear_readout(q, new)
    return num, den, new
