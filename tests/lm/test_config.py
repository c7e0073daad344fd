"""ModelConfig: presets, overrides, validation, files and checkpoints."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
import torch

from lm.checkpoint import save_checkpoint
from lm.config import ENCODER_LAYER_KINDS, PRESETS, ModelConfig
from lm.model import LongBriefModel


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_presets_build(name: str) -> None:
    cfg = ModelConfig.from_name(name)
    assert cfg.name == name
    assert cfg.d_model % cfg.n_heads == 0
    assert all(kind in ENCODER_LAYER_KINDS for kind in cfg.encoder_layers)
    # Building on the meta device checks every module's construction without allocating.
    with torch.device("meta"):
        model = LongBriefModel(cfg)
    assert len(model.encoder) == cfg.n_encoder_layers
    assert [layer.attn.kind for layer in model.encoder] == list(cfg.encoder_layers)
    assert len(model.decoder) == cfg.n_decoder_layers
    assert model.embeddings.word.weight.shape == (cfg.vocab_size, cfg.d_model)
    assert model.embeddings.position.weight.shape == (cfg.block_size, cfg.d_model)


def test_preset_values() -> None:
    minilm = ModelConfig.from_name("minilm")
    shape = (minilm.vocab_size, minilm.d_model, minilm.n_heads, minilm.d_ff)
    assert shape == (30522, 384, 12, 1536)
    assert minilm.block_size == 512 and minilm.head_dim == 32
    assert ModelConfig.from_name("minilm-softmax").encoder_layers == ("softmax",) * 6
    tiny = ModelConfig.from_name("tiny")
    assert set(tiny.encoder_layers) == {"local", "hybrid", "linear"}
    assert tiny.dropout == 0.0 and tiny.d_model < minilm.d_model


def test_from_name_overrides() -> None:
    cfg = ModelConfig.from_name("tiny", window=2, encoder_layers=["linear", "local"], copy=False)
    assert cfg.window == 2
    assert cfg.encoder_layers == ("linear", "local")  # lists become tuples
    assert isinstance(cfg.encoder_layers, tuple)
    assert cfg.copy is False
    assert cfg.d_model == ModelConfig.from_name("tiny").d_model  # the rest stays the preset's
    assert cfg.name == "tiny"


def test_configs_are_frozen_and_replace_validates() -> None:
    cfg = ModelConfig.from_name("tiny")
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.window = 3  # type: ignore[misc]
    assert cfg.replace(window=3).window == 3 and cfg.window == 4
    with pytest.raises(ValueError, match="unknown feature map"):
        cfg.replace(feature_map="cosine")


def test_unknown_preset_rejected() -> None:
    with pytest.raises(ValueError, match=r"unknown preset 'giant'.*tiny"):
        ModelConfig.from_name("giant")


def test_unknown_field_rejected() -> None:
    with pytest.raises(ValueError, match=r"unknown ModelConfig fields: \['windw'\]"):
        ModelConfig.from_name("tiny", windw=3)
    with pytest.raises(ValueError, match="unknown ModelConfig fields"):
        ModelConfig.from_dict({"d_model": 32, "n_heads": 4, "heads": 4})


def test_unknown_layer_kind_rejected() -> None:
    with pytest.raises(ValueError, match=r"unknown encoder layer kinds \['global'\]"):
        ModelConfig.from_name("tiny", encoder_layers=("local", "global"))


def test_unknown_feature_map_rejected() -> None:
    with pytest.raises(ValueError, match=r"unknown feature map 'cosine'"):
        ModelConfig.from_name("tiny", feature_map="cosine")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"d_model": 30, "n_heads": 4}, "not divisible"),
        ({"window": 0}, "must be positive"),
        ({"block_size": 0}, "must be positive"),
        ({"chunk_size": -1}, "must be positive"),
    ],
)
def test_invalid_shapes_rejected(overrides: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ModelConfig.from_name("tiny", **overrides)


def test_from_file_yaml(tmp_path: Path) -> None:
    path = tmp_path / "model.yaml"
    path.write_text(
        "preset: tiny\nwindow: 2\nfeature_map: favor\nencoder_layers: [local, linear]\n",
        encoding="utf-8",
    )
    cfg = ModelConfig.from_file(path)
    expected = ModelConfig.from_name(
        "tiny", window=2, feature_map="favor", encoder_layers=("local", "linear")
    )
    assert cfg == expected
    assert cfg.name == "tiny"


def test_from_file_yaml_rejects_unknown_field(tmp_path: Path) -> None:
    path = tmp_path / "model.yml"
    path.write_text("preset: tiny\nwidnow: 2\n", encoding="utf-8")
    with pytest.raises(ValueError, match="widnow"):
        ModelConfig.from_file(path)


def test_from_file_json(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.write_text(json.dumps({"preset": "tiny", "n_decoder_layers": 1}), encoding="utf-8")
    cfg = ModelConfig.from_file(path)
    assert cfg == ModelConfig.from_name("tiny", n_decoder_layers=1)


def test_from_file_without_preset_uses_defaults(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.write_text(json.dumps({"window": 5}), encoding="utf-8")
    cfg = ModelConfig.from_file(path)
    assert cfg.window == 5
    # The dataclass defaults are the MiniLM shape.
    minilm = ModelConfig.from_name("minilm")
    assert cfg.replace(name="minilm", window=minilm.window) == minilm


def test_from_file_rejects_non_mapping(tmp_path: Path) -> None:
    path = tmp_path / "model.yaml"
    path.write_text("- tiny\n- minilm\n", encoding="utf-8")
    with pytest.raises(ValueError, match="expected a mapping"):
        ModelConfig.from_file(path)


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_dict_round_trip(name: str) -> None:
    cfg = ModelConfig.from_name(name, window=7)
    data = cfg.to_dict()
    assert isinstance(data["encoder_layers"], list)
    assert ModelConfig.from_dict(data) == cfg
    # Through JSON too, as a checkpoint stores it.
    assert ModelConfig.from_dict(json.loads(json.dumps(data))) == cfg


def test_from_checkpoint(tmp_path: Path, make_model) -> None:
    model = make_model(window=2, n_decoder_layers=1, feature_map="elu")
    save_checkpoint(model, tmp_path / "ckpt")
    cfg = ModelConfig.from_checkpoint(tmp_path / "ckpt")
    assert cfg == model.cfg
    assert (cfg.window, cfg.n_decoder_layers, cfg.feature_map) == (2, 1, "elu")
