"""How the compiled CPU kernels are built, and what happens where they cannot be."""

from __future__ import annotations

import pytest
import torch

from lm.ops import fused_hedgehog as fh
from lm.ops import fused_norm as fn
from lm.ops import fused_window as fw
from lm.ops import kernels
from lm.ops.feature_maps import HedgehogFeatureMap

pytestmark = pytest.mark.skipif(
    kernels.kernel() is None, reason="the C++ kernels could not be built here"
)


def test_one_extension_serves_every_kernel() -> None:
    ext = kernels.kernel()
    assert all(hasattr(ext, name) for name in ("hedgehog_map", "window_linear", "add_layer_norm"))


def test_no_kernel_when_disabled(monkeypatch: pytest.MonkeyPatch) -> None:
    """LONGBRIEF_NO_KERNELS=1: no build is attempted and every caller keeps its PyTorch ops."""
    monkeypatch.setenv("LONGBRIEF_NO_KERNELS", "1")
    kernels.kernel.cache_clear()
    try:
        assert kernels.kernel() is None
        q = torch.randn(1, 2, max(fh.MIN_TOKENS, fw.MIN_TOKENS), 16)
        fmap = HedgehogFeatureMap(2, 16, 16)
        assert not fh.fusable(q, fmap, fmap)
        assert not fw.fusable(q, q, q)
        rows = torch.randn(fn.MIN_ROWS, 16)
        assert not fn.fusable(rows, rows, torch.nn.LayerNorm(16))
    finally:
        monkeypatch.delenv("LONGBRIEF_NO_KERNELS")
        kernels.kernel.cache_clear()


def test_failed_build_falls_back_with_a_warning(
    monkeypatch: pytest.MonkeyPatch, tmp_path, caplog: pytest.LogCaptureFixture
) -> None:
    """A machine whose compiler rejects the build gets the PyTorch path and one log warning."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(kernels, "CFLAGS", ("-fno-such-flag-longbrief",))
    kernels.kernel.cache_clear()
    try:
        with caplog.at_level("WARNING", logger=kernels.__name__):
            assert kernels.kernel() is None
        assert "unavailable" in caplog.text
    finally:
        monkeypatch.undo()
        kernels.kernel.cache_clear()
    assert kernels.kernel() is not None


def test_build_key_covers_every_source_and_header(monkeypatch: pytest.MonkeyPatch) -> None:
    """Editing any source or header, or the flags, builds a new extension (not a stale one)."""
    key = kernels._build_key()
    monkeypatch.setattr(kernels, "HEADERS", kernels.HEADERS[:-1])
    assert kernels._build_key() != key
    monkeypatch.undo()
    monkeypatch.setattr(kernels, "CFLAGS", (*kernels.CFLAGS, "-g"))
    assert kernels._build_key() != key


def test_sources_are_compiled_from_copies_in_the_cache(tmp_path) -> None:
    """Every checkout compiles the same paths, so checkouts sharing the cache never rebuild."""
    staged = kernels.stage_sources(tmp_path)
    assert [p.name for p in staged] == [p.name for p in kernels.SOURCES]
    for original in (*kernels.SOURCES, *kernels.HEADERS):
        assert (tmp_path / "src" / original.name).read_bytes() == original.read_bytes()
    assert kernels.stage_sources(tmp_path) == staged
    assert not list((tmp_path / "src").glob(".*.tmp"))
    # The build this process loaded was made from such copies, not from the checkout's files.
    build_file = (kernels.Path(kernels.kernel().__file__).parent / "build.ninja").read_text()
    assert str(kernels.Path(kernels.kernel().__file__).parent / "src" / "module.cpp") in build_file
    assert str(kernels.CSRC) not in build_file
