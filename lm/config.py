"""Model configuration: a typed dataclass with named presets.

`ModelConfig.from_name("minilm")` is the real model; `"tiny"` is for tests. YAML files in
`configs/model/` only override the dataclass defaults of a preset; a checkpoint carries the exact
config it was saved with (`from_checkpoint`).
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ENCODER_LAYER_KINDS = ("softmax", "local", "hybrid", "linear")
FEATURE_MAPS = ("elu", "relu", "favor", "hedgehog")


@dataclass(frozen=True)
class ModelConfig:
    """Hyper-parameters of the hybrid linear-attention encoder-decoder.

    Encoder layer kinds (`encoder_layers`, one entry per layer):
    - "softmax": exact attention over the whole input (the quadratic twin, for references);
    - "local": exact softmax inside blocks of `block_size` tokens;
    - "hybrid": an exact sliding window of `window` tokens each side, summed with global linear
      attention (learned per-head scale on the linear term), one joint normalization;
    - "linear": global linear attention only.
    """

    name: str = "custom"
    vocab_size: int = 30522
    d_model: int = 384
    n_heads: int = 12
    d_ff: int = 1536
    encoder_layers: tuple[str, ...] = ("local", "local", "hybrid", "hybrid", "hybrid", "hybrid")
    n_decoder_layers: int = 6
    # Block-relative positions run 0..block_size-1 (MiniLM's 512 learned positions).
    block_size: int = 512
    window: int = 32
    feature_map: str = "hedgehog"
    # Hedgehog: per-head projection head_dim -> feature_dim, then [softmax(xW), softmax(-xW)].
    # FAVOR+: feature_dim random features.
    feature_dim: int = 64
    chunk_size: int = 64
    layer_norm_eps: float = 1e-12
    dropout: float = 0.1
    pad_id: int = 0
    bos_id: int = 101
    eos_id: int = 102
    copy: bool = True
    extractive_hidden: int = 256
    # Per-sentence text features the extractive head reads (names from
    # `pipeline.sentence_features`); () is the head that reads encoder states only.
    extractive_features: tuple[str, ...] = ()
    favor_seed: int = 0
    gradient_checkpointing: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "encoder_layers", tuple(self.encoder_layers))
        object.__setattr__(self, "extractive_features", tuple(self.extractive_features))
        if self.d_model % self.n_heads:
            raise ValueError(f"d_model {self.d_model} is not divisible by n_heads {self.n_heads}")
        bad = [k for k in self.encoder_layers if k not in ENCODER_LAYER_KINDS]
        if bad:
            raise ValueError(f"unknown encoder layer kinds {bad}; use {ENCODER_LAYER_KINDS}")
        if self.feature_map not in FEATURE_MAPS:
            raise ValueError(f"unknown feature map {self.feature_map!r}; use {FEATURE_MAPS}")
        if self.window < 1 or self.block_size < 1 or self.chunk_size < 1:
            raise ValueError("window, block_size and chunk_size must be positive")

    @property
    def head_dim(self) -> int:
        return self.d_model // self.n_heads

    @property
    def n_encoder_layers(self) -> int:
        return len(self.encoder_layers)

    def replace(self, **overrides: Any) -> ModelConfig:
        """A copy with some fields changed (validated like a new config)."""
        return dataclasses.replace(self, **overrides)

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["encoder_layers"] = list(self.encoder_layers)
        d["extractive_features"] = list(self.extractive_features)
        return d

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ModelConfig:
        """Build from a dict, rejecting unknown keys (a typo must not pass silently)."""
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - names)
        if unknown:
            raise ValueError(f"unknown ModelConfig fields: {unknown}")
        return cls(**data)

    @classmethod
    def from_name(cls, name: str, **overrides: Any) -> ModelConfig:
        """A named preset (`tiny`, `minilm`, `minilm-softmax`), optionally overridden."""
        if name not in PRESETS:
            raise ValueError(f"unknown preset {name!r}; known: {sorted(PRESETS)}")
        return cls.from_dict({**PRESETS[name], "name": name, **overrides})

    @classmethod
    def from_file(cls, path: str | Path) -> ModelConfig:
        """YAML or JSON: `preset: NAME` (default `minilm`) plus fields overriding its defaults."""
        path = Path(path)
        text = path.read_text(encoding="utf-8")
        if path.suffix in (".yaml", ".yml"):
            import yaml

            data = yaml.safe_load(text) or {}
        else:
            data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError(f"{path}: expected a mapping of config fields")
        return cls.from_name(data.pop("preset", "minilm"), **data)

    @classmethod
    def from_checkpoint(cls, directory: str | Path) -> ModelConfig:
        """The config stored beside a checkpoint's weights (`config.json`)."""
        data = json.loads((Path(directory) / "config.json").read_text(encoding="utf-8"))
        return cls.from_dict(data["model"])


PRESETS: dict[str, dict[str, Any]] = {
    "minilm": {},
    # The same weights with exact attention everywhere: the quadratic twin for benchmarks.
    "minilm-softmax": {"encoder_layers": ("softmax",) * 6},
    "tiny": {
        "vocab_size": 30522,
        "d_model": 32,
        "n_heads": 4,
        "d_ff": 64,
        "encoder_layers": ("local", "hybrid", "linear"),
        "n_decoder_layers": 2,
        "block_size": 16,
        "window": 4,
        "feature_dim": 8,
        "chunk_size": 8,
        "dropout": 0.0,
        "extractive_hidden": 16,
    },
}


__all__ = ["ENCODER_LAYER_KINDS", "FEATURE_MAPS", "PRESETS", "ModelConfig"]
