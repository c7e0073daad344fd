"""Slow, obviously correct references for every fast op (quadratic masked forms and loops).

Used only by tests and benchmarks. They build full `(T, T)` matrices or loop token by token, and
compute in float64 where it removes any doubt about stabilization.
"""

from __future__ import annotations

import torch

from lm.ops.linear_attention import EPS


def naive_linear_attention(
    q: torch.Tensor,
    k: torch.Tensor,
    v: torch.Tensor,
    key_mask: torch.Tensor | None = None,
    causal: bool = False,
) -> torch.Tensor:
    """Quadratic form: A = φ(q)φ(k)ᵀ masked, out = A v / A 1."""
    t = q.shape[2]
    a = torch.matmul(q, k.transpose(-1, -2))  # (B, H, T, T)
    if causal:
        a = a * torch.ones(t, t, dtype=a.dtype, device=a.device).tril()
    if key_mask is not None:
        a = a * key_mask[:, None, None, :].to(a.dtype)
    return torch.matmul(a, v) / (a.sum(dim=-1, keepdim=True) + EPS)


def naive_recurrent_linear_attention(
    q: torch.Tensor, k: torch.Tensor, v: torch.Tensor
) -> torch.Tensor:
    """Token-by-token loop: S_t = S_{t-1} + φ(k_t)v_tᵀ, z_t = z_{t-1} + φ(k_t),
    o_t = φ(q_t)S_t / φ(q_t)z_t."""
    b, h, t, f = q.shape
    s = q.new_zeros(b, h, f, v.shape[-1])
    z = q.new_zeros(b, h, f)
    outs = []
    for i in range(t):
        s = s + k[:, :, i, :, None] * v[:, :, i, None, :]
        z = z + k[:, :, i]
        num = torch.einsum("bhf,bhfd->bhd", q[:, :, i], s)
        den = torch.einsum("bhf,bhf->bh", q[:, :, i], z)
        outs.append(num / (den[..., None] + EPS))
    return torch.stack(outs, dim=2)


def naive_block_softmax_attention(
    q: torch.Tensor,
    k: torch.Tensor,
    v: torch.Tensor,
    block_size: int,
    key_mask: torch.Tensor | None = None,
) -> torch.Tensor:
    """Full `(T, T)` softmax with a same-block mask (and key padding)."""
    t = q.shape[2]
    blk = torch.arange(t, device=q.device) // block_size
    allowed = (blk[:, None] == blk[None, :])[None, None]  # (1, 1, T, T)
    if key_mask is not None:
        allowed = allowed & key_mask[:, None, None, :]
    scores = torch.matmul(q, k.transpose(-1, -2)) * q.shape[-1] ** -0.5
    scores = scores.masked_fill(~allowed, float("-inf"))
    # Rows with no allowed key (padding queries): define as zeros rather than NaN.
    return torch.nan_to_num(scores.softmax(dim=-1)) @ v


def naive_softmax_plus_linear(
    q: torch.Tensor,
    k: torch.Tensor,
    v: torch.Tensor,
    exact: torch.Tensor,
    fq: torch.Tensor,
    fk: torch.Tensor,
    lin_v: torch.Tensor,
    lin_keys: torch.Tensor,
    log_scale: torch.Tensor,
) -> torch.Tensor:
    """out_i = (Σ_j exact_ij e^{s_ij} v_j + c Σ_l lin_keys_l φ(q_i)·φ(k_l) lin_v_l) / (the same
    without v).

    Exact keys `k`, `v` `(B, H, K, D)` with mask `exact` broadcastable to `(B, H, Tq, K)`; linear
    keys `fk`, `lin_v` `(B, H, L, F|D)` with mask `lin_keys` `(B, L)`. Float64, unstabilized.
    """
    q, k, v, fq, fk, lin_v = (x.double() for x in (q, k, v, fq, fk, lin_v))
    e = torch.exp(torch.matmul(q, k.transpose(-1, -2)) * q.shape[-1] ** -0.5) * exact
    a = torch.matmul(fq, fk.transpose(-1, -2)) * lin_keys[:, None, None, :]
    a = a * log_scale.double().exp()[None, :, None, None]
    num = torch.matmul(e, v) + torch.matmul(a, lin_v)
    den = e.sum(dim=-1, keepdim=True) + a.sum(dim=-1, keepdim=True)
    return num / (den + EPS)


def naive_window_linear_attention(
    q: torch.Tensor,
    k: torch.Tensor,
    v: torch.Tensor,
    fq: torch.Tensor,
    fk: torch.Tensor,
    log_scale: torch.Tensor,
    window: int,
    key_mask: torch.Tensor | None = None,
) -> torch.Tensor:
    """Sliding window |i - j| <= window exact, plus linear over every real key, in `(T, T)` form."""
    band, real = window_band(q, window, key_mask)
    return naive_softmax_plus_linear(q, k, v, band, fq, fk, v, real, log_scale)


def window_band(
    q: torch.Tensor, window: int, key_mask: torch.Tensor | None
) -> tuple[torch.Tensor, torch.Tensor]:
    """The window mask `(B, 1, T, T)` (|i - j| <= window, real keys) and the real keys `(B, T)`."""
    b, _, t, _ = q.shape
    idx = torch.arange(t, device=q.device)
    real = torch.ones(b, t, dtype=torch.bool, device=q.device) if key_mask is None else key_mask
    band = ((idx[:, None] - idx[None, :]).abs() <= window)[None, None] & real[:, None, None, :]
    return band, real


def linear_attention_weights(
    fq: torch.Tensor,
    fk: torch.Tensor,
    key_mask: torch.Tensor | None = None,
    causal: bool = False,
) -> torch.Tensor:
    """The `(B, H, T, T)` attention matrix that linear attention implies: rows sum to one.

    Attention transfer trains feature maps by matching these rows to softmax attention.
    """
    t = fq.shape[2]
    a = torch.matmul(fq, fk.transpose(-1, -2))
    if causal:
        a = a * torch.ones(t, t, dtype=a.dtype, device=a.device).tril()
    if key_mask is not None:
        a = a * key_mask[:, None, None, :].to(a.dtype)
    return a / (a.sum(dim=-1, keepdim=True) + EPS)


def window_linear_weights(
    q: torch.Tensor,
    k: torch.Tensor,
    fq: torch.Tensor,
    fk: torch.Tensor,
    log_scale: torch.Tensor,
    window: int,
    key_mask: torch.Tensor | None = None,
) -> torch.Tensor:
    """The `(B, H, T, T)` matrix of `window_linear_attention`, stabilized like the fast op.

    w_ij ∝ [|i-j| <= window]·e^{s_ij} + c_h·φ(q_i)·φ(k_j) over real keys j.
    """
    band, real = window_band(q, window, key_mask)
    scores = (torch.matmul(q, k.transpose(-1, -2)) * q.shape[-1] ** -0.5).masked_fill(
        ~band, float("-inf")
    )
    m = scores.amax(dim=-1, keepdim=True).clamp_min(0.0)
    lin = torch.matmul(fq, fk.transpose(-1, -2)) * real[:, None, None, :].to(fq.dtype)
    c = log_scale.exp()[None, :, None, None]
    a = torch.exp(scores - m) + c * torch.exp(-m) * lin
    return a / (a.sum(dim=-1, keepdim=True) + EPS)
