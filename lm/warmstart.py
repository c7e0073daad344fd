"""Warm start from all-MiniLM-L6-v2, read offline from the verified safetensors file.

Encoder layer i and decoder layer i both start from MiniLM layer i; the decoder's cross-attention
starts as a copy of that layer's self-attention (its LayerNorm too). Feature maps, per-head
scales, the coarse position gain and the heads are new. `lm/` never imports transformers.
"""

from __future__ import annotations

from collections.abc import Iterator

import torch
from safetensors.torch import load_file

from lm.config import ModelConfig
from lm.model import LongBriefModel
from lm.weights import minilm_files

MINILM_SHAPE = {"vocab_size": 30522, "d_model": 384, "n_heads": 12, "d_ff": 1536, "block_size": 512}
MINILM_LAYERS = 6


def check_compatible(cfg: ModelConfig) -> None:
    """Raise ValueError when `cfg` cannot hold MiniLM's weights."""
    wrong = {k: getattr(cfg, k) for k, v in MINILM_SHAPE.items() if getattr(cfg, k) != v}
    if wrong:
        raise ValueError(
            f"config {cfg.name!r} cannot warm-start from MiniLM: {wrong} vs {MINILM_SHAPE}"
        )
    if cfg.n_encoder_layers > MINILM_LAYERS or cfg.n_decoder_layers > MINILM_LAYERS:
        raise ValueError(f"MiniLM has {MINILM_LAYERS} layers; config asks for more")


def _attention(src: str, dst: str) -> Iterator[tuple[str, str]]:
    for mine, theirs in (("query", "query"), ("key", "key"), ("value", "value")):
        for p in ("weight", "bias"):
            yield f"{dst}.proj.{mine}.{p}", f"{src}.attention.self.{theirs}.{p}"
    for p in ("weight", "bias"):
        yield f"{dst}.proj.out.{p}", f"{src}.attention.output.dense.{p}"


def _layer(i: int, dst: str, attn: str, residual: str) -> Iterator[tuple[str, str]]:
    """MiniLM layer i into our layer `dst`, whose self-attention and its residual are named
    `attn` and `residual` (encoder: attn/attn_res; decoder: self_attn/self_res)."""
    src = f"encoder.layer.{i}"
    yield from _attention(src, f"{dst}.{attn}")
    for p in ("weight", "bias"):
        yield f"{dst}.{residual}.norm.{p}", f"{src}.attention.output.LayerNorm.{p}"
        yield f"{dst}.ffn.fc1.{p}", f"{src}.intermediate.dense.{p}"
        yield f"{dst}.ffn.fc2.{p}", f"{src}.output.dense.{p}"
        yield f"{dst}.ffn_res.norm.{p}", f"{src}.output.LayerNorm.{p}"


def parameter_map(cfg: ModelConfig) -> dict[str, str]:
    """Our parameter name -> MiniLM tensor name, for every parameter taken from MiniLM."""
    names = {
        "embeddings.word.weight": "embeddings.word_embeddings.weight",
        "embeddings.position.weight": "embeddings.position_embeddings.weight",
        "embeddings.norm.weight": "embeddings.LayerNorm.weight",
        "embeddings.norm.bias": "embeddings.LayerNorm.bias",
    }
    for i in range(cfg.n_encoder_layers):
        names.update(_layer(i, f"encoder.{i}", "attn", "attn_res"))
    for i in range(cfg.n_decoder_layers):
        names.update(_layer(i, f"decoder.{i}", "self_attn", "self_res"))
        names.update(_attention(f"encoder.layer.{i}", f"decoder.{i}.cross_attn"))
        for p in ("weight", "bias"):
            names[f"decoder.{i}.cross_res.norm.{p}"] = (
                f"encoder.layer.{i}.attention.output.LayerNorm.{p}"
            )
    return names


def minilm_state(cfg: ModelConfig) -> dict[str, torch.Tensor]:
    """The tensors a model of `cfg` takes from MiniLM, keyed by our parameter names."""
    check_compatible(cfg)
    base = load_file(str(minilm_files().weights))
    # Inputs are always segment 0: fold its token-type embedding into the position table.
    position = (
        base["embeddings.position_embeddings.weight"]
        + base["embeddings.token_type_embeddings.weight"][0]
    )
    state = {}
    for mine, theirs in parameter_map(cfg).items():
        tensor = position if mine == "embeddings.position.weight" else base[theirs]
        state[mine] = tensor.clone()
    return state


def warm_start(model: LongBriefModel) -> set[str]:
    """Copy MiniLM's weights into `model` in place; returns the names that were loaded."""
    state = minilm_state(model.cfg)
    own = model.state_dict()
    missing = sorted(set(state) - set(own))
    if missing:
        raise RuntimeError(f"warm-start map names unknown parameters: {missing[:5]}")
    with torch.no_grad():
        for name, tensor in state.items():
            own[name].copy_(tensor)
    return set(state)


def from_minilm(cfg: ModelConfig | None = None) -> LongBriefModel:
    """A new model of `cfg` (default: the `minilm` preset) warm-started from MiniLM."""
    model = LongBriefModel(cfg or ModelConfig.from_name("minilm"))
    warm_start(model)
    return model
