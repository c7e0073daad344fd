"""Exact softmax attention restricted to local neighbourhoods, and its sum with linear attention.

Local attention is done by reshaping the sequence into blocks, never by masking a full-length
score matrix: a masked SDPA "window" over 51k tokens measured ~10x slower than the blocked form.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F

from lm.ops import fused_window
from lm.ops.kernels import needs_grad
from lm.ops.linear_attention import EPS, LinearState, linear_readout, linear_state

# Score elements per window group (~4M: 16 MB in float32).
GROUP_SCORES = 1 << 22


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
    padding in any batch row run through SDPA unmasked, as one batched call; only blocks with
    padding (and the last, shorter block) are masked, one at a time. The result is a view of
    time-major memory `(B, T, H, D)`.
    """
    b, h, t, d = q.shape
    n_full = t // block_size
    span = n_full * block_size
    if key_mask is None:
        clean = torch.ones(n_full, dtype=torch.bool, device=q.device)
    else:
        # A block is clean when it holds no padding in any batch row (wherever padding sits).
        clean = key_mask[:, :span].reshape(b, n_full, block_size).all(dim=-1).all(dim=0)
    idx = clean.nonzero().squeeze(-1)
    blocks = (b, h, n_full, block_size, d)
    full = None
    if n_full and idx.numel() == n_full:
        # Blocks become batch rows, (B·N, H, L, D): on time-major inputs these are views, SDPA's
        # CPU kernel reads them strided and returns time-major memory, so no copy is made on
        # either side (with the merge before the output projection: 2-6% faster per local layer
        # at 32k tokens than blocks as heads, same outputs).
        flat = [
            x.transpose(1, 2)[:, :span].reshape(b * n_full, block_size, h, d).transpose(1, 2)
            for x in (q, k, v)
        ]
        res = F.scaled_dot_product_attention(*flat)  # (B·N, H, L, D)
        full = res.transpose(1, 2).reshape(b, span, h, d).transpose(1, 2)  # (B, H, span, D)
        if span == t:
            return full
    # SDPA returns the autocast dtype (bf16) when autocast is on: allocate the output to match.
    cpu_autocast = q.device.type == "cpu" and torch.is_autocast_enabled("cpu")
    dtype = torch.get_autocast_dtype("cpu") if cpu_autocast else v.dtype
    # Time-major memory (B, T, H, D), as the projections produce and the output projection reads.
    out = torch.empty(b, t, h, d, dtype=dtype, device=v.device).transpose(1, 2)  # (B, H, T, D)
    if full is not None:
        out[:, :, :span] = full
    elif idx.numel():
        picked = [x[:, :, :span].reshape(blocks).index_select(2, idx) for x in (q, k, v)]
        # Blocks become extra heads, (B, H·N, L, D): SDPA's fused CPU kernel takes 4-D input only,
        # a 5-D call falls back to the unfused path (measured ~6x slower at 16k tokens).
        flat = [x.reshape(b, h * idx.numel(), block_size, d) for x in picked]
        res = F.scaled_dot_product_attention(*flat).reshape(b, h, idx.numel(), block_size, d)
        out[:, :, :span].view(blocks).index_copy_(2, idx, res)
    dirty = [i * block_size for i in (~clean).nonzero().squeeze(-1).tolist()]
    for start in [*dirty, *range(span, t, block_size)]:
        end = min(start + block_size, t)
        qs, ks, vs = q[:, :, start:end], k[:, :, start:end], v[:, :, start:end]
        if key_mask is None:
            out[:, :, start:end] = F.scaled_dot_product_attention(qs, ks, vs)
        else:
            out[:, :, start:end] = key_masked_sdpa(qs, ks, vs, key_mask[:, start:end])
    return out


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
    scores = scores.masked_fill(~valid, float("-inf"))
    m = scores.amax(dim=-1, keepdim=True).clamp_min(0.0)  # (B, H, *, Tq, 1)
    weights = torch.exp(scores - m)
    extra = lin_num.dim() - 3
    c = log_scale.exp().reshape(1, -1, *([1] * extra), 1).to(m.dtype)  # (1, H, *, 1, 1)
    lin_w = c * torch.exp(-m)  # (B, H, *, Tq, 1)
    # Sums accumulate in float32 even when the scores are bf16 (autocast).
    num = torch.matmul(weights.to(v.dtype), v).float() + lin_w * lin_num.float()
    den = (
        weights.sum(dim=-1, keepdim=True, dtype=torch.float32) + lin_w * lin_den.float()[..., None]
    )
    return (num / (den + EPS)).to(v.dtype)


def _blocks_with_neighbours(x: torch.Tensor, w: int) -> torch.Tensor:
    """`(B, H, Tp, D)` -> `(B, H, N, 3w, D)`: for each block of w, the blocks before, it, after."""
    padded = F.pad(x, (0, 0, w, w))
    return padded.unfold(2, 3 * w, w).transpose(-1, -2)


def _window_keys(q: torch.Tensor, key_mask: torch.Tensor | None, w: int) -> torch.Tensor:
    """Which keys each query of a block of w may see: `(B, N, w, 3w)`, True = inside the window.

    `q` `(B, H, T, D)` gives the sizes and the device. Key j of the neighbourhood sits at offset
    j - w from the block start, query i at offset i; a key counts when |i - j| <= w and it is a
    real token (not padding, not past the end).
    """
    b, t = q.shape[0], q.shape[2]
    pad = (-t) % w
    qi = torch.arange(w, device=q.device)[:, None]
    kj = torch.arange(3 * w, device=q.device)[None, :] - w
    band = (kj - qi).abs() <= w  # (w, 3w)
    real = torch.ones(b, t, dtype=torch.bool, device=q.device) if key_mask is None else key_mask
    real = F.pad(real, (w, w + pad), value=False).unfold(1, 3 * w, w)  # (B, N, 3w)
    return band & real[:, :, None, :]


def lse_plus_linear(
    out: torch.Tensor,
    lse: torch.Tensor,
    lin_num: torch.Tensor,
    lin_den: torch.Tensor,
    log_scale: torch.Tensor,
) -> torch.Tensor:
    """`softmax_plus_linear` from an already normalized softmax part and its log-sum-exp.

    `out` `(B, H, T, D)` = Σ softmax(s)·v over the exact keys, `lse` `(B, H, T)` = log Σ e^s
    (-inf where a row has no exact key), `lin_num` `(B, H, T, D)`, `lin_den` `(B, H, T)`:
    out' = (e^lse·out + c·lin_num) / (e^lse + c·lin_den) = α·out + β·lin_num, with the per-row
    α, β computed in float32 (stabilized with m = max(0, lse)) so that the (T, D) tensors see
    only one multiply and one multiply-add in their own dtype. The result keeps `out`'s layout.
    """
    m = lse.clamp_min(0.0)  # (B, H, T)
    weight = torch.exp(lse - m)
    lin_w = log_scale.exp().reshape(1, -1, 1).float() * torch.exp(-m)
    den = weight + lin_w * lin_den.float() + EPS
    alpha = (weight / den).unsqueeze(-1).to(out.dtype)  # (B, H, T, 1)
    beta = (lin_w / den).unsqueeze(-1).to(out.dtype)
    return torch.addcmul(out * alpha, lin_num.to(out.dtype), beta)


def _fused_window(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> bool:
    """Whether the one-call window path applies: CPU, one dtype, and no gradient is needed.

    It uses the CPU flash kernel's log-sum-exp output, which has no backward.
    """
    if q.device.type != "cpu" or not q.dtype == k.dtype == v.dtype:
        return False
    return not needs_grad(q, k, v)


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
    The linear term runs over all keys (the window's included) and is scaled per head; see
    `window_plus_linear`.
    """
    if state is None:
        state = linear_state(fk, v, key_mask)
    lin_num, lin_den = linear_readout(fq, state)  # (B, H, T, D), (B, H, T)
    return window_plus_linear(q, k, v, lin_num, lin_den, log_scale, window, key_mask)


def window_plus_linear(
    q: torch.Tensor,
    k: torch.Tensor,
    v: torch.Tensor,
    lin_num: torch.Tensor,
    lin_den: torch.Tensor,
    log_scale: torch.Tensor,
    window: int,
    key_mask: torch.Tensor | None = None,
) -> torch.Tensor:
    """Exact sliding-window softmax joined with an already read-out linear term.

    `q`, `k`, `v`, `lin_num` `(B, H, T, D)`, `lin_den` `(B, H, T)`, `key_mask` `(B, T)`. The window
    is computed in blocks of `window` queries against the three neighbouring key blocks, with a
    fixed `(w, 3w)` band mask: no full-length mask is ever built. Inference on CPU over long inputs
    runs the compiled kernel (`fused_window`), else every window in one fused SDPA call (~3x
    faster than groups at 32k tokens); with autograd, in groups of blocks.
    """
    if fused_window.fusable(q, k, v):
        return fused_window.window_linear(q, k, v, lin_num, lin_den, log_scale, window, key_mask)
    valid = _window_keys(q, key_mask, window)  # (B, N, w, 3w)
    problem = _Windows(q, k, v, lin_num, lin_den, log_scale, valid)
    return _window_fused(problem) if _fused_window(q, k, v) else _window_grouped(problem)


@dataclass(frozen=True)
class _Windows:
    """One window + linear attention call, its linear part already read out.

    `q`, `k`, `v`, `lin_num` `(B, H, T, D)`, `lin_den` `(B, H, T)`, `valid` `(B, N, w, 3w)`.
    """

    q: torch.Tensor
    k: torch.Tensor
    v: torch.Tensor
    lin_num: torch.Tensor
    lin_den: torch.Tensor
    log_scale: torch.Tensor
    valid: torch.Tensor

    @property
    def n(self) -> int:
        """Blocks of w queries."""
        return self.valid.shape[1]

    @property
    def w(self) -> int:
        return self.valid.shape[2]

    @property
    def pad(self) -> int:
        """Positions added after T to fill the last block."""
        return self.n * self.w - self.q.shape[2]

    def neighbourhoods(self, x: torch.Tensor) -> torch.Tensor:
        """Keys or values `(B, H, T, D)` -> `(B, H, N, 3w, D)`, a view of one padded copy."""
        return _blocks_with_neighbours(F.pad(x, (0, 0, 0, self.pad)), self.w)


def _window_fused(p: _Windows) -> torch.Tensor:
    """All windows of a batch row as one SDPA call: blocks become the kernel's batch.

    The kernel reads strided (L, H, D) memory, so in time-major layout (the projections' own,
    `(B, T, H, D)`) every query block and every overlapping key neighbourhood is a view: only
    the padded keys and values are copied, not the 3w-token neighbourhoods (measured 40-60 ms
    less per layer at 32k tokens than building them).
    """
    b, h, t, d = p.q.shape
    n, w = p.n, p.w
    q = p.q.transpose(1, 2)  # (B, T, H, D)
    if p.pad:
        q = F.pad(q, (0, 0, 0, 0, 0, p.pad))
    k, v = (F.pad(x.transpose(1, 2), (0, 0, 0, 0, w, w + p.pad)) for x in (p.k, p.v))
    # The kernel takes an additive mask in the inputs' dtype, one per block, shared by the heads.
    bias = torch.zeros(p.valid.shape, dtype=q.dtype, device=q.device)
    bias = bias.masked_fill_(~p.valid, float("-inf")).unsqueeze(2)  # (B, N, 1, w, 3w)
    outs, lses = [], []
    for i in range(b):
        out, lse = torch.ops.aten._scaled_dot_product_flash_attention_for_cpu(
            q[i].unflatten(0, (n, w)).transpose(1, 2),  # (N, H, w, D)
            k[i].unfold(0, 3 * w, w).permute(0, 1, 3, 2),  # (N, H, 3w, D), overlapping views
            v[i].unfold(0, 3 * w, w).permute(0, 1, 3, 2),
            0.0,
            False,
            attn_mask=bias[i],
            scale=d**-0.5,
        )  # (N, H, w, D) in (N, w, H, D) memory, (N, H, w) float32
        outs.append(out.transpose(1, 2).reshape(n * w, h, d)[:t])
        lses.append(lse.transpose(0, 1).reshape(h, n * w)[:, :t])
    out = torch.stack(outs) if b > 1 else outs[0].unsqueeze(0)  # (B, T, H, D)
    lse = torch.stack(lses)  # (B, H, T)
    # A row with no key in its window (padding) has no softmax part at all.
    empty = ~p.valid.any(dim=-1).reshape(b, 1, n * w)[:, :, :t]
    lse = lse.masked_fill(empty, float("-inf"))
    # (B, T, H, D) memory viewed as (B, H, T, D): the layout the output projection reads directly.
    return lse_plus_linear(out.transpose(1, 2), lse, p.lin_num, p.lin_den, p.log_scale)


def _window_grouped(p: _Windows) -> torch.Tensor:
    """Windows in groups of blocks, differentiable: scores, then `softmax_plus_linear`."""
    b, h, t, d = p.q.shape
    n, w, pad = p.n, p.w, p.pad
    # Scaling the (T, D) queries is cheaper than scaling the (T, 3w) scores.
    qb = F.pad(p.q * d**-0.5, (0, 0, 0, pad)).reshape(b, h, n, w, d)
    kn = p.neighbourhoods(p.k)  # (B, H, N, 3w, D)
    vn = p.neighbourhoods(p.v)
    lin_num = F.pad(p.lin_num, (0, 0, 0, pad)).reshape(b, h, n, w, d)
    lin_den = F.pad(p.lin_den, (0, pad)).reshape(b, h, n, w)

    # Groups of blocks bound the (group, w, 3w) score tensors to a few MB whatever T is.
    group = max(1, GROUP_SCORES // (h * w * 3 * w))
    outs = []
    for g0 in range(0, n, group):
        g = slice(g0, min(n, g0 + group))
        scores = torch.matmul(qb[:, :, g], kn[:, :, g].transpose(-1, -2))
        outs.append(
            softmax_plus_linear(
                scores,
                p.valid[:, None, g],  # (B, 1, G, w, 3w)
                vn[:, :, g],
                lin_num[:, :, g],
                lin_den[:, :, g],
                p.log_scale,
            )
        )
    return torch.cat(outs, dim=2).reshape(b, h, n * w, d)[:, :, :t]
