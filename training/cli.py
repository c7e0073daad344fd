"""Training entry point: LightningCLI subcommands, plus `export` to an `lm/` checkpoint.

    python -m training.cli fit --config configs/train/transfer.yaml [--trainer.max_steps 3 ...]
    python -m training.cli fit --config configs/train/transfer.yaml --ckpt_path last   # resume
    python -m training.cli validate --config configs/train/transfer.yaml   # metrics before fit
    python -m training.cli export --ckpt runs/transfer/checkpoints/last.ckpt --out DIR
    python -m training.cli fit --config configs/train/denoise.yaml --data.init_args.folder PDFS
    python -m training.cli tokenizer --data FOLDER_OR_JSONL... --vocab-size N --out DIR   # BPE

The model and the data module are named by `class_path` in the config, so each objective (a
LightningModule in `training/`) runs through the same command. Every run gets a ModelCheckpoint
(`save_last`, options under `--checkpoint.*`), a CSVLogger under `runs/` unless the config names
another logger, and after `fit` a learning-curve PNG beside the logged metrics (of the CSVLogger,
also when it is one of several loggers). `--gradient_checkpointing true` turns on activation
checkpointing in every LongBriefModel of the module, whatever the objective.

Resuming mid-epoch restores the weights, optimizer, step count and learning-rate schedule; the
data loader is not resumable, so the rest of the epoch is a fresh shuffle of the blocks.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

import lightning.pytorch as pl
import torch
from jsonargparse import lazy_instance
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.cli import LightningArgumentParser, LightningCLI
from lightning.pytorch.loggers import CSVLogger
from lightning.pytorch.utilities import rank_zero_info, rank_zero_warn

from lm.checkpoint import save_checkpoint
from lm.model import LongBriefModel
from training.curves import plot_learning_curves

DEFAULT_MODULE = "training.transfer.AttentionTransfer"


class TrainCLI(LightningCLI):
    """LightningCLI with a ModelCheckpoint, a thread count and a learning-curve plot after fit."""

    def add_arguments_to_parser(self, parser: LightningArgumentParser) -> None:
        parser.add_lightning_class_args(ModelCheckpoint, "checkpoint")
        parser.set_defaults({"checkpoint.save_last": True})
        parser.add_argument(
            "--threads",
            type=int | None,
            default=None,
            help="torch intra-op threads (on a CPU shared with other jobs, 1 can beat 2)",
        )
        parser.add_argument(
            "--gradient_checkpointing",
            type=bool,
            default=False,
            help="recompute each encoder/decoder block's activations in backward (less memory)",
        )

    def before_instantiate_classes(self) -> None:
        config = self.config[self.subcommand] if self.subcommand else self.config
        if config.get("threads"):
            torch.set_num_threads(int(config["threads"]))

    def before_fit(self) -> None:
        if not self.config["fit"].get("gradient_checkpointing"):
            return
        # A CLI switch rather than a module argument, so that every objective gets it unchanged.
        models = [m for m in self.model.modules() if isinstance(m, LongBriefModel)]
        if not models:
            rank_zero_warn("--gradient_checkpointing: the module holds no LongBriefModel")
        for model in models:
            model.set_gradient_checkpointing(True)

    def after_fit(self) -> None:
        csv = [lg for lg in self.trainer.loggers if isinstance(lg, CSVLogger)]
        if not self.trainer.is_global_zero or not csv:
            return
        logger = csv[0]
        metrics = Path(logger.log_dir) / "metrics.csv"
        if not metrics.is_file():
            return
        png = plot_learning_curves(metrics, metrics.with_name("learning_curve.png"))
        if png is None:
            rank_zero_warn("matplotlib is not installed (or nothing was logged): no curve plot")
        else:
            rank_zero_info(f"learning curves: {png}")


def _import(dotted: str) -> type:
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


def export_model(
    model: LongBriefModel, out: str | Path, warm_started: bool, trained: tuple[str, ...] = ()
) -> Path:
    """Write `model` as an `lm` checkpoint; a MiniLM warm start is stored as a delta against it.

    `trained` records the objectives the weights went through (the pipeline reads it).
    """
    base = None
    if warm_started:
        from lm.warmstart import minilm_state

        base = minilm_state(model.cfg)
    return save_checkpoint(model, out, base=base, trained=trained)


def export(ckpt: str | Path, out: str | Path, module: str = DEFAULT_MODULE) -> Path:
    """Load a Lightning checkpoint of `module` (a class with a `.model` LongBriefModel), export it.

    Returns the checkpoint directory, loadable with `lm.checkpoint.load_checkpoint`.
    """
    cls = _import(module)
    lit = cls.load_from_checkpoint(str(ckpt), map_location="cpu")
    model = getattr(lit, "model", None)
    if not isinstance(model, LongBriefModel):
        raise TypeError(f"{module} has no `.model` LongBriefModel to export")
    # A module names its objective (e.g. AttentionTransfer.OBJECTIVE = "transfer"); one that
    # starts from a trained checkpoint says itself what its weights went through.
    objective = getattr(cls, "OBJECTIVE", None)
    warm_started = bool(lit.hparams.get("warm_start", False))
    trained: tuple[str, ...] = (objective,) if objective else ()
    if callable(getattr(lit, "export_record", None)):
        warm_started, trained = lit.export_record()
    return export_model(model, out, warm_started=warm_started, trained=trained)


def _export_main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(
        prog="training.cli export",
        description="Write a trained model as an lm checkpoint (safetensors + config.json).",
    )
    parser.add_argument("--ckpt", required=True, help="Lightning checkpoint (.ckpt)")
    parser.add_argument("--out", required=True, help="output checkpoint directory")
    parser.add_argument(
        "--module", default=DEFAULT_MODULE, help=f"LightningModule class (default {DEFAULT_MODULE})"
    )
    args = parser.parse_args(argv)
    out = export(args.ckpt, args.out, args.module)
    print(f"exported {args.ckpt} -> {out}")


def _evaluate(args: list[str]) -> None:
    """Dispatch `eval summaries|terms|conflicts` to its evaluator."""
    from importlib import import_module

    modules = {
        "summaries": "training.evaluate",
        "terms": "training.eval_terms",
        "conflicts": "training.eval_conflicts",
    }
    if not args or args[0] not in modules:
        raise SystemExit(f"usage: longbrief eval {{{','.join(modules)}}} ...")
    import_module(modules[args[0]]).main(["eval", *args])


def main(argv: list[str] | None = None) -> None:
    """Run a LightningCLI subcommand (fit, validate, test, predict), `export`, `tokenizer` or
    `dates`."""
    args = list(sys.argv[1:] if argv is None else argv)
    # `longbrief train fit ...` and `longbrief eval summaries|terms|conflicts ...` arrive here.
    if args[:1] == ["eval"]:
        _evaluate(args[1:])
        return
    if args[:1] == ["train"]:
        args = args[1:]
        argv = args
    if args[:1] == ["export"]:
        _export_main(args[1:])
        return
    if args[:1] == ["dates"]:
        # `longbrief train dates`: the key-term date selector (numpy only, no Lightning).
        from training.date_select import main as dates_main

        dates_main(args[1:])
        return
    if args[:1] == ["tokenizer"]:
        from training.bpe import main as tokenizer_main

        tokenizer_main(args[1:])
        return
    TrainCLI(
        pl.LightningModule,
        pl.LightningDataModule,
        subclass_mode_model=True,
        subclass_mode_data=True,
        trainer_defaults={"logger": lazy_instance(CSVLogger, save_dir="runs", name="train")},
        save_config_kwargs={"overwrite": True},
        # None reads sys.argv itself (passing a copy of it makes LightningCLI warn).
        args=None if argv is None else args,
    )


if __name__ == "__main__":
    main()
