"""Output heads: vocabulary logits, the copy (pointer) mixture, and extractive sentence scores."""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from lm.config import ModelConfig


class LMHead(nn.Module):
    """dense -> GELU -> LayerNorm -> logits against the (tied) word embedding matrix."""

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.dense = nn.Linear(cfg.d_model, cfg.d_model)
        self.norm = nn.LayerNorm(cfg.d_model, eps=cfg.layer_norm_eps)
        self.bias = nn.Parameter(torch.zeros(cfg.vocab_size))

    def forward(self, h: torch.Tensor, embedding: torch.Tensor) -> torch.Tensor:
        """`h` `(B, T, d)` -> logits `(B, T, V)`."""
        return self.norm(F.gelu(self.dense(h))) @ embedding.T + self.bias


@dataclass(frozen=True)
class CopySource:
    """The passage tokens the decoder may copy: hidden states `(B, P, d)`, ids and mask `(B, P)`."""

    hidden: torch.Tensor
    ids: torch.Tensor
    mask: torch.Tensor

    def index_select(self, index: torch.Tensor) -> CopySource:
        return CopySource(
            self.hidden.index_select(0, index),
            self.ids.index_select(0, index),
            self.mask.index_select(0, index),
        )


class CopyHead(nn.Module):
    """p(w) = (1 - g)·p_vocab(w) + g·Σ_{p: id_p = w} a_p (pointer-generator, See et al. 2017).

    `a` is a single-head attention of the decoder state over the passage tokens; the gate g is a
    sigmoid of the decoder state and the copied context. Copying puts numbers, dates and names
    into the output verbatim instead of asking the vocabulary softmax to reinvent them.
    """

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.query = nn.Linear(cfg.d_model, cfg.d_model)
        self.key = nn.Linear(cfg.d_model, cfg.d_model)
        self.gate = nn.Linear(2 * cfg.d_model, 1)
        # Start with a modest preference for generating: sigmoid(-1) ≈ 0.27.
        nn.init.constant_(self.gate.bias, -1.0)

    def forward(self, h: torch.Tensor, logits: torch.Tensor, source: CopySource) -> torch.Tensor:
        """`h` `(B, T, d)`, `logits` `(B, T, V)` -> mixed log-probabilities `(B, T, V)`."""
        scores = self.query(h) @ self.key(source.hidden).transpose(1, 2)  # (B, T, P)
        scores = scores * h.shape[-1] ** -0.5
        scores = scores.float().masked_fill(~source.mask[:, None, :], float("-inf"))
        attn = torch.nan_to_num(scores.softmax(dim=-1))  # rows with no passage: all zero
        context = attn.to(h.dtype) @ source.hidden  # (B, T, d)
        z = self.gate(torch.cat([h, context], dim=-1)).float()  # (B, T, 1) gate logit
        ids = source.ids[:, None, :].expand(-1, h.shape[1], -1)  # (B, T, P)
        copy = torch.zeros_like(logits, dtype=torch.float32).scatter_add_(-1, ids, attn)
        log_vocab = logits.float().log_softmax(dim=-1)
        # log g and log(1 - g) as logsigmoid: finite gradients even when the gate saturates.
        mixed = torch.logaddexp(
            F.logsigmoid(-z) + log_vocab, F.logsigmoid(z) + torch.log(copy + 1e-20)
        )
        # Rows without any passage generate only (and pass no gradient through the pointer).
        has_source = source.mask.any(dim=-1)[:, None, None]
        return torch.where(has_source, mixed, log_vocab)


class ExtractiveHead(nn.Module):
    """Scores sentences for an extractive summary from mean-pooled encoder states.

    Each sentence is described by its own pooled state, its neighbours', the document mean, three
    scalars (relative position, log length, cosine to the document mean) and the per-sentence text
    features its config names (`cfg.extractive_features`, computed by the pipeline: TextRank
    centrality, figures, absolute position, ...). The features are part of the architecture: the
    first layer's width follows the config, so a checkpoint's head always reads exactly the
    features it was trained with. MEASURED.md: a supervised head with neighbour context and
    centrality beat Lead and centrality alone on judgments.
    """

    N_SCALARS = 3

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.features = tuple(cfg.extractive_features)
        self.mlp = nn.Sequential(
            nn.Linear(4 * cfg.d_model + self.N_SCALARS + len(self.features), cfg.extractive_hidden),
            nn.GELU(),
            nn.Dropout(cfg.dropout),
            nn.Linear(cfg.extractive_hidden, 1),
        )

    @staticmethod
    def pool(
        memory: torch.Tensor, sentence_ids: torch.Tensor, n_sentences: int
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Mean of `memory` `(B, N, d)` over tokens with the same id `(B, N)`; -1 = no sentence.

        Returns the pooled states `(B, S, d)` and each sentence's token count `(B, S)`.
        """
        b, _, d = memory.shape
        keep = sentence_ids >= 0
        idx = sentence_ids.clamp_min(0)
        sums = memory.new_zeros(b, n_sentences, d)
        sums.scatter_add_(1, idx[..., None].expand(-1, -1, d), memory * keep[..., None])
        counts = memory.new_zeros(b, n_sentences).scatter_add_(1, idx, keep.to(memory.dtype))
        return sums / counts.clamp_min(1.0)[..., None], counts

    def inputs(
        self, sent: torch.Tensor, counts: torch.Tensor, features: torch.Tensor | None = None
    ) -> torch.Tensor:
        """The MLP's input rows `(B, S, 4d + 3 + F)` from pooled states `(B, S, d)`, token
        counts `(B, S)` and text features `(B, S, F)` (required iff the head names any)."""
        if self.features and (features is None or features.shape[-1] != len(self.features)):
            got = None if features is None else features.shape[-1]
            raise ValueError(
                f"this extractive head reads {len(self.features)} sentence features "
                f"{self.features}; got {got}"
            )
        exists = (counts > 0).to(sent.dtype)[..., None]  # (B, S, 1)
        prev = F.pad(sent, (0, 0, 1, 0))[:, :-1]
        nxt = F.pad(sent, (0, 0, 0, 1))[:, 1:]
        # Means over the sentences that exist, so batch padding shifts nothing.
        n = exists.sum(dim=1, keepdim=True).clamp_min(1.0)  # (B, 1, 1)
        doc = ((sent * exists).sum(dim=1, keepdim=True) / n).expand_as(sent)
        position = torch.arange(sent.shape[1], device=sent.device, dtype=sent.dtype)
        scalars = torch.stack(
            [
                (position[None, :, None] / n).squeeze(-1),
                torch.log1p(counts) / 5.0,
                F.cosine_similarity(sent, doc, dim=-1),
            ],
            dim=-1,
        )  # (B, S, 3)
        parts = [sent, prev, nxt, doc, scalars]
        if self.features:
            parts.append(features.to(sent.dtype))  # (B, S, F)
        return torch.cat(parts, dim=-1)

    def score_pooled(
        self, sent: torch.Tensor, counts: torch.Tensor, features: torch.Tensor | None = None
    ) -> torch.Tensor:
        """Logits `(B, S)` from pooled states `(B, S, d)`, token counts `(B, S)` and, for a
        head that names features, the text features `(B, S, F)`.

        Training on cached pooled states (a frozen encoder) calls this directly.
        """
        return self.mlp(self.inputs(sent, counts, features)).squeeze(-1)

    def forward(
        self,
        memory: torch.Tensor,
        sentence_ids: torch.Tensor,
        n_sentences: int,
        features: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """Logits `(B, S)`; sentence s is every token whose `sentence_ids` equals s."""
        return self.score_pooled(*self.pool(memory, sentence_ids, n_sentences), features)
