"""Base-weight verification: pinned digests, the directory override, clear errors."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import lm.weights
from lm.weights import (
    MINILM_DIR_ENV,
    MINILM_SHA256,
    BaseWeightsError,
    minilm_available,
    minilm_dir,
    minilm_files,
)


@pytest.fixture
def clean_cache() -> Iterator[None]:
    """Verification results are cached per directory: start and end every test with none."""
    lm.weights._verified.cache_clear()
    yield
    lm.weights._verified.cache_clear()


@pytest.fixture
def real_files() -> dict[str, Path]:
    files = minilm_files()
    return {"model.safetensors": files.weights, "tokenizer.json": files.tokenizer}


@pytest.mark.minilm_required
def test_installed_files_match_pins(clean_cache, real_files) -> None:
    assert set(real_files) == set(MINILM_SHA256)
    files = minilm_files()
    assert files.weights.name == "model.safetensors" and files.tokenizer.name == "tokenizer.json"


@pytest.mark.minilm_required
def test_env_override_accepts_a_faithful_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean_cache, real_files
) -> None:
    for name, path in real_files.items():
        shutil.copyfile(path, tmp_path / name)
    monkeypatch.setenv(MINILM_DIR_ENV, str(tmp_path))
    assert minilm_dir() == tmp_path
    files = minilm_files()
    assert files.directory == tmp_path.resolve()
    assert files.weights == tmp_path.resolve() / "model.safetensors"


@pytest.mark.minilm_required
@pytest.mark.parametrize("tampered", sorted(MINILM_SHA256))
def test_tampered_file_refused(
    tampered: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean_cache, real_files
) -> None:
    for name, path in real_files.items():
        shutil.copyfile(path, tmp_path / name)
    target = tmp_path / tampered
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01  # one flipped bit, same size
    target.write_bytes(bytes(data))

    monkeypatch.setenv(MINILM_DIR_ENV, str(tmp_path))
    with pytest.raises(BaseWeightsError, match="does not match the pinned") as excinfo:
        minilm_files()
    assert str(target.resolve()) in str(excinfo.value)
    assert MINILM_SHA256[tampered] in str(excinfo.value)
    assert not minilm_available()


def test_missing_files_name_the_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean_cache
) -> None:
    monkeypatch.setenv(MINILM_DIR_ENV, str(tmp_path))
    with pytest.raises(BaseWeightsError, match="missing MiniLM base file") as excinfo:
        minilm_files()
    assert str(tmp_path.resolve() / "model.safetensors") in str(excinfo.value)
    assert not minilm_available()


@pytest.mark.minilm_required
def test_missing_tokenizer_names_the_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean_cache, real_files
) -> None:
    (tmp_path / "model.safetensors").symlink_to(real_files["model.safetensors"])
    monkeypatch.setenv(MINILM_DIR_ENV, str(tmp_path))
    with pytest.raises(BaseWeightsError, match="missing") as excinfo:
        minilm_files()
    assert str(tmp_path.resolve() / "tokenizer.json") in str(excinfo.value)


def test_nonexistent_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean_cache):
    missing = tmp_path / "nowhere"
    monkeypatch.setenv(MINILM_DIR_ENV, str(missing))
    with pytest.raises(BaseWeightsError, match="nowhere"):
        minilm_files()
