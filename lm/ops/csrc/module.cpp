// Python bindings of the compiled CPU kernels (one extension, built by lm/ops/kernels.py).
#include <torch/extension.h>

#include "kernels.h"

PYBIND11_MODULE(TORCH_EXTENSION_NAME, m) {
  m.def("hedgehog_map", &longbrief::hedgehog_map,
        "Hedgehog feature map with its sums / denominators");
  m.def("window_linear", &longbrief::window_linear,
        "sliding-window softmax attention joined with a read-out linear term");
  m.def("add_layer_norm", &longbrief::add_layer_norm, "LayerNorm(x + update) in one pass");
}
