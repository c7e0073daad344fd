"""Attention ops: fast forms here, slow references in `lm.ops.naive`."""

from lm.ops.feature_maps import (
    EluFeatureMap,
    FavorFeatureMap,
    FeatureMaps,
    HedgehogFeatureMap,
    ReluFeatureMap,
)
from lm.ops.linear_attention import (
    LinearState,
    causal_linear_attention,
    causal_linear_parts,
    linear_attention,
    linear_readout,
    linear_state,
    normalize,
    recurrent_step,
)
from lm.ops.local_attention import (
    block_softmax_attention,
    softmax_plus_linear,
    window_linear_attention,
)

__all__ = [
    "EluFeatureMap",
    "FavorFeatureMap",
    "FeatureMaps",
    "HedgehogFeatureMap",
    "LinearState",
    "ReluFeatureMap",
    "block_softmax_attention",
    "causal_linear_attention",
    "causal_linear_parts",
    "linear_attention",
    "linear_readout",
    "linear_state",
    "normalize",
    "recurrent_step",
    "softmax_plus_linear",
    "window_linear_attention",
]
