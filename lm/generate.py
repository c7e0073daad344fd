"""Greedy and beam-search generation over the decoder's constant-size incremental state."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from lm.model import DecoderInputs, LongBriefModel


@dataclass(frozen=True)
class GenerationConfig:
    """Decoding settings. Lengths count generated tokens, not the end token: `min_length`
    tokens come before any end token, `max_length` bounds the output, and the length penalty
    divides a sequence's log-probability by (its token count) ** length_penalty."""

    max_length: int = 128
    min_length: int = 0
    num_beams: int = 1
    length_penalty: float = 1.0
    no_repeat_ngram_size: int = 0


def banned_tokens(seq: list[int], n: int) -> set[int]:
    """Tokens that would repeat an n-gram already present in `seq` (no-repeat n-gram rule)."""
    if n <= 0 or len(seq) < n:
        return set()
    prefix = tuple(seq[len(seq) - n + 1 :])
    return {seq[i + n - 1] for i in range(len(seq) - n + 1) if tuple(seq[i : i + n - 1]) == prefix}


def _constrain(
    logprobs: torch.Tensor, seqs: list[list[int]], step: int, cfg: GenerationConfig, eos: int
) -> torch.Tensor:
    """Apply min-length and no-repeat-n-gram bans to `(R, V)` log-probs of R running sequences."""
    logprobs = logprobs.clone()
    if step < cfg.min_length:
        logprobs[:, eos] = float("-inf")
    for row, seq in enumerate(seqs):
        banned = banned_tokens(seq, cfg.no_repeat_ngram_size)
        if banned:
            logprobs[row, list(banned)] = float("-inf")
    return logprobs


@torch.no_grad()
def greedy(model: LongBriefModel, inputs: DecoderInputs, cfg: GenerationConfig) -> list[list[int]]:
    """Pick the most likely token at each step, for every row of the batch at once."""
    bos, eos = model.cfg.bos_id, model.cfg.eos_id
    batch = inputs.cross[0].memory.s.shape[0]
    state = model.start(inputs)
    token = torch.full((batch,), bos, dtype=torch.long)
    seqs: list[list[int]] = [[] for _ in range(batch)]
    done = [False] * batch
    for step in range(cfg.max_length):
        logprobs, state = model.decode_step(token, state)
        token = _constrain(logprobs, seqs, step, cfg, eos).argmax(dim=-1)
        for row, tid in enumerate(token.tolist()):
            if not done[row]:
                seqs[row].append(tid)
                done[row] = tid == eos
        if all(done):
            break
    return [s[:-1] if s and s[-1] == eos else s for s in seqs]


@dataclass
class _Hypotheses:
    """The best finished sequences of one input, by length-penalized score."""

    size: int
    penalty: float
    items: list[tuple[float, list[int]]]

    def add(self, tokens: list[int], logprob: float) -> None:
        score = logprob / max(len(tokens), 1) ** self.penalty
        self.items.append((score, tokens))
        self.items.sort(key=lambda x: -x[0])
        del self.items[self.size :]

    def full(self) -> bool:
        return len(self.items) >= self.size


@torch.no_grad()
def beam_search(
    model: LongBriefModel, inputs: DecoderInputs, cfg: GenerationConfig
) -> list[list[int]]:
    """Batched beam search with length penalty, min/max length and no-repeat n-grams.

    Each input keeps `num_beams` running hypotheses; the decoder state is reordered with
    `index_select` when beams are re-ranked, so its size stays fixed whatever the input length.
    A sequence's score is its summed log-probability divided by length ** length_penalty.
    """
    k = cfg.num_beams
    bos, eos = model.cfg.bos_id, model.cfg.eos_id
    batch = inputs.cross[0].memory.s.shape[0]
    state = model.start(inputs.index_select(torch.arange(batch).repeat_interleave(k)))
    scores = torch.full((batch, k), float("-inf"))
    scores[:, 0] = 0.0  # all beams start identical: keep only one alive
    seqs: list[list[int]] = [[] for _ in range(batch * k)]
    finished = [_Hypotheses(k, cfg.length_penalty, []) for _ in range(batch)]
    token = torch.full((batch * k,), bos, dtype=torch.long)
    for step in range(cfg.max_length):
        logprobs, state = model.decode_step(token, state)
        logprobs = _constrain(logprobs, seqs, step, cfg, eos)
        vocab = logprobs.shape[-1]
        total = (scores.reshape(-1, 1) + logprobs).reshape(batch, k * vocab)
        top_scores, top_ids = total.topk(2 * k, dim=-1)
        new_rows, new_tokens, new_scores, new_seqs = [], [], [], []
        for b in range(batch):
            kept = 0
            for score, flat in zip(top_scores[b].tolist(), top_ids[b].tolist(), strict=True):
                row, tid = b * k + flat // vocab, flat % vocab
                if score == float("-inf") or kept == k:
                    break
                if tid == eos:
                    if not finished[b].full():
                        finished[b].add(seqs[row], score)
                    continue
                new_rows.append(row)
                new_tokens.append(tid)
                new_scores.append(score)
                new_seqs.append([*seqs[row], tid])
                kept += 1
            while kept < k:  # pad with dead beams so every input keeps k rows
                new_rows.append(b * k)
                new_tokens.append(eos)
                new_scores.append(float("-inf"))
                new_seqs.append(list(seqs[b * k]))
                kept += 1
        index = torch.tensor(new_rows)
        state = state.index_select(index)
        token = torch.tensor(new_tokens)
        scores = torch.tensor(new_scores).reshape(batch, k)
        seqs = new_seqs
        if all(h.full() for h in finished):
            break
    for b in range(batch):
        for j in range(k):
            if not finished[b].full() and scores[b, j] > float("-inf"):
                finished[b].add(seqs[b * k + j], scores[b, j].item())
    return [h.items[0][1] if h.items else [] for h in finished]


def generate(
    model: LongBriefModel, inputs: DecoderInputs, cfg: GenerationConfig
) -> list[list[int]]:
    """Token ids (no BOS/EOS) per input row: greedy when `num_beams == 1`, else beam search."""
    return greedy(model, inputs, cfg) if cfg.num_beams == 1 else beam_search(model, inputs, cfg)
