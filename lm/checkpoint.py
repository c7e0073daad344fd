"""Checkpoints: safetensors weights + a JSON config, never pickle.

A checkpoint directory holds `model.safetensors` and `config.json`. When the model was warm-started
from MiniLM, tensors still bit-identical to the base are left out (the base is pip-installed and
verified by digest), so the committed default checkpoint stays small: `config.json` names the base
and lists what was left out, and loading re-reads those tensors from it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file

from lm.config import ModelConfig
from lm.model import LongBriefModel
from lm.weights import MINILM_SHA256

FORMAT = "longbrief-checkpoint/1"
BASE_NAME = "all-MiniLM-L6-v2"


class CheckpointError(RuntimeError):
    """A checkpoint directory is missing, malformed or inconsistent with its config."""


@dataclass(frozen=True)
class CheckpointInfo:
    """What a checkpoint says about itself besides its weights.

    `trained` names the objectives its weights went through ("transfer", "extractive",
    "abstractive", "denoising"): the pipeline uses the extractive head only when it was trained.
    """

    directory: Path
    config: ModelConfig
    trained: tuple[str, ...]
    notes: str


def save_checkpoint(
    model: LongBriefModel,
    directory: str | Path,
    base: dict[str, torch.Tensor] | None = None,
    trained: tuple[str, ...] = (),
    notes: str = "",
) -> Path:
    """Write `model` to `directory`; with `base` (see `lm.warmstart.minilm_state`), store a delta.

    Returns the directory. Files are written to temporary names and renamed, so an interrupted
    save never leaves a half-written checkpoint behind.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().contiguous().cpu() for k, v in model.state_dict().items()}
    omitted = sorted(k for k, t in (base or {}).items() if k in state and torch.equal(state[k], t))
    for k in omitted:
        del state[k]
    meta = {
        "format": FORMAT,
        "model": model.cfg.to_dict(),
        "base": None if base is None else {"name": BASE_NAME, "sha256": MINILM_SHA256},
        "omitted": omitted,
        "trained": list(trained),
        "notes": notes,
    }
    weights_tmp = directory / "model.safetensors.tmp"
    config_tmp = directory / "config.json.tmp"
    save_file(state, str(weights_tmp), metadata={"format": FORMAT})
    config_tmp.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    weights_tmp.replace(directory / "model.safetensors")
    config_tmp.replace(directory / "config.json")
    return directory


def _read_meta(directory: Path) -> tuple[dict, ModelConfig]:
    config_path, weights_path = directory / "config.json", directory / "model.safetensors"
    if not config_path.is_file() or not weights_path.is_file():
        raise CheckpointError(
            f"{directory}: not a checkpoint (needs config.json and model.safetensors)"
        )
    try:
        meta = json.loads(config_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CheckpointError(f"{config_path}: unreadable config ({exc})") from exc
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        found = meta.get("format") if isinstance(meta, dict) else type(meta).__name__
        raise CheckpointError(f"{config_path}: unknown format {found!r}")
    try:
        return meta, ModelConfig.from_dict(meta["model"])
    except (KeyError, TypeError, ValueError) as exc:
        raise CheckpointError(f"{config_path}: bad model config ({exc})") from exc


def checkpoint_info(directory: str | Path) -> CheckpointInfo:
    """Read a checkpoint's config and training record without loading its weights."""
    directory = Path(directory)
    meta, config = _read_meta(directory)
    return CheckpointInfo(
        directory,
        config,
        tuple(meta.get("trained", ())),
        meta.get("notes", ""),
    )


def load_checkpoint(directory: str | Path, map_location: str = "cpu") -> LongBriefModel:
    """Rebuild the model saved in `directory` (its own config), in eval mode."""
    directory = Path(directory)
    config_path, weights_path = directory / "config.json", directory / "model.safetensors"
    meta, config = _read_meta(directory)
    model = LongBriefModel(config)
    omitted = set(meta.get("omitted", []))
    if meta.get("base"):
        if meta["base"].get("sha256") != MINILM_SHA256:
            raise CheckpointError(f"{config_path}: was saved against different base weights")
        from lm.warmstart import minilm_state

        base = minilm_state(model.cfg)
        missing_in_base = omitted - set(base)
        if missing_in_base:
            raise CheckpointError(
                f"{config_path}: omitted tensors not in base: {sorted(missing_in_base)[:3]}"
            )
        state = {k: base[k] for k in omitted}
    elif omitted:
        raise CheckpointError(f"{config_path}: tensors omitted but no base named")
    else:
        state = {}
    try:
        state.update(load_file(str(weights_path), device=map_location))
    except Exception as exc:  # safetensors raises its own error type for damaged files
        raise CheckpointError(f"{weights_path}: unreadable weights ({exc})") from exc
    try:
        result = model.load_state_dict(state, strict=False)
    except RuntimeError as exc:
        # A tensor of the wrong shape, e.g. an extractive head saved before its config named
        # the sentence features it reads: refuse rather than load part of it.
        raise CheckpointError(f"{directory}: weights do not match config ({exc})") from exc
    if result.missing_keys or result.unexpected_keys:
        raise CheckpointError(
            f"{directory}: weights do not match config "
            f"(missing {result.missing_keys[:3]}, unexpected {result.unexpected_keys[:3]})"
        )
    return model.eval()
