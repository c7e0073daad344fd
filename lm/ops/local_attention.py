"""Exact softmax attention restricted to local neighbourhoods, and its sum with linear attention.

Local attention is done by reshaping the sequence into blocks, never by masking a full-length
score matrix: a masked SDPA "window" over 51k tokens measured ~10x slower than the blocked form.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from lm.ops.linear_attention import EPS, LinearState, linear_readout, linear_state


def key_masked_sdpa(
    q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, key_mask: torch.Tensor
) -> torch.Tensor:
    """SDPA with a key-padding mask `(B, L)`; rows whose keys are all padding give finite junk."""
    # A row of pure padding would produce NaN; letting it see its (padding) keys keeps it finite.
    key_mask = key_mask | ~key_mask.any(dim=-1, keepdim=True)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=key_mask[:, None, None, :])


def block_softmax_attention(
    q: torch.Tensor,
    k: torch.Tensor,
    v: torch.Tensor,
    block_size: int,
    key_mask: torch.Tensor | None = None,
) -> torch.Tensor:
    """Exact softmax attention inside consecutive blocks of `block_size` tokens.

    `q`, `k`, `v` `(B, H, T, D)`; `key_mask` `(B, T)`, True = real token. The blocks that hold no
    padding in any batch row run through SDPA unmasked, as one batched call; only the tail of
    blocks that reach a padded region (or the last, shorter block) is masked.
    """
    b, h, t, d = q.shape
    n_full = t // block_size
    if key_mask is None:
        clean = n_full
    else:
        clean = min(n_full, int(key_mask.sum(dim=-1).min().item()) // block_size)
    parts = []
    if clean:
        span = clean * block_size
        shape = (b, h, clean, block_size, d)
        out = F.scaled_dot_product_attention(
            q[:, :, :span].reshape(shape),
            k[:, :, :span].reshape(shape),
            v[:, :, :span].reshape(shape),
        )
        parts.append(out.reshape(b, h, span, d))
    for start in range(clean * block_size, t, block_size):
        end = min(start + block_size, t)
        qs, ks, vs = q[:, :, start:end], k[:, :, start:end], v[:, :, start:end]
        if key_mask is None:
            parts.append(F.scaled_dot_product_attention(qs, ks, vs))
        else:
            parts.append(key_masked_sdpa(qs, ks, vs, key_mask[:, start:end]))
    return torch.cat(parts, dim=2)


def softmax_plus_linear(
    scores: torch.Tensor,
    valid: torch.Tensor,
    v: torch.Tensor,
    lin_num: torch.Tensor,
    lin_den: torch.Tensor,
    log_scale: torch.Tensor,
) -> torch.Tensor:
    """One jointly normalized sum of exact softmax terms and scaled linear-attention terms.

    out = (Σ_exact e^{s}·v + c·lin_num) / (Σ_exact e^{s} + c·lin_den), c = exp(log_scale) per head.

    `scores` `(B, H, *, Tq, K)` pre-softmax logits over the exact keys, `valid` a mask broadcastable
    to it, `v` `(B, H, *, K, D)`, `lin_num` `(B, H, *, Tq, D)`, `lin_den` `(B, H, *, Tq)`,
    `log_scale` `(H,)`. The per-head scale is what lets a softmax-normalized feature map, which has
    lost absolute scale, mix with exact exponentials (MEASURED.md). Stabilized with m = max(0,
    max s), which keeps both e^{s-m} and e^{-m} at most 1.
    """
    scores = scores.float().masked_fill(~valid, float("-inf"))
    m = scores.amax(dim=-1, keepdim=True).clamp_min(0.0)  # (B, H, *, Tq, 1)
    weights = torch.exp(scores - m)
    extra = lin_num.dim() - 3
    c = log_scale.float().exp().reshape(1, -1, *([1] * extra), 1)  # (1, H, *, 1, 1)
    lin_w = c * torch.exp(-m)  # (B, H, *, Tq, 1)
    num = torch.matmul(weights, v.float()) + lin_w * lin_num.float()
    den = weights.sum(dim=-1, keepdim=True) + lin_w * lin_den.float().unsqueeze(-1)
    return (num / (den + EPS)).to(v.dtype)


def _blocks_with_neighbours(x: torch.Tensor, w: int) -> torch.Tensor:
    """`(B, H, Tp, D)` -> `(B, H, N, 3w, D)`: for each block of w, the blocks before, it, after."""
    padded = F.pad(x, (0, 0, w, w))
    return padded.unfold(2, 3 * w, w).transpose(-1, -2)


def window_linear_attention(
    q: torch.Tensor,
    k: torch.Tensor,
    v: torch.Tensor,
    fq: torch.Tensor,
    fk: torch.Tensor,
    log_scale: torch.Tensor,
    window: int,
    key_mask: torch.Tensor | None = None,
    state: LinearState | None = None,
) -> torch.Tensor:
    """Exact sliding-window softmax (|i - j| <= window) plus global linear attention, non-causal.

    `q`, `k`, `v` `(B, H, T, D)`; `fq`, `fk` their feature maps `(B, H, T, F)`; `key_mask` `(B, T)`.
    The linear term runs over all keys (the window's included) and is scaled per head. The window
    is computed in blocks of `window` queries against the three neighbouring key blocks, with a
    fixed `(w, 3w)` band mask: no full-length mask is ever built.
    """
    b, h, t, d = q.shape
    w = window
    if state is None:
        state = linear_state(fk, v, key_mask)
    lin_num, lin_den = linear_readout(fq, state)  # (B, H, T, D), (B, H, T)

    pad = (-t) % w
    n = (t + pad) // w
    qb = F.pad(q, (0, 0, 0, pad)).reshape(b, h, n, w, d)
    kn = _blocks_with_neighbours(F.pad(k, (0, 0, 0, pad)), w)  # (B, H, N, 3w, D)
    vn = _blocks_with_neighbours(F.pad(v, (0, 0, 0, pad)), w)
    scores = torch.matmul(qb, kn.transpose(-1, -2)) * d**-0.5  # (B, H, N, w, 3w)

    # Key j of the neighbourhood sits at offset j - w from the block start; query i at offset i.
    qi = torch.arange(w, device=q.device)[:, None]
    kj = torch.arange(3 * w, device=q.device)[None, :] - w
    band = (kj - qi).abs() <= w  # (w, 3w)
    real = torch.ones(b, t, dtype=torch.bool, device=q.device) if key_mask is None else key_mask
    real = F.pad(real, (w, w + pad), value=False).unfold(1, 3 * w, w)  # (B, N, 3w)
    valid = band[None, None, None] & real[:, None, :, None, :]  # (B, 1, N, w, 3w)

    lin_num = F.pad(lin_num, (0, 0, 0, pad)).reshape(b, h, n, w, d)
    lin_den = F.pad(lin_den, (0, pad)).reshape(b, h, n, w)
    out = softmax_plus_linear(scores, valid, vn, lin_num, lin_den, log_scale)
    return out.reshape(b, h, n * w, d)[:, :, :t]
