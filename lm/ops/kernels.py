"""The compiled CPU kernels (`csrc/`), built with the machine's C++ compiler on first use.

One extension holds them all: the Hedgehog feature map (`fused_hedgehog`), the sliding-window
attention joined with the linear term (`fused_window`) and the residual sum with LayerNorm
(`fused_norm`). The first call builds it (a few minutes) into `~/.cache/longbrief/kernels/<key>`,
the key covering the sources, the torch version, the CPU's flags and the compiler flags, so a
later process loads it in milliseconds. Where it
cannot be built (no compiler, `LONGBRIEF_NO_KERNELS=1`), `kernel()` is None and callers keep the
PyTorch ops, which are also the references the tests compare against. The kernels serve
inference only: they have no backward.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import platform
from pathlib import Path
from types import ModuleType

import torch

log = logging.getLogger(__name__)

CSRC = Path(__file__).with_name("csrc")
SOURCES = tuple(
    CSRC / name for name in ("module.cpp", "hedgehog.cpp", "window.cpp", "layernorm.cpp")
)
HEADERS = tuple(CSRC / name for name in ("kernels.h", "vec.h"))
# The dtypes every kernel takes (one per call).
DTYPES = (torch.float32, torch.bfloat16)
# No -ffast-math: the kernels' exp rounds with the 1.5·2^23 trick, which reassociation breaks.
CFLAGS = ("-O3", "-march=native", "-mprefer-vector-width=512", "-fopenmp")


def _cpu_flags() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor()
    return next((line for line in text.splitlines() if line.startswith("flags")), "")


def _build_key() -> str:
    sources = [path.read_bytes() for path in (*SOURCES, *HEADERS)]
    parts = (*sources, torch.__version__.encode(), _cpu_flags().encode(), *CFLAGS)
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part.encode())
    return digest.hexdigest()[:16]


def stage_sources(build_dir: Path) -> list[Path]:
    """Copies of the sources and headers in `build_dir / "src"`; returns the sources' paths.

    Why: torch's builder rebuilds whenever the source *paths* recorded in its build file change,
    so two checkouts (or a checkout and an installed wheel) sharing the cache rebuilt the same
    key in turn, minutes each. Compiling the copies gives every caller the same paths. A copy
    is written to a temporary name and renamed, so a concurrent process never reads half a file;
    the key covers the contents, so an existing copy is already the right one.
    """
    src = build_dir / "src"
    src.mkdir(parents=True, exist_ok=True)
    for path in (*SOURCES, *HEADERS):
        target = src / path.name
        if not target.exists():
            tmp = src / f".{path.name}.{os.getpid()}.tmp"
            tmp.write_bytes(path.read_bytes())
            os.replace(tmp, target)
    return [src / path.name for path in SOURCES]


@functools.cache
def kernel() -> ModuleType | None:
    """The compiled extension, built on first call; None where it cannot be built."""
    if os.environ.get("LONGBRIEF_NO_KERNELS"):
        return None
    try:
        # The `ninja` wheel's binary: torch's builder looks for it on PATH, which a virtualenv
        # that is not activated does not put there.
        import ninja

        os.environ["PATH"] = f"{ninja.BIN_DIR}{os.pathsep}{os.environ.get('PATH', '')}"
        from torch.utils.cpp_extension import load

        key = _build_key()
        cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
        build_dir = cache / "longbrief" / "kernels" / key
        sources = stage_sources(build_dir)
        log.info("loading the CPU kernels from %s (the first build takes a few minutes)", build_dir)
        return load(
            name=f"longbrief_kernels_{key}",
            sources=[str(path) for path in sources],
            extra_cflags=list(CFLAGS),
            extra_include_paths=[str(sources[0].parent)],
            extra_ldflags=["-fopenmp"],
            build_directory=str(build_dir),
            verbose=False,
        )
    # Any build failure (no compiler, no ninja, a compile error) means: use the PyTorch path.
    except Exception as exc:
        log.warning("compiled CPU kernels unavailable, using PyTorch ops: %s", exc)
        return None


def require() -> ModuleType:
    """The extension, or RuntimeError where it cannot be built (callers ask `fusable` first)."""
    ext = kernel()
    if ext is None:
        raise RuntimeError("the compiled CPU kernels are not available")
    return ext


def needs_grad(*tensors: torch.Tensor) -> bool:
    """Whether autograd would track any of `tensors`: the kernels have no backward."""
    return torch.is_grad_enabled() and any(t.requires_grad for t in tensors)


def main() -> int:
    """Build the kernels now (the setup step calls this) and report where they are."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    ext = kernel()
    if ext is None:
        print("CPU kernels unavailable: the PyTorch ops will be used (slower on long inputs)")
    else:
        print(f"CPU kernels ready: {ext.__file__}")
    return 0
