"""Checkpoints: exact round trips, deltas against the MiniLM base, clear errors, no pickle."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file, save_file

from lm.checkpoint import (
    FORMAT,
    CheckpointError,
    checkpoint_info,
    load_checkpoint,
    save_checkpoint,
)
from lm.config import ModelConfig
from lm.model import LongBriefModel

pytestmark = pytest.mark.usefixtures("single_thread")


def assert_same_tensors(a: LongBriefModel, b: LongBriefModel) -> None:
    sa, sb = a.state_dict(), b.state_dict()
    assert sa.keys() == sb.keys()
    for name, tensor in sa.items():
        assert sb[name].dtype == tensor.dtype, name
        assert torch.equal(sb[name], tensor), name


@pytest.fixture
def saved(tmp_path: Path, tiny_model: LongBriefModel) -> Path:
    return save_checkpoint(tiny_model, tmp_path / "ckpt")


@pytest.mark.parametrize("feature_map", ["hedgehog", "favor"])  # favor: ω is a buffer
def test_round_trip_is_exact(feature_map: str, tmp_path: Path, make_model, make_source) -> None:
    model = make_model(feature_map=feature_map)
    directory = save_checkpoint(model, tmp_path / "ckpt")
    assert sorted(p.name for p in directory.iterdir()) == ["config.json", "model.safetensors"]
    loaded = load_checkpoint(directory)
    assert loaded.cfg == model.cfg
    assert not loaded.training
    assert_same_tensors(model, loaded)

    src = make_source((23, 41), passage_counts=(3, 5))
    target = torch.randint(1000, 30000, (2, 9))
    with torch.no_grad():
        assert torch.equal(
            loaded(src.ids, src.mask, target, src.passages),
            model(src.ids, src.mask, target, src.passages),
        )


def test_weights_file_is_safetensors_not_pickle(saved: Path, tiny_model) -> None:
    raw = (saved / "model.safetensors").read_bytes()
    assert not raw.startswith(b"\x80")  # pickle protocol marker
    assert not raw.startswith(b"PK")  # torch.save's zip container
    (header_len,) = struct.unpack("<Q", raw[:8])
    assert raw[8:9] == b"{"
    header = json.loads(raw[8 : 8 + header_len])
    assert header["__metadata__"] == {"format": FORMAT}
    tensors = {k: v for k, v in header.items() if k != "__metadata__"}
    assert set(tensors) == set(tiny_model.state_dict())
    data_len = max(v["data_offsets"][1] for v in tensors.values())
    assert len(raw) == 8 + header_len + data_len

    meta = json.loads((saved / "config.json").read_text(encoding="utf-8"))
    assert meta["format"] == FORMAT
    assert meta["base"] is None and meta["omitted"] == []
    assert ModelConfig.from_dict(meta["model"]) == tiny_model.cfg


def test_save_overwrites_in_place(saved: Path, tiny_model) -> None:
    with torch.no_grad():
        tiny_model.lm_head.bias.add_(1.0)
    save_checkpoint(tiny_model, saved)
    assert sorted(p.name for p in saved.iterdir()) == ["config.json", "model.safetensors"]
    assert_same_tensors(tiny_model, load_checkpoint(saved))


def test_training_record_round_trips(tmp_path: Path, tiny_model) -> None:
    directory = save_checkpoint(
        tiny_model, tmp_path / "ckpt", trained=("transfer", "extractive"), notes="UK-Abs, 3 epochs"
    )
    info = checkpoint_info(directory)
    assert info.directory == directory
    assert info.config == tiny_model.cfg
    assert info.trained == ("transfer", "extractive")
    assert info.notes == "UK-Abs, 3 epochs"
    assert_same_tensors(tiny_model, load_checkpoint(directory))


def test_checkpoint_info_defaults_for_older_configs(saved: Path) -> None:
    config = saved / "config.json"
    meta = json.loads(config.read_text(encoding="utf-8"))
    assert meta["trained"] == [] and meta["notes"] == ""
    del meta["trained"], meta["notes"]
    config.write_text(json.dumps(meta), encoding="utf-8")
    info = checkpoint_info(saved)
    assert info.trained == () and info.notes == ""
    load_checkpoint(saved)


# ---------------------------------------------------------------------------------------------
# Errors


def test_wrong_format_string(saved: Path) -> None:
    config = saved / "config.json"
    meta = json.loads(config.read_text(encoding="utf-8"))
    meta["format"] = "longbrief-checkpoint/0"
    config.write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(CheckpointError, match="unknown format 'longbrief-checkpoint/0'"):
        load_checkpoint(saved)
    with pytest.raises(CheckpointError, match="unknown format"):
        checkpoint_info(saved)


@pytest.mark.parametrize("name", ["config.json", "model.safetensors"])
def test_missing_file(name: str, saved: Path) -> None:
    (saved / name).unlink()
    with pytest.raises(CheckpointError, match="not a checkpoint"):
        load_checkpoint(saved)


def test_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(CheckpointError, match="not a checkpoint"):
        load_checkpoint(tmp_path / "absent")
    with pytest.raises(CheckpointError, match="not a checkpoint"):
        checkpoint_info(tmp_path / "absent")


def test_weights_missing_a_tensor(saved: Path) -> None:
    weights = saved / "model.safetensors"
    state = load_file(str(weights))
    del state["decoder.1.cross_attn.log_scale"]
    save_file(state, str(weights), metadata={"format": FORMAT})
    with pytest.raises(CheckpointError, match=r"missing \['decoder.1.cross_attn.log_scale'\]"):
        load_checkpoint(saved)


def test_weights_with_an_unknown_tensor(saved: Path) -> None:
    weights = saved / "model.safetensors"
    state = load_file(str(weights))
    state["decoder.9.extra"] = torch.zeros(3)
    save_file(state, str(weights), metadata={"format": FORMAT})
    with pytest.raises(CheckpointError, match="unexpected"):
        load_checkpoint(saved)


def test_config_of_another_model(saved: Path) -> None:
    config = saved / "config.json"
    meta = json.loads(config.read_text(encoding="utf-8"))
    meta["model"]["n_decoder_layers"] = 3  # the weights hold two decoder layers
    config.write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(CheckpointError, match="do not match config"):
        load_checkpoint(saved)


def test_omitted_tensors_without_a_base(saved: Path) -> None:
    config = saved / "config.json"
    meta = json.loads(config.read_text(encoding="utf-8"))
    meta["omitted"] = ["embeddings.word.weight"]
    config.write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(CheckpointError, match="no base named"):
        load_checkpoint(saved)


def test_different_base_digest(saved: Path) -> None:
    config = saved / "config.json"
    meta = json.loads(config.read_text(encoding="utf-8"))
    meta["base"] = {"name": "all-MiniLM-L6-v2", "sha256": {"model.safetensors": "0" * 64}}
    config.write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(CheckpointError, match="different base weights"):
        load_checkpoint(saved)


@pytest.mark.parametrize(
    "damage", ["truncated-config", "config-without-model", "truncated-weights"]
)
def test_malformed_files_give_checkpoint_error(damage: str, saved: Path) -> None:
    config, weights = saved / "config.json", saved / "model.safetensors"
    if damage == "truncated-config":
        config.write_text(config.read_text(encoding="utf-8")[:50], encoding="utf-8")
    elif damage == "config-without-model":
        meta = json.loads(config.read_text(encoding="utf-8"))
        del meta["model"]
        config.write_text(json.dumps(meta), encoding="utf-8")
    else:
        weights.write_bytes(weights.read_bytes()[:1000])
    with pytest.raises(CheckpointError):
        load_checkpoint(saved)


# ---------------------------------------------------------------------------------------------
# Deltas against the MiniLM base


@pytest.mark.minilm_required
def test_delta_against_minilm_base(tmp_path: Path) -> None:
    from lm.warmstart import from_minilm, minilm_state

    cfg = ModelConfig.from_name("minilm")
    model = from_minilm(cfg)
    base = minilm_state(cfg)
    changed = {
        "encoder.0.ffn.fc1.bias",
        "decoder.1.cross_attn.proj.query.weight",
        "embeddings.norm.weight",
    }
    with torch.no_grad():
        for name in changed:
            model.get_parameter(name).add_(0.01)
    directory = save_checkpoint(model, tmp_path / "delta", base=base)

    state = model.state_dict()
    new = set(state) - set(base)  # feature maps, scales, heads: not in MiniLM
    stored = set(load_file(str(directory / "model.safetensors")))
    assert stored == changed | new
    meta = json.loads((directory / "config.json").read_text(encoding="utf-8"))
    assert meta["base"]["name"] == "all-MiniLM-L6-v2"
    assert set(meta["omitted"]) == set(base) - changed

    full_bytes = sum(t.numel() * t.element_size() for t in state.values())
    delta_bytes = (directory / "model.safetensors").stat().st_size
    assert delta_bytes < 0.1 * full_bytes, (delta_bytes, full_bytes)

    assert_same_tensors(model, load_checkpoint(directory))
