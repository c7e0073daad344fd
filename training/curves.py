"""Learning curves: read a CSVLogger's metrics.csv, draw a PNG (when matplotlib is installed)."""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Curve:
    """One logged metric: its (step, value) points in logging order."""

    name: str
    steps: tuple[int, ...]
    values: tuple[float, ...]


def read_metrics(path: str | Path) -> dict[str, Curve]:
    """Every metric column of a Lightning `metrics.csv` as a curve (empty cells skipped)."""
    points: dict[str, list[tuple[int, float]]] = defaultdict(list)
    with Path(path).open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            step = row.get("step")
            if not step:
                continue
            for name, cell in row.items():
                if name in ("step", "epoch") or cell in ("", None):
                    continue
                value = float(cell)
                if math.isfinite(value):
                    points[name].append((int(float(step)), value))
    return {
        name: Curve(name, tuple(s for s, _ in pts), tuple(v for _, v in pts))
        for name, pts in points.items()
    }


def plot_learning_curves(metrics_csv: str | Path, out: str | Path) -> Path | None:
    """Draw training metrics (left) and validation metrics (right) against the step.

    Returns the PNG's path, or None when matplotlib is not installed or nothing was logged.
    """
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    curves = read_metrics(metrics_csv)
    train = {n: c for n, c in curves.items() if n.startswith("train/")}
    val = {n: c for n, c in curves.items() if n.startswith("val/")}
    if not train and not val:
        return None
    fig, (left, right) = plt.subplots(1, 2, figsize=(14, 4.5), gridspec_kw={"width_ratios": [3, 2]})
    for name, curve in sorted(train.items()):
        # The total is the curve to read; per-layer terms are context, drawn thin.
        total = name == "train/loss"
        left.plot(
            curve.steps,
            curve.values,
            label=name.removeprefix("train/"),
            linewidth=2.0 if total else 0.7,
            alpha=1.0 if total else 0.6,
        )
    left.set_xlabel("step")
    left.set_title("training")
    if train:
        left.set_yscale("log")
        # Outside the axes: twenty per-layer curves would hide each other's ends.
        left.legend(fontsize=6, ncol=2, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    for name, curve in sorted(val.items()):
        right.plot(curve.steps, curve.values, marker="o", label=name.removeprefix("val/"))
    right.set_xlabel("step")
    right.set_title("validation")
    if val:
        right.legend(fontsize=8)
    fig.tight_layout()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out
