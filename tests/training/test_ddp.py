"""DDP with two CPU processes (gloo) through the real CLI: the ranks train on different data and
end with bit-identical parameters.

The run is a subprocess (`python -m training.cli fit ... --trainer.strategy ddp`), launched the
way a user launches it; Lightning starts the second rank itself. A free port, a hard timeout and
a killed process group on timeout keep a stuck rendezvous from hanging the suite.
"""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from tokenizers import Tokenizer as WordTokenizer
from tokenizers import models, normalizers, pre_tokenizers

from training.rank_report import read_record

ROOT = Path(__file__).resolve().parents[2]
TINY_CONFIG = ROOT / "configs" / "train" / "transfer_tiny.yaml"
# Two interpreters importing torch, Lightning and datasets on 2 shared cores take ~10-20 s each;
# the limit only turns a hang into a failure.
TIMEOUT_S = 180
STEPS = 3
WORDS = [
    *("agreement", "party", "licensee", "term", "notice", "shall", "payment"),
    *("days", "law", "delaware", "york", "liability", "cap", "net"),
]


def write_corpus(tmp: Path) -> tuple[Path, Path]:
    """A JSON Lines corpus of random legal words and a word-level tokenizer for it."""
    rng = random.Random(0)
    corpus = tmp / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as fh:
        for i in range(40):
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 80)))
            fh.write(json.dumps({"id": f"doc-{i:03d}", "text": text}) + "\n")
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    tok = WordTokenizer(
        models.WordLevel({w: i for i, w in enumerate([*specials, *WORDS])}, "[UNK]")
    )
    tok.normalizer = normalizers.Lowercase()
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer = tmp / "tokenizer.json"
    tok.save(str(tokenizer))
    return corpus, tokenizer


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_env(port: int) -> dict[str, str]:
    """This environment without a cluster's variables, rendezvous on localhost:`port`."""
    # A CI runner inside a SLURM or torchrun job would otherwise make Lightning join that job.
    cluster = (
        "SLURM_",
        "RANK",
        "LOCAL_RANK",
        "WORLD_SIZE",
        "NODE_RANK",
        "GROUP_RANK",
        "TORCHELASTIC",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(cluster)}
    env.update(
        MASTER_ADDR="127.0.0.1",
        MASTER_PORT=str(port),
        OMP_NUM_THREADS="1",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
    )
    if sys.platform.startswith("linux"):
        # gloo otherwise binds to the address the host name resolves to, which in some CI
        # containers is not reachable: rendezvous would hang until the timeout.
        env["GLOO_SOCKET_IFNAME"] = "lo"
    return env


def run_ddp(argv: list[str], log: Path) -> int:
    """Run the CLI in its own process group; on timeout kill the group (both ranks)."""
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "training.cli", *argv],
            cwd=ROOT,
            env=clean_env(free_port()),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            return proc.wait(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            pytest.fail(f"DDP run exceeded {TIMEOUT_S} s; log:\n{log.read_text()[-4000:]}")


def test_two_cpu_ranks_train_different_shards_and_agree(tmp_path: Path) -> None:
    corpus, tokenizer = write_corpus(tmp_path)
    report, ckpt_dir, log = tmp_path / "report", tmp_path / "ckpt", tmp_path / "ddp.log"
    callbacks = [
        {"class_path": "training.rank_report.RankReport", "init_args": {"out_dir": str(report)}}
    ]
    rc = run_ddp(
        [
            "fit",
            "--config",
            str(TINY_CONFIG),
            "--threads",
            "1",
            "--data.init_args.paths",
            json.dumps([str(corpus)]),
            "--data.init_args.tokenizer",
            str(tokenizer),
            "--data.init_args.cache_dir",
            str(tmp_path / "cache"),
            "--trainer.logger.init_args.save_dir",
            str(tmp_path / "runs"),
            "--checkpoint.dirpath",
            str(ckpt_dir),
            "--trainer.accelerator",
            "cpu",
            "--trainer.devices",
            "2",
            "--trainer.strategy",
            "ddp",
            "--trainer.max_steps",
            str(STEPS),
            "--trainer.callbacks",
            json.dumps(callbacks),
        ],
        log,
    )
    assert rc == 0, log.read_text()[-4000:]
    ranks = [read_record(report / f"rank{r}.json") for r in (0, 1)]
    for r, record in enumerate(ranks):
        assert (record.rank, record.world_size, record.global_step) == (r, 2, STEPS)
        assert len(record.batches) == len(record.grad_digests) == STEPS
    first, second = ranks
    # Different shards: no batch seen by both ranks, and different local losses.
    assert set(first.batches).isdisjoint(second.batches)
    assert first.losses != second.losses
    # Synchronized: the averaged gradients, and so the parameters, are bit-identical ...
    assert first.grad_digests == second.grad_digests
    assert first.param_digest == second.param_digest
    assert first.param_sum == second.param_sum
    # ... and the parameters did move (the agreement is not that of two untouched copies).
    assert first.initial_digest == second.initial_digest != first.param_digest
    # Rank 0 wrote the checkpoint, at the step both ranks reached.
    last = torch.load(ckpt_dir / "last.ckpt", map_location="cpu", weights_only=False)
    assert last["global_step"] == STEPS
