"""The decoder's inputs: one construction for the pipeline's modes and for training."""

from __future__ import annotations

import pytest
import torch

from lm.config import ModelConfig
from lm.model import LongBriefModel, Passages
from pipeline.decoder_inputs import SourceInputs, decoder_inputs


@pytest.fixture(scope="module")
def model() -> LongBriefModel:
    torch.manual_seed(0)
    return LongBriefModel(ModelConfig.from_name("tiny")).eval()


def source(model: LongBriefModel, n: int, passages: list[int] | None, seed: int) -> SourceInputs:
    g = torch.Generator().manual_seed(seed)
    ids = torch.randint(1000, 2000, (n,), generator=g)
    with torch.no_grad():
        memory = model.encode(ids[None])[0]
    return SourceInputs(memory, ids, None if passages is None else torch.tensor(passages))


@pytest.mark.parametrize("hybrid", [True, False])
def test_a_padded_batch_decodes_like_each_input_alone(model: LongBriefModel, hybrid: bool) -> None:
    a = source(model, 40, [3, 4, 5, 20] if hybrid else None, 1)
    b = source(model, 23, [0, 1] if hybrid else None, 2)
    target = torch.randint(1000, 2000, (2, 7), generator=torch.Generator().manual_seed(3))
    with torch.no_grad():
        batched = model.decode(target, decoder_inputs(model, [a, b]))
        alone = [
            model.decode(target[i : i + 1], decoder_inputs(model, [s]))
            for i, s in enumerate([a, b])
        ]
    torch.testing.assert_close(batched[0], alone[0][0], rtol=1e-4, atol=1e-4)
    torch.testing.assert_close(batched[1], alone[1][0], rtol=1e-4, atol=1e-4)


def test_one_input_is_what_prepare_gets_from_the_pipeline(model: LongBriefModel) -> None:
    s = source(model, 30, [2, 3, 9], 4)
    with torch.no_grad():
        ours = model.decode(torch.tensor([[101, 2000]]), decoder_inputs(model, [s]))
        passages = Passages(s.passages[None], torch.ones(1, 3, dtype=torch.bool))
        direct = model.prepare(s.memory[None], None, s.ids[None], passages)
        theirs = model.decode(torch.tensor([[101, 2000]]), direct)
    torch.testing.assert_close(ours, theirs, rtol=0, atol=0)


def test_a_batch_cannot_mix_modes(model: LongBriefModel) -> None:
    with pytest.raises(ValueError, match="mixes"):
        decoder_inputs(model, [source(model, 8, [1], 5), source(model, 8, None, 6)])
